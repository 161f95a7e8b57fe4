/**
 * Time-bucketed metric windows: the stable and panic averages the decider reads. Values are
 * summed into 1s buckets (several records in the same second add up) in a ring buffer of
 * ceil(window / granularity) buckets.
 *
 * Fidelity: mirrors knative/serving `pkg/autoscaler/aggregation/bucketing.go`, including its
 * particular rules: the linear average divides by the number of buckets since the first write
 * (a partial window right after the first write), recent silence *shrinks* the window instead of
 * counting as zeros, gaps between writes count as zeros, a write at least a whole window after
 * the last one resets everything, and results are rounded to 6 decimals (half away from zero).
 * The weighted-exponential variant is an unnormalised exponentially decaying sum. Knative's
 * `ResizeWindow` reads the wall clock; here the caller passes `nowMs`.
 *
 * A window may hold two values per bucket (lanes): two metrics always written together at the
 * same instants (a revision's concurrency and requests/s) share one ring and its bookkeeping,
 * each lane added up, zeroed and averaged exactly as a window of its own would be. Knative keeps
 * a window per metric; one object instead of two is what a revision's every second touches.
 */
import { must } from '../../engine/assert.js';

/** Knative's rounding precision of linear averages (6 decimals). */
const PRECISION_DIGITS = 6;
/** Weighted averaging: the last N buckets carry this share of the total weight (`weightPrecision`). */
const WEIGHT_PRECISION = 0.9999;
/** Weighted averaging: the smoothing coefficient never drops below this (`minExponent`). */
const MIN_EXPONENT = 0.2;

/** What the metric collector needs from a window. */
export interface WindowAverager {
  /** Adds `value` (and `value2` to the second lane, when there is one) to the bucket of `nowMs`. */
  record(nowMs: number, value: number, value2?: number): void;
  /** The average of a lane (0, or 1 for the second). */
  windowAverage(nowMs: number, lane?: number): number;
  isEmpty(nowMs: number): boolean;
  resizeWindow(windowMs: number, nowMs: number): void;
}

/** Go's math.Round to n digits (half away from zero), without a negative zero. */
export function roundToNDigits(n: number, value: number): number {
  const p = 10 ** n;
  const r = (Math.sign(value) * Math.round(Math.abs(value) * p)) / p;
  return r + 0;
}

/**
 * The weighted-exponential smoothing coefficient for N buckets: max(1 − 0.0001^(1/N), 0.2),
 * so that the last N buckets hold 99.99% of the weight. N=60 → 0.2 (the floor); N=6 → 0.78456.
 */
export function computeSmoothingCoeff(numBuckets: number): number {
  return Math.max(1 - Math.pow(1 - WEIGHT_PRECISION, 1 / numBuckets), MIN_EXPONENT);
}

/** Linear window averaging (Knative's default, `TimedFloat64Buckets`). */
export class TimedFloat64Buckets implements WindowAverager {
  /** The buckets' values, `lanes` side by side: bucket slot s, lane l at s × lanes + l. */
  protected buckets: Float64Array;
  /** The number of buckets (the ring's length). */
  protected count: number;
  /** Start of the earliest bucket written since the last reset; null when none. */
  protected firstWriteMs: number | null = null;
  /** Start of the latest bucket written; -Infinity before the first write. */
  protected lastWriteMs = -Infinity;
  protected windowTotal = 0;
  /** The second lane's total (two lanes only). */
  protected windowTotal2 = 0;

  /** `lanes`: values per bucket, 1 or 2 (two metrics written together, see the file's comment). */
  constructor(
    protected windowMs: number,
    protected readonly granularityMs = 1000,
    protected readonly lanes: 1 | 2 = 1,
  ) {
    this.count = Math.ceil(windowMs / granularityMs);
    this.buckets = new Float64Array(this.count * lanes);
  }

  get window(): number {
    return this.windowMs;
  }

  get bucketCount(): number {
    return this.count;
  }

  protected truncate(ms: number): number {
    return Math.floor(ms / this.granularityMs) * this.granularityMs;
  }

  protected timeToIndex(ms: number): number {
    return Math.floor(ms / this.granularityMs);
  }

  /** The ring-buffer slot of a bucket index (negative ones too, as a resize reaches back before 0). One modulo: every revision records several times a second. */
  protected slot(index: number): number {
    const n = this.count;
    const r = index % n;
    // + 0 turns the -0 of a negative multiple of n into 0.
    return r < 0 ? r + n : r + 0;
  }

  /** True when nothing was written within the window before `nowMs`. */
  isEmpty(nowMs: number): boolean {
    return this.truncate(nowMs) - this.lastWriteMs > this.windowMs;
  }

  /**
   * Adds `value` (and `value2` to the second lane) to the bucket of `nowMs`. A write older than
   * the window (relative to the last write) is ignored; the comparison is strict: bucket time +
   * window must be after lastWrite.
   */
  record(nowMs: number, value: number, value2 = 0): void {
    const writeIdx = this.timeToIndex(nowMs);
    const bucketTime = writeIdx * this.granularityMs;
    const buckets = this.buckets;
    const two = this.lanes === 2;
    if (this.lastWriteMs !== bucketTime) {
      if (!(bucketTime + this.windowMs > this.lastWriteMs)) return;
      if (this.firstWriteMs === null || this.firstWriteMs > bucketTime) this.firstWriteMs = bucketTime;
      if (bucketTime > this.lastWriteMs) {
        if (bucketTime - this.lastWriteMs >= this.windowMs) {
          // Nothing for a whole window: start afresh.
          this.firstWriteMs = bucketTime;
          buckets.fill(0);
          this.windowTotal = 0;
          this.windowTotal2 = 0;
        } else {
          // Zero the buckets between the last write and now (they hold data a window old).
          for (let i = this.timeToIndex(this.lastWriteMs) + 1; i <= writeIdx; i++) {
            const s = this.slot(i) * this.lanes;
            this.windowTotal -= must(buckets[s], 'ring-buffer slot in range');
            buckets[s] = 0;
            if (two) {
              this.windowTotal2 -= must(buckets[s + 1], 'ring-buffer slot in range');
              buckets[s + 1] = 0;
            }
          }
        }
        this.lastWriteMs = bucketTime;
      }
    }
    const s = this.slot(writeIdx) * this.lanes;
    buckets[s] = must(buckets[s], 'ring-buffer slot in range') + value;
    this.windowTotal += value;
    if (two) {
      buckets[s + 1] = must(buckets[s + 1], 'ring-buffer slot in range') + value2;
      this.windowTotal2 += value2;
    }
  }

  /**
   * The linear average at `nowMs`.
   * Example (5s window): writes 1,2,3,4,5 at t=0..4s → 15/5 = 3 at t=4s; at t=6s the two
   * silent seconds shrink the window: (15 − 1 − 2) / (5 − 2) = 4; at t=10s → 0.
   */
  windowAverage(nowMs: number, lane = 0): number {
    const now = this.truncate(nowMs);
    const d = now - this.lastWriteMs;
    const n = this.count;
    const total = lane === 0 ? this.windowTotal : this.windowTotal2;
    const written = this.firstWriteMs === null ? 1 : (this.lastWriteMs - this.firstWriteMs) / this.granularityMs + 1;
    if (d <= 0) return roundToNDigits(PRECISION_DIGITS, total / Math.min(written, n));
    if (d < this.windowMs) {
      const stIdx = this.timeToIndex(this.lastWriteMs);
      const eIdx = this.timeToIndex(now);
      let ret = total;
      for (let i = stIdx + 1; i <= eIdx; i++) ret -= this.valueAt(i, lane);
      return roundToNDigits(PRECISION_DIGITS, ret / Math.min(written, n - (eIdx - stIdx)));
    }
    return 0;
  }

  /** The value of a lane in the bucket of index `index`. */
  protected valueAt(index: number, lane: number): number {
    return must(this.buckets[this.slot(index) * this.lanes + lane], 'ring-buffer slot in range');
  }

  /**
   * Changes the window length, keeping the newest buckets that fit. If data was written within
   * the old window, firstWrite is set as if the old window had been full.
   */
  resizeWindow(windowMs: number, nowMs: number): void {
    if (windowMs === this.windowMs) return;
    const n = Math.ceil(windowMs / this.granularityMs);
    const lanes = this.lanes;
    const next = new Float64Array(n * lanes);
    let total = 0;
    let total2 = 0;
    if (this.truncate(nowMs) - this.lastWriteMs <= this.windowMs) {
      const oldN = this.count;
      let tIdx = this.timeToIndex(this.lastWriteMs);
      for (let k = 0; k < Math.min(n, oldN); k++) {
        const at = (((tIdx % n) + n) % n) * lanes;
        const v = this.valueAt(tIdx, 0);
        next[at] = v;
        total += v;
        if (lanes === 2) {
          const v2 = this.valueAt(tIdx, 1);
          next[at + 1] = v2;
          total2 += v2;
        }
        tIdx--;
      }
      this.firstWriteMs = this.lastWriteMs - (oldN - 1) * this.granularityMs;
    } else {
      this.firstWriteMs = null;
    }
    this.windowMs = windowMs;
    this.count = n;
    this.buckets = next;
    this.windowTotal = total;
    this.windowTotal2 = total2;
  }

  /** Visits the buckets still inside the window at `nowMs`, newest first (for views and tests). */
  forEachBucket(nowMs: number, visit: (bucketTimeMs: number, value: number) => void, lane = 0): void {
    const now = this.truncate(nowMs);
    const count = this.count - Math.floor((now - this.lastWriteMs) / this.granularityMs);
    let t = this.lastWriteMs;
    let idx = this.timeToIndex(t);
    for (let k = 0; k < count; k++) {
      visit(t, this.valueAt(idx, lane));
      idx--;
      t -= this.granularityMs;
    }
  }
}

/**
 * Weighted-exponential averaging (`metric-aggregation-algorithm: weighted-exponential`):
 * Σ bucket[lastWrite − i] × α(1−α)^(i + silentBuckets), not normalised.
 * Example (5 buckets, α = 0.84151): a single write of 2 reads 2α = 1.683 at once and
 * 2α(1−α) = 0.267 one silent second later.
 */
export class WeightedFloat64Buckets extends TimedFloat64Buckets {
  private smoothingCoeff: number;

  constructor(windowMs: number, granularityMs = 1000, lanes: 1 | 2 = 1) {
    super(windowMs, granularityMs, lanes);
    this.smoothingCoeff = computeSmoothingCoeff(Math.ceil(windowMs / granularityMs));
  }

  get alpha(): number {
    return this.smoothingCoeff;
  }

  override windowAverage(nowMs: number, lane = 0): number {
    const now = this.truncate(nowMs);
    if (this.isEmpty(now)) return 0;
    const total = this.count;
    let numB = total;
    const alpha = this.smoothingCoeff;
    let multiplier = alpha;
    if (now > this.lastWriteMs) {
      const silent = Math.floor((now - this.lastWriteMs) / this.granularityMs);
      multiplier *= Math.pow(1 - alpha, silent);
      numB -= silent;
    }
    const start = this.timeToIndex(this.lastWriteMs);
    let ret = 0;
    for (let i = 0; i < numB; i++) {
      ret += this.valueAt(start - i, lane) * multiplier;
      multiplier *= 1 - alpha;
    }
    return ret;
  }

  override resizeWindow(windowMs: number, nowMs: number): void {
    super.resizeWindow(windowMs, nowMs);
    this.smoothingCoeff = computeSmoothingCoeff(Math.ceil(windowMs / this.granularityMs));
  }
}
