// A trace replay with a durations file: each arrival carries a service time drawn from its own
// function's percentiles (the invitro sample's rows), from a stream of its own, so the arrivals
// are those of the replay without durations and a function's draws do not depend on the others.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Engine, must, type Distribution } from '../../src/engine/index.js';
import {
  azureDurationPoints,
  azureFieldColumn,
  joinAzureStats,
  parseAzureDurations,
  parseAzureInvocations,
  startAzureReplay,
  type AzureDurationRow,
  type AzureFunctionTrace,
  type AzureReplaySpec,
} from '../../src/workload/index.js';
import { Recorder } from './recorder.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/azure/${name}`, import.meta.url)), 'utf8');

const invocations = parseAzureInvocations(fixture('100_inv_first10.csv'), { file: 'inv' });
const durations = parseAzureDurations(fixture('100_run_first10.csv'), { file: 'run' });
if (!invocations.ok || !durations.ok) throw new Error('the fixtures parse');
const FUNCTIONS = invocations.functions;
const STATS = joinAzureStats(FUNCTIONS, durations.rows);

/** Function i's execution time as the loader builds it: its percentiles as an empirical distribution. */
function serviceTimeOf(i: number): Distribution {
  const row = must(STATS[i]?.durations, `function ${i} has a durations row`);
  const points = azureDurationPoints(row);
  if (!points.ok) throw new Error(`function ${i}: decreasing percentiles`);
  return { distribution: 'empirical', points: points.points };
}

function replay(spec: Omit<AzureReplaySpec<number>, 'targets'>, seed = 1): Recorder<number> {
  const engine = new Engine({ seed });
  const recorder = new Recorder<number>(engine);
  startAzureReplay(engine, { ...spec, targets: spec.functions.map((_, i) => i) }, recorder);
  engine.run({ untilMs: 1e12 });
  return recorder;
}

/** The nearest-rank quantile of a list. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return must(sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)], 'a value');
}

const row = (i: number): AzureFunctionTrace => must(FUNCTIONS[i], `the fixture has row ${i}`);
const BUSY = [2, 9]; // the sample's functions with over 1,600 invocations in the first 4 hours
const SPEC = { name: 'azure', spread: 'poisson' as const, minuteFrom: 1, minuteTo: 240 };

describe('a trace replay with service times', () => {
  it("gives each arrival a draw from its own function's percentiles: inside p0..p100, its median at p50", () => {
    const functions = BUSY.map(row);
    const r = replay({ ...SPEC, functions, serviceTimes: BUSY.map(serviceTimeOf) });
    BUSY.forEach((fnIndex, target) => {
      const p = must(STATS[fnIndex]?.durations, 'a row').percentilesMs;
      const drawn = r.serviceMs.filter((_, k) => r.targets[k] === target);
      expect(drawn.length).toBeGreaterThan(1600);
      for (const ms of drawn) {
        expect(ms).toBeGreaterThanOrEqual(p.p0);
        expect(ms).toBeLessThanOrEqual(p.p100);
      }
      // Between p25 and p75 the distribution is linear in the percentile, so the sample median sits near p50.
      const spread = p.p75 - p.p25;
      expect(Math.abs(quantile(drawn, 0.5) - p.p50)).toBeLessThan(0.1 * spread + 1);
      expect(quantile(drawn, 0.25)).toBeGreaterThanOrEqual(p.p1);
      expect(quantile(drawn, 0.75)).toBeLessThanOrEqual(p.p99);
    });
  });

  it('leaves the arrivals as they are without durations, and draws each function from its own stream', () => {
    const functions = BUSY.map(row);
    const plain = replay({ ...SPEC, functions }, 3);
    const timed = replay({ ...SPEC, functions, serviceTimes: BUSY.map(serviceTimeOf) }, 3);
    expect(timed.times).toEqual(plain.times);
    expect(timed.targets).toEqual(plain.targets);
    expect(plain.serviceMs.every(Number.isNaN)).toBe(true);
    // Function 9 alone draws the same service times, in the same order, as beside function 2.
    const alone = replay({ ...SPEC, functions: [row(9)], serviceTimes: [serviceTimeOf(9)] }, 3);
    expect(timed.serviceMs.filter((_, k) => timed.targets[k] === 1)).toEqual(alone.serviceMs);
  });

  it("leaves a function without a distribution (null) to its target's app model: it carries NaN", () => {
    const r = replay({ ...SPEC, functions: BUSY.map(row), serviceTimes: [{ distribution: 'constant', valueMs: 250 }, null] });
    expect(r.serviceMs.filter((_, k) => r.targets[k] === 0).every((ms) => ms === 250)).toBe(true);
    expect(r.serviceMs.filter((_, k) => r.targets[k] === 1).every(Number.isNaN)).toBe(true);
  });

  it('refuses service times that do not match the functions or cannot be drawn', () => {
    const engine = new Engine({ seed: 1 });
    const sink = new Recorder<number>(engine);
    const functions = BUSY.map(row);
    const targets = [0, 1];
    expect(() => startAzureReplay(engine, { name: 'x', functions, targets, spread: 'uniform', serviceTimes: [null] }, sink)).toThrow(
      /serviceTimes: 1 service times for 2 functions/,
    );
    const decreasing: Distribution = {
      distribution: 'empirical',
      points: [
        { p: 0, valueMs: 10 },
        { p: 50, valueMs: 5 },
        { p: 100, valueMs: 20 },
      ],
    };
    expect(() => startAzureReplay(engine, { name: 'x', functions, targets, spread: 'uniform', serviceTimes: [decreasing, null] }, sink)).toThrow(
      /serviceTimes\[0\]\.points: p50 \(5\) is below p0 \(10\)/,
    );
  });
});

describe('azureDurationPoints', () => {
  const base: AzureDurationRow = {
    hashOwner: 'o',
    hashApp: 'a',
    hashFunction: 'f',
    averageMs: 60,
    count: 10,
    minimumMs: 1,
    maximumMs: 900,
    percentilesMs: { p0: 10, p1: 10, p25: 10, p50: 10, p75: 59, p99: 59, p100: 59 },
    line: 2,
  };

  it("turns a row's seven percentile columns into p0 … p100 points in ms", () => {
    expect(azureDurationPoints(base)).toEqual({
      ok: true,
      points: [
        { p: 0, valueMs: 10 },
        { p: 1, valueMs: 10 },
        { p: 25, valueMs: 10 },
        { p: 50, valueMs: 10 },
        { p: 75, valueMs: 59 },
        { p: 99, valueMs: 59 },
        { p: 100, valueMs: 59 },
      ],
    });
  });

  it('names the first column below the one before it', () => {
    const row = { ...base, percentilesMs: { ...base.percentilesMs, p25: 15, p50: 12 } };
    expect(azureDurationPoints(row)).toEqual({
      ok: false,
      column: 'percentile_Average_50',
      previousColumn: 'percentile_Average_25',
      valueMs: 12,
      previousMs: 15,
    });
  });

  it('finds the character column of a field by its header name', () => {
    const text = 'HashOwner,Count,percentile_Average_50\n\no1,12,300\no2,7,40\n';
    expect(azureFieldColumn(text, 3, 'Count')).toBe(4);
    expect(azureFieldColumn(text, 4, 'percentile_Average_50')).toBe(6);
    expect(azureFieldColumn(text, 4, 'Nope')).toBe(1);
  });
});
