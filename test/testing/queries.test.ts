/**
 * The queries of knsim/testing over 02-scale-to-zero: they read the events' typed data and the
 * report's recordings, never a message, and give exact times where the series has 1 s samples.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  changePoints,
  coldStartsOf,
  decisionsOf,
  eventsOf,
  lastRequestAt,
  quietPeriodsOf,
  run,
  sampleEvery,
  scaleChanges,
  timeToZero,
  toScenario,
  valueAt,
} from 'knsim/testing';
import { runScenario } from 'knsim';

const scenario = toScenario(readFileSync('scenarios/02-scale-to-zero.yaml', 'utf8'));
const result = run(scenario);
const REV = 'sunshine-00001';

describe('queries', () => {
  it("find the morning's quiet period and the zero 62 s after it, from the autoscaler's own scale events", () => {
    const [quiet] = quietPeriodsOf(result, REV);
    expect(quiet?.fromMs).toBeCloseTo(150_015.44, 1);
    expect(quiet?.toMs).toBeCloseTo(300_073.18, 1);
    expect(scaleChanges(result, REV)).toEqual([
      { t: 212_005, from: 1, to: 0, phase: 'scale-to-zero' },
      { t: expect.closeTo(300_073.18, 1) as number, from: 0, to: 1, phase: 'scale' },
    ]);
    expect(timeToZero(result, REV, { afterMs: 150_000 })).toBe(62_005);
    // After the evening's last request the revision is still up when the run ends.
    expect(lastRequestAt(result, REV)).toBeCloseTo(359_853.49, 1);
    expect(timeToZero(result, REV)).toBeUndefined();
  });

  it('list the decisions with their numbers and the cold starts with their phases', () => {
    const decisions = decisionsOf(result, REV);
    expect(decisions.map((d) => [d.t, d.desiredPodCount])).toEqual([
      [18_000, 0],
      [expect.closeTo(60_005.51, 1) as number, 1],
      [212_000, 0],
      [expect.closeTo(300_073.18, 1) as number, 1],
    ]);
    expect(decisions[1]).toMatchObject({ observedStable: 0.022727, targetValue: 70, stableWindowMs: 60_000, inPanic: false });
    const cold = coldStartsOf(result, REV);
    expect(cold.map((p) => [p.createdMs, p.totalMs])).toEqual([
      [25, 16_888],
      [expect.closeTo(300_083.18, 1) as number, 2_354],
    ]);
    expect(eventsOf(result, 'pod', REV).filter((e) => e.data.reason === 'Ready')).toHaveLength(2);
  });

  it('give the exact change points the 1 s series samples, and the value at any millisecond', () => {
    expect(changePoints(result, REV, 'desiredReplicas')).toEqual([
      { t: 20, value: 1 },
      { t: 212_010, value: 0 },
      { t: expect.closeTo(300_078.18, 1) as number, value: 1 },
    ]);
    expect(changePoints(result, REV, 'sksMode')).toEqual([{ t: 25, value: 'Proxy' }]);
    expect(valueAt(result, REV, 'desiredReplicas', 212_009)).toBe(1);
    expect(valueAt(result, REV, 'desiredReplicas', 212_010)).toBe(0);
    expect(valueAt(result, REV, 'readyPods', 10)).toBeUndefined();
    expect(sampleEvery(result, REV, 'readyPods', 250, { fromMs: 211_750, toMs: 212_250 })).toEqual([
      { t: 211_750, value: 1 },
      { t: 212_000, value: 1 },
      { t: 212_250, value: 0 },
    ]);
    // The series agrees at its own samples.
    for (const s of result.series.filter((x) => x.revision === REV)) expect(valueAt(result, REV, 'desiredReplicas', s.t)).toBe(s.desiredReplicas);
  });

  it('say what they need when a result has no recordings', () => {
    const plain = runScenario({ ...scenario, invariants: [] });
    expect(() => lastRequestAt(plain, REV)).toThrow(/reads the report's recordings: run with run\(\) from knsim\/testing/);
    expect(scaleChanges(plain, REV)).toHaveLength(2);
  });
});
