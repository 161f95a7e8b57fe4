// An internal error (a bug in knsim, never the user's mistake) ends with exit 70 and one line:
// what knsim was doing (the virtual time, the engine event, the seed) and the command that
// replays it; the stack trace only with --debug. The faults are injected into the compiled CLI by
// test-only modules loaded with `node --import` (test/fixtures/cli/faults/); they patch the compiled
// modules, which the bundled binary carries its own copies of, so these runs start the unbundled
// entry point (the same code: bundle.test.ts holds the two to the same bytes).
import { describe, expect, it } from 'vitest';
import { knsim as knsimAny, STACK_FRAME, UNBUNDLED_CLI, type CliResult } from './helpers.js';

const SEND_FAULT = ['--import', './test/fixtures/cli/faults/dataplane-send.mjs'];
const LOADER_FAULT = ['--import', './test/fixtures/cli/faults/loader.mjs'];

function knsim(args: readonly string[], options: { nodeArgs?: readonly string[] } = {}): CliResult {
  return knsimAny(args, { ...options, script: UNBUNDLED_CLI });
}
const SCENARIO = 'scenarios/02-scale-to-zero.yaml';

describe('an internal error', () => {
  it('inside a run: exit 70, one line with the virtual time, the engine event, the seed and the replay command, no stack', () => {
    const r = knsim(['run', SCENARIO, '--seed', '7', '--set', 'traffic[0].rate=30'], { nodeArgs: SEND_FAULT });
    expect(r.code).toBe(70);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^knsim: internal error while running scenarios\/02-scale-to-zero\.yaml at 00:01:0\d\.\d{3} virtual time \(seed 7, event \d+: fireOpen\(OpenLoop\)\): injected fault: the 100th request; replay: knsim run scenarios\/02-scale-to-zero\.yaml --seed 7 --set 'traffic\[0\]\.rate=30' --debug$/,
    );
    expect(r.stdout).toBe('');
  });

  it('with --debug: the same line, then the stack', () => {
    const r = knsim(['run', SCENARIO, '--debug'], { nodeArgs: SEND_FAULT });
    expect(r.code).toBe(70);
    expect(r.stderr.split('\n')[0]).toMatch(/^knsim: internal error while running .* --debug$/);
    expect(r.stderr).toMatch(STACK_FRAME);
    expect(r.stderr).toContain('Error: injected fault: the 100th request');
  });

  it('while loading: exit 70, one line naming the file and the validate command that replays it', () => {
    const r = knsim(['validate', SCENARIO], { nodeArgs: LOADER_FAULT });
    expect(r.code).toBe(70);
    expect(r.stderr.trim()).toBe(
      'knsim: internal error while loading scenarios/02-scale-to-zero.yaml: injected fault: reading a duration; replay: knsim validate scenarios/02-scale-to-zero.yaml --debug',
    );
  });

  it('is told apart from bad input (2) and a failed expectation (1)', () => {
    expect(knsim(['run', SCENARIO, '--quiet']).code).toBe(0);
    expect(knsim(['run', SCENARIO, '--quiet', '--set', 'duration=0s']).code).toBe(2);
  });
});
