import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PiecewiseLinearIntensity, SinusoidIntensity } from '../../src/workload/index.js';
import { must } from '../../src/engine/index.js';
import { integrateRate } from './recorder.js';

interface Segment {
  startMs: number;
  endMs: number;
  startRatePerSecond: number;
  endRatePerSecond: number;
}

/** Rate (per second) of contiguous linear segments at t, by interpolation: the test's own model. */
function rateAt(segments: Segment[], t: number): number {
  for (const s of segments) {
    if (t >= s.startMs && t < s.endMs) return s.startRatePerSecond + ((s.endRatePerSecond - s.startRatePerSecond) * (t - s.startMs)) / (s.endMs - s.startMs);
  }
  return 0;
}

/** Exact ∫_a^b of the segments' rate, in arrivals: on each linear piece, mean of the end rates × width. */
function exactIntegral(segments: Segment[], a: number, b: number): number {
  let total = 0;
  for (const s of segments) {
    const lo = Math.max(a, s.startMs);
    const hi = Math.min(b, s.endMs);
    if (hi > lo) total += (((rateAt(segments, lo) + rateAtEnd(s, hi)) / 2) * (hi - lo)) / 1000;
  }
  return total;
}

function rateAtEnd(s: Segment, t: number): number {
  return s.startRatePerSecond + ((s.endRatePerSecond - s.startRatePerSecond) * (t - s.startMs)) / (s.endMs - s.startMs);
}

const segmentsArb = fc
  .array(
    fc.record({
      widthMs: fc.integer({ min: 1, max: 50_000 }),
      a: fc.double({ min: 0, max: 100, noNaN: true }),
      b: fc.double({ min: 0, max: 100, noNaN: true }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => {
    let t = 1000;
    return parts.map((p) => {
      const s = { startMs: t, endMs: t + p.widthMs, startRatePerSecond: p.a, endRatePerSecond: p.b };
      t += p.widthMs;
      return s;
    });
  });

describe('PiecewiseLinearIntensity', () => {
  it('solves the worked example: ramp 0 → 10/s over 10 s accumulates 2 arrivals by 2 s', () => {
    const ramp = new PiecewiseLinearIntensity([{ startMs: 0, endMs: 10_000, startRatePerSecond: 0, endRatePerSecond: 10 }]);
    expect(ramp.advance(2)).toBeCloseTo(2000, 9);
    expect(ramp.totalMass()).toBeCloseTo(50, 12);
  });

  it('advance(w) lands where the integral of the rate from the cursor equals w', () => {
    fc.assert(
      fc.property(segmentsArb, fc.array(fc.double({ min: 0.01, max: 200, noNaN: true }), { minLength: 1, maxLength: 10 }), (segments, works) => {
        const intensity = new PiecewiseLinearIntensity(segments);
        const startMs = must(segments[0], 'segmentsArb draws at least one segment').startMs;
        const endMs = must(segments.at(-1), 'segmentsArb draws at least one segment').endMs;
        const total = exactIntegral(segments, startMs, endMs);
        expect(Math.abs(intensity.totalMass() - total)).toBeLessThan(1e-9 * Math.max(1, total));
        let consumed = 0;
        let previous = startMs;
        for (const w of works) {
          const t = intensity.advance(w);
          consumed += w;
          if (t === Infinity) {
            expect(consumed).toBeGreaterThan(intensity.totalMass() - 1e-6);
            return;
          }
          expect(t).toBeGreaterThanOrEqual(previous);
          expect(t).toBeLessThanOrEqual(endMs);
          const piece = exactIntegral(segments, previous, t);
          expect(Math.abs(piece - w)).toBeLessThan(1e-6 * Math.max(1, w));
          previous = t;
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('SinusoidIntensity', () => {
  it('matches the worked example: the first quarter period near the peak holds 245.5 of 600', () => {
    const s = new SinusoidIntensity(0, 10, 10, 60_000, 0);
    expect(s.mass(0, 15_000)).toBeCloseTo(150 + 600 / (2 * Math.PI), 9);
    expect(s.mass(0, 60_000)).toBeCloseTo(600, 9);
    expect(s.advance(300)).toBeCloseTo(30_000, 4);
  });

  it('advance(w) lands where the integral of mean + amplitude·cos equals w, across many periods', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1000, max: 100_000 }),
        fc.integer({ min: -50_000, max: 50_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 0.001, max: 5000, noNaN: true }),
        (mean, fraction, periodMs, phaseMs, startMs, work) => {
          const amplitude = mean * fraction;
          const s = new SinusoidIntensity(startMs, mean, amplitude, periodMs, phaseMs);
          const t = s.advance(work);
          expect(t).toBeGreaterThanOrEqual(startMs);
          const rate = (x: number): number => mean + amplitude * Math.cos((2 * Math.PI * (x - phaseMs)) / periodMs);
          const steps = Math.min(200_000, Math.max(2000, Math.ceil(((t - startMs) / periodMs) * 200)));
          const integral = integrateRate(rate, startMs, t, steps);
          expect(Math.abs(integral - work)).toBeLessThan(1e-3 * Math.max(1, work));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('clips an amplitude above the mean at 0: advance(w) lands where the integral of max(0, mean + amplitude·cos) equals w', () => {
    // The worked example of SinusoidIntensity: mean 5/s, amplitude 10/s, period 20 s hold 121.8 arrivals a period.
    const example = new SinusoidIntensity(0, 5, 10, 20_000, 0);
    expect(example.mass(0, 20_000)).toBeCloseTo((20 / (2 * Math.PI)) * (5 * ((4 * Math.PI) / 3) + 20 * Math.sin((2 * Math.PI) / 3)), 6);
    expect(example.ratePerMs(10_000)).toBe(0);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 1.01, max: 20, noNaN: true }),
        fc.integer({ min: 1000, max: 100_000 }),
        fc.integer({ min: -50_000, max: 50_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 0.001, max: 5000, noNaN: true }),
        (mean, factor, periodMs, phaseMs, startMs, work) => {
          const amplitude = Math.max(0.1, mean) * factor;
          const s = new SinusoidIntensity(startMs, mean, amplitude, periodMs, phaseMs);
          const t = s.advance(work);
          expect(t).toBeGreaterThanOrEqual(startMs);
          const rate = (x: number): number => Math.max(0, mean + amplitude * Math.cos((2 * Math.PI * (x - phaseMs)) / periodMs));
          const steps = Math.min(400_000, Math.max(4000, Math.ceil(((t - startMs) / periodMs) * 400)));
          const integral = integrateRate(rate, startMs, t, steps);
          expect(Math.abs(integral - work)).toBeLessThan(2e-3 * Math.max(1, work));
        },
      ),
      { numRuns: 100 },
    );
  });
});
