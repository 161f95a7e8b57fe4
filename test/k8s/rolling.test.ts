import { describe, expect, it } from 'vitest';
import { computeNewReplicaSetSize, computeOldReplicaSetSizes, computeProportionalSizes, resolveFenceposts, scaleIntOrPercent } from '../../src/k8s/rolling.js';
import { rankPodsForDeletion } from '../../src/k8s/replicaset.js';
import { chooseNode, computePodRequests } from '../../src/k8s/scheduler.js';
import type { Pod, PodPhase } from '../../src/apis/core.js';

describe('rolling-update arithmetic', () => {
  it('rounds maxSurge up and maxUnavailable down, and never lets both be 0', () => {
    expect(resolveFenceposts('25%', '25%', 10)).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(resolveFenceposts('25%', '25%', 1)).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(resolveFenceposts(0, '10%', 5)).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(resolveFenceposts(2, 1, 4)).toEqual({ maxSurge: 2, maxUnavailable: 1 });
    expect(scaleIntOrPercent('abc', 10, true)).toBeUndefined();
  });

  it('grows the new ReplicaSet only up to replicas + maxSurge in total', () => {
    expect(computeNewReplicaSetSize(4, 1, 0, 4)).toBe(1);
    expect(computeNewReplicaSetSize(4, 1, 1, 5)).toBe(1);
    expect(computeNewReplicaSetSize(4, 2, 1, 4)).toBe(3);
    expect(computeNewReplicaSetSize(4, 10, 0, 4)).toBe(4);
  });

  it('scales old ReplicaSets down only as far as availability allows (worked example)', () => {
    const sizes = computeOldReplicaSetSizes(4, 1, { name: 'new', replicas: 2, availableReplicas: 1, creationMs: 10 }, [
      { name: 'old', replicas: 4, availableReplicas: 4, creationMs: 0 },
    ]);
    expect(sizes).toEqual(new Map([['old', 2]]));
    // Nothing available beyond the floor: nothing goes.
    expect(
      computeOldReplicaSetSizes(4, 0, { name: 'new', replicas: 1, availableReplicas: 0, creationMs: 10 }, [
        { name: 'old', replicas: 4, availableReplicas: 4, creationMs: 0 },
      ]).size,
    ).toBe(0);
  });

  it('removes unhealthy old pods first, oldest ReplicaSet first', () => {
    const sizes = computeOldReplicaSetSizes(3, 0, { name: 'new', replicas: 1, availableReplicas: 1, creationMs: 20 }, [
      { name: 'older', replicas: 2, availableReplicas: 1, creationMs: 0 },
      { name: 'old', replicas: 2, availableReplicas: 2, creationMs: 10 },
    ]);
    // all 5, min available 3, new unavailable 0 → up to 2 may go: 1 unhealthy from 'older', then available 4 − 3 = 1 more from 'older'.
    expect(sizes).toEqual(new Map([['older', 0]]));
  });

  it('shares a scale-up in proportion during a rollout (worked example)', () => {
    const sizes = computeProportionalSizes(
      15,
      4,
      13,
      [
        { name: 'old', replicas: 8, availableReplicas: 8, creationMs: 0, maxReplicasAnnotation: 13 },
        { name: 'new', replicas: 5, availableReplicas: 5, creationMs: 10, maxReplicasAnnotation: 13 },
      ],
      'new',
    );
    expect(sizes).toEqual(
      new Map([
        ['old', 12],
        ['new', 7],
      ]),
    );
  });
});

function pod(name: string, o: { node?: string; phase?: PodPhase; readySinceMs?: number; createdMs: number; restarts?: number }): Pod {
  const ready = o.readySinceMs !== undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', creationTimestamp: o.createdMs },
    spec: { containers: [{ name: 'c', image: 'i' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: o.readySinceMs ?? 0 }],
      containerStatuses: [{ name: 'c', image: 'i', ready, restartCount: o.restarts ?? 0, state: {} }],
    },
  };
}

describe('ReplicaSet deletion ranking', () => {
  it('deletes unassigned, then pending, then not-ready, then recently ready, then restarted, then newer pods first', () => {
    const pods = [
      pod('ready-long', { node: 'n1', readySinceMs: 0, createdMs: 0 }),
      pod('ready-short', { node: 'n2', readySinceMs: 900, createdMs: 1 }),
      pod('not-ready', { node: 'n3', createdMs: 2 }),
      pod('pending', { node: 'n4', phase: 'Pending', createdMs: 3 }),
      pod('unassigned', { phase: 'Pending', createdMs: 4 }),
      pod('restarted', { node: 'n5', readySinceMs: 0, createdMs: 5, restarts: 3 }),
      pod('ready-long-newer', { node: 'n6', readySinceMs: 0, createdMs: 6 }),
    ];
    expect(rankPodsForDeletion(pods, 1000).map((p) => p.metadata.name)).toEqual([
      'unassigned',
      'pending',
      'not-ready',
      'ready-short',
      'restarted',
      'ready-long-newer',
      'ready-long',
    ]);
  });

  it('prefers a pod doubled up on a node over an otherwise equal one', () => {
    const pods = [
      pod('alone', { node: 'n1', readySinceMs: 0, createdMs: 9 }),
      pod('pair-a', { node: 'n2', readySinceMs: 0, createdMs: 0 }),
      pod('pair-b', { node: 'n2', readySinceMs: 0, createdMs: 0 }),
    ];
    expect(rankPodsForDeletion(pods, 1000)[0]?.metadata.name).toBe('pair-a');
  });
});

describe('scheduler filter and score', () => {
  const node = (name: string, cpuMillis: number, requestedCpuMillis = 0) => ({
    name,
    cpuMillis,
    memoryBytes: 16 * 2 ** 30,
    pods: 110,
    unschedulable: false,
    requestedCpuMillis,
    requestedMemoryBytes: 0,
    nonzeroCpuMillis: requestedCpuMillis,
    nonzeroMemoryBytes: 0,
    podCount: 0,
  });

  it('picks the least allocated node and breaks ties by name', () => {
    const req = { cpuMillis: 500, memoryBytes: 0 };
    expect(chooseNode([node('a', 4000, 2000), node('b', 4000, 1000), node('c', 4000, 1000)], req, req).node).toBe('b');
  });

  it('explains why nothing fits, counting reasons over nodes', () => {
    const req = { cpuMillis: 5000, memoryBytes: 0 };
    expect(chooseNode([node('a', 4000), node('b', 4000), node('c', 4000)], req, req)).toEqual({ message: '0/3 nodes are available: 3 Insufficient cpu.' });
  });

  it('counts a container without requests as 0 but scores it with the non-zero defaults', () => {
    const p: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'a', image: 'i' },
          { name: 'b', image: 'i', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
        ],
      },
    };
    expect(computePodRequests(p)).toEqual({ req: { cpuMillis: 250, memoryBytes: 64 * 2 ** 20 }, nonzero: { cpuMillis: 350, memoryBytes: 264 * 2 ** 20 } });
  });
});
