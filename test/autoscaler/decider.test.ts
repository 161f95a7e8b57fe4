// Table tests of the KPA decider, transcribed from knative/serving
// pkg/autoscaler/scaling/autoscaler_test.go (each row names the Go test it comes from).
import { describe, expect, it } from 'vitest';
import { createAutoscaler, type DeciderSpec, type ScaleResult } from '../../src/autoscaler/index.js';

const STABLE_WINDOW_MS = 60_000;
const TARGET_UTILIZATION = 0.75;

function spec(targetValue: number, tbc: number, over: Partial<DeciderSpec> = {}): DeciderSpec {
  return {
    scalingMetric: 'concurrency',
    targetValue,
    totalValue: targetValue / TARGET_UTILIZATION,
    targetBurstCapacity: tbc,
    panicThreshold: 2,
    maxScaleUpRate: 10,
    maxScaleDownRate: 10,
    stableWindowMs: STABLE_WINDOW_MS,
    scaleDownDelayMs: 0,
    reachable: true,
    activationScale: 0,
    activatorCapacity: 150,
    ...over,
  };
}

/** Knative's expectedEBC: floor(target / 0.75 × pods − tbc − concurrency). */
function ebc(target: number, tbc: number, concurrency: number, pods: number): number {
  return Math.floor((target / TARGET_UTILIZATION) * pods - tbc - concurrency);
}

function expectScale(got: ScaleResult, want: [number, number, boolean]): void {
  expect(got.scaleValid).toBe(want[2]);
  expect(got.desiredPodCount).toBe(want[0]);
  expect(Math.abs(got.excessBurstCapacity - want[1])).toBeLessThanOrEqual(1);
}

const T0 = 1_000_000;
const at = (ms: number) => T0 + ms;
const m = (stable: number, panic: number) => ({ stable, panic });

describe('decider (autoscaler_test.go)', () => {
  it('TestAutoscalerScaleDownDelay/simple: keeps 4 for 5m of lower demand, then drops', () => {
    const a = createAutoscaler(spec(10, 0, { panicThreshold: 100, scaleDownDelayMs: 300_000, stableWindowMs: 0 }), { nowMs: 0, readyPods: 0 });
    expect(a.scale({ nowMs: 2000, readyPods: 0, metrics: m(40, 40) }).desiredPodCount).toBe(4);
    expect(a.scale({ nowMs: 300_000, readyPods: 0, metrics: m(0, 0) }).desiredPodCount).toBe(4);
    expect(a.scale({ nowMs: 302_000, readyPods: 0, metrics: m(0, 0) }).desiredPodCount).toBe(0);
    // TestAutoscalerScaleDownDelay/gradual continues on the same instance.
    expect(a.scale({ nowMs: 540_000, readyPods: 0, metrics: m(40, 40) }).desiredPodCount).toBe(4);
    expect(a.scale({ nowMs: 600_000, readyPods: 0, metrics: m(30, 30) }).desiredPodCount).toBe(4);
    expect(a.scale({ nowMs: 660_000, readyPods: 0, metrics: m(0, 0) }).desiredPodCount).toBe(4);
    expect(a.scale({ nowMs: 840_000, readyPods: 0, metrics: m(0, 0) }).desiredPodCount).toBe(3);
    expect(a.scale({ nowMs: 900_000, readyPods: 0, metrics: m(0, 0) }).desiredPodCount).toBe(0);
  });

  it('TestAutoscalerScaleDownDelayNotReachable: an unreachable revision skips the delay', () => {
    const s = spec(10, 0, { panicThreshold: 100, scaleDownDelayMs: 300_000 });
    const a = createAutoscaler(s, { nowMs: 0, readyPods: 0 });
    expect(a.scale({ nowMs: 2000, readyPods: 0, metrics: m(40, 40) }).desiredPodCount).toBe(4);
    expect(a.scale({ nowMs: 60_000, readyPods: 0, metrics: m(0, 0) }).desiredPodCount).toBe(4);
    a.update({ ...s, reachable: false });
    expect(a.scale({ nowMs: 2000, readyPods: 0, metrics: m(0, 0) }).desiredPodCount).toBe(0);
  });

  it('TestAutoscalerScaleDownDelayZero: without a delay window scale-down is immediate', () => {
    const a = createAutoscaler(spec(10, 0, { panicThreshold: 100 }), { nowMs: 0, readyPods: 0 });
    expect(a.scale({ nowMs: 0, readyPods: 0, metrics: m(40, 40) }).desiredPodCount).toBe(4);
    expect(a.scale({ nowMs: 500, readyPods: 0, metrics: m(20, 20) }).desiredPodCount).toBe(2);
  });

  it('TestAutoscalerNoDataNoAutoscale: no metrics gives an invalid result', () => {
    const a = createAutoscaler(spec(10, 100), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: null }), [0, 0, false]);
  });

  it('TestCantCountPods: a failed pod count gives an invalid result', () => {
    const a = createAutoscaler(spec(10, 81), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: null, metrics: m(1000, 888) }), [0, 0, false]);
  });

  it('TestAutoscalerMetrics: 50 concurrent at target 10 → 5', () => {
    const a = createAutoscaler(spec(10, 100), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(50, 50) }), [5, ebc(10, 100, 50, 1), true]);
  });

  it('TestAutoscalerMetricsWithRPS: rps metric reads the rps values', () => {
    const a = createAutoscaler(spec(10, 100, { scalingMetric: 'rps' }), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: at(61_000), readyPods: 1, metrics: m(100, 99) }), [10, ebc(10, 100, 99, 1), true]);
  });

  it('TestAutoscalerStableModeIncreaseWithConcurrencyDefault', () => {
    const a = createAutoscaler(spec(10, 101), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(50, 10) }), [5, ebc(10, 101, 10, 1), true]);
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(100, 10) }), [10, ebc(10, 101, 10, 1), true]);
  });

  it('TestAutoscalerStableModeIncreaseWithRPS', () => {
    const a = createAutoscaler(spec(10, 101, { scalingMetric: 'rps' }), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(50, 50) }), [5, ebc(10, 101, 50, 1), true]);
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(100, 99) }), [10, ebc(10, 101, 99, 1), true]);
  });

  it('TestAutoscalerUnpanicAfterSlowIncrease: panic ends one tick after a stable window', () => {
    const a = createAutoscaler(spec(1, 98), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 10, metrics: m(11, 25) }), [25, ebc(1, 98, 25, 10), true]);
    expect(a.state.panicTimeMs).toBe(T0);
    expectScale(a.scale({ nowMs: at(30_000), readyPods: 40, metrics: m(30, 41) }), [41, ebc(1, 98, 41, 40), true]);
    expect(a.state.panicTimeMs).toBe(T0);
    expectScale(a.scale({ nowMs: at(62_000), readyPods: 55, metrics: m(50, 56) }), [50, ebc(1, 98, 56, 55), true]);
    expect(a.state.inPanic).toBe(false);
  });

  it('TestAutoscalerExtendPanicWindow: staying over the threshold moves the panic time', () => {
    const a = createAutoscaler(spec(1, 98), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 10, metrics: m(11, 25) }), [25, ebc(1, 98, 25, 10), true]);
    expectScale(a.scale({ nowMs: at(30_000), readyPods: 40, metrics: m(30, 80) }), [80, ebc(1, 98, 80, 40), true]);
    expect(a.state.panicTimeMs).toBe(at(30_000));
  });

  it('TestAutoscalerStableModeDecrease', () => {
    const a = createAutoscaler(spec(10, 98), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 8, metrics: m(100, 100) }), [10, ebc(10, 98, 100, 8), true]);
    expectScale(a.scale({ nowMs: T0, readyPods: 8, metrics: m(50, 50) }), [5, ebc(10, 98, 50, 8), true]);
  });

  it('TestAutoscalerStableModeNoTrafficScaleToZero', () => {
    const a = createAutoscaler(spec(10, 75), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(1, 0) }), [1, ebc(10, 75, 0, 1), true]);
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(0, 0) }), [0, ebc(10, 75, 0, 1), true]);
  });

  it('TestAutoscalerActivationScale: a non-zero desire is raised to activation-scale', () => {
    const a = createAutoscaler(spec(10, 75, { activationScale: 2 }), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(0, 0) }), [0, ebc(10, 75, 0, 1), true]);
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(1, 0) }), [2, ebc(10, 75, 0, 1), true]);
  });

  it('TestAutoscalerPanicModeExponentialTrackAndStabilize', () => {
    const a = createAutoscaler(spec(1, 101), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(6, 6) }), [6, ebc(1, 101, 6, 1), true]);
    expectScale(a.scale({ nowMs: T0, readyPods: 6, metrics: m(36, 36) }), [36, ebc(1, 101, 36, 6), true]);
    expect(a.state.panicTimeMs).toBe(T0);
    expectScale(a.scale({ nowMs: at(1000), readyPods: 36, metrics: m(216, 216) }), [216, ebc(1, 101, 216, 36), true]);
    expectScale(a.scale({ nowMs: at(1000), readyPods: 216, metrics: m(1296, 1296) }), [1296, ebc(1, 101, 1296, 216), true]);
    expect(a.state.panicTimeMs).toBe(at(1000));
    expectScale(a.scale({ nowMs: at(2000), readyPods: 1296, metrics: m(1296, 1296) }), [1296, ebc(1, 101, 1296, 1296), true]);
  });

  type Row = {
    label: string;
    target: number;
    tbc: number;
    stable: number;
    panic: number;
    ready: number;
    over?: Partial<DeciderSpec>;
    panicking?: { maxPanicPods: number };
    want: [number, number];
  };
  const rows: Row[] = [
    { label: 'AutoscalerNoDataAtZeroNoAutoscale', target: 10, tbc: 100, stable: 0, panic: 0, ready: 1, want: [0, ebc(10, 100, 0, 1)] },
    { label: 'AutoscalerNoDataAtZeroNoAutoscaleWithExplicitEPs', target: 10, tbc: 100, stable: 0, panic: 0, ready: 1, want: [0, ebc(10, 100, 0, 1)] },
    { label: 'AutoscalerStableModeUnlimitedTBC', target: 181, tbc: -1, stable: 21, panic: 26, ready: 1, want: [1, -1] },
    { label: 'Autoscaler0TBC', target: 10, tbc: 0, stable: 50, panic: 49, ready: 1, want: [5, 0] },
    { label: 'AutoscalerStableModeNoChange', target: 10, tbc: 100, stable: 50, panic: 50, ready: 1, want: [5, ebc(10, 100, 50, 1)] },
    {
      label: 'AutoscalerPanicStableLargerThanPanic',
      target: 1,
      tbc: 100,
      stable: 50,
      panic: 30,
      ready: 5,
      panicking: { maxPanicPods: 5 },
      want: [50, ebc(1, 100, 30, 5)],
    },
    {
      label: 'AutoscalerPanicStableLessThanPanic',
      target: 1,
      tbc: 100,
      stable: 20,
      panic: 30,
      ready: 5,
      panicking: { maxPanicPods: 5 },
      want: [30, ebc(1, 100, 30, 5)],
    },
    { label: 'AutoscalerStableModeNoChangeAlreadyScaled', target: 10, tbc: 100, stable: 50, panic: 50, ready: 5, want: [5, ebc(10, 100, 50, 5)] },
    {
      label: 'AutoscalerStableModeIncreaseWithSmallScaleUpRate',
      target: 1,
      tbc: 1982,
      stable: 3,
      panic: 3.1,
      ready: 2,
      over: { maxScaleUpRate: 1.1 },
      want: [3, ebc(1, 1982, 3.1, 2)],
    },
    {
      label: 'AutoscalerStableModeDecreaseWithSmallScaleDownRate',
      target: 10,
      tbc: 1982,
      stable: 1,
      panic: 1,
      ready: 100,
      over: { maxScaleDownRate: 1.1 },
      want: [90, ebc(10, 1982, 1, 100)],
    },
    {
      label: 'AutoscalerStableModeDecreaseNonReachable',
      target: 10,
      tbc: 1982,
      stable: 1,
      panic: 1,
      ready: 100,
      over: { maxScaleDownRate: 1.1, reachable: false },
      want: [1, ebc(10, 1982, 1, 100)],
    },
    { label: 'AutoscalerPanicModeDoublePodCount', target: 10, tbc: 84, stable: 50, panic: 100, ready: 1, want: [10, ebc(10, 84, 100, 1)] },
  ];
  for (const row of rows) {
    it(`TestAutoscalerScale/${row.label}`, () => {
      const state = row.panicking ? { inPanic: true, panicTimeMs: T0 - 5000, maxPanicPods: row.panicking.maxPanicPods } : undefined;
      const a = createAutoscaler(spec(row.target, row.tbc, row.over), { nowMs: T0, readyPods: 1, ...(state ? { state } : {}) });
      expectScale(a.scale({ nowMs: T0, readyPods: row.ready, metrics: m(row.stable, row.panic) }), [row.want[0], row.want[1], true]);
    });
  }

  it('TestAutoscalerPanicThenUnPanicScaleDown: no decrease in panic, back to stable after the window', () => {
    const a = createAutoscaler(spec(10, 93), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(100, 100) }), [10, ebc(10, 93, 100, 1), true]);
    const panicTime = at(1);
    expectScale(a.scale({ nowMs: panicTime, readyPods: 10, metrics: m(100, 1000) }), [100, ebc(10, 93, 1000, 10), true]);
    expectScale(a.scale({ nowMs: panicTime + 30_000, readyPods: 10, metrics: m(1, 1) }), [100, ebc(10, 93, 1, 10), true]);
    expectScale(a.scale({ nowMs: panicTime + 61_000, readyPods: 10, metrics: m(1, 1) }), [1, ebc(10, 93, 1, 10), true]);
  });

  it('TestAutoscalerRateLimitScaleUp: ×10 per decision', () => {
    const a = createAutoscaler(spec(10, 61), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(1000, 1001) }), [10, ebc(10, 61, 1001, 1), true]);
    expectScale(a.scale({ nowMs: T0, readyPods: 10, metrics: m(1000, 1001) }), [100, ebc(10, 61, 1001, 10), true]);
  });

  it('TestAutoscalerRateLimitScaleDown: ÷10 per decision', () => {
    const a = createAutoscaler(spec(10, 61), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 100, metrics: m(1, 1) }), [10, ebc(10, 61, 1, 100), true]);
    expectScale(a.scale({ nowMs: T0, readyPods: 10, metrics: m(1, 1) }), [1, ebc(10, 61, 1, 10), true]);
  });

  it('TestAutoscalerUseOnePodAsMinimumIfEndpointsNotFound: zero ready pods count as one for rates', () => {
    const a = createAutoscaler(spec(10, 81), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 0, metrics: m(1000, 888) }), [10, ebc(10, 81, 888, 0), true]);
  });

  it('TestAutoscalerUpdateTarget: a new spec applies at the next decision', () => {
    const a = createAutoscaler(spec(10, 77), { nowMs: T0, readyPods: 1 });
    expectScale(a.scale({ nowMs: T0, readyPods: 1, metrics: m(100, 101) }), [10, ebc(10, 77, 101, 1), true]);
    a.update({ ...spec(1, 71), activatorCapacity: 21 });
    expectScale(a.scale({ nowMs: T0, readyPods: 10, metrics: m(100, 101) }), [100, ebc(1, 71, 101, 10), true]);
  });

  it('TestStartInPanicMode: 0 or 1 ready pods start calm, 2 start in panic', () => {
    const s = spec(100, 11, { totalValue: 120, panicThreshold: 220 });
    for (const ready of [0, 1]) {
      const a = createAutoscaler(s, { nowMs: T0, readyPods: ready });
      expect(a.state).toEqual({ inPanic: false, panicTimeMs: null, maxPanicPods: ready });
    }
    expect(createAutoscaler(s, { nowMs: T0, readyPods: 2 }).state).toEqual({ inPanic: true, panicTimeMs: T0, maxPanicPods: 2 });
  });

  it('TestNewFail: a failed pod count at creation counts as 0', () => {
    expect(createAutoscaler(spec(100, 11), { nowMs: T0, readyPods: null }).state.maxPanicPods).toBe(0);
  });

  it('explains a panic decision with the numbers behind it', () => {
    const a = createAutoscaler(spec(70, 211, { totalValue: 100 }), { nowMs: T0, readyPods: 1 });
    const { result, explanation } = a.scaleExplained({ nowMs: T0, readyPods: 1, metrics: m(350, 350) });
    expect(result.desiredPodCount).toBe(5);
    expect(explanation).toMatchObject({
      desiredStablePodCount: 5,
      desiredPanicPodCount: 5,
      overPanicThreshold: true,
      panicTransition: 'enter',
      maxScaleUp: 10,
      maxScaleDown: 0,
    });
  });
});
