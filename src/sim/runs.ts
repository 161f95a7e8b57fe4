/**
 * Run-length encoded columns: one value per step, kept as `[value, count, …]` so a
 * column's memory follows how often its value changes, not how many steps it has. A
 * revision idle for a day costs one run per column.
 *
 * The closed runs are kept as bytes outside the JavaScript heap, so a day's columns grow the
 * process by their own size, not by the multiple of its live data the garbage collector lets
 * its heap grow to: each number a varint — an integer zigzag-encoded, a number of thousandths
 * (the columns' concurrencies and latencies) as its count of thousandths, any other double its
 * 8 bytes — about 2 bytes a number, 8 at most, and read back as the very same double.
 */
import { must } from '../engine/assert.js';
import type { Runs } from './result.js';

/** Integers below this magnitude are stored as integers (their zigzag × 4 stays exact). */
const SMALL = 2 ** 40;
const TAG_INTEGER = 0;
const TAG_THOUSANDTHS = 1;
const TAG_DOUBLE = 2;

/** What a column held when it was looked at: read its runs as they were then with `runsAt`. */
export interface RunsMark {
  bytes: number;
  /** Numbers in the closed runs. */
  numbers: number;
  last: number;
  count: number;
}

/** A growing run-length encoded column. */
export class RunsBuilder {
  /** The closed runs, `[value, count, …]` encoded, in the first `used` bytes. */
  private bytes = new Uint8Array(16);
  private used = 0;
  private numbers = 0;
  private last = NaN;
  private count = 0;
  /** Steps appended so far. */
  length = 0;

  /** Appends `times` copies of `value`. */
  push(value: number, times = 1): void {
    if (times <= 0) return;
    this.length += times;
    if (value === this.last) {
      this.count += times;
      return;
    }
    if (this.count > 0) {
      this.writeNumber(this.last);
      this.writeNumber(this.count);
      this.numbers += 2;
    }
    this.last = value;
    this.count = times;
  }

  /** The runs so far, the open one closed (the builder can keep growing). */
  runsSoFar(): Runs {
    return this.runsAt(this.mark());
  }

  /** Where the column is now, to read its runs as they are now later on. */
  mark(): RunsMark {
    return { bytes: this.used, numbers: this.numbers, last: this.last, count: this.count };
  }

  /** The runs as they were at `mark`, the run open then closed. */
  runsAt(mark: RunsMark): Runs {
    return [...this.read(mark)];
  }

  /** How many numbers the runs at `mark` are. */
  lengthAt(mark: RunsMark): number {
    return mark.numbers + (mark.count > 0 ? 2 : 0);
  }

  /** The numbers of the runs as they were at `mark` (those from index `from` up to `to`), decoded as they are read. */
  *read(mark: RunsMark, from = 0, to = Infinity): Generator<number> {
    const b = this.bytes;
    let i = 0;
    let index = 0;
    const varint = (): number => {
      let v = 0;
      let mul = 1;
      for (;;) {
        const byte = must(b[i++], 'runs: a varint ends within the bytes written');
        v += (byte & 0x7f) * mul;
        if (byte < 0x80) return v;
        mul *= 128;
      }
    };
    while (i < mark.bytes) {
      const token = varint();
      const tag = token % 4;
      let value: number;
      if (tag === TAG_DOUBLE) {
        value = new DataView(b.buffer, b.byteOffset + i, 8).getFloat64(0, true);
        i += 8;
      } else {
        const zig = (token - tag) / 4;
        const n = zig % 2 === 0 ? zig / 2 : -(zig + 1) / 2;
        value = tag === TAG_THOUSANDTHS ? n / 1000 : n;
      }
      if (index >= to) return;
      if (index++ >= from) yield value;
    }
    if (mark.count > 0) for (const value of [mark.last, mark.count]) if (index < to && index++ >= from) yield value;
  }

  private writeNumber(v: number): void {
    const thousandths = Math.round(v * 1000);
    if (Number.isInteger(v) && Math.abs(v) < SMALL && !Object.is(v, -0)) this.writeVarint(zigzag(v) * 4 + TAG_INTEGER);
    else if (Math.abs(thousandths) < SMALL && thousandths / 1000 === v && !Object.is(v, -0)) this.writeVarint(zigzag(thousandths) * 4 + TAG_THOUSANDTHS);
    else {
      this.writeVarint(TAG_DOUBLE);
      this.room(8);
      new DataView(this.bytes.buffer, this.bytes.byteOffset + this.used, 8).setFloat64(0, v, true);
      this.used += 8;
    }
  }

  private writeVarint(n: number): void {
    this.room(8);
    let v = n;
    while (v >= 0x80) {
      this.bytes[this.used++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.used++] = v;
  }

  private room(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + n));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

/** Expands runs into one value per step (for tests and small columns). */
export function expandRuns(runs: Runs): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const value = must(runs[i], 'expandRuns: a run has a value');
    const count = must(runs[i + 1], 'expandRuns: a run has a count');
    for (let k = 0; k < count; k++) out.push(value);
  }
  return out;
}
