/**
 * The ReplicaSet controller's pod counts (src/k8s/replicaset-pods.ts) answer what a scan of the
 * store would: the pods that name the ReplicaSet as controller, match its selector and are
 * neither terminating nor finished — through creates, relabels, readiness changes, phase
 * changes, deletions and ownership changes in any order, indexed before or after the pods exist.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/index.js';
import { TYPE, isPodReady, type Pod } from '../../src/apis/core.js';
import { selectorMatches, type LabelSelector } from '../../src/apis/meta.js';
import { ApiServer } from '../../src/k8s/api-server.js';
import { registerCoreKinds } from '../../src/k8s/core-kinds.js';
import { ReplicaSetPods } from '../../src/k8s/replicaset-pods.js';

const OWNERS = ['rs-a', 'rs-b'];
const SELECTOR: LabelSelector = { matchLabels: { app: 'web' } };
const TEMPLATE = { app: 'web', hash: 'h1' };

type Step =
  | { op: 'write'; name: string; owner: number | null; app: string; hash: string; ready: boolean; phase: 'Running' | 'Failed' }
  | { op: 'terminate'; name: string }
  | { op: 'delete'; name: string };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('write' as const),
    name: fc.constantFrom('p1', 'p2', 'p3'),
    owner: fc.constantFrom(0, 1, null),
    app: fc.constantFrom('web', 'other'),
    hash: fc.constantFrom('h1', 'h2'),
    ready: fc.boolean(),
    phase: fc.constantFrom('Running' as const, 'Failed' as const),
  }),
  fc.record({ op: fc.constant('terminate' as const), name: fc.constantFrom('p1', 'p2', 'p3') }),
  fc.record({ op: fc.constant('delete' as const), name: fc.constantFrom('p1', 'p2', 'p3') }),
);

function podOf(s: Extract<Step, { op: 'write' }>, existing: Pod | undefined): Pod {
  const owner = s.owner === null ? undefined : OWNERS[s.owner];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(existing?.metadata ?? { name: s.name, namespace: 'default' }),
      labels: { app: s.app, hash: s.hash },
      ...(owner === undefined
        ? { ownerReferences: [] }
        : { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }] }),
    },
    spec: { containers: [{ name: 'c', image: 'img' }] },
    status: { phase: s.phase, conditions: [{ type: 'Ready', status: s.ready ? 'True' : 'False' }] },
  };
}

/** What the controller read before the counts: a scan of the store. */
function scan(api: ApiServer, uid: string): Pod[] {
  return api
    .list<Pod>(TYPE.pod, { namespace: 'default', selector: SELECTOR })
    .filter(
      (p) =>
        p.metadata.deletionTimestamp === undefined &&
        p.status?.phase !== 'Failed' &&
        p.status?.phase !== 'Succeeded' &&
        p.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === uid),
    );
}

/** Applies the steps through the API server and holds both indexes (attached before and after) to the scan. */
function checkSteps(steps: readonly Step[]): void {
  const engine = new Engine({ seed: 1 });
  const api = new ApiServer(engine, { watchLatencyMs: 5 });
  registerCoreKinds(api);
  const early = ReplicaSetPods.attach(api);
  for (const s of steps) {
    const existing = api.get<Pod>(TYPE.pod, 'default', s.name);
    if (s.op === 'write') {
      if (existing !== undefined && existing.metadata.deletionTimestamp !== undefined) continue;
      // Labels and owner through the object, readiness and phase through its status, as the kubelet writes them.
      const written = existing === undefined ? api.create(podOf(s, undefined)) : api.update(podOf(s, existing));
      api.updateStatus({ ...written, status: podOf(s, written).status });
    } else if (existing !== undefined) api.delete(TYPE.pod, 'default', s.name, s.op === 'delete' ? { gracePeriodSeconds: 0 } : {});
  }
  const late = ReplicaSetPods.attach(api);
  for (const uid of OWNERS) {
    const pods = scan(api, uid);
    const expected = {
      replicas: pods.length,
      fullyLabeled: pods.filter((p) => selectorMatches(TEMPLATE, p.metadata.labels)).length,
      ready: pods.filter(isPodReady).length,
    };
    for (const index of [early, late]) {
      expect(index.counts(uid, SELECTOR, TEMPLATE)).toEqual(expected);
      expect(
        index
          .pods(uid, SELECTOR)
          .map((p) => p.metadata.name)
          .sort(),
      ).toEqual(pods.map((p) => p.metadata.name));
    }
  }
}

describe('ReplicaSetPods', () => {
  it('counts what a scan of the store finds, whatever the order of writes', () => {
    fc.assert(fc.property(fc.array(stepArb, { maxLength: 40 }), checkSteps), { numRuns: 1000 });
  });

  it('moves a relabelled pod out of the label group it shared', () => {
    const write = (name: string, hash: string): Step => ({ op: 'write', name, owner: 0, app: 'web', hash, ready: false, phase: 'Running' });
    checkSteps([write('p1', 'h2'), write('p2', 'h2'), write('p2', 'h1'), write('p3', 'h2')]);
  });
});
