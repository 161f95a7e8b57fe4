import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deepEqual, stableStringify } from '../../src/apis/meta.js';

describe('deepEqual', () => {
  it('agrees with comparing stable JSON text for any JSON values, so reconcilers see the same drift either way', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(deepEqual(a, b)).toBe(stableStringify(a) === stableStringify(b));
        expect(deepEqual(a, structuredClone(a))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('ignores key order and undefined-valued keys, and the omitted keys', () => {
    expect(deepEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(deepEqual({ a: 1, x: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual({ a: { t: 1, v: 2 } }, { a: { t: 9, v: 2 } }, new Set(['t']))).toBe(true);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
  });
});
