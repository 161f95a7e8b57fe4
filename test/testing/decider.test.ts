/**
 * The decider's inputs of knsim/testing: `makeDeciderSpec` builds what Knative's MakeDecider
 * builds from config-autoscaler and a revision's annotations, and `createMetricWindow` gives
 * Knative's windows, so a worked example (here the ones of bucketing.go's and autoscaler.go's
 * comments and README's decider example) replays through knsim's own code.
 */
import { describe, expect, it } from 'vitest';
import {
  autoscalerConfigArb,
  autoscalingAnnotationsArb,
  createAutoscaler,
  createMetricWindow,
  defaultAutoscalerConfig,
  fc,
  makeDeciderSpec,
  parseAutoscalerConfig,
} from 'knsim/testing';

describe("the decider's inputs", () => {
  it("builds Knative's defaults, and reads annotations over config-autoscaler data", () => {
    expect(makeDeciderSpec()).toEqual({
      scalingMetric: 'concurrency',
      targetValue: 70,
      totalValue: 100,
      targetBurstCapacity: 211,
      panicThreshold: 2,
      maxScaleUpRate: 1000,
      maxScaleDownRate: 2,
      stableWindowMs: 60_000,
      scaleDownDelayMs: 0,
      reachable: true,
      activationScale: 0,
      activatorCapacity: 100,
    });
    const spec = makeDeciderSpec(
      { 'stable-window': '30s', 'target-burst-capacity': '0' },
      { 'autoscaling.knative.dev/window': '20s', 'autoscaling.knative.dev/metric': 'rps' },
      {
        containerConcurrency: 10,
      },
    );
    expect(spec).toMatchObject({ scalingMetric: 'rps', targetValue: 140, totalValue: 200, stableWindowMs: 20_000, targetBurstCapacity: 0 });
    expect(makeDeciderSpec(defaultAutoscalerConfig(), {}, { containerConcurrency: 10 })).toMatchObject({ targetValue: 7, totalValue: 10 });
    expect(() => makeDeciderSpec({ 'stable-window': '5s' })).toThrow('config-autoscaler: stable-window = 5s, must be in [6s; 1h0m0s] range');
  });

  it("replays the README's decider example: 150 concurrent over one pod → 3 pods, excess burst capacity −261", () => {
    const a = createAutoscaler(makeDeciderSpec(), { nowMs: 0, readyPods: 1 });
    expect(a.scale({ nowMs: 2000, readyPods: 1, metrics: { stable: 150, panic: 150 } })).toEqual({
      desiredPodCount: 3,
      excessBurstCapacity: -261,
      scaleValid: true,
    });
  });

  it("replays bucketing.go's worked example through a public window: silence shrinks the average, a window later it is 0", () => {
    const w = createMetricWindow({ windowMs: 5000 });
    [1, 2, 3, 4, 5].forEach((v, i) => w.record(i * 1000, v));
    expect(w.windowAverage(4000)).toBe(3);
    expect(w.windowAverage(6000)).toBe(4);
    expect(w.windowAverage(10_000)).toBe(0);
    expect(w.isEmpty(11_000)).toBe(true);
    const weighted = createMetricWindow({ windowMs: 5000, algorithm: 'weighted-exponential' });
    weighted.record(0, 2);
    expect(weighted.windowAverage(0)).toBeCloseTo(1.683, 3);
    expect(weighted.windowAverage(1000)).toBeCloseTo(0.267, 3);
  });

  it("replays serving#8106's worked example: in panic the larger of the stable (34) and panic (20) pod counts wins", () => {
    // Stable window 6 s, panic window 5 s, target 10; concurrency 1000, four silent seconds, 1000.
    const spec = makeDeciderSpec({
      'stable-window': '6s',
      'container-concurrency-target-default': '10',
      'container-concurrency-target-percentage': '100',
    });
    expect(spec).toMatchObject({ targetValue: 10, stableWindowMs: 6000 });
    const stable = createMetricWindow({ windowMs: 6000 });
    const panic = createMetricWindow({ windowMs: 5000 });
    [1000, 0, 0, 0, 0, 1000].forEach((v, i) => {
      stable.record(i * 1000, v);
      panic.record(i * 1000, v);
    });
    const metrics = { stable: stable.windowAverage(5000), panic: panic.windowAverage(5000) };
    expect(metrics.stable).toBe(333.333333); // 2000 / 6, rounded to 6 digits as bucketing.go rounds
    expect(metrics.panic).toBe(200);
    // Two ready pods: created in panic, as after an autoscaler restart; 20 panic pods would underprovision.
    const a = createAutoscaler(spec, { nowMs: 0, readyPods: 2 });
    expect(a.scale({ nowMs: 5000, readyPods: 2, metrics }).desiredPodCount).toBe(34);
  });

  it('gives a spec the decider accepts for any valid config and annotations (property)', () => {
    fc.assert(
      fc.property(
        autoscalerConfigArb().chain((c) => fc.tuple(fc.constant(c), autoscalingAnnotationsArb(c))),
        fc.integer({ min: 0, max: 1000 }),
        ([config, annotations], cc) => {
          const spec = makeDeciderSpec(config, annotations, { containerConcurrency: cc });
          const parsed = parseAutoscalerConfig(config);
          expect('config' in parsed).toBe(true);
          expect(spec.targetValue).toBeGreaterThanOrEqual(0.01);
          expect(spec.stableWindowMs % 1000).toBe(0);
          const a = createAutoscaler(spec, { nowMs: 0, readyPods: 1 });
          const r = a.scale({ nowMs: 2000, readyPods: 1, metrics: { stable: 10, panic: 10 } });
          expect(r.scaleValid).toBe(true);
          expect(r.desiredPodCount).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 200, seed: 15 },
    );
  });
});
