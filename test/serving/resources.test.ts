import { describe, expect, it } from 'vitest';
import { must } from '../../src/engine/assert.js';
import { makeDeployment } from '../../src/serving/revision/resources/deploy.js';
import { makePodAutoscaler, makeServerlessService } from '../../src/serving/revision/resources/pa.js';
import { makeRevision } from '../../src/serving/configuration/resources/revision.js';
import { resolveTraffic } from '../../src/serving/route/resources/traffic.js';
import { makeIngress } from '../../src/serving/route/resources/ingress.js';
import { parseDomainConfig, type DomainConfig } from '../../src/apis/config/domain.js';
import { DEFAULT_NETWORK_CONFIG } from '../../src/apis/config/network.js';
import type { Configuration, Revision, Route } from '../../src/apis/serving-types.js';

function revision(
  opts: { annotations?: Record<string, string>; routingState?: string; ready?: 'True' | 'False' | 'Unknown'; service?: string } = {},
): Revision {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: {
      name: 'hello-00001',
      namespace: 'default',
      uid: 'uid-1',
      generation: 1,
      labels: {
        'serving.knative.dev/configuration': 'hello',
        'serving.knative.dev/service': opts.service ?? 'hello',
        'serving.knative.dev/routingState': opts.routingState ?? 'active',
      },
      annotations: opts.annotations ?? {},
    },
    spec: { containers: [{ name: 'user-container', image: 'img' }], timeoutSeconds: 120, containerConcurrency: 5 },
    status: { observedGeneration: 1, conditions: opts.ready === undefined ? [] : [{ type: 'Ready', status: opts.ready }] },
  };
}

describe('revision resources', () => {
  it('builds the Deployment Knative builds', () => {
    const d = makeDeployment(revision({ annotations: { 'autoscaling.knative.dev/initial-scale': '3', 'serving.knative.dev/progress-deadline': '90s' } }), {
      initialScale: 1,
      progressDeadlineSeconds: 600,
    });
    expect(d.metadata.name).toBe('hello-00001-deployment');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.progressDeadlineSeconds).toBe(90);
    expect(d.spec.selector).toEqual({ matchLabels: { 'serving.knative.dev/revisionUID': 'uid-1' } });
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } });
    expect(d.metadata.labels).toMatchObject({ app: 'hello-00001', 'serving.knative.dev/revision': 'hello-00001', 'serving.knative.dev/revisionUID': 'uid-1' });
    expect(d.metadata.labels?.['serving.knative.dev/routingState']).toBeUndefined();
    const pod = d.spec.template.spec;
    expect(pod.containers.map((c) => c.name)).toEqual(['user-container', 'queue-proxy']);
    expect(pod.containers[1]?.resources?.requests?.cpu).toBe('25m');
    expect([pod.terminationGracePeriodSeconds, pod.containerConcurrency, pod.timeoutSeconds]).toEqual([120, 5, 120]);
  });

  it("moves the user's readiness probe into queue-proxy, as Knative does: queue-proxy's own probe keeps its timing, the user's reaches it as SERVING_READINESS_PROBE", () => {
    const rev = revision();
    const user = must(rev.spec.containers[0], 'a container');
    user.ports = [{ containerPort: 8081 }];
    user.readinessProbe = { httpGet: { path: '/ready' }, periodSeconds: 5, failureThreshold: 2, successThreshold: 1 };
    user.livenessProbe = { tcpSocket: {}, periodSeconds: 10 };
    const [u, q] = makeDeployment(rev, { initialScale: 1 }).spec.template.spec.containers;
    expect(u?.readinessProbe).toBeUndefined();
    expect(u?.livenessProbe).toEqual({ tcpSocket: { port: 8081 }, periodSeconds: 10 });
    expect(q?.readinessProbe).toEqual({
      httpGet: { port: 8012, httpHeaders: [{ name: 'K-Network-Probe', value: 'queue' }] },
      periodSeconds: 5,
      failureThreshold: 2,
      successThreshold: 1,
    });
    const env = Object.fromEntries((q?.env ?? []).map((e) => [e.name, e.value]));
    expect(JSON.parse(must(env.SERVING_READINESS_PROBE, 'the user probe'))).toEqual({
      httpGet: { path: '/ready', host: '127.0.0.1', port: 8081, scheme: 'HTTP' },
      periodSeconds: 5,
      failureThreshold: 2,
      successThreshold: 1,
      timeoutSeconds: 1,
    });
    expect(env.USER_PORT).toBe('8081');
  });

  it('keeps an exec readiness probe on the user container, and has queue-proxy probe the port over TCP', () => {
    const rev = revision();
    must(rev.spec.containers[0], 'a container').readinessProbe = { exec: { command: ['cat', '/tmp/ready'] }, successThreshold: 1 };
    const [u, q] = makeDeployment(rev, { initialScale: 1 }).spec.template.spec.containers;
    expect(u?.readinessProbe?.exec).toEqual({ command: ['cat', '/tmp/ready'] });
    const probe = JSON.parse(must(q?.env?.find((e) => e.name === 'SERVING_READINESS_PROBE')?.value, 'the user probe')) as unknown;
    expect(probe).toEqual({ tcpSocket: { host: '127.0.0.1', port: 8080 }, successThreshold: 1 });
  });

  const reach: [string, string, string][] = [
    ['active', 'Reachable', 'routed revisions are reachable'],
    ['reserve', 'Unreachable', 'reserve revisions are unreachable'],
    ['pending', '', 'pending revisions are unknown'],
  ];
  for (const [state, want, title] of reach) {
    it(`PodAutoscaler: ${title}`, () => {
      const pa = makePodAutoscaler(revision({ routingState: state, annotations: { 'autoscaling.knative.dev/min-scale': '1' } }), undefined);
      expect(pa.spec).toMatchObject({
        containerConcurrency: 5,
        reachability: want,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello-00001-deployment' },
      });
      expect(pa.metadata.annotations).toEqual({ 'autoscaling.knative.dev/min-scale': '1' });
    });
  }

  it('starts the ServerlessService in Proxy mode with two activators, owned by the PA', () => {
    const pa = makePodAutoscaler(revision(), undefined);
    pa.metadata.uid = 'pa-uid';
    const sks = makeServerlessService(pa);
    expect(sks.spec).toMatchObject({ mode: 'Proxy', numActivators: 2, objectRef: { name: 'hello-00001-deployment' } });
    expect(sks.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'PodAutoscaler', uid: 'pa-uid' });
  });

  it('names revisions <config>-<5-digit generation> with pending routing state', () => {
    const config: Configuration = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Configuration',
      metadata: {
        name: 'hello',
        namespace: 'default',
        uid: 'c1',
        generation: 12,
        labels: { 'serving.knative.dev/service': 'hello', 'serving.knative.dev/serviceUID': 's1' },
      },
      spec: { template: { spec: { containers: [{ image: 'img' }] } } },
    };
    const rev = makeRevision(config, 5000);
    expect(rev.metadata.name).toBe('hello-00012');
    expect(rev.metadata.labels).toEqual({
      'serving.knative.dev/configuration': 'hello',
      'serving.knative.dev/configurationGeneration': '12',
      'serving.knative.dev/configurationUID': 'c1',
      'serving.knative.dev/service': 'hello',
      'serving.knative.dev/serviceUID': 's1',
      'serving.knative.dev/routingState': 'pending',
    });
    expect(rev.metadata.annotations).toEqual({ 'serving.knative.dev/routingStateModified': '2026-01-01T00:00:05Z' });
  });
});

describe('route traffic resolution', () => {
  const config = (latestReady?: string, failed = false): Configuration => ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Configuration',
    metadata: { name: 'hello' },
    spec: { template: { spec: { containers: [] } } },
    status: { latestReadyRevisionName: latestReady, conditions: failed ? [{ type: 'Ready', status: 'False' }] : [] },
  });
  const rows: [string, Configuration | undefined, Revision | undefined, object][] = [
    [
      'waits for a configuration without a ready revision',
      config(),
      undefined,
      { ok: false, status: 'Unknown', reason: 'RevisionMissing', message: 'Configuration "hello" is waiting for a Revision to become ready.' },
    ],
    [
      'fails for a configuration whose revision failed',
      config(undefined, true),
      undefined,
      { ok: false, status: 'False', reason: 'RevisionMissing', message: 'Configuration "hello" does not have any ready Revision.' },
    ],
    [
      'fails for a missing configuration',
      undefined,
      undefined,
      { ok: false, status: 'False', reason: 'ConfigurationMissing', message: 'Configuration "hello" referenced in traffic not found.' },
    ],
    [
      'resolves to the latest ready revision',
      config('hello-00001'),
      undefined,
      { ok: true, targets: [{ revisionName: 'hello-00001', configurationName: 'hello', latestRevision: true, percent: 100 }] },
    ],
  ];
  for (const [title, cfg, , want] of rows) {
    it(title, () => {
      expect(
        resolveTraffic([{ configurationName: 'hello', latestRevision: true, percent: 100 }], { configuration: () => cfg, revision: () => undefined }, 'hello'),
      ).toEqual(want);
    });
  }
  it('reports a missing revision, a not-ready one and one from another service', () => {
    const lookup = (r: Revision | undefined) => ({ configuration: () => undefined, revision: () => r });
    const t = [{ revisionName: 'hello-00001', latestRevision: false, percent: 100 }];
    expect(resolveTraffic(t, lookup(undefined), 'hello')).toMatchObject({
      status: 'False',
      reason: 'RevisionMissing',
      message: 'Revision "hello-00001" referenced in traffic not found.',
    });
    expect(resolveTraffic(t, lookup(revision({ ready: 'Unknown' })), 'hello')).toMatchObject({
      status: 'Unknown',
      message: 'Revision "hello-00001" is not yet ready.',
    });
    expect(resolveTraffic(t, lookup(revision({ ready: 'True', service: 'other' })), 'hello')).toMatchObject({
      status: 'False',
      reason: 'RevisionNotOwned',
      message: 'Revision "hello-00001" belongs to Service "other", not Service "hello".',
    });
  });
});

describe('ingress', () => {
  const route: Route = { apiVersion: 'serving.knative.dev/v1', kind: 'Route', metadata: { name: 'hello', namespace: 'ns', uid: 'r' }, spec: {} };
  const one = new Map([['', [{ revisionName: 'hello-00001', latestRevision: true, percent: 100 }]]]);
  const ingress = (r: Route, domains: DomainConfig): ReturnType<typeof makeIngress> =>
    makeIngress(r, one, { configurations: [] }, new Map(), domains, DEFAULT_NETWORK_CONFIG);
  it('uses config-domain selectors and falls back to svc.cluster.local when no default is configured', () => {
    const parsed = parseDomainConfig({ 'prod.example.org': 'selector:\n  tier: prod', 'example.org': '' }) as { config: DomainConfig };
    const prod = ingress({ ...route, metadata: { ...route.metadata, labels: { tier: 'prod' } } }, parsed.config);
    expect(prod.spec.rules[0]?.hosts).toEqual(['hello.ns.prod.example.org']);
    const plain = ingress(route, parsed.config);
    expect(plain.spec.rules[0]?.hosts).toEqual(['hello.ns.example.org']);
    const none = parseDomainConfig({}) as { config: DomainConfig };
    expect(ingress(route, none.config).spec.rules[0]?.hosts).toEqual(['hello.ns.svc.cluster.local']);
  });
});
