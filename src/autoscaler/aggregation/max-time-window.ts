/**
 * A running maximum over a sliding time window, used for `scale-down-delay`: the decider
 * records each decision and applies the largest one seen in the last `delay`, so scale-up is
 * immediate and scale-down waits until the lower count has persisted for the whole delay.
 *
 * Fidelity: mirrors knative/serving `pkg/autoscaler/aggregation/max/{timewindow,window}.go`:
 * a monotonic deque in a ring buffer of ceil(duration / granularity) entries, indexed by
 * floor(unix seconds / granularity seconds). Example (5 min delay, 2s granularity, 150 slots):
 * 4 recorded at t=2s (index 1) is still the maximum at t=300s (index 150, 150−1 < 150) and is
 * dropped at t=302s (index 151).
 */
import { must } from '../../engine/assert.js';

/**
 * The ring-buffer max window over integer indices (`window.go`). Knative allocates all
 * ceil(duration / granularity) slots up front; here the ring starts small and doubles as the
 * deque grows (it never holds more entries than the window has slots), so a scale-down delay
 * of Go's maximum duration, which Knative accepts, costs memory only for what is recorded.
 */
export class MaxWindow {
  private values: Int32Array;
  private indices: Float64Array;
  private first = 0;
  private length = 0;

  constructor(readonly size: number) {
    if (!(size >= 1)) throw new Error(`max window size must be ≥ 1, got ${size}`);
    const capacity = Math.min(size, INITIAL_CAPACITY);
    this.values = new Int32Array(capacity);
    this.indices = new Float64Array(capacity);
  }

  /** Records `value` at `index` (indices must not go backwards by more than the window). */
  record(index: number, value: number): void {
    const size = this.size;
    let capacity = this.values.length;
    // Drop trailing entries that the new value dominates (≤ value).
    while (this.length > 0 && !(value < must(this.values[(this.first + this.length - 1) % capacity], 'ring-buffer slot in range'))) this.length--;
    // Drop leading entries that fell out of the window.
    while (this.length > 0 && index - must(this.indices[this.first], 'ring-buffer slot in range') >= size) {
      this.length--;
      this.first = (this.first + 1) % capacity;
    }
    // Merge with an entry of the same index, keeping the larger value.
    if (this.length > 0) {
      const lastSlot = (this.first + this.length - 1) % capacity;
      if (this.indices[lastSlot] === index) {
        const kept = must(this.values[lastSlot], 'ring-buffer slot in range');
        if (kept > value) value = kept;
        this.length--;
      }
    }
    if (this.length === capacity) capacity = this.grow();
    const slot = (this.first + this.length) % capacity;
    this.values[slot] = value;
    this.indices[slot] = index;
    this.length++;
    if (this.length > size) throw new Error(`max window length ${this.length} exceeded its size ${size}`);
  }

  /** The maximum over the window (0 before any record). */
  current(): number {
    return must(this.values[this.first], 'ring-buffer slot in range');
  }

  /** Doubles the ring (up to the window's size), unrolling the deque to start at slot 0; returns the new capacity. */
  private grow(): number {
    const old = this.values.length;
    const capacity = Math.min(this.size, old * 2);
    const values = new Int32Array(capacity);
    const indices = new Float64Array(capacity);
    for (let i = 0; i < this.length; i++) {
      values[i] = must(this.values[(this.first + i) % old], 'ring-buffer slot in range');
      indices[i] = must(this.indices[(this.first + i) % old], 'ring-buffer slot in range');
    }
    this.values = values;
    this.indices = indices;
    this.first = 0;
    return capacity;
  }
}

/** Slots a window starts with; it doubles as needed. */
const INITIAL_CAPACITY = 64;

/** A max window over virtual time with a bucket granularity (`timewindow.go`). */
export class MaxTimeWindow {
  private readonly window: MaxWindow;
  private readonly granularitySeconds: number;

  constructor(durationMs: number, granularityMs: number) {
    this.window = new MaxWindow(Math.ceil(durationMs / granularityMs));
    this.granularitySeconds = Math.max(1, Math.floor(granularityMs / 1000));
  }

  record(nowMs: number, value: number): void {
    this.window.record(Math.floor(Math.floor(nowMs / 1000) / this.granularitySeconds), value);
  }

  current(): number {
    return this.window.current();
  }
}
