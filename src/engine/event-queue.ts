/**
 * The event queue: a binary min-heap of event records ordered by (time, sequence).
 *
 * Ties at equal times run in scheduling order because the sequence number grows
 * with every schedule call; no string ids are ever compared. Each record keeps its
 * own heap index so that cancel removes it in O(log n) instead of leaving a
 * tombstone behind: memory stays bounded by the events that are still pending.
 */

/** A scheduled event. Treat as opaque outside the engine; pass it back to `cancel`. */
export interface EventRecord {
  /** Virtual time in ms at which the event fires. */
  timeMs: number;
  /** Scheduling order, the tie-breaker at equal times. */
  seq: number;
  /** Position in the heap array; -1 once fired or cancelled. */
  heapIndex: number;
  fn: (arg: unknown) => void;
  arg: unknown;
}

// Thrown when a heap slot below the heap's length reads as empty: the heap is corrupt. A
// constant, so that the checks on the hot path build nothing while they pass.
const HEAP_SLOT_EMPTY = 'knsim bug: event heap slot below its length is empty';

export class EventQueue {
  private heap: EventRecord[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push<A>(timeMs: number, fn: (arg: A) => void, arg: A): EventRecord {
    const rec: EventRecord = { timeMs, seq: this.nextSeq++, heapIndex: this.heap.length, fn: fn as (arg: unknown) => void, arg };
    this.heap.push(rec);
    this.siftUp(rec, rec.heapIndex);
    return rec;
  }

  /** The earliest record without removing it, or undefined when empty. */
  peek(): EventRecord | undefined {
    return this.heap[0];
  }

  pop(): EventRecord | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop();
    if (last === undefined) throw new Error(HEAP_SLOT_EMPTY);
    if (last !== top) this.siftDown(last, 0);
    top.heapIndex = -1;
    return top;
  }

  /** Removes a pending record; returns false when it already fired or was cancelled. */
  remove(rec: EventRecord): boolean {
    const i = rec.heapIndex;
    const heap = this.heap;
    if (i < 0 || heap[i] !== rec) return false;
    const last = heap.pop();
    if (last === undefined) throw new Error(HEAP_SLOT_EMPTY);
    rec.heapIndex = -1;
    if (last !== rec) {
      this.siftDown(last, i);
      this.siftUp(last, last.heapIndex);
    }
    return true;
  }

  /** Moves `rec`, to be placed at the hole `i`, up towards the root; leaves it in place with its index set. */
  private siftUp(rec: EventRecord, i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex];
      if (parent === undefined) throw new Error(HEAP_SLOT_EMPTY);
      if (parent.timeMs < rec.timeMs || (parent.timeMs === rec.timeMs && parent.seq < rec.seq)) break;
      heap[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
    }
    heap[i] = rec;
    rec.heapIndex = i;
  }

  /** Moves `rec`, to be placed at the hole `i`, down towards the leaves; leaves it in place with its index set. */
  private siftDown(rec: EventRecord, i: number): void {
    const heap = this.heap;
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      let c = heap[left];
      if (c === undefined) throw new Error(HEAP_SLOT_EMPTY);
      if (right < n) {
        const r = heap[right];
        if (r === undefined) throw new Error(HEAP_SLOT_EMPTY);
        if (r.timeMs < c.timeMs || (r.timeMs === c.timeMs && r.seq < c.seq)) {
          child = right;
          c = r;
        }
      }
      if (rec.timeMs < c.timeMs || (rec.timeMs === c.timeMs && rec.seq < c.seq)) break;
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = rec;
    rec.heapIndex = i;
  }
}
