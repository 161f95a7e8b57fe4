/**
 * `knsim fuzz` as a user runs it. The acceptance test of the issue: a bug planted through the
 * documented test seam (KNSIM_PLANT_BUG=scale-to-zero-one-tick-late: the KPA removes the last
 * pod one 2 s tick late) is found on the shipped 02-scale-to-zero, shrunk to a scenario file of
 * under 40 lines, and `knsim run` of that file replays the failure (and passes without the bug).
 * Also: exit 0 when every variant holds, 2 for bad input; and the builder's YAML runs unchanged.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenario } from 'knsim/testing';
import { knsim, STACK_FRAME } from './helpers.js';

const OUT = 'test-output/fuzz';
const PLANT = { KNSIM_PLANT_BUG: 'scale-to-zero-one-tick-late' };

describe('knsim fuzz', () => {
  it('finds the planted late scale to zero on 02-scale-to-zero, writes a scenario of under 40 lines, and knsim run replays the failure', () => {
    mkdirSync(OUT, { recursive: true });
    const out = `${OUT}/02-minimal.yaml`;
    const r = knsim(['fuzz', 'scenarios/02-scale-to-zero.yaml', '--seed', '42', '--runs', '20', '--out', out], { env: PLANT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}zeroAfterStableWindow broke after 1 variant, shrunk in \d+ steps:\n {8}sunshine-00001: not at zero by /);
    expect(r.stdout).toContain('; without traffic[1] (evening)\n');
    expect(r.stdout).toContain(`Replay the failure with:\n  KNSIM_PLANT_BUG=scale-to-zero-one-tick-late knsim run ${out}\n`);
    const path = /--seed 42 --path (\S+)\n/.exec(r.stdout)?.[1];
    expect(path).toBeDefined();
    const text = readFileSync(out, 'utf8');
    const lines = text.trimEnd().split('\n').length;
    expect(lines).toBeLessThan(40);
    expect(r.stdout).toContain(`wrote ${out} (${lines} lines)\n`);
    expect(text).toContain('# invariant zeroAfterStableWindow broke. Replay: KNSIM_PLANT_BUG=scale-to-zero-one-tick-late knsim run <this file>\n');

    const replay = knsim(['run', out, '--quiet'], { env: PLANT });
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/FAIL {2}zeroAfterStableWindow {2}\[test-output\/fuzz\/02-minimal\.yaml:\d+:\d+\]\n {8}sunshine-00001: not at zero by /);
    expect(replay.stdout).toContain(
      '1 of 1 invariants failed. Replay with:\n  KNSIM_PLANT_BUG=scale-to-zero-one-tick-late knsim run test-output/fuzz/02-minimal.yaml --seed ',
    );
    // Without the planted bug the same file passes: the failure is the bug's, not the scenario's.
    expect(knsim(['run', out, '--quiet']).code).toBe(0);
    // The printed seed and path replay the search to the same file.
    const again = knsim(['fuzz', 'scenarios/02-scale-to-zero.yaml', '--seed', '42', '--path', path ?? '', '--out', `${OUT}/02-again.yaml`], { env: PLANT });
    expect(again.code).toBe(1);
    expect(readFileSync(`${OUT}/02-again.yaml`, 'utf8')).toBe(text);
  });

  it('exits 0 when every variant keeps every invariant', () => {
    const r = knsim(['fuzz', 'scenarios/02-scale-to-zero.yaml', '--seed', '7', '--runs', '10']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('02-scale-to-zero.yaml: every invariant held in 10 variants (fuzz seed 7)\n');
  });

  it('exits 2 for bad input, in one located line each, without a stack trace', () => {
    const none = knsim(['fuzz', 'scenarios/01-deploy.yaml', '--seed', '1']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^scenarios\/01-deploy\.yaml:2:1: error: knsim fuzz checks the scenario's invariants, and it lists none/);
    const runs = knsim(['fuzz', 'scenarios/02-scale-to-zero.yaml', '--runs', '0']);
    expect([runs.code, runs.stderr]).toEqual([2, 'error: --runs: expected a whole number of variants ≥ 1, got "0"\n']);
    const bug = knsim(['fuzz', 'scenarios/02-scale-to-zero.yaml', '--runs', '1'], { env: { KNSIM_PLANT_BUG: 'nope' } });
    expect([bug.code, bug.stderr]).toEqual([2, 'error: KNSIM_PLANT_BUG: unknown bug "nope" (known: scale-to-zero-one-tick-late)\n']);
    for (const r of [none, runs, bug]) expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('knsim/testing builder output', () => {
  it('runs unchanged with knsim run', () => {
    mkdirSync(OUT, { recursive: true });
    const s = scenario('built')
      .duration('2m')
      .config('config-autoscaler', { 'stable-window': '20s' })
      .app('rainbows', { serviceTime: { distribution: 'lognormal', median: '20ms', p99: '200ms' } })
      .kn('0s', 'kn service create sunshine --image=rainbows')
      .traffic({ name: 'users', target: 'sunshine', pattern: 'poisson', rate: 5, from: '30s', to: '50s' })
      .expect({ at: '1m40s', revision: 'sunshine-00001', readyPods: 0, description: 'zero 20 s after the last request' })
      .invariants('conservation', 'zeroAfterStableWindow');
    writeFileSync(`${OUT}/built.yaml`, s.toYaml());
    const r = knsim(['run', `${OUT}/built.yaml`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PASS  zero 20 s after the last request  (0)');
    expect(r.stdout).toContain('PASS  zeroAfterStableWindow');
  });
});
