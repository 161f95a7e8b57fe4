// The normalization tables of kubernetes pkg/controller/podautoscaler/horizontal_test.go, each
// under its Go name: TestConvertDesiredReplicasWithRules, TestCalculateScaleUpLimitWithScalingRules,
// TestCalculateScaleDownLimitWithBehaviors, TestNormalizeDesiredReplicas, TestScalingWithRules,
// TestStoreScaleEvents and TestNormalizeDesiredReplicasWithBehavior. Go's test init raises
// scaleUpLimitFactor to 8; knsim keeps the controller's factor 2, so the one legacy row that
// reads calculateScaleUpLimit(3) expects max(2 × 3, 4) = 6 (the Go row asserts the function's value).
// Times are ms before NOW; generateEventsUniformDistribution is transcribed (events at the
// middles of equal segments of the period, whole seconds, as Go truncates).
import { describe, expect, it } from 'vitest';
import { defaultScaleDownRules, defaultScaleUpRules, type HpaScalingRules } from '../../../src/apis/autoscaling-v2.js';
import {
  calculateScaleUpLimit,
  convertDesiredReplicasWithRules,
  convertWithBehaviorRate,
  newHpaHistory,
  scaleDownLimit,
  scaleUpLimit,
  stabilizeRecommendation,
  stabilizeWithBehaviors,
  storeScaleEvent,
  type HpaHistory,
} from '../../../src/k8s/hpa/normalize.js';

const NOW = 10_000_000;
const S = 1000;
const MIN = 60 * S;

function rules(pods: number, podsPeriod: number, percent: number, percentPeriod: number, window: number): HpaScalingRules {
  const policies: HpaScalingRules['policies'] = [];
  if (pods !== 0) policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  if (percent !== 0) policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  return { stabilizationWindowSeconds: window, selectPolicy: 'Max', policies };
}

function uniform(raw: number[], periodSeconds: number): { change: number; atMs: number; outdated: boolean }[] {
  const segment = periodSeconds / raw.length;
  return raw.map((change, i) => ({ change, atMs: NOW - Math.trunc(periodSeconds - segment * (i + 1) + segment / 2) * S, outdated: false }));
}

function history(over: Partial<HpaHistory> = {}): HpaHistory {
  return { ...newHpaHistory(), ...over };
}

describe('TestConvertDesiredReplicasWithRules', () => {
  it.each([
    { current: 5, desired: 7, min: 3, max: 8, want: 7, reason: 'DesiredWithinRange', name: 'prenormalized desired replicas within range' },
    { current: 3, desired: 1, min: 2, max: 8, want: 2, reason: 'TooFewReplicas', name: 'prenormalized desired replicas < minReplicas' },
    { current: 1, desired: 0, min: 0, max: 10, want: 0, reason: 'DesiredWithinRange', name: 'prenormalized desired zeroed replicas within range' },
    { current: 20, desired: 1000, min: 1, max: 10, want: 10, reason: 'TooManyReplicas', name: 'maxReplicas is the limit because maxReplicas < scaleUpLimit' },
    {
      current: 3,
      desired: 1000,
      min: 1,
      max: 2000,
      want: calculateScaleUpLimit(3),
      reason: 'ScaleUpLimit',
      name: 'scaleUpLimit is the limit because scaleUpLimit < maxReplicas',
    },
  ])('$name', (c) => {
    const out = convertDesiredReplicasWithRules(c.current, c.desired, c.min, c.max);
    expect([out.replicas, out.reason]).toEqual([c.want, c.reason]);
  });
  it('calculateScaleUpLimit is max(2 × current, 4)', () => {
    expect([calculateScaleUpLimit(1), calculateScaleUpLimit(2), calculateScaleUpLimit(3), calculateScaleUpLimit(10)]).toEqual([4, 4, 6, 20]);
  });
});

describe('scale limits with a Min policy', () => {
  const minPolicy: HpaScalingRules = {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Min',
    policies: [
      { type: 'Pods', value: 2, periodSeconds: 60 },
      { type: 'Percent', value: 50, periodSeconds: 60 },
    ],
  };
  it('TestCalculateScaleUpLimitWithScalingRules', () => expect(scaleUpLimit(newHpaHistory(), 1, minPolicy, NOW)).toBe(2));
  it('TestCalculateScaleDownLimitWithBehaviors', () => expect(scaleDownLimit(newHpaHistory(), 5, minPolicy, NOW)).toBe(3));
});

describe('TestNormalizeDesiredReplicas (stabilizeRecommendation, 5 min window)', () => {
  it.each([
    { name: 'empty log', recs: [], desired: 5, want: 5, length: 1 },
    {
      name: 'stabilize',
      recs: [
        [4, -2 * MIN],
        [5, -1 * MIN],
      ],
      desired: 3,
      want: 5,
      length: 3,
    },
    {
      name: 'no stabilize',
      recs: [
        [1, -2 * MIN],
        [2, -1 * MIN],
      ],
      desired: 3,
      want: 3,
      length: 3,
    },
    {
      name: 'no stabilize - old recommendations',
      recs: [
        [10, -10 * MIN],
        [9, -9 * MIN],
      ],
      desired: 3,
      want: 3,
      length: 2,
    },
    {
      name: 'stabilize - old recommendations',
      recs: [
        [10, -10 * MIN],
        [4, -1 * MIN],
        [5, -2 * MIN],
        [9, -9 * MIN],
      ],
      desired: 3,
      want: 5,
      length: 4,
    },
  ] as { name: string; recs: [number, number][]; desired: number; want: number; length: number }[])('$name', (c) => {
    const h = history({ recommendations: c.recs.map(([replicas, ago]) => ({ replicas, atMs: NOW + ago })) });
    expect(stabilizeRecommendation(h, NOW, c.desired)).toBe(c.want);
    expect(h.recommendations).toHaveLength(c.length);
  });
});

interface RateRow {
  name: string;
  up?: ReturnType<typeof uniform>;
  down?: ReturnType<typeof uniform>;
  min: number;
  max: number;
  upRules?: HpaScalingRules;
  downRules?: HpaScalingRules;
  current: number;
  desired: number;
  want: number;
  reason: string;
}

const RATE_ROWS: RateRow[] = [
  { name: 'prenormalized desired replicas within range', current: 5, desired: 7, min: 3, max: 8, want: 7, reason: 'DesiredWithinRange' },
  { name: 'prenormalized desired replicas < minReplicas', current: 3, desired: 1, min: 2, max: 8, want: 2, reason: 'TooFewReplicas' },
  { name: 'prenormalized desired replicas within range when minReplicas is 0', current: 1, desired: 0, min: 0, max: 10, want: 0, reason: 'DesiredWithinRange' },
  { name: 'maxReplicas is the limit because maxReplicas < scaleUpLimit', current: 20, desired: 1000, min: 1, max: 10, want: 10, reason: 'TooManyReplicas' },
  {
    name: 'desired replica count is more than the maximum replica count',
    current: 100,
    desired: 1000,
    min: 100,
    max: 150,
    want: 150,
    reason: 'TooManyReplicas',
  },
  {
    name: 'scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies',
    current: 3,
    desired: 1000,
    min: 1,
    max: 2000,
    upRules: rules(0, 0, 1, 60, 0),
    want: 4,
    reason: 'ScaleUpLimit',
  },
  { name: 'scaleUp with default behavior', min: 1, max: 1000, current: 10, desired: 50, want: 20, reason: 'ScaleUpLimit' },
  {
    name: 'scaleUp with pods policy larger than percent policy',
    min: 1,
    max: 1000,
    upRules: rules(100, 60, 100, 60, 0),
    current: 10,
    desired: 500,
    want: 110,
    reason: 'ScaleUpLimit',
  },
  {
    name: 'scaleUp with percent policy larger than pods policy',
    min: 1,
    max: 1000,
    upRules: rules(2, 60, 100, 60, 0),
    current: 10,
    desired: 500,
    want: 20,
    reason: 'ScaleUpLimit',
  },
  {
    name: 'scaleUp with spec MaxReplicas limitation with large pod policy',
    min: 1,
    max: 1000,
    upRules: rules(100, 60, 0, 0, 0),
    current: 10,
    desired: 50,
    want: 50,
    reason: 'DesiredWithinRange',
  },
  {
    name: 'scaleUp with spec MaxReplicas limitation with large percent policy',
    min: 1,
    max: 1000,
    upRules: rules(10000, 60, 0, 0, 0),
    current: 10,
    desired: 50,
    want: 50,
    reason: 'DesiredWithinRange',
  },
  {
    name: 'scaleUp with pod policy limitation',
    min: 1,
    max: 1000,
    upRules: rules(30, 60, 0, 0, 0),
    current: 10,
    desired: 50,
    want: 40,
    reason: 'ScaleUpLimit',
  },
  {
    name: 'scaleUp with percent policy limitation',
    min: 1,
    max: 1000,
    upRules: rules(0, 0, 200, 60, 0),
    current: 10,
    desired: 50,
    want: 30,
    reason: 'ScaleUpLimit',
  },
  {
    name: 'scaleDown with percent policy larger than pod policy',
    min: 1,
    max: 1000,
    downRules: rules(20, 60, 1, 60, 300),
    current: 100,
    desired: 2,
    want: 80,
    reason: 'ScaleDownLimit',
  },
  {
    name: 'scaleDown with pod policy larger than percent policy',
    min: 1,
    max: 1000,
    downRules: rules(2, 60, 1, 60, 300),
    current: 100,
    desired: 2,
    want: 98,
    reason: 'ScaleDownLimit',
  },
  {
    name: 'scaleDown with spec MinReplicas=nil limitation with large pod policy',
    min: 1,
    max: 1000,
    downRules: rules(100, 60, 0, 0, 300),
    current: 10,
    desired: 0,
    want: 1,
    reason: 'TooFewReplicas',
  },
  {
    name: 'scaleDown with spec MinReplicas limitation with large pod policy',
    min: 1,
    max: 1000,
    downRules: rules(100, 60, 0, 0, 300),
    current: 10,
    desired: 0,
    want: 1,
    reason: 'TooFewReplicas',
  },
  {
    name: 'scaleDown with spec MinReplicas limitation with large percent policy',
    min: 5,
    max: 1000,
    downRules: rules(0, 0, 100, 60, 300),
    current: 10,
    desired: 2,
    want: 5,
    reason: 'TooFewReplicas',
  },
  {
    name: 'scaleDown with pod policy limitation',
    min: 1,
    max: 1000,
    downRules: rules(5, 60, 0, 0, 300),
    current: 10,
    desired: 2,
    want: 5,
    reason: 'ScaleDownLimit',
  },
  {
    name: 'scaleDown with percent policy limitation',
    min: 1,
    max: 1000,
    downRules: rules(0, 0, 50, 60, 300),
    current: 10,
    desired: 5,
    want: 5,
    reason: 'DesiredWithinRange',
  },
  {
    name: 'scaleUp with spec MaxReplicas limitation with large pod policy and events',
    up: uniform([1, 5, 9], 120),
    min: 1,
    max: 200,
    upRules: rules(300, 60, 0, 0, 0),
    current: 100,
    desired: 500,
    want: 200,
    reason: 'TooManyReplicas',
  },
  {
    name: 'scaleUp with spec MaxReplicas limitation with large percent policy and events',
    up: uniform([1, 5, 9], 120),
    min: 1,
    max: 200,
    upRules: rules(0, 0, 10000, 60, 0),
    current: 100,
    desired: 500,
    want: 200,
    reason: 'TooManyReplicas',
  },
  {
    name: 'scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events',
    up: uniform([1, 5, 9], 120),
    min: 1,
    max: 1000,
    upRules: rules(5, 120, 0, 0, 0),
    current: 100,
    desired: 500,
    want: 100,
    reason: 'ScaleUpLimit',
  },
  {
    name: 'scaleUp with pod policy and previous scale up events',
    up: uniform([1, 5, 9], 120),
    min: 1,
    max: 1000,
    upRules: rules(150, 120, 0, 0, 0),
    current: 100,
    desired: 500,
    want: 235,
    reason: 'ScaleUpLimit',
  },
  {
    name: 'scaleUp with percent policy and previous scale up events',
    up: uniform([1, 5, 9], 120),
    min: 1,
    max: 1000,
    upRules: rules(0, 0, 200, 120, 0),
    current: 100,
    desired: 500,
    want: 255,
    reason: 'ScaleUpLimit',
  },
  {
    name: 'scaleDown with default policy and previous events',
    down: uniform([1, 5, 9], 120),
    min: 1,
    max: 1000,
    current: 10,
    desired: 5,
    want: 5,
    reason: 'DesiredWithinRange',
  },
  {
    name: 'scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events',
    down: uniform([1, 5, 9], 120),
    min: 1,
    max: 1000,
    downRules: rules(115, 120, 0, 0, 300),
    current: 100,
    desired: 0,
    want: 1,
    reason: 'TooFewReplicas',
  },
  {
    name: 'scaleDown with spec MinReplicas limitation with large pod policy and previous events',
    down: uniform([1, 5, 9], 120),
    min: 5,
    max: 1000,
    downRules: rules(130, 120, 0, 0, 300),
    current: 100,
    desired: 0,
    want: 5,
    reason: 'TooFewReplicas',
  },
  {
    name: 'scaleDown with spec MinReplicas limitation with large percent policy and previous events',
    down: uniform([1, 5, 9], 120),
    min: 5,
    max: 1000,
    downRules: rules(0, 0, 100, 120, 300),
    current: 100,
    desired: 2,
    want: 5,
    reason: 'TooFewReplicas',
  },
  {
    name: 'scaleDown with pod policy limitation and previous events',
    down: uniform([1, 5, 9], 120),
    min: 1,
    max: 1000,
    downRules: rules(5, 120, 0, 0, 300),
    current: 100,
    desired: 2,
    want: 100,
    reason: 'ScaleDownLimit',
  },
  {
    name: 'scaleDown with percent policy limitation and previous events',
    down: uniform([2, 4, 6], 120),
    min: 1,
    max: 1000,
    downRules: rules(0, 0, 50, 120, 300),
    current: 100,
    desired: 0,
    want: 56,
    reason: 'ScaleDownLimit',
  },
  {
    name: 'scaleDown with previous events preventing further scale down',
    down: uniform([10, 10, 10], 120),
    min: 1,
    max: 1000,
    downRules: rules(0, 0, 10, 120, 300),
    current: 100,
    desired: 0,
    want: 100,
    reason: 'ScaleDownLimit',
  },
  {
    name: 'scaleDown with with previous events still allowing more scale down',
    down: uniform([10, 10, 10], 120),
    min: 1,
    max: 1000,
    downRules: rules(0, 0, 1000, 120, 300),
    current: 10,
    desired: 5,
    want: 5,
    reason: 'DesiredWithinRange',
  },
  {
    name: "check 'outdated' flag for events for one behavior for up",
    up: uniform([8, 12, 9, 11], 120),
    min: 1,
    max: 1000,
    upRules: rules(1000, 60, 0, 0, 0),
    current: 100,
    desired: 200,
    want: 200,
    reason: 'DesiredWithinRange',
  },
  {
    name: "check that events were not marked 'outdated' for two different policies in the behavior for up",
    up: uniform([8, 12, 9, 11], 120),
    min: 1,
    max: 1000,
    upRules: rules(1000, 120, 100, 60, 0),
    current: 100,
    desired: 200,
    want: 200,
    reason: 'DesiredWithinRange',
  },
  {
    name: "check that events were marked 'outdated' for two different policies in the behavior for up",
    up: uniform([8, 12, 9, 11], 120),
    min: 1,
    max: 1000,
    upRules: rules(1000, 30, 100, 60, 0),
    current: 100,
    desired: 200,
    want: 200,
    reason: 'DesiredWithinRange',
  },
  {
    name: "check 'outdated' flag for events for one behavior for down",
    down: uniform([8, 12, 9, 11], 120),
    min: 1,
    max: 1000,
    downRules: rules(1000, 60, 0, 0, 300),
    current: 100,
    desired: 5,
    want: 5,
    reason: 'DesiredWithinRange',
  },
  {
    name: "check that events were not marked 'outdated' for two different policies in the behavior for down",
    down: uniform([8, 12, 9, 11], 120),
    min: 1,
    max: 1000,
    downRules: rules(1000, 120, 100, 60, 300),
    current: 100,
    desired: 5,
    want: 5,
    reason: 'DesiredWithinRange',
  },
  {
    name: "check that events were marked 'outdated' for two different policies in the behavior for down",
    down: uniform([8, 12, 9, 11], 120),
    min: 1,
    max: 1000,
    downRules: rules(1000, 30, 100, 60, 300),
    current: 100,
    desired: 5,
    want: 5,
    reason: 'DesiredWithinRange',
  },
];

describe('TestScalingWithRules (convertDesiredReplicasWithBehaviorRate)', () => {
  it.each(RATE_ROWS)('$name', (r) => {
    const h = history({ scaleUpEvents: r.up ?? [], scaleDownEvents: r.down ?? [] });
    const out = convertWithBehaviorRate(h, NOW, r.current, r.desired, r.min, r.max, defaultScaleUpRules(r.upRules), defaultScaleDownRules(r.downRules));
    expect([out.replicas, out.reason]).toEqual([r.want, r.reason]);
  });
});

describe('TestStoreScaleEvents', () => {
  const ev = (change: number, agoS: number, outdated = false): { change: number; atMs: number; outdated: boolean } => ({
    change,
    atMs: NOW - agoS * S,
    outdated,
  });
  it.each([
    { name: 'empty entries with two-policy-behavior', prev: [], next: [[5, false]], rules: rules(10, 60, 100, 60, 0), change: 0 },
    { name: 'one outdated entry to be replaced with behavior', prev: [ev(7, 61)], next: [[5, false]], rules: rules(10, 60, 100, 60, 0), change: 0 },
    {
      name: 'one actual entry to be not touched with behavior',
      prev: [ev(7, 58)],
      next: [
        [7, false],
        [5, false],
      ],
      rules: rules(10, 60, 100, 60, 0),
      change: 7,
    },
    {
      name: 'two entries, one of them to be replaced',
      prev: [ev(7, 61), ev(6, 59)],
      next: [
        [5, false],
        [6, false],
      ],
      rules: rules(10, 60, 0, 0, 0),
      change: 6,
    },
    {
      name: 'replace one entry, use policies with different periods',
      prev: [ev(8, 29), ev(6, 59), ev(7, 61), ev(9, 61)],
      next: [
        [8, false],
        [6, false],
        [7, true],
        [5, false],
      ],
      rules: rules(10, 60, 100, 30, 0),
      change: 14,
    },
    {
      name: 'two entries, both actual',
      prev: [ev(7, 58), ev(6, 59)],
      next: [
        [7, false],
        [6, false],
        [5, false],
      ],
      rules: rules(10, 120, 100, 30, 0),
      change: 13,
    },
  ] as { name: string; prev: ReturnType<typeof ev>[]; next: [number, boolean][]; rules: HpaScalingRules; change: number }[])('$name', (c) => {
    for (const up of [true, false]) {
      const h = history(up ? { scaleUpEvents: c.prev.map((e) => ({ ...e })) } : { scaleDownEvents: c.prev.map((e) => ({ ...e })) });
      const events = up ? h.scaleUpEvents : h.scaleDownEvents;
      // getReplicasChangePerPeriod(60, …) before the new event.
      expect(events.filter((e) => e.atMs > NOW - 60 * S).reduce((sum, e) => sum + e.change, 0)).toBe(c.change);
      storeScaleEvent(h, 10, up ? 15 : 5, NOW, c.rules, c.rules);
      expect(events.map((e) => [e.change, e.outdated])).toEqual(c.next);
    }
  });
});

describe('TestNormalizeDesiredReplicasWithBehavior (stabilizeRecommendationWithBehaviors)', () => {
  it.each([
    { name: 'empty recommendations for scaling down', recs: [], current: 100, desired: 5, want: 5, stored: [5], up: 0, down: 0 },
    {
      name: 'simple scale down stabilization',
      recs: [
        [4, -2 * MIN],
        [5, -1 * MIN],
      ],
      current: 100,
      desired: 3,
      want: 5,
      stored: [4, 5, 3],
      up: 0,
      down: 180,
    },
    {
      name: 'simple scale up stabilization',
      recs: [
        [4, -2 * MIN],
        [5, -1 * MIN],
      ],
      current: 1,
      desired: 7,
      want: 4,
      stored: [4, 5, 7],
      up: 300,
      down: 0,
    },
    {
      name: 'no scale down stabilization',
      recs: [
        [1, -2 * MIN],
        [2, -1 * MIN],
      ],
      current: 100,
      desired: 3,
      want: 3,
      stored: [1, 2, 3],
      up: 300,
      down: 0,
    },
    {
      name: 'no scale up stabilization',
      recs: [
        [4, -2 * MIN],
        [5, -1 * MIN],
      ],
      current: 1,
      desired: 3,
      want: 3,
      stored: [4, 5, 3],
      up: 0,
      down: 300,
    },
    {
      name: 'no scale down stabilization, reuse recommendation element',
      recs: [
        [10, -10 * MIN],
        [9, -9 * MIN],
      ],
      current: 100,
      desired: 3,
      want: 3,
      stored: [10, 3],
      up: 0,
      down: 0,
    },
    {
      name: 'no scale up stabilization, reuse recommendation element',
      recs: [
        [10, -10 * MIN],
        [9, -9 * MIN],
      ],
      current: 1,
      desired: 100,
      want: 100,
      stored: [10, 100],
      up: 0,
      down: 0,
    },
    {
      name: 'scale down stabilization, reuse one of obsolete recommendation element',
      recs: [
        [10, -10 * MIN],
        [4, -1 * MIN],
        [5, -2 * MIN],
        [9, -9 * MIN],
      ],
      current: 100,
      desired: 3,
      want: 5,
      stored: [10, 4, 5, 3],
      up: 0,
      down: 180,
    },
    {
      name: 'scale up stabilization, reuse one of obsolete recommendation element',
      recs: [
        [10, -100 * MIN],
        [6, -1 * MIN],
        [5, -2 * MIN],
        [9, -3 * MIN],
      ],
      current: 1,
      desired: 100,
      want: 5,
      stored: [100, 6, 5, 9],
      up: 300,
      down: 0,
    },
  ] as { name: string; recs: [number, number][]; current: number; desired: number; want: number; stored: number[]; up: number; down: number }[])(
    '$name',
    (c) => {
      const h = history({ recommendations: c.recs.map(([replicas, ago]) => ({ replicas, atMs: NOW + ago })) });
      const out = stabilizeWithBehaviors(h, NOW, c.current, c.desired, { stabilizationWindowSeconds: c.up }, { stabilizationWindowSeconds: c.down });
      expect(out.replicas).toBe(c.want);
      expect(h.recommendations.map((r) => r.replicas)).toEqual(c.stored);
    },
  );
});
