// A failed expectation: exit 1, expected vs actual, and a replay line that really replays.
// `validate` accepts every shipped scenario.
import { describe, expect, it } from 'vitest';
import { must } from '../../src/engine/index.js';
import { FIXTURES, knsim, SHIPPED, STACK_FRAME } from './helpers.js';

const FAILING = `${FIXTURES}/failing.yaml`;

/** Runs the printed `knsim run …` line as a POSIX shell would split it (plain words and '…' quoting). */
function replay(stdout: string): ReturnType<typeof knsim> {
  const line = /^ {2}knsim (run .*)$/m.exec(stdout);
  expect(line, stdout).not.toBeNull();
  const words = [...(line?.[1] ?? '').matchAll(/'([^']*)'|(\S+)/g)].map((m) => must(m[1] ?? m[2], 'one of the two alternatives matched'));
  return knsim(words);
}

describe('a failed expectation', () => {
  it('exits 1 and prints expected vs actual, where it is, and how to replay', () => {
    const r = knsim(['run', FAILING]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stdout).toContain('PASS  one pod serves the trickle');
    expect(r.stdout).toContain(`FAIL  three pods for one request a second  [${FAILING}:17:5]`);
    expect(r.stdout).toMatch(/^ +expected: ≥ 3$/m);
    expect(r.stdout).toMatch(/^ +actual: +1$/m);
    expect(r.stdout).toContain('1 of 2 expectations failed. Replay with:');
    expect(r.stdout).toContain(`  knsim run ${FAILING} --seed 5\n`);
  });

  it('the replay line reproduces the same run', () => {
    const first = knsim(['run', FAILING]);
    const again = replay(first.stdout);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe(first.stdout);
  });

  it('--seed on the command line is the seed in the replay line', () => {
    const r = knsim(['run', FAILING, '--seed', '11']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^failing {2}\(seed 11,/m);
    expect(r.stdout).toContain(`  knsim run ${FAILING} --seed 11\n`);
  });

  it('--quiet prints only the failure and the replay line', () => {
    const r = knsim(['run', FAILING, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  three pods for one request a second');
    expect(r.stdout).not.toContain('PASS');
    expect(r.stdout).not.toContain('ready pods');
    expect(r.stdout).toContain(`knsim run ${FAILING} --seed 5`);
  });

  it('--json still exits 1 and marks the expectation failed', () => {
    const r = knsim(['run', FAILING, '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { expectations: { passed: boolean; expected: string; actual: string; at: string }[] };
    expect(json.expectations.map((e) => e.passed)).toEqual([true, false]);
    expect(json.expectations[1]).toMatchObject({ expected: '≥ 3', actual: '1', at: `${FAILING}:17:5` });
  });

  it('a failure caused by --set replays with that --set', () => {
    // Raising the bound makes the flagship fail; replaying without the override would pass.
    const r = knsim(['run', 'scenarios/02-scale-to-zero.yaml', '--set', 'expect[0].readyPods.min=5', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ +expected: ≥ 5$/m);
    const again = replay(r.stdout);
    expect(again.code, `the replay line passed instead of failing:\n${r.stdout}`).toBe(1);
  });
});

describe('validate', () => {
  it('accepts every shipped scenario', () => {
    const r = knsim(['validate', ...SHIPPED]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.slice(0, l.indexOf(':')))).toEqual(SHIPPED);
    for (const line of lines) expect(line).toMatch(/^\S+: ok \(\d+ timeline actions?, \d+ workloads?, \d+ expectations?, about [\d,]+ requests over \S+\)$/);
  });

  it('rejects a bad file with exit 2 and prints no "ok"', () => {
    const r = knsim(['validate', `${FIXTURES}/bad/container-concurrency.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('ok');
    expect(r.stderr).toContain('[SCENARIO_INVALID_MANIFEST]');
  });

  it('accepts a scenario whose expectations would fail (validate does not run it)', () => {
    const r = knsim(['validate', FAILING]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${FAILING.replace(/[.]/g, '\\.')}: ok `));
  });
});
