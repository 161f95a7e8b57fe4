/**
 * The event queue: a binary min-heap of events ordered by (time, sequence).
 *
 * Ties at equal times run in scheduling order because the sequence number grows
 * with every schedule call; no string ids are ever compared. Cancel removes an event in
 * O(log n) instead of leaving a tombstone behind: memory stays bounded by the events that
 * are still pending.
 *
 * The heap is kept in typed arrays (times, sequences, and which record each entry is), so a
 * sift compares and moves numbers in a few contiguous arrays and never reads an event's record:
 * with thousands of events pending (a thousand revisions each with an arrival, a response and
 * a probe in flight) the records are scattered in memory, and reading two of them per level of
 * every sift was most of the loop's cost. Each record has a slot; the queue finds its record
 * and its heap position by that slot, and reuses the slots of events that fired or were
 * cancelled.
 */

/** A scheduled event. Treat as opaque outside the engine; pass it back to `cancel`. */
export interface EventRecord {
  /** Virtual time in ms at which the event fires. */
  timeMs: number;
  /** Scheduling order, the tie-breaker at equal times. */
  seq: number;
  /** The record's slot in the queue; -1 once fired or cancelled. */
  slot: number;
  fn: (arg: unknown) => void;
  arg: unknown;
}

// Thrown when a heap entry below the heap's length reads as empty: the heap is corrupt. A
// constant, so that the checks on the hot path build nothing while they pass.
const HEAP_SLOT_EMPTY = 'knsim bug: event heap entry below its length is empty';

const INITIAL_CAPACITY = 64;

export class EventQueue {
  /** Heap order: entry i's time, sequence, and record slot. */
  private times = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private slots = new Int32Array(INITIAL_CAPACITY);
  /** By slot: the record, and its entry in the heap. */
  private records: (EventRecord | undefined)[] = [];
  private positions = new Int32Array(INITIAL_CAPACITY);
  /** Slots free for reuse (a stack), and how many. */
  private freeSlots = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  private length = 0;
  private nextSeq = 0;

  get size(): number {
    return this.length;
  }

  push<A>(timeMs: number, fn: (arg: A) => void, arg: A): EventRecord {
    if (this.length === this.times.length) this.grow();
    const slot = this.freeCount > 0 ? this.takeFreeSlot() : this.records.length;
    const seq = this.nextSeq++;
    const rec: EventRecord = { timeMs, seq, slot, fn: fn as (arg: unknown) => void, arg };
    if (slot === this.records.length) this.records.push(rec);
    else this.records[slot] = rec;
    this.siftUp(this.length++, timeMs, seq, slot);
    return rec;
  }

  /** The earliest record without removing it, or undefined when empty. */
  peek(): EventRecord | undefined {
    if (this.length === 0) return undefined;
    const slot = this.slots[0];
    if (slot === undefined) throw new Error(HEAP_SLOT_EMPTY);
    return this.records[slot];
  }

  pop(): EventRecord | undefined {
    if (this.length === 0) return undefined;
    const slot = this.slots[0];
    if (slot === undefined) throw new Error(HEAP_SLOT_EMPTY);
    const top = this.records[slot];
    if (top === undefined) throw new Error(HEAP_SLOT_EMPTY);
    this.release(slot);
    this.removeEntry(0);
    top.slot = -1;
    return top;
  }

  /** Removes a pending record; returns false when it already fired or was cancelled. */
  remove(rec: EventRecord): boolean {
    const slot = rec.slot;
    if (slot < 0 || this.records[slot] !== rec) return false;
    const position = this.positions[slot];
    if (position === undefined) throw new Error(HEAP_SLOT_EMPTY);
    this.release(slot);
    this.removeEntry(position);
    rec.slot = -1;
    return true;
  }

  /** Frees a record's slot for reuse. */
  private release(slot: number): void {
    this.records[slot] = undefined;
    this.freeSlots[this.freeCount++] = slot;
  }

  private takeFreeSlot(): number {
    const slot = this.freeSlots[--this.freeCount];
    if (slot === undefined) throw new Error(HEAP_SLOT_EMPTY);
    return slot;
  }

  /** Fills the hole at heap entry `i` with the last entry and restores the heap order. */
  private removeEntry(i: number): void {
    const last = --this.length;
    if (i === last) return;
    const t = this.times[last];
    const s = this.seqs[last];
    const slot = this.slots[last];
    if (t === undefined || s === undefined || slot === undefined) throw new Error(HEAP_SLOT_EMPTY);
    const at = this.siftDown(i, t, s, slot);
    if (at === i) this.siftUp(i, t, s, slot);
  }

  /** Writes the entry (t, s, slot) at heap position `i`. */
  private place(i: number, t: number, s: number, slot: number): void {
    this.times[i] = t;
    this.seqs[i] = s;
    this.slots[i] = slot;
    this.positions[slot] = i;
  }

  /** Moves the entry (t, s, slot), to be placed at the hole `i`, up towards the root. */
  private siftUp(i: number, t: number, s: number, slot: number): void {
    const { times, seqs, slots } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      const ps = seqs[parent];
      const pslot = slots[parent];
      if (pt === undefined || ps === undefined || pslot === undefined) throw new Error(HEAP_SLOT_EMPTY);
      if (pt < t || (pt === t && ps < s)) break;
      this.place(i, pt, ps, pslot);
      i = parent;
    }
    this.place(i, t, s, slot);
  }

  /** Moves the entry (t, s, slot), to be placed at the hole `i`, down towards the leaves; returns where it lands. */
  private siftDown(i: number, t: number, s: number, slot: number): number {
    const { times, seqs, slots } = this;
    const n = this.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      let child = left;
      let ct = times[left];
      let cs = seqs[left];
      if (ct === undefined || cs === undefined) throw new Error(HEAP_SLOT_EMPTY);
      const right = left + 1;
      if (right < n) {
        const rt = times[right];
        const rs = seqs[right];
        if (rt === undefined || rs === undefined) throw new Error(HEAP_SLOT_EMPTY);
        if (rt < ct || (rt === ct && rs < cs)) {
          child = right;
          ct = rt;
          cs = rs;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      const cslot = slots[child];
      if (cslot === undefined) throw new Error(HEAP_SLOT_EMPTY);
      this.place(i, ct, cs, cslot);
      i = child;
    }
    this.place(i, t, s, slot);
    return i;
  }

  /** Doubles every table (the heap holds at most as many entries as there are slots in use). */
  private grow(): void {
    const capacity = this.times.length * 2;
    const widen = <T extends Float64Array | Int32Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.times = widen(this.times, new Float64Array(capacity));
    this.seqs = widen(this.seqs, new Float64Array(capacity));
    this.slots = widen(this.slots, new Int32Array(capacity));
    this.positions = widen(this.positions, new Int32Array(capacity));
    this.freeSlots = widen(this.freeSlots, new Int32Array(capacity));
  }
}
