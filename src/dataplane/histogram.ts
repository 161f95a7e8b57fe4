/**
 * A latency histogram with bounded memory and ≤ 0.4% relative error: log-linear
 * buckets (HdrHistogram's layout) read straight from the bits of the IEEE-754 double.
 *
 * The bucket of a positive value is its binary exponent followed by the top 7 bits of
 * its mantissa, i.e. every power-of-two octave [2^e, 2^(e+1)) is cut into 128 equal
 * sub-buckets. A bucket's width is at most 1/128 of its lower bound, so answering with
 * the bucket's midpoint is off by at most 1/256 ≈ 0.39% of the true value.
 * Worked example: 150 ms lies in octave [128, 256), sub-bucket width 1 ms, so 150 falls
 * in [150, 151) and is reported as 150.5 (error 0.33%).
 *
 * Counts live in a typed array that covers only the range of buckets seen so far and
 * grows by doubling, so a histogram of latencies between 1 ms and 10 s holds about
 * 1,700 buckets (13 octaves × 128) whatever the number of samples. The counts are 32-bit
 * (a revision keeps several histograms, and 1,000 revisions held 40 MB of 64-bit counts);
 * a bucket about to pass 2^32 − 1 turns the whole array to doubles first. Zero and negative
 * values are counted apart (a request that never queued has a queue wait of exactly 0).
 *
 * Fidelity: not a Knative component; it stands in for the Prometheus histograms users
 * read, with far finer buckets. Quantiles use the nearest-rank definition.
 */

const SUB_BUCKET_BITS = 7;
const SHIFT = 20 - SUB_BUCKET_BITS;
const scratchF64 = new Float64Array(1);
const scratchU32 = new Uint32Array(scratchF64.buffer);
/** Index of the high 32-bit word of a double in the scratch view (1 on little-endian machines). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;
/** The largest count a 32-bit bucket holds. */
const MAX_U32 = 0xffffffff;

// Thrown when a slot inside a typed array's bounds reads as empty. A constant, so that the checks
// on the recording path build nothing while they pass.
const SLOT_EMPTY = 'knsim bug: histogram slot inside its array reads as empty';

/** The bucket index of a positive finite value: sign (0), 11 exponent bits, 7 mantissa bits. */
function bucketOf(value: number): number {
  scratchF64[0] = value;
  const hi = scratchU32[HI];
  if (hi === undefined) throw new Error(SLOT_EMPTY);
  return hi >>> SHIFT;
}

/** The smallest value in bucket `index`. Consecutive indexes are consecutive doubles' ranges. */
function lowerBoundOf(index: number): number {
  scratchU32[HI] = index << SHIFT;
  scratchU32[LO] = 0;
  const bound = scratchF64[0];
  if (bound === undefined) throw new Error(SLOT_EMPTY);
  return bound;
}

export class LatencyHistogram {
  /** Samples recorded (including zeros). */
  count = 0;
  /** Sum of all samples, for the mean. */
  sum = 0;
  /** Smallest and largest sample (exact); NaN while empty. */
  min = NaN;
  max = NaN;
  /** Samples ≤ 0. */
  zeroCount = 0;
  private counts: Uint32Array | Float64Array = new Uint32Array(0);
  /** Bucket index of counts[0]. */
  private offset = 0;

  record(value: number): void {
    this.count++;
    this.sum += value;
    if (!(value >= this.min)) this.min = value;
    if (!(value <= this.max)) this.max = value;
    if (value <= 0) {
      this.zeroCount++;
      return;
    }
    const index = bucketOf(value);
    let slot = index - this.offset;
    if (slot < 0 || slot >= this.counts.length) slot = this.grow(index);
    const c = this.counts[slot];
    if (c === undefined) throw new Error(SLOT_EMPTY);
    if (c === MAX_U32) this.widen();
    this.counts[slot] = c + 1;
  }

  /** Mean of the samples, or NaN when empty. */
  get mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  /**
   * The nearest-rank quantile: the smallest sample with at least q·count samples at or
   * below it, answered as its bucket's midpoint clamped to [min, max]. q in [0, 1]; NaN when empty.
   * Example: samples 1..100 → quantile(0.99) is the 99th sample, 99 (reported 99.19).
   */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = this.zeroCount;
    if (seen >= rank) return Math.min(0, this.max);
    let index = this.offset;
    for (const c of this.counts) {
      seen += c;
      if (seen >= rank) {
        const mid = (lowerBoundOf(index) + lowerBoundOf(index + 1)) / 2;
        return Math.min(this.max, Math.max(this.min, mid));
      }
      index++;
    }
    return this.max;
  }

  /** Adds another histogram's samples into this one (to build totals over revisions). */
  merge(other: LatencyHistogram): void {
    if (other.count === 0) return;
    this.count += other.count;
    this.sum += other.sum;
    this.zeroCount += other.zeroCount;
    if (!(other.min >= this.min)) this.min = other.min;
    if (!(other.max <= this.max)) this.max = other.max;
    let index = other.offset;
    for (const c of other.counts) {
      if (c !== 0) {
        let mine = index - this.offset;
        if (mine < 0 || mine >= this.counts.length) mine = this.grow(index);
        const have = this.counts[mine];
        if (have === undefined) throw new Error(SLOT_EMPTY);
        if (have + c > MAX_U32) this.widen();
        this.counts[mine] = have + c;
      }
      index++;
    }
  }

  /** Number of buckets currently allocated (for memory checks). */
  get bucketCapacity(): number {
    return this.counts.length;
  }

  /** Widens the covered range to include `index` (doubling, so growth is amortised); returns its slot. */
  private grow(index: number): number {
    const old = this.counts;
    if (old.length === 0) {
      this.counts = new Uint32Array(256);
      this.offset = index - 128;
      return index - this.offset;
    }
    const lo = Math.min(this.offset, index);
    const hi = Math.max(this.offset + old.length, index + 1);
    let size = old.length;
    while (size < hi - lo) size *= 2;
    // Put the spare room on the side we grew towards: latencies drift in one direction at a time.
    const newOffset = index < this.offset ? hi - size : lo;
    const next = old instanceof Float64Array ? new Float64Array(size) : new Uint32Array(size);
    next.set(old, this.offset - newOffset);
    this.counts = next;
    this.offset = newOffset;
    return index - newOffset;
  }

  /** Holds the counts as doubles from now on (once a bucket would pass what 32 bits hold). */
  private widen(): void {
    if (this.counts instanceof Float64Array) return;
    this.counts = Float64Array.from(this.counts);
  }
}
