// The replica calculator tables of kubernetes pkg/controller/podautoscaler/replica_calculator_test.go,
// row by row against the pure calculator, each under its Go test's name. The Go harness is
// transcribed: `currentReplicas` pods (more when podPhase lists more), Running and Ready unless
// a row says otherwise, two containers per pod each requesting the row's request, a pod's
// metric the sum of its containers' levels, metrics timestamped at Go's zero time with a one
// minute window, pods started at Go's zero time unless `start` says hot (now) or cool (3 min
// ago), and the testing constants: tolerance 0.1, CPU initialization 2 min, readiness delay 10 s.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/apis/core.js';
import { getPlainMetricReplicas, getResourceReplicas, groupPods, type PodMetricsInfo } from '../../../src/k8s/hpa/replica-calculator.js';

const NOW = 0;
const ZERO_TIME = -62_135_596_800_000; // Go's time.Time{} (year 1) in ms from the epoch.
const HOT = NOW;
const COOL = NOW - 3 * 60_000;
const OPTIONS = { tolerance: 0.1, cpuInitializationPeriodMs: 2 * 60_000, delayOfInitialReadinessStatusMs: 10_000 };

type Readiness = 'True' | 'False';
type Phase = 'Running' | 'Pending' | 'Failed';

interface Row {
  name: string;
  current: number;
  expected?: number;
  error?: string;
  readiness?: Readiness[];
  start?: number[];
  phase?: Phase[];
  deleting?: boolean[];
  /** Resource rows: the request per container (cores) and per-pod container level (milli, both containers). */
  resource?: { requests: number[]; levels: number[]; podNames?: string[]; target: number; utilization?: number; value?: number };
  /** Pods-metric rows: per-pod milli-values. */
  metric?: { levels: number[]; target: number; usage?: number };
}

function podsOf(row: Row): Pod[] {
  const count = Math.max(row.current, row.phase?.length ?? 0);
  return Array.from({ length: count }, (_, i) => {
    const request = row.resource?.requests[i];
    const resources = request === undefined ? {} : { resources: { requests: { cpu: `${Math.round(request * 1000)}m` } } };
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `test-pod-${i}`, namespace: 'test-namespace', ...(row.deleting?.[i] === true ? { deletionTimestamp: NOW } : {}) },
      spec: {
        containers: [
          { name: 'container1', ...resources },
          { name: 'container2', ...resources },
        ],
      },
      status: {
        phase: row.phase?.[i] ?? 'Running',
        startTime: row.start?.[i] ?? ZERO_TIME,
        conditions: [{ type: 'Ready', status: row.readiness?.[i] ?? 'True', lastTransitionTime: ZERO_TIME }],
      },
    } satisfies Pod;
  });
}

function metricsOf(levels: number[], perContainer: boolean, podNames: string[] = []): PodMetricsInfo {
  const m: PodMetricsInfo = new Map();
  levels.forEach((level, i) => m.set(podNames[i] ?? `test-pod-${i}`, { value: perContainer ? 2 * level : level, timestampMs: ZERO_TIME, windowMs: 60_000 }));
  return m;
}

const ONES = (n: number): number[] => Array.from({ length: n }, () => 1);

const ROWS: Row[] = [
  {
    name: 'TestReplicaCalcDisjointResourcesMetrics',
    current: 1,
    error: 'no metrics returned matched known pods',
    resource: { requests: [1], levels: [100], podNames: ['an-older-pod-name'], target: 100 },
  },
  {
    name: 'TestReplicaCalcScaleUp',
    current: 3,
    expected: 5,
    resource: { requests: ONES(3), levels: [300, 500, 700], target: 30, utilization: 50, value: 1000 },
  },
  {
    name: 'TestReplicaCalcScaleUpUnreadyLessScale',
    current: 3,
    expected: 4,
    readiness: ['False', 'True', 'True'],
    resource: { requests: ONES(3), levels: [300, 500, 700], target: 30, utilization: 60, value: 1200 },
  },
  {
    name: 'TestReplicaCalcScaleUpHotCpuLessScale',
    current: 3,
    expected: 4,
    start: [HOT, COOL, COOL],
    resource: { requests: ONES(3), levels: [300, 500, 700], target: 30, utilization: 60, value: 1200 },
  },
  {
    name: 'TestReplicaCalcScaleUpUnreadyNoScale',
    current: 3,
    expected: 3,
    readiness: ['True', 'False', 'False'],
    resource: { requests: ONES(3), levels: [400, 500, 700], target: 30, utilization: 40, value: 800 },
  },
  {
    name: 'TestReplicaCalcScaleHotCpuNoScale',
    current: 3,
    expected: 3,
    readiness: ['True', 'False', 'False'],
    start: [COOL, HOT, HOT],
    resource: { requests: ONES(3), levels: [400, 500, 700], target: 30, utilization: 40, value: 800 },
  },
  {
    name: 'TestReplicaCalcScaleUpIgnoresFailedPods',
    current: 2,
    expected: 4,
    readiness: ['True', 'True', 'False', 'False'],
    phase: ['Running', 'Running', 'Failed', 'Failed'],
    resource: { requests: ONES(4), levels: [500, 700], target: 30, utilization: 60, value: 1200 },
  },
  {
    name: 'TestReplicaCalcScaleUpIgnoresDeletionPods',
    current: 2,
    expected: 4,
    readiness: ['True', 'True', 'False', 'False'],
    phase: ['Running', 'Running', 'Running', 'Running'],
    deleting: [false, false, true, true],
    resource: { requests: ONES(4), levels: [500, 700], target: 30, utilization: 60, value: 1200 },
  },
  { name: 'TestReplicaCalcScaleUpCM', current: 3, expected: 4, metric: { levels: [20000, 10000, 30000], target: 15000, usage: 20000 } },
  {
    name: 'TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale',
    current: 3,
    expected: 6,
    readiness: ['True', 'True', 'False'],
    start: [COOL, COOL, HOT],
    metric: { levels: [50000, 10000, 30000], target: 15000, usage: 30000 },
  },
  {
    name: 'TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown',
    current: 3,
    expected: 7,
    readiness: ['False', 'True', 'False'],
    start: [HOT, COOL, HOT],
    metric: { levels: [50000, 15000, 30000], target: 15000, usage: 31666 },
  },
  {
    name: 'TestReplicaCalcScaleDown',
    current: 5,
    expected: 3,
    resource: { requests: ONES(5), levels: [100, 300, 500, 250, 250], target: 50, utilization: 28, value: 560 },
  },
  { name: 'TestReplicaCalcScaleDownCM', current: 5, expected: 3, metric: { levels: [12000, 12000, 12000, 12000, 12000], target: 20000, usage: 12000 } },
  {
    name: 'TestReplicaCalcScaleDownExcludeUnreadyPods',
    current: 5,
    expected: 2,
    readiness: ['True', 'True', 'True', 'False', 'False'],
    resource: { requests: ONES(5), levels: [100, 300, 500, 250, 250], target: 50, utilization: 30, value: 600 },
  },
  {
    name: 'TestReplicaCalcScaleDownExcludeUnscheduledPods',
    current: 5,
    expected: 1,
    readiness: ['True', 'False', 'False', 'False', 'False'],
    phase: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'],
    resource: { requests: ONES(5), levels: [100], target: 50, utilization: 10, value: 200 },
  },
  {
    name: 'TestReplicaCalcScaleDownIgnoreHotCpuPods',
    current: 5,
    expected: 2,
    start: [COOL, COOL, COOL, HOT, HOT],
    resource: { requests: ONES(5), levels: [100, 300, 500, 250, 250], target: 50, utilization: 30, value: 600 },
  },
  {
    name: 'TestReplicaCalcScaleDownIgnoresFailedPods',
    current: 5,
    expected: 3,
    readiness: ['True', 'True', 'True', 'True', 'True', 'False', 'False'],
    phase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'],
    resource: { requests: ONES(7), levels: [100, 300, 500, 250, 250], target: 50, utilization: 28, value: 560 },
  },
  {
    name: 'TestReplicaCalcScaleDownIgnoresDeletionPods',
    current: 5,
    expected: 3,
    readiness: ['True', 'True', 'True', 'True', 'True', 'False', 'False'],
    phase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Running', 'Running'],
    deleting: [false, false, false, false, false, true, true],
    resource: { requests: ONES(7), levels: [100, 300, 500, 250, 250], target: 50, utilization: 28, value: 560 },
  },
  {
    name: 'TestReplicaCalcTolerance',
    current: 3,
    expected: 3,
    resource: { requests: [0.9, 1.0, 1.1], levels: [1010, 1030, 1020], target: 100, utilization: 102, value: 2040 },
  },
  { name: 'TestReplicaCalcToleranceCM', current: 3, expected: 3, metric: { levels: [20000, 21000, 21000], target: 20000, usage: 20666 } },
  {
    name: 'TestReplicaCalcSuperfluousMetrics',
    current: 4,
    expected: 24,
    resource: { requests: ONES(4), levels: [4000, 9500, 3000, 7000, 3200, 2000], target: 100, utilization: 587, value: 11750 },
  },
  {
    name: 'TestReplicaCalcMissingMetrics',
    current: 4,
    expected: 3,
    resource: { requests: ONES(4), levels: [400, 95], target: 100, utilization: 24, value: 495 },
  },
  {
    name: 'TestReplicaCalcEmptyMetrics',
    current: 4,
    error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    resource: { requests: ONES(3), levels: [], target: 100 },
  },
  { name: 'TestReplicaCalcEmptyCPURequest', current: 1, error: 'missing request for', resource: { requests: [], levels: [200], target: 100 } },
  {
    name: 'TestPlainMetricReplicaCalcMissingMetricsNoChangeEq',
    current: 5,
    expected: 5,
    metric: { levels: [20000, 19000, 21000], target: 20000, usage: 20000 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsNoChangeEq',
    current: 2,
    expected: 2,
    resource: { requests: ONES(2), levels: [1000], target: 100, utilization: 100, value: 2000 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsNoChangeGt',
    current: 2,
    expected: 2,
    resource: { requests: ONES(2), levels: [1900], target: 100, utilization: 190, value: 3800 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsNoChangeLt',
    current: 2,
    expected: 2,
    resource: { requests: ONES(2), levels: [600], target: 100, utilization: 60, value: 1200 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsUnreadyChange',
    current: 3,
    expected: 3,
    readiness: ['False', 'True', 'True'],
    resource: { requests: ONES(3), levels: [100, 450], target: 50, utilization: 45, value: 900 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsHotCpuNoChange',
    current: 3,
    expected: 3,
    start: [HOT, COOL, COOL],
    resource: { requests: ONES(3), levels: [100, 450], target: 50, utilization: 45, value: 900 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsUnreadyScaleUp',
    current: 3,
    expected: 4,
    readiness: ['False', 'True', 'True'],
    resource: { requests: ONES(3), levels: [100, 2000], target: 50, utilization: 200, value: 4000 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsHotCpuScaleUp',
    current: 3,
    expected: 4,
    readiness: ['False', 'True', 'True'],
    start: [HOT, COOL, COOL],
    resource: { requests: ONES(3), levels: [100, 2000], target: 50, utilization: 200, value: 4000 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsUnreadyScaleDown',
    current: 4,
    expected: 3,
    readiness: ['False', 'True', 'True', 'True'],
    resource: { requests: ONES(4), levels: [100, 100, 100], target: 50, utilization: 10, value: 200 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsScaleDownTargetOver100',
    current: 4,
    expected: 2,
    readiness: ['False', 'True', 'True', 'True'],
    resource: { requests: [1, 1, 2, 2], levels: [200, 100, 100], target: 300, utilization: 6, value: 200 },
  },
  {
    name: 'TestReplicaCalcDuringRollingUpdateWithMaxSurge',
    current: 2,
    expected: 2,
    phase: ['Running', 'Running', 'Running'],
    resource: { requests: ONES(3), levels: [100, 100], target: 50, utilization: 10, value: 200 },
  },
  {
    name: 'TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM',
    current: 2,
    expected: 2,
    phase: ['Running', 'Running', 'Running'],
    metric: { levels: [10000, 10000], target: 17000, usage: 10000 },
  },
];

describe('replica calculator (replica_calculator_test.go)', () => {
  it.each(ROWS)('$name', (row) => {
    const pods = podsOf(row);
    const out =
      row.resource !== undefined
        ? getResourceReplicas(row.current, row.resource.target, 'cpu', pods, metricsOf(row.resource.levels, true, row.resource.podNames), NOW, OPTIONS)
        : getPlainMetricReplicas(row.current, row.metric?.target ?? 0, '', pods, metricsOf(row.metric?.levels ?? [], false), NOW, OPTIONS);
    if (row.error !== undefined) {
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.error).toContain(row.error);
      return;
    }
    expect(out).toEqual({
      ok: true,
      replicas: row.expected,
      utilization: row.resource?.utilization ?? row.metric?.usage,
      rawValue: row.resource?.value ?? row.metric?.usage,
    });
  });

  // TestReplicaCalcComputedToleranceAlgImplementation: 10 pods using 150m of ~300m requested,
  // a target just past the tolerance scales down; one just inside it does not.
  it('TestReplicaCalcComputedToleranceAlgImplementation', () => {
    const startPods = 10;
    const used = startPods * 150;
    const requested = 2 * used;
    const perPod = requested / startPods;
    const requestedToUsed = Math.trunc(requested / used);
    const offsets = [100, -100, 10, -10, 2, -2, 1, -1, 0, 0];
    const pods = podsOf({ name: '', current: startPods, resource: { requests: offsets.map((o) => (perPod + o) / 1000), levels: [], target: 0 } });
    const metrics = metricsOf(
      offsets.map(() => used / 10),
      true,
    );
    let target = Math.abs(1 / (requestedToUsed * (1 - 0.1))) + 0.01;
    const finalPods = Math.ceil((used / (requested * target)) * startPods);
    const scaled = getResourceReplicas(startPods, Math.trunc(target * 100), 'cpu', pods, metrics, NOW, OPTIONS);
    expect(scaled).toEqual({ ok: true, replicas: finalPods, utilization: Math.trunc((used * 100) / requested), rawValue: (2 * used) / 10 });
    target = Math.abs(1 / (requestedToUsed * (1 - 0.1))) + 0.004;
    const kept = getResourceReplicas(startPods, Math.trunc(target * 100), 'cpu', pods, metrics, NOW, OPTIONS);
    expect(kept.ok && kept.replicas).toBe(startPods);
  });
});

// TestGroupPods: which pods count as ready, unready, missing or ignored.
describe('groupPods (TestGroupPods)', () => {
  const pod = (name: string, status: Pod['status'], deleting = false): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(deleting ? { deletionTimestamp: 1000 } : {}) },
    spec: { containers: [] },
    ...(status !== undefined ? { status } : {}),
  });
  const metric = (value: number, timestampMs = ZERO_TIME, windowMs = 0): { value: number; timestampMs: number; windowMs: number } => ({
    value,
    timestampMs,
    windowMs,
  });
  const MIN = 60_000;
  const cases: {
    name: string;
    pods: Pod[];
    metrics: [string, ReturnType<typeof metric>][];
    resource: string;
    ready: number;
    unready: string[];
    missing: string[];
    ignored: string[];
  }[] = [
    { name: 'void', pods: [], metrics: [], resource: 'cpu', ready: 0, unready: [], missing: [], ignored: [] },
    {
      name: 'count in a ready pod - memory',
      pods: [pod('bentham', { phase: 'Succeeded' })],
      metrics: [['bentham', metric(1, NOW, MIN)]],
      resource: 'memory',
      ready: 1,
      unready: [],
      missing: [],
      ignored: [],
    },
    {
      name: 'unready a pod without ready condition - CPU',
      pods: [pod('lucretius', { phase: 'Succeeded', startTime: NOW })],
      metrics: [['lucretius', metric(1)]],
      resource: 'cpu',
      ready: 0,
      unready: ['lucretius'],
      missing: [],
      ignored: [],
    },
    {
      name: 'count in a ready pod with fresh metrics during initialization period - CPU',
      pods: [pod('bentham', { phase: 'Succeeded', startTime: NOW - MIN, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: NOW - 30_000 }] })],
      metrics: [['bentham', metric(1, NOW, 30_000)]],
      resource: 'cpu',
      ready: 1,
      unready: [],
      missing: [],
      ignored: [],
    },
    {
      name: 'unready a ready pod without fresh metrics during initialization period - CPU',
      pods: [pod('bentham', { phase: 'Succeeded', startTime: NOW - MIN, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: NOW - 30_000 }] })],
      metrics: [['bentham', metric(1, NOW, MIN)]],
      resource: 'cpu',
      ready: 0,
      unready: ['bentham'],
      missing: [],
      ignored: [],
    },
    {
      name: 'unready an unready pod during initialization period - CPU',
      pods: [
        pod('lucretius', {
          phase: 'Succeeded',
          startTime: NOW - 10 * MIN,
          conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: NOW - 9 * MIN - 54_000 }],
        }),
      ],
      metrics: [['lucretius', metric(1)]],
      resource: 'cpu',
      ready: 0,
      unready: ['lucretius'],
      missing: [],
      ignored: [],
    },
    {
      name: 'count in a ready pod without fresh metrics after initialization period - CPU',
      pods: [
        pod('bentham', { phase: 'Succeeded', startTime: NOW - 3 * MIN, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: NOW - 3 * MIN }] }),
      ],
      metrics: [['bentham', metric(1, NOW - 2 * MIN, MIN)]],
      resource: 'cpu',
      ready: 1,
      unready: [],
      missing: [],
      ignored: [],
    },
    {
      name: 'count in an unready pod that was ready after initialization period - CPU',
      pods: [
        pod('lucretius', {
          phase: 'Succeeded',
          startTime: NOW - 10 * MIN,
          conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: NOW - 9 * MIN }],
        }),
      ],
      metrics: [['lucretius', metric(1)]],
      resource: 'cpu',
      ready: 1,
      unready: [],
      missing: [],
      ignored: [],
    },
    {
      name: 'unready pod that has never been ready after initialization period - CPU',
      pods: [
        pod('lucretius', {
          phase: 'Succeeded',
          startTime: NOW - 10 * MIN,
          conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: NOW - 9 * MIN - 50_000 }],
        }),
      ],
      metrics: [['lucretius', metric(1)]],
      resource: 'cpu',
      ready: 1,
      unready: [],
      missing: [],
      ignored: [],
    },
    {
      name: 'a missing pod',
      pods: [pod('epicurus', { phase: 'Succeeded', startTime: NOW - 3 * MIN })],
      metrics: [],
      resource: 'cpu',
      ready: 0,
      unready: [],
      missing: ['epicurus'],
      ignored: [],
    },
    {
      name: 'several pods',
      pods: [
        pod('lucretius', { phase: 'Succeeded', startTime: NOW }),
        pod('niccolo', { phase: 'Succeeded', startTime: NOW - 3 * MIN, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: NOW - 3 * MIN }] }),
        pod('epicurus', { phase: 'Succeeded', startTime: NOW - 3 * MIN }),
      ],
      metrics: [
        ['lucretius', metric(1)],
        ['niccolo', metric(1)],
      ],
      resource: 'cpu',
      ready: 1,
      unready: ['lucretius'],
      missing: ['epicurus'],
      ignored: [],
    },
    {
      name: 'pending pods are unreadied',
      pods: [pod('unscheduled', { phase: 'Pending' })],
      metrics: [],
      resource: 'cpu',
      ready: 0,
      unready: ['unscheduled'],
      missing: [],
      ignored: [],
    },
    {
      name: 'ignore pods with deletion timestamps',
      pods: [pod('deleted', { phase: 'Pending' }, true)],
      metrics: [['deleted', metric(1)]],
      resource: 'cpu',
      ready: 0,
      unready: [],
      missing: [],
      ignored: ['deleted'],
    },
    {
      name: 'ignore pods in a failed state',
      pods: [pod('failed', { phase: 'Failed' })],
      metrics: [['failed', metric(1)]],
      resource: 'cpu',
      ready: 0,
      unready: [],
      missing: [],
      ignored: ['failed'],
    },
  ];
  it.each(cases)('$name', (c) => {
    const g = groupPods(c.pods, new Map(c.metrics), c.resource, NOW, OPTIONS);
    expect({ ready: g.readyPodCount, unready: [...g.unready], missing: [...g.missing], ignored: [...g.ignored] }).toEqual({
      ready: c.ready,
      unready: c.unready,
      missing: c.missing,
      ignored: c.ignored,
    });
  });
});
