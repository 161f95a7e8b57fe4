import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TYPE, type Pod } from '../../src/apis/core.js';
import { renderTable, renderYaml, resolveKind } from '../../src/k8s/view.js';
import { tabulate, KUBECTL_TABLE } from '../../src/k8s/tabwriter.js';
import { must } from '../../src/engine/assert.js';
import { deployment, makeWorld, podsOf } from './helpers.js';

describe('kubectl views', () => {
  it('aligns columns like kubectl: widest cell + 3 spaces, at least 6, last column unpadded', () => {
    expect(
      tabulate(
        [
          ['NAME', 'READY', 'AGE'],
          ['a', '1/1', '5s'],
        ],
        KUBECTL_TABLE,
      ),
    ).toBe('NAME   READY   AGE\na      1/1     5s\n');
  });

  it('prints pods with READY, STATUS through their life: ContainerCreating, Running, Terminating', () => {
    const w = makeWorld({ jitter: 0 }, [{ name: 'n1', cpu: '4', memory: '16Gi' }]);
    w.api.create(deployment('web', { replicas: 1 }));
    w.engine.run({ untilMs: 5_000 });
    const name = must(podsOf(w, 'web')[0], 'a pod').metadata.name;
    expect(renderTable(w.api, 'po', w.engine.nowMs)).toBe(
      `NAME${' '.repeat(name.length - 1)}READY   STATUS              RESTARTS   AGE\n${name}   0/1     ContainerCreating   0          4s`,
    );
    w.engine.run({ untilMs: 200_000 });
    expect(renderTable(w.api, 'pods', w.engine.nowMs).split('\n')[1]).toBe(`${name}   1/1     Running   0          3m19s`);
    w.k8s.setPreStopHook(() => undefined);
    w.api.delete(TYPE.pod, 'default', name);
    w.engine.run({ untilMs: 200_100 });
    expect(renderTable(w.api, 'pod', w.engine.nowMs, { name })).toContain('0/1     Terminating');
  });

  it('shows ErrImagePull / ImagePullBackOff and Pending pods', () => {
    const w = makeWorld({ jitter: 0, missingImages: ['registry/nope:1'] }, [{ name: 'n1', cpu: '1', memory: '4Gi' }]);
    w.api.create(deployment('bad', { replicas: 1, image: 'registry/nope:1' }));
    w.api.create(deployment('huge', { replicas: 1, cpu: '8' }));
    w.engine.run({ untilMs: 3_000 });
    const table = renderTable(w.api, 'po', w.engine.nowMs);
    expect(table).toMatch(/bad-\S+\s+0\/1\s+ErrImagePull\s+0\s+2s/);
    expect(table).toMatch(/huge-\S+\s+0\/1\s+Pending\s+0\s+2s/);
    w.engine.run({ untilMs: 25_000 });
    expect(renderTable(w.api, 'po', w.engine.nowMs)).toMatch(/bad-\S+\s+0\/1\s+ImagePullBackOff/);
  });

  it('prints deployments, replicasets and nodes with kubectl columns', () => {
    const w = makeWorld({ jitter: 0 }, [
      { name: 'n1', cpu: '4', memory: '16Gi', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      { name: 'n2', cpu: '4', memory: '16Gi' },
    ]);
    w.api.create(deployment('web', { replicas: 2 }));
    w.engine.run({ untilMs: 90_000 });
    expect(renderTable(w.api, 'deploy', w.engine.nowMs)).toBe('NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/2     2            2           90s');
    const rsName = must(w.api.list(TYPE.replicaSet)[0], 'a ReplicaSet').metadata.name;
    expect(renderTable(w.api, 'rs', w.engine.nowMs)).toBe(
      `NAME${' '.repeat(rsName.length - 1)}DESIRED   CURRENT   READY   AGE\n${rsName}   2         2         2       89s`,
    );
    expect(renderTable(w.api, 'no', w.engine.nowMs)).toBe(
      'NAME   STATUS   ROLES           AGE   VERSION\nn1     Ready    control-plane   90s   v1.33.1\nn2     Ready    <none>          90s   v1.33.1',
    );
  });

  it('adds a NAMESPACE column for all namespaces and says when nothing is found', () => {
    const w = makeWorld();
    expect(renderTable(w.api, 'deploy', 0)).toBe('No resources found in default namespace.');
    expect(renderTable(w.api, 'widgets', 0)).toBe('error: the server doesn\'t have a resource type "widgets"');
    expect(renderTable(w.api, 'po', 0, { name: 'x' })).toBe('Error from server (NotFound): pods "x" not found');
    w.api.create({ ...deployment('api'), metadata: { name: 'api', namespace: 'prod' } });
    w.engine.run({ untilMs: 1_000 });
    expect(renderTable(w.api, 'deployments', w.engine.nowMs, { allNamespaces: true }).split('\n')[0]).toBe(
      'NAMESPACE   NAME   READY   UP-TO-DATE   AVAILABLE   AGE',
    );
    expect(resolveKind('rs')).toBe('ReplicaSet.apps');
  });

  it('renders YAML with sorted keys and RFC 3339 timestamps', () => {
    const w = makeWorld({ jitter: 0 });
    w.api.create(deployment('web', { replicas: 1 }));
    w.engine.run({ untilMs: 61_500 });
    const pod = podsOf(w, 'web')[0] as Pod;
    const text = renderYaml(pod);
    const doc = parse(text) as Record<string, Record<string, unknown>>;
    expect(Object.keys(doc)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(doc.metadata?.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    // Quoted as go-yaml quotes a string that YAML 1.1 would read as a timestamp.
    expect(text).toMatch(/lastTransitionTime: "2026-01-01T00:00:1\dZ"/);
    expect(text).toContain('startTime: "2026-01-01T00:00:00Z"');
    expect(text).toContain('terminationGracePeriodSeconds: 30');
  });
});
