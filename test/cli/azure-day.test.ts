// 07 simulates a day of Azure trace replay (~10-15 s per run through the CLI): the built CLI
// prints the run the library pinned (test/pins/pins/07-azure-trace.json, computed in another
// process through the library's API), so one run checks both the replay and the CLI's path.
import { describe, expect, it } from 'vitest';
import { knsimAsync, pinnedFingerprint, STACK_FRAME } from './helpers.js';

describe('scenarios/07-azure-trace.yaml', () => {
  it('passes and prints the pinned fingerprint', async () => {
    const file = 'scenarios/07-azure-trace.yaml';
    const a = await knsimAsync(['run', file]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(a.stderr).not.toMatch(STACK_FRAME);
    expect(a.stdout).toMatch(/^07-azure-trace {2}\(seed 7, 24h0m0s simulated, fingerprint [0-9a-f]{16}\)$/m);
    expect(a.stdout).toContain(`fingerprint ${pinnedFingerprint(file)})`);
    expect(a.stdout.match(/^PASS /gm)).toHaveLength(2);
    expect(a.stdout).not.toMatch(/^FAIL /m);
  }, 120_000);
});
