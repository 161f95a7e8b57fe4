/**
 * fuzzScenario, the library behind `knsim fuzz`: it finds a planted bug on the flagship scenario,
 * shrinks it to a short scenario that replays the failure, replays the same search from its seed
 * and path, holds when nothing is wrong, and reports bad input as located diagnostics.
 * (test/cli/fuzz.test.ts drives the command itself.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzzScenario, run, toScenario } from 'knsim/testing';

const file = 'scenarios/02-scale-to-zero.yaml';
const text = readFileSync(file, 'utf8');
const BUG = ['scale-to-zero-one-tick-late'] as const;

describe('fuzzScenario', () => {
  it('finds the planted late scale to zero on 02-scale-to-zero and shrinks it to a short scenario that replays it', () => {
    const report = fuzzScenario(text, { file, seed: 42, runs: 20, plantedBugs: BUG });
    if (report.outcome !== 'failed') throw new Error(`expected a failure, got ${report.outcome}`);
    expect(report.invariant).toBe('zeroAfterStableWindow');
    expect(report.message).toMatch(/^sunshine-00001: not at zero by .*, [\d.]+ms late$/);
    expect(report.values.map((v) => v.path)).toEqual(['seed', 'traffic[0].rate', 'config.config-autoscaler.stable-window']);
    // Shrinking took the stable window to its minimum and dropped the evening's traffic.
    expect(report.values[2]?.value).toBe('6s');
    expect(report.removed).toEqual(['traffic[1] (evening)']);
    expect(report.text.split('\n').length).toBeLessThan(40);
    expect(report.replayed).toBe(true);
    const minimal = toScenario(report.text);
    expect(minimal.invariants.map((i) => i.name)).toEqual(['zeroAfterStableWindow']);
    expect(minimal.expect).toEqual([]);
    expect(run(minimal, { plantedBugs: BUG }).invariants?.[0]?.passed).toBe(false);
    expect(run(minimal).invariants?.[0]?.passed).toBe(true);
    // The printed seed and path replay the shrunk failure at once.
    const again = fuzzScenario(text, { file, seed: 42, path: report.path, plantedBugs: BUG });
    expect(again.outcome === 'failed' ? [again.text, again.shrinks] : again.outcome).toEqual([report.text, 0]);
  });

  it('holds when nothing is planted', () => {
    expect(fuzzScenario(text, { file, seed: 42, runs: 15 })).toEqual({ outcome: 'passed', seed: 42, runs: 15, skipped: 0 });
  });

  it('reports bad input: no invariants, and a vary range the scenario cannot take, where it was written', () => {
    const none = fuzzScenario('duration: 1m\n', { file: 'x.yaml', seed: 1 });
    expect(none.outcome === 'bad-input' ? none.diagnostics.map((d) => [d.code, d.line]) : none.outcome).toEqual([['SCENARIO_MISSING_KEY', 1]]);
    const badRange = fuzzScenario('duration: 1m\ninvariants: [conservation]\nvary:\n  config.config-autoscaler.stable-window: {min: 1s, max: 20s}\n', {
      file: 'x.yaml',
      seed: 1,
    });
    expect(badRange.outcome === 'bad-input' ? badRange.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`) : badRange.outcome).toEqual([
      '4:3 SCENARIO_INVALID_CONFIG vary."config.config-autoscaler.stable-window": with 1s the scenario does not load: config-autoscaler: stable-window = 1s, must be in [6s; 1h0m0s] range',
    ]);
  });
});
