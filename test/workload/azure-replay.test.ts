import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, must } from '../../src/engine/index.js';
import {
  expectedAzureArrivals,
  parseAzureInvocations,
  startAzureReplay,
  type AzureFunctionTrace,
  type AzureReplaySpec,
  type MinuteSpread,
} from '../../src/workload/index.js';
import { Recorder } from './recorder.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/azure/${name}`, import.meta.url)), 'utf8');

function load(name: string): AzureFunctionTrace[] {
  const result = parseAzureInvocations(fixture(name), { file: name });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.functions;
}

function replay(spec: Omit<AzureReplaySpec<number>, 'targets'>, seed: string | number = 1): Recorder<number> {
  const engine = new Engine({ seed });
  const recorder = new Recorder<number>(engine);
  startAzureReplay(engine, { ...spec, targets: spec.functions.map((_, i) => i) }, recorder);
  engine.run({ untilMs: 1e12 });
  return recorder;
}

/** Arrivals per (function, minute) bucket, minute counted from `fromMs` in steps of `minuteMs`. */
function bucket(recorder: Recorder<number>, functionCount: number, minutes: number, fromMs: number, minuteMs: number): Int32Array[] {
  const counts = Array.from({ length: functionCount }, () => new Int32Array(minutes));
  recorder.times.forEach((t, i) => {
    const m = Math.floor((t - fromMs) / minuteMs);
    if (m < 0 || m >= minutes) throw new Error(`arrival at ${t} outside the replayed minutes`);
    const row = must(counts[must(recorder.targets[i], 'a target per arrival')], 'a bucket row per function');
    row[m] = must(row[m], 'a bucket per replayed minute') + 1;
  });
  return counts;
}

const spreads: MinuteSpread[] = ['uniform', 'poisson', 'equidistant'];

describe('startAzureReplay', () => {
  for (const spread of spreads) {
    it(`delivers exactly each minute's count for every function with the ${spread} spread (invitro sample, whole day at 1/100 speed)`, () => {
      const functions = load('100_inv_first10.csv');
      const recorder = replay({ name: 'day', functions, spread, timeScale: 0.01 });
      const counts = bucket(recorder, functions.length, 1440, 0, 600);
      expect(counts.map((c) => Array.from(c))).toEqual(functions.map((fn) => Array.from(fn.perMinute)));
      // Lazy: one pending event per function at most, however many arrivals a minute holds.
      expect(recorder.maxPending).toBeLessThanOrEqual(functions.length);
    });
  }

  it('replays a minute range of the original-layout trace from a chosen start time', () => {
    const functions = load('invocations_10.csv');
    const spec = { name: 'busy', functions, spread: 'poisson' as const, minuteFrom: 101, minuteTo: 110, fromMs: 5000 };
    const recorder = replay(spec);
    const counts = bucket(recorder, functions.length, 10, 5000, 60_000);
    expect(counts.map((c) => Array.from(c))).toEqual(functions.map((fn) => Array.from(fn.perMinute.subarray(100, 110))));
    expect(recorder.times.length).toBe(expectedAzureArrivals({ ...spec, targets: functions.map(() => 0) }));
  });

  it('places equidistant arrivals 60 s / n apart, the first at the minute start', () => {
    const functions = load('invocations_10.csv');
    const fn = must(functions[0], 'the fixture has functions');
    const recorder = replay({ name: 'eq', functions: [fn], spread: 'equidistant', minuteFrom: 1, minuteTo: 3 });
    let offset = 0;
    for (let m = 0; m < 3; m++) {
      const n = must(fn.perMinute[m], 'the fixture has 3 minutes');
      const minute = recorder.times.slice(offset, offset + n);
      offset += n;
      expect(minute[0]).toBe(m * 60_000);
      for (let i = 1; i < n; i++)
        expect(must(minute[i], 'n arrivals in the minute') - must(minute[i - 1], 'n arrivals in the minute')).toBeCloseTo(60_000 / n, 6);
    }
    expect(offset).toBe(recorder.times.length);
  });

  it('stops at toMs and never sends past it', () => {
    const functions = load('100_inv_first10.csv');
    const recorder = replay({ name: 'cut', functions, spread: 'uniform', minuteFrom: 1, minuteTo: 1440, timeScale: 0.01, toMs: 30_000 });
    expect(recorder.times.every((t) => t < 30_000)).toBe(true);
    const expected = functions.reduce((sum, fn) => sum + fn.perMinute.subarray(0, 50).reduce((a, b) => a + b, 0), 0);
    expect(recorder.times.length).toBe(expected);
  });

  it('is deterministic per seed, differs across seeds, and a function’s times do not depend on which others are replayed', () => {
    const functions = load('100_inv_first10.csv');
    const spec = { name: 'det', spread: 'poisson' as const, minuteFrom: 1, minuteTo: 240 };
    const row = (i: number): AzureFunctionTrace => must(functions[i], `the fixture has row ${i}`);
    const alone = replay({ ...spec, functions: [row(3)] }, 7);
    expect(replay({ ...spec, functions: [row(3)] }, 7).times).toEqual(alone.times);
    expect(replay({ ...spec, functions: [row(3)] }, 8).times).not.toEqual(alone.times);
    const together = replay({ ...spec, functions: [row(0), row(3), row(9)] }, 7);
    expect(together.times.filter((_, i) => together.targets[i] === 1)).toEqual(alone.times);
  });

  it('uniform and poisson spreads give different times for one seed, both filling each minute evenly', () => {
    const functions = load('invocations_10.csv').slice(0, 1);
    const u = replay({ name: 'x', functions, spread: 'uniform', minuteFrom: 1, minuteTo: 60 });
    const p = replay({ name: 'x', functions, spread: 'poisson', minuteFrom: 1, minuteTo: 60 });
    expect(u.times.length).toBeGreaterThan(10_000);
    expect(u.times.length).toBe(p.times.length);
    expect(u.times).not.toEqual(p.times);
    for (const r of [u, p]) {
      // Conditioned on the count, positions are uniform in the minute: half land in each half.
      const firstHalf = r.times.filter((t) => t % 60_000 < 30_000).length / r.times.length;
      expect(Math.abs(firstHalf - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / r.times.length));
      // No arrival is pinned to the minute's start (poisson is rotated by a random shift).
      expect(r.times.filter((t) => t % 60_000 === 0).length).toBeLessThan(3);
    }
  });

  it('rejects mismatched targets and minutes outside the file', () => {
    const engine = new Engine({ seed: 1 });
    const functions = load('100_inv_first10.csv');
    const sink = new Recorder<number>(engine);
    expect(() => startAzureReplay(engine, { name: 'bad', functions, targets: [1], spread: 'uniform' }, sink)).toThrow(/targets/);
    expect(() => startAzureReplay(engine, { name: 'bad', functions, targets: functions.map(() => 0), spread: 'uniform', minuteTo: 2000 }, sink)).toThrow(
      /minuteTo/,
    );
  });

  it('for any counts, spread, speed and start: exact per-minute counts, sorted times, all inside the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 12, maxLength: 12 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...spreads),
        fc.constantFrom(1, 0.5, 0.01, 3),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer(),
        (rows, spread, timeScale, fromMs, minuteFrom, seed) => {
          const functions: AzureFunctionTrace[] = rows.map((counts, i) => ({
            hashOwner: 'o',
            hashApp: 'a',
            hashFunction: `f${i}`,
            trigger: null,
            perMinute: Int32Array.from(counts),
            index: i,
            line: i + 2,
          }));
          const minuteMs = 60_000 * timeScale;
          const recorder = replay({ name: 'prop', functions, spread, timeScale, fromMs, minuteFrom }, seed);
          const minutes = 12 - minuteFrom + 1;
          const counts = bucket(recorder, functions.length, minutes, fromMs, minuteMs);
          expect(counts.map((c) => Array.from(c))).toEqual(functions.map((fn) => Array.from(fn.perMinute.subarray(minuteFrom - 1))));
          recorder.times.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(recorder.times[i - 1] ?? -Infinity));
          expect(recorder.maxPending).toBeLessThanOrEqual(functions.length);
        },
      ),
      { numRuns: 120 },
    );
  });
});
