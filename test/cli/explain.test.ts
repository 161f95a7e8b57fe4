// `knsim explain`: the narration for learners carries the numbers, and the numbers add up.
import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../src/engine/index.js';
import { knsim, parsePrintedDurationMs, STACK_FRAME } from './helpers.js';

describe('explain scenarios/02-scale-to-zero.yaml', () => {
  let out = '';
  beforeAll(() => {
    const r = knsim(['explain', 'scenarios/02-scale-to-zero.yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    out = r.stdout;
  });

  it('shows the decider arithmetic, a cold start breakdown and the scale to zero', () => {
    expect(out).toContain('ceil(');
    expect(out).toContain('cold start');
    expect(out).toContain('scaling to zero');
  });

  it('every ceil(a / b) = n it prints is right', () => {
    const all = [...out.matchAll(/ceil\(([\d.]+) \/ ([\d.]+)(?: per pod)?\) = (\d+)/g)];
    expect(all.length).toBeGreaterThan(0);
    for (const m of all) {
      const [a, b, n] = [Number(m[1]), Number(m[2]), Number(m[3])];
      expect(n, m[0]).toBe(Math.ceil(a / b));
    }
  });

  it('the parts of a cold start add up to its total', () => {
    const all = [...out.matchAll(/cold start (\S+) from pod creation(?: to Ready)?: ([^;\n]+)/gm)];
    expect(all.length).toBeGreaterThan(0);
    for (const m of all) {
      const totalMs = parsePrintedDurationMs(must(m[1], 'the pattern captures the total'));
      const partsMs = must(m[2], 'the pattern captures the parts')
        .split(', ')
        .map((part) => parsePrintedDurationMs(part.slice(part.lastIndexOf(' ') + 1)));
      // Each figure is rounded to at most 10ms.
      expect(Math.abs(partsMs.reduce((a, b) => a + b, 0) - totalMs), m[0]).toBeLessThanOrEqual(10 * (partsMs.length + 1));
    }
  });
});
