// Window averaging and max-window tables, transcribed from knative/serving
// pkg/autoscaler/aggregation/bucketing_test.go and aggregation/max/{window,timewindow}_test.go.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeSmoothingCoeff, MaxTimeWindow, MaxWindow, roundToNDigits, TimedFloat64Buckets, WeightedFloat64Buckets } from '../../src/autoscaler/index.js';

const S = 1000;
const NOW = 1_700_000_000_000; // a whole-second virtual time, as time.Now().Truncate would give

function buckets(b: TimedFloat64Buckets, nowMs: number): Map<number, number> {
  const out = new Map<number, number>();
  b.forEachBucket(nowMs, (t, v) => {
    if (v > 0) out.set(t, v);
  });
  return out;
}
function sum(b: TimedFloat64Buckets, nowMs: number): number {
  let s = 0;
  b.forEachBucket(nowMs, (_t, v) => (s += v));
  return s;
}

describe('bucketing (bucketing_test.go)', () => {
  it('TestComputeDecayMultiplier', () => {
    expect(computeSmoothingCoeff(100)).toBe(0.2);
    expect(computeSmoothingCoeff(60)).toBe(0.2);
    expect(computeSmoothingCoeff(40)).toBeCloseTo(0.20567, 5);
    expect(computeSmoothingCoeff(6)).toBeCloseTo(0.78456, 5);
  });

  it('TestTimedFloat64BucketsSimple/granularity = 1s: records in the same second add up', () => {
    const b = new TimedFloat64Buckets(120 * S, S);
    expect(b.isEmpty(NOW)).toBe(true);
    b.record(NOW, 1);
    b.record(NOW + 100, 10);
    b.record(NOW + S, 1);
    b.record(NOW + 3 * S, 1);
    expect(buckets(b, NOW + 60 * S)).toEqual(
      new Map([
        [NOW + 3 * S, 1],
        [NOW + S, 1],
        [NOW, 11],
      ]),
    );
  });

  it('TestTimedFloat64BucketsSimple/granularity = 5s', () => {
    const t5 = Math.floor(NOW / (5 * S)) * 5 * S;
    const b = new TimedFloat64Buckets(120 * S, 5 * S);
    b.record(t5, 1);
    b.record(t5 + 3 * S, 11);
    b.record(t5 + 6 * S, 1);
    expect(buckets(b, NOW + 60 * S)).toEqual(
      new Map([
        [t5 + 5 * S, 1],
        [t5, 12],
      ]),
    );
  });

  it('TestTimedFloat64BucketsManyReps and ...WithNonMonotonicalOrder: sums survive any write order', () => {
    const b = new TimedFloat64Buckets(60 * S, S);
    let t = NOW;
    for (let p = 0; p < 5; p++) {
      t += S;
      for (let k = 0; k < 5; k++) b.record(t, p + k);
    }
    expect(sum(b, t)).toBe(100);
    const c = new TimedFloat64Buckets(60 * S, S);
    let end = NOW;
    const d = [0, 3, 2, 1, 4];
    for (const [p, offset] of d.entries()) {
      end = NOW + offset * S;
      for (let k = 0; k < 5; k++) c.record(end, p + k);
    }
    expect(sum(c, end)).toBe(100);
  });

  it('TestTimedFloat64BucketsWeightedAverage', () => {
    const b = new WeightedFloat64Buckets(5 * S, S);
    const a = b.alpha;
    b.record(NOW, 2);
    let want = 2 * a;
    expect(b.windowAverage(NOW)).toBe(want);
    want *= 1 - a;
    expect(b.windowAverage(NOW + S)).toBe(want);
    b.record(NOW + S, 2);
    want += 2 * a;
    expect(b.windowAverage(NOW + S)).toBeCloseTo(want, 12);
    for (let i = 0; i < 5; i++) b.record(NOW + (2 + i) * S, i + 2);
    const w = 6 * a + 5 * a * (1 - a) + 4 * a * (1 - a) ** 2 + 3 * a * (1 - a) ** 3 + 2 * a * (1 - a) ** 4;
    expect(b.windowAverage(NOW + 6 * S)).toBeCloseTo(w, 12);
    expect(b.windowAverage(NOW + 16 * S)).toBe(0);
  });

  it('TestTimedFloat64BucketsWindowAverage: partial windows, shrinking on silence, late and too-early writes', () => {
    const b = new TimedFloat64Buckets(5 * S, S);
    b.record(NOW, 1);
    expect(b.windowAverage(NOW)).toBe(1);
    for (let i = 1; i < 5; i++) b.record(NOW + i * S, i + 1);
    expect(b.windowAverage(NOW + 4 * S)).toBe(15 / 5);
    expect(b.windowAverage(NOW + 3600)).toBe(15 / 5);
    expect(b.windowAverage(NOW + 6 * S)).toBe((15 - 1 - 2) / (5 - 2));
    expect(b.windowAverage(NOW + 10 * S)).toBe(0);
    b.record(NOW + 6 * S, 91);
    expect(b.windowAverage(NOW + 6 * S)).toBe((15 - 1 - 2 + 91) / 5);
    let now = NOW + 60 * S;
    b.record(now, 1984);
    expect(b.windowAverage(now)).toBe(1984);
    b.record(now - 3 * S, 4);
    expect(b.windowAverage(now)).toBe((4 + 1984) / 4);
    now += S;
    b.record(now, 5);
    expect(b.windowAverage(now)).toBe((4 + 1984 + 5) / 5);
    b.record(now - 3 * S, 10);
    expect(b.windowAverage(now)).toBe((4 + 10 + 1984 + 5) / 5);
    b.record(now - 6 * S, 10);
    expect(b.windowAverage(now)).toBe((4 + 10 + 1984 + 5) / 5);
    b.record(now - 5 * S, 10);
    expect(b.windowAverage(now)).toBe((4 + 10 + 1984 + 5) / 5);
    b.record(now + 5 * S, 10);
    expect(b.windowAverage(now + 5 * S)).toBe(10);
  });

  it('TestDescendingRecord: writes in descending time order average correctly', () => {
    const b = new TimedFloat64Buckets(5 * S, S);
    for (let i = 8; i >= 0; i--) b.record(NOW + i * S, 5);
    expect(b.windowAverage(NOW + 5 * S)).toBe(5);
  });

  it('TestTimedFloat64BucketsHoles: a late write zeroes the skipped seconds', () => {
    const b = new TimedFloat64Buckets(5 * S, S);
    for (let i = 0; i < 5; i++) b.record(NOW + i * S, i + 1);
    expect(sum(b, NOW + 4 * S)).toBe(15);
    expect(b.windowAverage(NOW + 4 * S)).toBe(3);
    b.record(NOW + 8 * S, 2);
    expect(sum(b, NOW + 8 * S)).toBe(7);
  });

  it('TestWeightedFloat64BucketsResizeWindow', () => {
    const b = new WeightedFloat64Buckets(5 * S, S);
    for (let i = 0; i < 6; i++) b.record(NOW + i * S, i + 1);
    const now = NOW + 5 * S;
    expect(sum(b, now)).toBe(2 + 3 + 4 + 5 + 6);
    expect(roundToNDigits(3, b.windowAverage(now))).toBe(5.812);
    b.resizeWindow(10 * S, now);
    expect(b.bucketCount).toBe(10);
    expect(b.window).toBe(10 * S);
    expect(b.alpha).toBe(computeSmoothingCoeff(10));
  });

  it('TestTimedFloat64BucketsResizeWindow: growing keeps data, shrinking drops the oldest', () => {
    const b = new TimedFloat64Buckets(5 * S, S);
    for (let i = 0; i < 6; i++) b.record(NOW + i * S, i + 1);
    let now = NOW + 5 * S;
    const initial = 2 + 3 + 4 + 5 + 6;
    expect(sum(b, now)).toBe(initial);
    expect(b.windowAverage(now)).toBe(initial / 5);
    b.resizeWindow(10 * S, now);
    expect(b.bucketCount).toBe(10);
    expect(sum(b, now)).toBe(initial);
    expect(b.windowAverage(now)).toBe(initial / 5);
    now += S;
    b.record(now, 7);
    expect(sum(b, now)).toBe(initial + 7);
    expect(b.windowAverage(now)).toBe(roundToNDigits(6, (initial + 7) / 6));
    b.resizeWindow(4 * S, now);
    expect(b.bucketCount).toBe(4);
    expect(sum(b, now)).toBe(initial + 7 - 2 - 3);
    expect(b.windowAverage(now)).toBe((initial + 7 - 2 - 3) / 4);
  });

  it('TestTimedFloat64BucketsWindowUpdate3sGranularity', () => {
    const g = 3 * S;
    const t = Math.floor(NOW / g) * g;
    const b = new TimedFloat64Buckets(5 * S, g);
    expect(b.bucketCount).toBe(2);
    [10, 2, 3, 4, 5, 6, 7].forEach((v, i) => b.record(t + i * S, v));
    let want = 4 + 5 + 6 + 7;
    expect(sum(b, t + 6 * S)).toBe(want);
    b.resizeWindow(10 * S, t + 6 * S);
    expect(b.bucketCount).toBe(4);
    expect(sum(b, t + 6 * S)).toBe(want);
    b.record(t + 9 * S + 300, 42);
    want += 42;
    expect(sum(b, t + 9 * S)).toBe(want);
    b.resizeWindow(4 * S, t + 9 * S);
    expect(b.bucketCount).toBe(2);
    expect(sum(b, t + 9 * S)).toBe(42 + 7);
  });

  it('TestTimedFloat64BucketsWindowUpdateNoOp: resizing a stale window forgets firstWrite', () => {
    const b = new TimedFloat64Buckets(5 * S, S);
    b.record(NOW - 60 * S, 19.82);
    b.resizeWindow(10 * S, NOW);
    // With firstWrite forgotten and the data a minute old, the window reads as empty.
    expect(b.isEmpty(NOW)).toBe(true);
    expect(b.windowAverage(NOW)).toBe(0);
  });

  it('TestRoundToNDigits', () => {
    expect(roundToNDigits(6, 3.6e-17)).toBe(0);
    expect(roundToNDigits(3, -3.6e-17)).toBe(0);
    expect(roundToNDigits(3, 0.0004)).toBe(0);
    expect(roundToNDigits(3, 1.2345)).toBe(1.235);
    expect(roundToNDigits(4, 1.2345)).toBe(1.2345);
    expect(roundToNDigits(6, 12345)).toBe(12345);
  });
});

describe('max window (window_test.go, timewindow_test.go)', () => {
  const rows: { name: string; values: number[]; index?: (i: number) => number; expect: number[] }[] = [
    { name: 'single value', values: [1], expect: [1] },
    { name: 'ascending values', values: [1, 2], expect: [1, 2] },
    { name: 'descending values', values: [2, 1], expect: [2, 2] },
    { name: 'up, down, up', values: [1, 2, 1], expect: [1, 2, 2] },
    { name: 'windowing out', values: [5, 6, 5, 5, 5, 5, 5], expect: [5, 6, 6, 6, 6, 6, 5] },
    { name: 'windowing out with gaps', values: [6, 5, 2, 1], index: (i) => (i >= 3 ? i + 3 : i), expect: [6, 6, 6, 2] },
    { name: 'windowing out 2', values: [5, 6, 5, 7, 5, 5, 1], expect: [5, 6, 6, 7, 7, 7, 7] },
    { name: 'windowing out 3', values: [5, 8, 5, 7, 5, 5], expect: [5, 8, 8, 8, 8, 8] },
    { name: 'windowing out 4', values: [5, 8, 5, 7, 5, 5, 1], expect: [5, 8, 8, 8, 8, 8, 7] },
    { name: 'windowing out 5', values: [5, 8, 5, 7, 5, 5, 1, 4, 4, 4], expect: [5, 8, 8, 8, 8, 8, 7, 7, 5, 5] },
    { name: 'windowing out 6', values: [5, 8, 5, 7, 5, 5, 1, 4, 4, 4, 4], expect: [5, 8, 8, 8, 8, 8, 7, 7, 5, 5, 4] },
    { name: 'windowing out 7', values: [5, 8, 5, 7, 5, 5, 1, 4, 4, 4, 4, 9], expect: [5, 8, 8, 8, 8, 8, 7, 7, 5, 5, 4, 9] },
    { name: 'windowing out 8', values: [5, 8, 5, 7, 5, 5, 1, 4, 4, 4, 4, 9, 3, 4, 2, 1, 0], expect: [5, 8, 8, 8, 8, 8, 7, 7, 5, 5, 4, 9, 9, 9, 9, 9, 4] },
    { name: 'multiple with same index, ascending', values: [1, 2, 3, 4, 5, 6, 7], index: () => 1, expect: [1, 2, 3, 4, 5, 6, 7] },
    { name: 'multiple with same index, descending', values: [7, 6, 5, 4, 3, 2, 1], index: () => 1, expect: [7, 7, 7, 7, 7, 7, 7] },
  ];
  for (const row of rows) {
    it(`TestWindowMax/${row.name}`, () => {
      const w = new MaxWindow(5);
      const got = row.values.map((v, i) => {
        w.record(row.index ? row.index(i) : i, v);
        return w.current();
      });
      expect(got).toEqual(row.expect);
    });
  }

  it("keeps a scale-down delay of Go's maximum duration, which Knative accepts, without allocating its slots (bug: RangeError: Invalid typed array length)", () => {
    // 2562047h47m16.854s at 2 s granularity: 4.6 billion slots that Knative would allocate up front.
    const w = new MaxTimeWindow(9_223_372_036_854, 2000);
    w.record(0, 5);
    w.record(2000, 3);
    w.record(86_400_000, 1);
    expect(w.current()).toBe(5);
    // And the ring grows past its first slots as decreasing values pile up.
    const grown = new MaxWindow(1000);
    for (let i = 0; i < 500; i++) grown.record(i, 1000 - i);
    expect(grown.current()).toBe(1000);
    grown.record(999, 0);
    expect(grown.current()).toBe(1000);
    grown.record(1000, 0);
    expect(grown.current()).toBe(999);
  });

  const timed: { name: string; values: [number, number][]; expect: number }[] = [
    { name: 'single value', values: [[0, 5]], expect: 5 },
    {
      name: 'two values in same second',
      values: [
        [0, 6],
        [500, 5],
      ],
      expect: 6,
    },
    {
      name: 'two values',
      values: [
        [0, 5],
        [S, 8],
      ],
      expect: 8,
    },
    {
      name: 'time gap',
      values: [
        [0, 5],
        [6 * S, 4],
      ],
      expect: 4,
    },
  ];
  for (const row of timed) {
    it(`TestTimedWindowMax/${row.name}`, () => {
      const w = new MaxTimeWindow(5 * S, S);
      for (const [t, v] of row.values) w.record(NOW + t, v);
      expect(w.current()).toBe(row.expect);
    });
  }
});

describe('two-lane windows', () => {
  // A revision's concurrency and requests/s share one window (lanes 0 and 1): each lane must read
  // exactly as a window of its own fed the same writes would, through gaps, resets and resizes.
  const step = fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('write' as const),
        afterMs: fc.integer({ min: 0, max: 4000 }),
        a: fc.double({ min: -5, max: 50, noNaN: true }),
        b: fc.double({ min: 0, max: 500, noNaN: true }),
      }),
      weight: 8,
    },
    { arbitrary: fc.record({ kind: fc.constant('gap' as const), afterMs: fc.integer({ min: 5000, max: 130_000 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('resize' as const), windowS: fc.integer({ min: 1, max: 90 }) }), weight: 1 },
  );
  for (const weighted of [false, true]) {
    it(`${weighted ? 'weighted-exponential' : 'linear'}: each lane reads as its own window`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 60 }), fc.array(step, { maxLength: 80 }), (windowS, steps) => {
          const make = (lanes: 1 | 2): TimedFloat64Buckets =>
            weighted ? new WeightedFloat64Buckets(windowS * S, S, lanes) : new TimedFloat64Buckets(windowS * S, S, lanes);
          const pair = make(2);
          const first = make(1);
          const second = make(1);
          let now = NOW;
          for (const s of steps) {
            if (s.kind === 'resize') for (const w of [pair, first, second]) w.resizeWindow(s.windowS * S, now);
            else now += s.afterMs;
            if (s.kind === 'write') {
              pair.record(now, s.a, s.b);
              first.record(now, s.a);
              second.record(now, s.b);
            }
            for (const at of [now, now + 1500, now + 20_000]) {
              expect(Object.is(pair.windowAverage(at, 0), first.windowAverage(at))).toBe(true);
              expect(Object.is(pair.windowAverage(at, 1), second.windowAverage(at))).toBe(true);
              expect(pair.isEmpty(at)).toBe(first.isEmpty(at));
            }
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});
