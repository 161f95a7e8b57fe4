/**
 * Output written as it is produced, never built as one string: a buffered writer to a file
 * descriptor (stdout, or a file it opens) and a JSON writer whose bytes equal
 * `JSON.stringify(value, null, 2)`, so a day's result is written piece by piece in memory
 * bounded by one buffer (a single `JSON.stringify` of it can exceed V8's longest string).
 * A recording kept in a log (a `RecordView`, e.g. spooled to disk) is written item by item
 * as it is read back, as the array its JSON is.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { RecordView } from '../index.js';
import { UsageError } from './exit.js';

const BUFFER_CHARS = 1 << 14;

/**
 * Collects chunks and writes them to `fd` 16 K characters at a time: few enough that the
 * chunks die young (the garbage collector does not promote them to grow its old space).
 */
export class FdWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly fd: number,
    private readonly what: string,
  ) {}

  /** A writer to a new file at `path` (its folders created); a path that cannot be written is bad input. */
  static toFile(path: string, what: string): FdWriter {
    try {
      mkdirSync(dirname(resolve(path)), { recursive: true });
      return new FdWriter(openSync(path, 'w'), `${what} ${path}`);
    } catch (err) {
      throw new UsageError(`cannot write the ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }

  write(chunk: string): void {
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size >= BUFFER_CHARS) this.flush();
  }

  flush(): void {
    if (this.size === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    const bytes = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(this.fd, bytes, off, bytes.length - off);
      } catch (err) {
        // stdout may be a non-blocking pipe: wait for the reader instead of failing.
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw new UsageError(`cannot write the ${this.what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
  }

  /** Flushes, and closes the descriptor unless it is stdout or stderr. */
  close(): void {
    this.flush();
    if (this.fd > 2) closeSync(this.fd);
  }
}

/** Depth below which objects and arrays are written member by member; deeper ones are stringified whole. */
const STREAM_DEPTH = 2;
/** An array longer than this, and what holds one, is written member by member at any depth. */
const LONG_ARRAY = 1000;

/**
 * Whether `value` holds, at any depth, a log's view or an array longer than LONG_ARRAY (a day's
 * timeline column): written member by member then, so no piece is a long string.
 */
function holdsLong(value: object): boolean {
  if (value instanceof RecordView) return true;
  if (Array.isArray(value)) {
    if (value.length > LONG_ARRAY) return true;
    for (const v of value as unknown[]) if (v !== null && typeof v === 'object' && holdsLong(v)) return true;
    return false;
  }
  for (const key in value) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (v !== null && typeof v === 'object' && Object.hasOwn(value, key) && holdsLong(v)) return true;
  }
  return false;
}

/** Writes `value` as `JSON.stringify(value, null, 2)` would, in pieces. */
export function writeJson(out: { write(chunk: string): void }, value: unknown, indent = '', depth = 0): void {
  if (value === null || typeof value !== 'object' || (depth >= STREAM_DEPTH && !holdsLong(value))) {
    const text = JSON.stringify(value, null, 2) ?? 'null';
    out.write(indent === '' ? text : text.replace(/\n/g, `\n${indent}`));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value) || value instanceof RecordView) {
    const items = value as Iterable<unknown> & { length: number };
    if (items.length === 0) return out.write('[]');
    out.write('[\n');
    let i = 0;
    for (const item of items) {
      out.write(inner);
      writeJson(out, item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, inner, depth + 1);
      out.write(++i === items.length ? '\n' : ',\n');
    }
    out.write(`${indent}]`);
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) return out.write('{}');
  out.write('{\n');
  entries.forEach(([key, v], i) => {
    out.write(`${inner}${JSON.stringify(key)}: `);
    writeJson(out, v, inner, depth + 1);
    out.write(i === entries.length - 1 ? '\n' : ',\n');
  });
  out.write(`${indent}}`);
}
