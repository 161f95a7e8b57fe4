import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LatencyHistogram } from '../../src/dataplane/index.js';
import { must } from '../../src/engine/assert.js';

function exactQuantile(sorted: number[], q: number): number {
  return must(sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1], `a sample at quantile ${q}`);
}

describe('LatencyHistogram', () => {
  it('answers quantiles within 1% of the exact nearest-rank value on random samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 3_600_000, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1),
        (samples, q) => {
          const h = new LatencyHistogram();
          for (const v of samples) h.record(v);
          const sorted = [...samples].sort((a, b) => a - b);
          const exact = exactQuantile(sorted, q);
          expect(Math.abs(h.quantile(q) - exact)).toBeLessThanOrEqual(0.01 * exact);
          expect(h.max).toBe(sorted[sorted.length - 1]);
          expect(h.min).toBe(sorted[0]);
          expect(h.count).toBe(samples.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('merges to the same answers as recording everything in one histogram', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { maxLength: 200 }),
        (xs, ys) => {
          const a = new LatencyHistogram();
          const b = new LatencyHistogram();
          const all = new LatencyHistogram();
          for (const v of xs) {
            a.record(v);
            all.record(v);
          }
          for (const v of ys) {
            b.record(v);
            all.record(v);
          }
          a.merge(b);
          for (const q of [0, 0.5, 0.9, 0.99, 1]) expect(a.quantile(q)).toBe(all.quantile(q));
          expect(a.count).toBe(all.count);
          expect(a.zeroCount).toBe(all.zeroCount);
        },
      ),
      // Few runs: the doubles reach down to subnormals, 1,100 octaves of buckets per histogram.
      { numRuns: 50 },
    );
  });

  it('keeps its memory bounded by the value range, not the number of samples', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 1_000_000; i++) h.record(1 + (i % 10_000));
    // 1 ms .. 10 s spans 14 octaves of 128 buckets; capacity doubles, so at most 4096 slots.
    expect(h.bucketCapacity).toBeLessThanOrEqual(4096);
    expect(h.count).toBe(1_000_000);
    expect(Math.abs(h.quantile(0.5) - 5000) / 5000).toBeLessThan(0.01);
  });

  it('keeps counting past what a 32-bit bucket holds', () => {
    const h = new LatencyHistogram();
    h.record(5);
    h.record(500);
    // Merged into itself 32 times: 2^32 samples in each bucket, one more than 32 bits hold.
    for (let i = 0; i < 32; i++) h.merge(h);
    expect(h.count).toBe(2 ** 33);
    expect(h.quantile(0.25)).toBeCloseTo(5, 1);
    expect(h.quantile(0.75)).toBeCloseTo(500, -1);
    // And one sample more in a bucket that already holds 2^32.
    h.record(5);
    expect(h.quantile(0.5)).toBeCloseTo(5, 1);
  });

  it('counts zeros apart and answers 0 for them', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 90; i++) h.record(0);
    for (let i = 0; i < 10; i++) h.record(250);
    expect(h.quantile(0.5)).toBe(0);
    expect(h.quantile(0.95)).toBe(250);
    expect(h.mean).toBe(25);
  });
});
