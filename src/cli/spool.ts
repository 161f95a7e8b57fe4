/**
 * The recordings of `knsim run --json` spooled to disk while the run goes on, so a day's series,
 * events and report recordings do not stay in memory: each log is a file of JSON lines, one item
 * a line, appended through a small buffer and read back line by line when the result is written
 * (the JSON of an item read back is the item's: `JSON.parse` of `JSON.stringify` keeps every
 * value that JSON can hold).
 *
 * The files live under `os.tmpdir()` ($TMPDIR), each in a directory of its own made with
 * mkdtemp, and are unlinked as soon as they are open: the data lives on in the open file, no
 * name is left behind, and the system frees it when the process ends however it ends (error,
 * ctrl-C, kill). Where the system refuses to unlink an open file (Windows), the files are removed
 * by `close()` and at exit.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordLog, RecordLogFactory, RecordLogName } from '../index.js';
import { UsageError } from './exit.js';

/** Bytes buffered per log before they are appended to its file. */
const BUFFER_BYTES = 1 << 16;
/** Bytes read from a file at a time when a log is read back. */
const READ_BYTES = 1 << 16;
const NEWLINE = 0x0a;

export interface SpoolOptions {
  /** The directory the logs' directories are made in. Default `os.tmpdir()`. */
  dir?: string;
  /** Unlink each file as soon as it is open (default true; false keeps the names until `close()`, as on Windows). */
  unlinkOpen?: boolean;
}

/** The logs of one or more runs, each a file; `close()` releases them all. */
export class Spool {
  private readonly logs: FileLog<unknown>[] = [];
  /** The logs' directories still named on disk (unlinking an open file was refused, or not asked for). */
  private readonly named: string[] = [];
  private readonly onExit = (): void => this.close();

  constructor(private readonly options: SpoolOptions = {}) {}

  /** The factory to give a simulation (`record.logs`): each log it asks for is a new file. */
  readonly factory: RecordLogFactory = <T>(name: RecordLogName): RecordLog<T> => {
    const where = this.options.dir ?? tmpdir();
    const cannot = (err: unknown): UsageError =>
      new UsageError(`cannot spool the run's ${name} to ${where}: ${errorCode(err)} (set TMPDIR to a writable directory)`);
    let dir: string;
    try {
      dir = mkdtempSync(join(where, 'knsim-spool-'));
    } catch (err) {
      throw cannot(err);
    }
    const path = join(dir, `${name}.jsonl`);
    let fd: number;
    try {
      fd = openSync(path, 'w+');
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw cannot(err);
    }
    if (!this.unlink(path, dir)) {
      if (this.named.length === 0) process.on('exit', this.onExit);
      this.named.push(dir);
    }
    const log = new FileLog<T>(fd, name, where);
    this.logs.push(log);
    return log;
  };

  /** Bytes written to disk so far by every log. */
  get bytes(): number {
    return this.logs.reduce((n, log) => n + log.bytes, 0);
  }

  /** Closes every log's file and removes what is still named on disk. Idempotent. */
  close(): void {
    for (const log of this.logs.splice(0)) log.close();
    this.removeNamed();
  }

  /** Unlinks the open file and its directory now, if asked to and the system lets it. */
  private unlink(path: string, dir: string): boolean {
    if (this.options.unlinkOpen === false) return false;
    try {
      unlinkSync(path);
      rmdirSync(dir);
      return true;
    } catch {
      return false;
    }
  }

  private removeNamed(): void {
    if (this.named.length === 0) return;
    process.off('exit', this.onExit);
    for (const dir of this.named.splice(0)) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch (err) {
        process.stderr.write(`knsim: could not remove the temporary ${dir}: ${errorCode(err)}\n`);
      }
    }
  }
}

/**
 * One log in a file: JSON lines appended through a buffer, read back in chunks. Each line is
 * encoded into the buffer's bytes as it is pushed, so its string dies young: a log that fills its
 * buffer slowly (the events) would otherwise hold its lines long enough to be promoted, and grow
 * the garbage collector's old space by its whole size over a run.
 */
class FileLog<T> implements RecordLog<T> {
  length = 0;
  /** Bytes in the file. */
  bytes = 0;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private closed = false;

  constructor(
    private readonly fd: number,
    private readonly name: RecordLogName,
    private readonly where: string,
  ) {}

  push(item: T): void {
    const line = JSON.stringify(item);
    // A UTF-16 unit takes at most 3 bytes in UTF-8.
    if (this.used + line.length * 3 + 1 > BUFFER_BYTES) this.flush();
    if (line.length * 3 + 1 > BUFFER_BYTES) this.append(Buffer.from(`${line}\n`, 'utf8'));
    else {
      this.used += this.buffer.write(line, this.used, 'utf8');
      this.buffer[this.used++] = NEWLINE;
    }
    this.length++;
  }

  *read(from: number, to: number): Generator<T> {
    if (from >= to) return;
    this.flush();
    const chunk = Buffer.allocUnsafe(READ_BYTES);
    let carry: Buffer | undefined;
    let position = 0;
    let index = 0;
    while (index < to && position < this.bytes) {
      const n = readSync(this.fd, chunk, 0, Math.min(READ_BYTES, this.bytes - position), position);
      if (n <= 0) throw new Error(`knsim bug: the spooled ${this.name} ended at byte ${position} of ${this.bytes}`);
      position += n;
      const data = carry === undefined ? chunk.subarray(0, n) : Buffer.concat([carry, chunk.subarray(0, n)]);
      const end = data.lastIndexOf(NEWLINE);
      if (end < 0) {
        carry = Buffer.from(data);
        continue;
      }
      // A newline never occurs inside a JSON text's strings, nor inside a UTF-8 sequence: each line is one item.
      const lines = data.toString('utf8', 0, end).split('\n');
      carry = end + 1 < data.length ? Buffer.from(data.subarray(end + 1)) : undefined;
      for (const line of lines) {
        if (index >= from) yield JSON.parse(line) as T;
        if (++index >= to) return;
      }
    }
    if (index < to) throw new Error(`knsim bug: the spooled ${this.name} holds ${index} items, not ${to}`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.used === 0) return;
    this.append(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  /** Appends bytes at the end of the file. */
  private append(bytes: Buffer): void {
    let off = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(this.fd, bytes, off, bytes.length - off, this.bytes + off);
      } catch (err) {
        throw new UsageError(`cannot spool the run's ${this.name} to ${this.where}: ${errorCode(err)} (set TMPDIR to a directory with room)`);
      }
    }
    this.bytes += bytes.length;
  }
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}
