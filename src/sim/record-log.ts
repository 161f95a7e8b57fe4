/**
 * Where a run keeps what grows with its length — the series, the narrated events and the
 * report's object changes, decisions and pod starts — as append-only logs. By default a log is
 * an array in memory (what a library user's `RunResult` holds); a caller can give a factory of
 * its own (`record.logs`), such as the CLI's logs spooled to a temporary file, so a day's
 * recordings need not stay in memory while the run goes on.
 *
 * A log is read as a `RecordView`: its first `length` items, iterated in order as often as a
 * reader likes (each pass may read them back from wherever the log keeps them), whose JSON is
 * the array of its items. Knative has no counterpart: this is knsim's own bookkeeping.
 */
import type { Recorded } from './result.js';

/** Items that can be read by index range, as often as needed. */
export interface RecordSource<T> {
  /** Items there are. */
  readonly length: number;
  /** The items from index `from` (inclusive) to `to` (exclusive), in order; `to` ≤ `length`. */
  read(from: number, to: number): Iterable<T>;
}

/** An append-only log of one recording: the items in the order they were pushed. */
export interface RecordLog<T> extends RecordSource<T> {
  push(item: T): void;
}

/** The recordings a run keeps in logs, as the result names them. */
export type RecordLogName = 'series' | 'events' | 'objects' | 'decisions' | 'podStarts';

/** Makes the log of one recording; called once per recording as the simulation is built. */
export type RecordLogFactory = <T>(name: RecordLogName) => RecordLog<T>;

/** The default log: an array in memory. */
export class ArrayLog<T> implements RecordLog<T> {
  readonly items: T[] = [];

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
  }

  *read(from: number, to: number): Iterable<T> {
    for (let i = from; i < to; i++) yield this.items[i] as T;
  }
}

/** The default factory: every log an array in memory. */
export const arrayLogs: RecordLogFactory = <T>() => new ArrayLog<T>();

/**
 * A log's first `length` items (those pushed when the view was taken; the log may grow
 * after), optionally followed by `extra` items of the caller's. Iterable any number of times;
 * its JSON is the array of its items (`knsim run --json` streams it item by item).
 */
export class RecordView<T> implements Recorded<T> {
  readonly length: number;

  constructor(
    private readonly log: RecordSource<T>,
    private readonly count: number = log.length,
    private readonly extra: readonly T[] = [],
  ) {
    this.length = count + extra.length;
  }

  *[Symbol.iterator](): Iterator<T> {
    yield* this.log.read(0, this.count);
    yield* this.extra;
  }

  /** The items as a new array (an in-memory log's copied at once, any other's read back). */
  toArray(): T[] {
    if (!(this.log instanceof ArrayLog)) return [...this];
    const out = (this.log.items as T[]).slice(0, this.count);
    for (const item of this.extra) out.push(item);
    return out;
  }

  toJSON(): T[] {
    return this.toArray();
  }
}

/** A recording as an array: itself when it is one, else its items copied out (read back from its log). */
export function recordedArray<T>(items: Recorded<T>): T[] {
  if (Array.isArray(items)) return items as T[];
  return items instanceof RecordView ? (items as RecordView<T>).toArray() : [...items];
}
