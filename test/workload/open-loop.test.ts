import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { describeWorkload, expectedArrivalCount, startWorkload, type WorkloadSpec } from '../../src/workload/index.js';
import { gaps, integrateRate, Recorder, withinPoissonSd } from './recorder.js';

function run<T>(spec: WorkloadSpec<T>, seed: string | number = 1): Recorder<T> {
  const engine = new Engine({ seed });
  const recorder = new Recorder<T>(engine);
  startWorkload(engine, spec, recorder);
  engine.run({ untilMs: spec.toMs + 1000 });
  return recorder;
}

describe('constant', () => {
  it('sends at a fixed interval of 1/rate, centred in the window', () => {
    const r = run({ name: 'c', target: 'svc', pattern: 'constant', ratePerSecond: 10, fromMs: 1000, toMs: 11_000 });
    expect(r.times.length).toBe(100);
    expect(r.times[0]).toBeCloseTo(1050, 9);
    for (const gap of gaps(r.times)) expect(gap).toBeCloseTo(100, 6);
    expect(r.targets.every((t) => t === 'svc')).toBe(true);
  });
});

describe('poisson', () => {
  it('has the asked mean rate over a long window when seeds vary', () => {
    for (const seed of [1, 2, 3]) {
      const r = run({ name: 'p', target: 0, pattern: 'poisson', ratePerSecond: 50, fromMs: 0, toMs: 400_000 }, seed);
      expect(withinPoissonSd(r.times.length, 20_000)).toBe(true);
    }
  });

  it('has exponential gaps: the coefficient of variation of gaps is near 1', () => {
    const r = run({ name: 'p', target: 0, pattern: 'poisson', ratePerSecond: 100, fromMs: 0, toMs: 200_000 });
    const between = gaps(r.times);
    const mean = between.reduce((a, b) => a + b, 0) / between.length;
    const sd = Math.sqrt(between.reduce((a, b) => a + (b - mean) ** 2, 0) / between.length);
    expect(mean).toBeGreaterThan(9.7);
    expect(mean).toBeLessThan(10.3);
    expect(sd / mean).toBeGreaterThan(0.95);
    expect(sd / mean).toBeLessThan(1.05);
  });
});

describe('ramp', () => {
  const spec = { name: 'r', target: 0, pattern: 'ramp', startRatePerSecond: 10, endRatePerSecond: 90, fromMs: 0, toMs: 200_000 } as const;

  it('delivers (start + end)/2 · duration arrivals', () => {
    const r = run(spec);
    expect(withinPoissonSd(r.times.length, 10_000)).toBe(true);
    expect(expectedArrivalCount(spec)).toBeCloseTo(10_000, 6);
  });

  it('rises: the last tenth holds the rate near the end, the first tenth near the start', () => {
    const r = run(spec, 'shape');
    const rate = (t: number): number => 10 + (80 * t) / 200_000;
    const first = integrateRate(rate, 0, 20_000);
    const last = integrateRate(rate, 180_000, 200_000);
    expect(first).toBeCloseTo(280, 3);
    expect(last).toBeCloseTo(1720, 3);
    expect(withinPoissonSd(r.countBetween(0, 20_000), first)).toBe(true);
    expect(withinPoissonSd(r.countBetween(180_000, 200_000), last)).toBe(true);
  });

  it('with regular arrivals matches the expected count in every tenth to within one', () => {
    const r = run({ ...spec, arrivals: 'regular' });
    const rate = (t: number): number => 10 + (80 * t) / 200_000;
    for (let k = 0; k < 10; k++) {
      const expected = integrateRate(rate, k * 20_000, (k + 1) * 20_000);
      expect(Math.abs(r.countBetween(k * 20_000, (k + 1) * 20_000) - expected)).toBeLessThanOrEqual(1);
    }
  });

  it('falling to zero stops sending once the rate reaches zero', () => {
    const r = run({ name: 'down', target: 0, pattern: 'ramp', startRatePerSecond: 20, endRatePerSecond: 0, fromMs: 0, toMs: 100_000, arrivals: 'regular' });
    expect(r.times.length).toBe(1000);
    expect(r.countBetween(0, 10_000)).toBeGreaterThan(r.countBetween(90_000, 100_000) * 10);
  });
});

describe('step', () => {
  it('holds each step rate until the next and sends nothing before the first step', () => {
    const r = run({
      name: 's',
      target: 0,
      pattern: 'step',
      steps: [
        { atMs: 100_000, ratePerSecond: 100 },
        { atMs: 20_000, ratePerSecond: 10 },
      ],
      fromMs: 0,
      toMs: 200_000,
    });
    expect(r.countBetween(0, 20_000)).toBe(0);
    expect(withinPoissonSd(r.countBetween(20_000, 100_000), 800)).toBe(true);
    expect(withinPoissonSd(r.countBetween(100_000, 200_000), 10_000)).toBe(true);
  });
});

describe('burst', () => {
  it('adds the spike rate for its duration and a batch all at one instant', () => {
    const spec: WorkloadSpec<string> = {
      name: 'b',
      target: 'x',
      pattern: 'burst',
      baseRatePerSecond: 5,
      spikes: [
        { atMs: 50_000, durationMs: 10_000, ratePerSecond: 100 },
        { atMs: 120_000, count: 500 },
      ],
      fromMs: 0,
      toMs: 200_000,
    };
    const r = run(spec);
    expect(expectedArrivalCount(spec)).toBeCloseTo(2500, 6);
    expect(withinPoissonSd(r.countBetween(50_000, 60_000), 1050)).toBe(true);
    expect(withinPoissonSd(r.countBetween(0, 50_000), 250)).toBe(true);
    expect(r.times.filter((t) => t === 120_000).length).toBeGreaterThanOrEqual(500);
    expect(withinPoissonSd(r.times.length, 2500)).toBe(true);
  });
});

describe('diurnal', () => {
  it('follows mean + amplitude·cos: many arrivals near the peak, few near the trough', () => {
    const spec = {
      name: 'd',
      target: 0,
      pattern: 'diurnal',
      meanRatePerSecond: 50,
      amplitudePerSecond: 40,
      periodMs: 400_000,
      fromMs: 0,
      toMs: 200_000,
    } as const;
    const r = run(spec);
    const rate = (t: number): number => 50 + 40 * Math.cos((2 * Math.PI * t) / 400_000);
    const first = integrateRate(rate, 0, 20_000);
    const last = integrateRate(rate, 180_000, 200_000);
    expect(withinPoissonSd(r.countBetween(0, 20_000), first)).toBe(true);
    expect(withinPoissonSd(r.countBetween(180_000, 200_000), last)).toBe(true);
    expect(withinPoissonSd(r.times.length, integrateRate(rate, 0, 200_000))).toBe(true);
    expect(expectedArrivalCount(spec)).toBeCloseTo(integrateRate(rate, 0, 200_000), 3);
  });

  it('with regular arrivals tracks the curve to within one arrival per slice, even when the trough touches zero', () => {
    const spec = {
      name: 'd',
      target: 0,
      pattern: 'diurnal',
      meanRatePerSecond: 20,
      amplitudePerSecond: 20,
      periodMs: 100_000,
      phaseMs: 30_000,
      fromMs: 0,
      toMs: 300_000,
      arrivals: 'regular',
    } as const;
    const r = run(spec);
    const rate = (t: number): number => 20 + 20 * Math.cos((2 * Math.PI * (t - 30_000)) / 100_000);
    let cumulative = 0;
    for (let k = 0; k < 30; k++) {
      cumulative += integrateRate(rate, k * 10_000, (k + 1) * 10_000, 2000);
      // Regular arrivals sit at Λ = ½, 1½, …: the count up to any time is Λ rounded.
      expect(Math.abs(r.countBetween(0, (k + 1) * 10_000) - cumulative)).toBeLessThanOrEqual(1);
    }
  });
});

type OpenSpec = WorkloadSpec<number>;
const windowArb = fc.record({ fromMs: fc.integer({ min: 0, max: 50_000 }), durationMs: fc.integer({ min: 0, max: 60_000 }) });
const openSpecArb: fc.Arbitrary<OpenSpec> = fc
  .tuple(
    windowArb,
    fc.oneof(
      fc.record({ pattern: fc.constantFrom('constant' as const, 'poisson' as const), ratePerSecond: fc.double({ min: 0, max: 50, noNaN: true }) }),
      fc.record({
        pattern: fc.constant('ramp' as const),
        startRatePerSecond: fc.double({ min: 0, max: 50, noNaN: true }),
        endRatePerSecond: fc.double({ min: 0, max: 50, noNaN: true }),
        arrivals: fc.constantFrom('poisson' as const, 'regular' as const),
      }),
      fc.record({
        pattern: fc.constant('step' as const),
        steps: fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 120_000 }), ratePerSecond: fc.double({ min: 0, max: 40, noNaN: true }) }), {
          maxLength: 5,
        }),
        arrivals: fc.constantFrom('poisson' as const, 'regular' as const),
      }),
      fc.record({
        pattern: fc.constant('burst' as const),
        baseRatePerSecond: fc.double({ min: 0, max: 20, noNaN: true }),
        spikes: fc.array(
          fc.oneof(
            fc.record({
              atMs: fc.integer({ min: 0, max: 120_000 }),
              durationMs: fc.integer({ min: 0, max: 20_000 }),
              ratePerSecond: fc.double({ min: 0, max: 50, noNaN: true }),
            }),
            fc.record({ atMs: fc.integer({ min: 0, max: 120_000 }), count: fc.integer({ min: 0, max: 30 }) }),
          ),
          { maxLength: 3 },
        ),
        arrivals: fc.constantFrom('poisson' as const, 'regular' as const),
      }),
      fc.record({
        pattern: fc.constant('diurnal' as const),
        meanRatePerSecond: fc.double({ min: 0.1, max: 40, noNaN: true }),
        amplitudeFraction: fc.double({ min: 0, max: 1, noNaN: true }),
        periodMs: fc.integer({ min: 1000, max: 200_000 }),
        phaseMs: fc.integer({ min: -100_000, max: 100_000 }),
        arrivals: fc.constantFrom('poisson' as const, 'regular' as const),
      }),
    ),
  )
  .map(([w, p]) => {
    const base = { name: 'prop', target: 7, fromMs: w.fromMs, toMs: w.fromMs + w.durationMs };
    if (p.pattern === 'diurnal') {
      const { amplitudeFraction, ...rest } = p;
      return { ...base, ...rest, amplitudePerSecond: rest.meanRatePerSecond * amplitudeFraction };
    }
    return { ...base, ...p };
  });

describe('open-loop properties', () => {
  it('arrives only within [from, to), in time order, and replays identically for a seed', () => {
    fc.assert(
      fc.property(openSpecArb, fc.integer(), (spec, seed) => {
        const a = run(spec, seed);
        let previous = -Infinity;
        for (const t of a.times) {
          expect(t).toBeGreaterThanOrEqual(spec.fromMs);
          expect(t).toBeLessThan(spec.toMs);
          expect(t).toBeGreaterThanOrEqual(previous);
          previous = t;
        }
        expect(run(spec, seed).times).toEqual(a.times);
      }),
      { numRuns: 150 },
    );
  });

  it('a second workload with another name does not shift the first one’s arrivals', () => {
    fc.assert(
      fc.property(openSpecArb, openSpecArb, fc.integer(), (first, second, seed) => {
        const alone = run(first, seed).times;
        const engine = new Engine({ seed });
        const a = new Recorder<number>(engine);
        const b = new Recorder<number>(engine);
        startWorkload(engine, { ...second, name: 'other' }, b);
        startWorkload(engine, first, a);
        engine.run({ untilMs: Math.max(first.toMs, second.toMs) + 1000 });
        expect(a.times).toEqual(alone);
      }),
      { numRuns: 100 },
    );
  });

  it('regular arrivals match the expected count to within one', () => {
    fc.assert(
      fc.property(openSpecArb, (spec) => {
        if (spec.pattern === 'poisson' || spec.pattern === 'closed-loop') return;
        if (spec.pattern === 'burst' && spec.spikes.some((s) => 'count' in s)) return;
        const regular = spec.pattern === 'constant' ? spec : ({ ...spec, arrivals: 'regular' } as OpenSpec);
        const expected = expectedArrivalCount(regular) as number;
        expect(Math.abs(run(regular).times.length - expected)).toBeLessThanOrEqual(1.000001);
      }),
      { numRuns: 150 },
    );
  });
});

describe('startWorkload', () => {
  it('rejects an invalid spec with the field named', () => {
    const engine = new Engine({ seed: 1 });
    expect(() =>
      startWorkload(
        engine,
        { name: 'bad', target: 0, pattern: 'diurnal', meanRatePerSecond: 5, amplitudePerSecond: -8, periodMs: 1000, fromMs: 0, toMs: 10 },
        new Recorder(engine),
      ),
    ).toThrow(/amplitudePerSecond/);
    expect(() => startWorkload(engine, { name: 'bad', target: 0, pattern: 'poisson', ratePerSecond: -1, fromMs: 0, toMs: 10 }, new Recorder(engine))).toThrow(
      /ratePerSecond/,
    );
    expect(() => startWorkload(engine, { name: 'bad', target: 0, pattern: 'poisson', ratePerSecond: 1, fromMs: 10, toMs: 5 }, new Recorder(engine))).toThrow(
      /toMs/,
    );
  });

  it('stops: no arrivals after stop()', () => {
    const engine = new Engine({ seed: 1 });
    const r = new Recorder<number>(engine);
    const handle = startWorkload(engine, { name: 'p', target: 0, pattern: 'poisson', ratePerSecond: 100, fromMs: 0, toMs: 100_000 }, r);
    engine.run({ untilMs: 10_000 });
    handle.stop();
    const count = r.times.length;
    engine.run({ untilMs: 100_000 });
    expect(r.times.length).toBe(count);
    expect(handle.arrivalCount).toBe(count);
    expect(engine.pendingCount).toBe(0);
  });

  it('started after its window opened, sends nothing in the past', () => {
    const engine = new Engine({ seed: 1 });
    engine.run({ untilMs: 30_000 });
    const r = new Recorder<number>(engine);
    startWorkload(engine, { name: 'late', target: 0, pattern: 'constant', ratePerSecond: 10, fromMs: 0, toMs: 60_000 }, r);
    engine.run({ untilMs: 70_000 });
    expect(r.times[0]).toBeGreaterThanOrEqual(30_000);
    expect(r.times.length).toBe(300);
  });

  it('keeps one pending event however many arrivals it makes', () => {
    const engine = new Engine({ seed: 1 });
    const r = new Recorder<number>(engine);
    startWorkload(engine, { name: 'p', target: 0, pattern: 'poisson', ratePerSecond: 1000, fromMs: 0, toMs: 10_000 }, r);
    engine.run({ untilMs: 20_000 });
    expect(r.times.length).toBeGreaterThan(9000);
    expect(r.maxPending).toBeLessThanOrEqual(1);
  });

  it('describes itself in one line', () => {
    expect(describeWorkload({ name: 'api', target: 0, pattern: 'poisson', ratePerSecond: 20, fromMs: 0, toMs: 300_000 })).toBe('api: poisson 20/s, 0s–5m0s');
    expect(
      describeWorkload({
        name: 'u',
        target: 0,
        pattern: 'closed-loop',
        users: 8,
        thinkTime: { distribution: 'constant', valueMs: 0 },
        fromMs: 0,
        toMs: 60_000,
      }),
    ).toBe('u: 8 closed-loop users, think 0s, 0s–1m0s');
  });
});
