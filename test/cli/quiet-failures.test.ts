// Runs that go wrong say so, with an exit code, through the built CLI: a timeline step that fails
// at run time (exit 1 unless it declared `expectError`, which is then checked), a run stopped by
// the event limit (stopReason, exit 3), requests that all or mostly failed (the summary's first lines).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knsim, STACK_FRAME } from './helpers.js';
import { tempDir } from '../temp-dirs.js';

const dir = tempDir('knsim-quiet-failures-');

function scenario(
  name: string,
  timeline: string,
  traffic = '  - {name: t, target: s, pattern: poisson, rate: 5, from: 10s}',
  app = '{serviceTime: {distribution: exponential, mean: 20ms}}',
): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
seed: 1
duration: 1m
apps:
  app: ${app}
timeline:
  - {at: 0s, kn: kn service create s --image=app}
${timeline}
traffic:
${traffic}
`,
  );
  return file;
}

describe('a timeline step that fails at run time', () => {
  it('is a failed step in the summary and the JSON, and the run exits 1', () => {
    const file = scenario('failing-step', '  - {at: 20s, kn: kn service delete nope}');
    const r = knsim(['run', file]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toBe(`FAILED STEP  00:00:20.000 kn service delete nope  failed: Error: services.serving.knative.dev "nope" not found  [${file}:8:5]`);
    expect(r.stdout).toContain('1 timeline step failed. Replay with:');
    const json = knsim(['run', file, '--json']);
    expect(json.code).toBe(1);
    const steps = (JSON.parse(json.stdout) as { steps: unknown[] }).steps;
    expect(steps).toEqual([
      { index: 1, at: `${file}:8:5`, t: 20_000, step: 'kn service delete nope', error: 'Error: services.serving.knative.dev "nope" not found', passed: false },
    ]);
    const quiet = knsim(['run', file, '--quiet']);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toContain('FAILED STEP  00:00:20.000 kn service delete nope');
  });

  it('passes when it fails as its expectError declares, and fails the run when it does not', () => {
    const expected = knsim(['run', scenario('expected-error', '  - {at: 20s, kn: kn service delete nope, expectError: not found}')]);
    expect(expected.code, expected.stdout).toBe(0);
    expect(expected.stdout).not.toContain('FAILED STEP');

    const other = scenario('other-error', '  - {at: 20s, kn: kn service delete nope, expectError: forbidden}');
    const wrong = knsim(['run', other]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain(
      `FAILED STEP  00:00:20.000 kn service delete nope  expected to fail with "forbidden", but failed with: Error: services.serving.knative.dev "nope" not found  [${other}:8:5]`,
    );

    const fine = scenario('no-error', '  - {at: 20s, kn: kn service update s --env A=1, expectError: not found}');
    const succeeded = knsim(['run', fine]);
    expect(succeeded.code).toBe(1);
    expect(succeeded.stdout).toContain(`expected to fail with "not found", but it succeeded  [${fine}:8:5]`);
  });

  it('refuses an empty expectError at load, located (exit 2)', () => {
    const r = knsim(['validate', scenario('empty-expect', "  - {at: 20s, kn: kn service delete nope, expectError: ''}")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty-expect\.yaml:8:\d+: error: .*timeline\[1\]\.expectError/);
  });
});

describe('a run stopped by the event limit', () => {
  it('says so first, reports stopReason in the JSON and exits 3', () => {
    const file = scenario('stopped', '');
    const r = knsim(['run', file, '--max-events', '500']);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout.split('\n')[1]).toMatch(/^STOPPED EARLY {2}at \d+\.\d+s of 1m0s: the event limit was reached; every figure below covers only that part$/);
    const json = knsim(['run', file, '--max-events', '500', '--json']);
    expect(json.code).toBe(3);
    const result = JSON.parse(json.stdout) as { stopReason: string; durationMs: number; plannedDurationMs: number };
    expect(result.stopReason).toBe('event-limit');
    expect(result.plannedDurationMs).toBe(60_000);
    expect(result.durationMs).toBeLessThan(60_000);
    expect(knsim(['run', file, '--max-events', 'many']).stderr).toContain('--max-events many: want a whole number of events, at least 1');
  });
});

describe('a run whose requests failed', () => {
  it('says all failed in the summary’s first lines', () => {
    const file = scenario('all-fail', '', undefined, '{serviceTime: {distribution: exponential, mean: 20ms}, errorRate: 1}');
    const r = knsim(['run', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[1], r.stdout + r.stderr).toMatch(/^ALL REQUESTS FAILED {2}\d+ of \d+ ended requests failed \(500: \d+, 404: \d+\)$/);
  });

  it('says most failed when more than half did', () => {
    const file = scenario('most-fail', '  - {at: 40s, kn: kn service delete s}', '  - {name: t, target: s, pattern: poisson, rate: 5, from: 10s}');
    const r = knsim(['run', file]);
    expect(r.stdout.split('\n')[1], r.stdout + r.stderr).toMatch(/^MOST REQUESTS FAILED {2}\d+ of \d+ ended requests failed \(404: \d+\)$/);
  });
});

describe('a trace replay', () => {
  const trace = join(dir, 'trace.csv');
  writeFileSync(trace, 'HashOwner,HashApp,HashFunction,Trigger,1,2,3\no1,a1,f1,http,5,6,7\n');

  it('warns about the trace minutes that would start after the end of the run, and runs', () => {
    const file = scenario('late-minutes', '', '  - {name: t, from: 1m, trace: {format: azure, invocations: trace.csv, functions: 1, targets: s}}');
    const r = knsim(['run', file, '--duration', '3m', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `${file}:10:32: warning: traffic[0].trace: trace minute 3 (7 invocations) would start at or after the end of the replay (3m0s) and are not replayed [SCENARIO_OUT_OF_RANGE]`,
    );
    expect(r.stderr).toContain('hint: start the replay earlier (from), replay fewer minutes (minutes: [1, 2]) or lengthen duration');
  });
});

describe('a long run', () => {
  it('prints the estimate of its work before it starts (not with --quiet)', () => {
    const file = scenario('long', '', '  - {name: t, target: s, pattern: poisson, rate: 5000, from: 10s}');
    const r = knsim(['run', file, '--duration', '1h', '--max-events', '2000']);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: a long run: about 17,950,000 requests \\(at least 35,900,000 engine events\\), (?:\\d+m)?\\d+s of CPU and a peak of about \\d+ MB of memory on knsim's benchmark machine; --duration shortens it$`,
      ),
    );
    expect(knsim(['run', file, '--duration', '1h', '--max-events', '2000', '--quiet']).stderr).not.toContain('a long run');
  });
});
