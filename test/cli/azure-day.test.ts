// 07 simulates a day of Azure trace replay (~10-15 s per run): two runs side by side must
// print the same bytes, fingerprint included.
import { describe, expect, it } from 'vitest';
import { knsimAsync, STACK_FRAME } from './helpers.js';

describe('scenarios/07-azure-trace.yaml', () => {
  it('passes and two runs print byte-identical output', async () => {
    const file = 'scenarios/07-azure-trace.yaml';
    const [a, b] = await Promise.all([knsimAsync(['run', file]), knsimAsync(['run', file])]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(a.stderr).not.toMatch(STACK_FRAME);
    expect(a.stdout).toMatch(/^07-azure-trace {2}\(seed 7, 24h0m0s simulated, fingerprint [0-9a-f]{16}\)$/m);
    expect(a.stdout.match(/^PASS /gm)).toHaveLength(2);
    expect(a.stdout).not.toMatch(/^FAIL /m);
    expect(b.stdout).toBe(a.stdout);
  }, 120_000);
});
