// The report's run-length columns kept as bytes: every value read back as the very double that
// was pushed (integers, thousandths, any other double, -0, NaN, ±Infinity), runs merged as before.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunsBuilder, expandRuns } from '../../src/sim/runs.js';

/** The runs of `pushes` as the array-backed builder always made them. */
function reference(pushes: readonly [number, number][]): number[] {
  const runs: number[] = [];
  let last = NaN;
  let count = 0;
  for (const [value, times] of pushes) {
    if (times <= 0) continue;
    if (value === last) count += times;
    else {
      if (count > 0) runs.push(last, count);
      last = value;
      count = times;
    }
  }
  if (count > 0) runs.push(last, count);
  return runs;
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe('RunsBuilder', () => {
  const value = fc.oneof(
    fc.integer({ min: -5, max: 5 }),
    fc.integer({ min: -(2 ** 45), max: 2 ** 45 }),
    fc.integer({ min: -100_000, max: 100_000 }).map((n) => Math.round(n) / 1000),
    fc.integer({ min: -100_000, max: 100_000 }).map((n) => Math.round(n) / 100),
    fc.double(),
  );

  it('reads back exactly the runs pushed, and a mark reads them as they were', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.integer({ min: 0, max: 3 })), { maxLength: 200 }), fc.nat(), (pushes, cut) => {
        const b = new RunsBuilder();
        const at = cut % (pushes.length + 1);
        pushes.slice(0, at).forEach(([v, n]) => b.push(v, n));
        const mark = b.mark();
        pushes.slice(at).forEach(([v, n]) => b.push(v, n));
        expect(same(b.runsSoFar(), reference(pushes))).toBe(true);
        expect(same(b.runsAt(mark), reference(pushes.slice(0, at)))).toBe(true);
        expect(b.length).toBe(pushes.reduce((n, [, times]) => n + times, 0));
        // Read in a range, as a view of the column reads it.
        const want = reference(pushes.slice(0, at));
        expect(b.lengthAt(mark)).toBe(want.length);
        const from = cut % (want.length + 1);
        expect(same([...b.read(mark, from, from + 3)], want.slice(from, from + 3))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a day of a changing column in a few bytes a run', () => {
    const b = new RunsBuilder();
    for (let s = 0; s < 86_400; s++) b.push(Math.round(Math.abs(Math.sin(s / 7)) * 5000) / 1000);
    const runs = b.runsSoFar();
    expect(expandRuns(runs)).toHaveLength(86_400);
    expect(expandRuns(runs)[100]).toBe(Math.round(Math.abs(Math.sin(100 / 7)) * 5000) / 1000);
  });
});
