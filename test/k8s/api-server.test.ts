import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/index.js';
import { must } from '../../src/engine/assert.js';
import { TYPE, type ConfigMap, type Deployment, type DeploymentStatus, type Pod, type ReplicaSet } from '../../src/apis/core.js';
import { deepCopy, makeControllerRef, type KObject } from '../../src/apis/meta.js';
import { ApiError, ApiServer, isApiError } from '../../src/k8s/api-server.js';
import { Controller, writeStatus } from '../../src/k8s/controller.js';
import { registerCoreKinds } from '../../src/k8s/core-kinds.js';
import { deployment } from './helpers.js';

function setup(): { engine: Engine; api: ApiServer } {
  const engine = new Engine({ seed: 1 });
  const api = new ApiServer(engine, { watchLatencyMs: 5 });
  registerCoreKinds(api);
  return { engine, api };
}

function pod(name: string, labels: Record<string, string> = {}, extra: Partial<Pod['spec']> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { containers: [{ name: 'c', image: 'img' }], ...extra } };
}

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (isApiError(err)) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('ApiServer', () => {
  it('lists objects matching a selector, sorted by namespace and name, whatever the creation order', () => {
    const { api } = setup();
    for (const [name, app] of [
      ['c', 'x'],
      ['a', 'x'],
      ['b', 'y'],
      ['d', 'x'],
    ] as const)
      api.create(pod(name, { app, tier: name === 'd' ? 'db' : 'web' }));
    api.create({ ...pod('a', { app: 'x' }), metadata: { name: 'a', namespace: 'alpha', labels: { app: 'x' } } });
    expect(api.list<Pod>(TYPE.pod, { selector: { app: 'x' } }).map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'alpha/a',
      'default/a',
      'default/c',
      'default/d',
    ]);
    expect(
      api
        .list<Pod>(TYPE.pod, {
          namespace: 'default',
          selector: { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] },
        })
        .map((p) => p.metadata.name),
    ).toEqual(['a', 'c']);
    expect(api.get<Pod>(TYPE.pod, 'default', 'b')?.metadata.labels).toEqual({ app: 'y', tier: 'web' });
  });

  it('keeps the label index right when labels change and objects go', () => {
    const { api } = setup();
    api.create(pod('p', { app: 'x' }));
    const p = deepCopy(api.get<Pod>(TYPE.pod, 'default', 'p') as Pod);
    p.metadata.labels = { app: 'y' };
    api.update(p);
    expect(api.list(TYPE.pod, { selector: { app: 'x' } })).toEqual([]);
    expect(api.list(TYPE.pod, { selector: { app: 'y' } })).toHaveLength(1);
    api.delete(TYPE.pod, 'default', 'p');
    expect(api.list(TYPE.pod, { selector: { app: 'y' } })).toEqual([]);
  });

  it('answers a custom index as a sorted scan would, through creates, relabels, other writes and deletes in any order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom('a', 'b', 'c', 'd-1', 'd.2'), fc.constantFrom('default', 'ns', 'ns-x'), fc.constantFrom('x', 'y', 'z', null, 'touch')),
          { maxLength: 40 },
        ),
        (steps) => {
          const { api } = setup();
          // Indexed before and after objects exist: both must agree with the scan.
          const early = api.addIndex<Pod>(TYPE.pod, (p) => (p.metadata.labels?.app === undefined ? [] : [p.metadata.labels.app]));
          for (const [name, namespace, app] of steps) {
            const existing = api.get<Pod>(TYPE.pod, namespace, name);
            if (app === 'touch') {
              // A write that keeps the object under its keys (as a pod's status write keeps its revision).
              if (existing !== undefined)
                api.update({ ...existing, metadata: { ...existing.metadata, annotations: { n: String(Number(existing.metadata.annotations?.n ?? 0) + 1) } } });
            } else if (app === null) {
              if (existing !== undefined) api.delete(TYPE.pod, namespace, name, { gracePeriodSeconds: 0 });
            } else if (existing === undefined) api.create({ ...pod(name, { app }), metadata: { ...pod(name, { app }).metadata, namespace } });
            else api.update({ ...existing, metadata: { ...existing.metadata, labels: { app } } });
            // Read between writes too: a list kept across a write must hold the newest versions.
            for (const key of ['x', 'y', 'z']) expect(early.get(key)).toEqual(api.list<Pod>(TYPE.pod, { selector: { app: key } }));
          }
          const late = api.addIndex<Pod>(TYPE.pod, (p) => (p.metadata.labels?.app === undefined ? [] : [p.metadata.labels.app]));
          for (const app of ['x', 'y', 'z']) {
            const scan = api.list<Pod>(TYPE.pod, { selector: { app } });
            expect(early.get(app)).toEqual(scan);
            expect(late.get(app)).toEqual(scan);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects an update carrying a stale resourceVersion with 409 Conflict', () => {
    const { api } = setup();
    const created = api.create(deployment('web'));
    const first = deepCopy(created);
    first.spec.replicas = 2;
    api.update(first);
    const stale = deepCopy(created);
    stale.spec.replicas = 5;
    const err = errorOf(() => api.update(stale));
    expect(err.reason).toBe('Conflict');
    expect(err.status).toBe(409);
    expect(err.message).toContain('the object has been modified');
    expect(api.get<Deployment>(TYPE.deployment, 'default', 'web')?.spec.replicas).toBe(2);
  });

  it('bumps generation on a spec change only, not on a label or status change', () => {
    const { api } = setup();
    const d = api.create(deployment('web'));
    expect(d.metadata.generation).toBe(1);
    const labelled = deepCopy(d);
    labelled.metadata.labels = { team: 'a' };
    expect(api.update(labelled).metadata.generation).toBe(1);
    const withStatus = api.updateStatus({ ...api.get<Deployment>(TYPE.deployment, 'default', 'web')!, status: { replicas: 3 } });
    expect(withStatus.metadata.generation).toBe(1);
    const scaled = deepCopy(withStatus);
    scaled.spec.replicas = 4;
    const stored = api.update(scaled);
    expect(stored.metadata.generation).toBe(2);
    expect(stored.status).toEqual({ replicas: 3 });
  });

  it('shares what an update took unchanged from the stored object, but never where a config-reading defaulter writes', () => {
    const { api } = setup();
    const d = api.create(deployment('web'));
    const scaled = api.update({ ...d, spec: { ...d.spec, replicas: 5 } });
    expect(scaled.spec.template).toBe(d.spec.template);
    expect(scaled.metadata.generation).toBe(2);
    // A kind whose defaults come from config (as Knative's webhooks read config-defaults): the
    // config changes, then an update that passes the stored spec along gets the new default in
    // its own copy; the stored object keeps what it had, and the change is a new generation.
    const config: { cpu?: string } = {};
    api.registerKind<KObject<{ template: { cpu?: string } }>>('Widget.example.dev', {
      defaulter: (w) => {
        if (config.cpu !== undefined) w.spec.template.cpu ??= config.cpu;
      },
    });
    const w = api.create<KObject<{ template: { cpu?: string } }>>({
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { template: {} },
    });
    config.cpu = '100m';
    const next = api.update({ ...w, metadata: { ...w.metadata, labels: { a: 'b' } } });
    expect(w.spec.template).toEqual({});
    expect(next.spec.template).toEqual({ cpu: '100m' });
    expect(next.metadata.generation).toBe(2);
  });

  it('skips a no-op update and a no-op status write (no new resourceVersion, no watch event)', () => {
    const { engine, api } = setup();
    const events: string[] = [];
    api.watch(TYPE.deployment, (e) => events.push(e.type));
    const d = api.create(deployment('web'));
    expect(api.update(deepCopy(d)).metadata.resourceVersion).toBe(d.metadata.resourceVersion);
    const s1 = api.updateStatus({ ...d, status: { replicas: 1 } });
    const s2 = api.updateStatus({ ...s1, status: { replicas: 1 } });
    expect(s2.metadata.resourceVersion).toBe(s1.metadata.resourceVersion);
    engine.run();
    expect(events).toEqual(['ADDED', 'MODIFIED']);
  });

  it('writes ConfigMap data changes (fields beside spec are not dropped as a no-op)', () => {
    const { api } = setup();
    const cm = api.create<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'config-gc', namespace: 'knative-serving' },
      spec: undefined,
      data: { 'max-non-active-revisions': '1000' },
    });
    const next = api.update<ConfigMap>({ ...cm, data: { 'max-non-active-revisions': '5' } });
    expect(next.data).toEqual({ 'max-non-active-revisions': '5' });
  });

  it('updateStatus changes status only', () => {
    const { api } = setup();
    const d = api.create(deployment('web', { replicas: 2 }));
    const attempt = deepCopy(d);
    attempt.spec.replicas = 9;
    attempt.status = { readyReplicas: 2 };
    const stored = api.updateStatus(attempt);
    expect(stored.spec.replicas).toBe(2);
    expect(stored.status).toEqual({ readyReplicas: 2 });
  });

  it('deletes dependents in cascade through ownerReferences (Deployment → ReplicaSet → Pod), pods gracefully', () => {
    const { engine, api } = setup();
    const d = api.create(deployment('web'));
    const rs = api.create<ReplicaSet>({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1', namespace: 'default', ownerReferences: [makeControllerRef(d)] },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: d.spec.template },
    });
    api.create({
      ...pod('web-1-a', { app: 'web' }, { nodeName: 'node-1' }),
      metadata: { name: 'web-1-a', namespace: 'default', labels: { app: 'web' }, ownerReferences: [makeControllerRef(rs)] },
    });
    api.create({
      ...pod('web-1-b', { app: 'web' }),
      metadata: { name: 'web-1-b', namespace: 'default', labels: { app: 'web' }, ownerReferences: [makeControllerRef(rs)] },
    });
    api.create(pod('unrelated', { app: 'web' }));
    api.delete(TYPE.deployment, 'default', 'web');
    engine.run();
    expect(api.get(TYPE.replicaSet, 'default', 'web-1')).toBeUndefined();
    // The bound pod is terminating (its kubelet would finish it); the never-bound one is gone at once.
    const bound = api.get<Pod>(TYPE.pod, 'default', 'web-1-a');
    expect(bound?.metadata.deletionTimestamp).toBeDefined();
    expect(bound?.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(api.get(TYPE.pod, 'default', 'web-1-b')).toBeUndefined();
    expect(api.get(TYPE.pod, 'default', 'unrelated')).toBeDefined();
  });

  it('rejects an invalid DNS-1123 name with the API server message', () => {
    const { api } = setup();
    const err = errorOf(() => api.create(deployment('Bad_Name')));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(
      /^Deployment\.apps "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/,
    );
  });

  it('rejects a missing required field and names it', () => {
    const { api } = setup();
    const p = pod('p');
    delete must(p.spec.containers[0], 'a container').image;
    expect(errorOf(() => api.create(p)).message).toBe('Pod "p" is invalid: spec.containers[0].image: Required value');
    const d = deployment('web');
    delete (d.spec as Partial<Deployment['spec']>).selector;
    expect(errorOf(() => api.create(d)).message).toBe('Deployment.apps "web" is invalid: spec.selector: Required value');
  });

  it('rejects negative replicas on Deployments and ReplicaSets', () => {
    const { api } = setup();
    expect(errorOf(() => api.create(deployment('x', { replicas: -1 }))).message).toBe(
      'Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    const d = deployment('x');
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'x', namespace: 'default' },
      spec: { replicas: -3, selector: d.spec.selector, template: d.spec.template },
    };
    expect(errorOf(() => api.create(rs)).message).toBe('ReplicaSet.apps "x" is invalid: spec.replicas: Invalid value: -3: must be greater than or equal to 0');
  });

  it('rejects a template whose labels the selector does not match, and zero surge with zero unavailable', () => {
    const { api } = setup();
    const d = deployment('x');
    d.spec.template.metadata = { labels: { app: 'other' } };
    expect(errorOf(() => api.create(d)).message).toBe(
      'Deployment.apps "x" is invalid: spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`',
    );
    const z = deployment('z', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } });
    expect(errorOf(() => api.create(z)).message).toBe(
      'Deployment.apps "z" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
    );
  });

  it('defaults a Deployment as apps/v1 does', () => {
    const { api } = setup();
    const d = api.create(deployment('web'));
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
  });

  it('rejects Node names that are not DNS subdomains and keeps nodes cluster-scoped', () => {
    const { api } = setup();
    const node = api.create<KObject>({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: {} });
    expect(node.metadata.namespace).toBeUndefined();
    expect(errorOf(() => api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'Node_1' }, spec: {} })).message).toMatch(
      /^Node "Node_1" is invalid: metadata\.name: Invalid value/,
    );
  });
});

describe('Controller harness', () => {
  it('collapses duplicate keys queued before the reconcile runs', () => {
    const engine = new Engine({ seed: 1 });
    const seen: string[] = [];
    const c = new Controller('t', engine, (key) => void seen.push(key));
    c.enqueue('ns/a');
    c.enqueue('ns/a');
    c.enqueue('ns/b');
    c.enqueue('ns/a');
    engine.run();
    expect(seen).toEqual(['ns/a', 'ns/b']);
  });

  it('requeues a key after the delay the reconcile asks for', () => {
    const engine = new Engine({ seed: 1 });
    const times: number[] = [];
    const c = new Controller('t', engine, () => {
      times.push(engine.nowMs);
      return times.length < 3 ? { requeueAfterMs: 250 } : undefined;
    });
    c.enqueue('ns/a');
    engine.run();
    expect(times).toEqual([0, 250, 500]);
  });

  it('retries a reconcile that failed with an API error, with growing back-off', () => {
    const engine = new Engine({ seed: 1 });
    const times: number[] = [];
    const c = new Controller('t', engine, () => {
      times.push(engine.nowMs);
      if (times.length < 4) throw new ApiError('Conflict', 'conflict');
    });
    c.enqueue('ns/a');
    engine.run();
    expect(times).toEqual([0, 5, 15, 35]);
  });

  it('writes status only when it changed, setting observedGeneration', () => {
    const { engine, api } = setup();
    let modified = 0;
    api.watch(TYPE.deployment, (e) => {
      if (e.type === 'MODIFIED') modified++;
    });
    const d = api.create(deployment('web'));
    const once = writeStatus<Deployment, DeploymentStatus>(api, d, { replicas: 1 });
    expect(once.status?.observedGeneration).toBe(1);
    writeStatus<Deployment, DeploymentStatus>(api, once, { replicas: 1 });
    writeStatus<Deployment, DeploymentStatus>(api, api.get<Deployment>(TYPE.deployment, 'default', 'web')!, { replicas: 1 });
    engine.run();
    expect(modified).toBe(1);
  });
});
