/**
 * Reading scenarios for a command: the flags every scenario command shares (--seed,
 * --duration, --max-duration, --set, given to the loader as overrides), the files read from
 * disk (regular files only, never more than the size limit: a FIFO, a device or a directory
 * is refused before anything blocks or grows), and every diagnostic printed on stderr,
 * located as the user typed it.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { DEFAULT_LIMITS, formatDiagnostic, loadScenarioText, parseDuration, parseMemoryBytes, type Diagnostic, type Scenario } from '../index.js';
import { setActivity, shellQuote, UsageError } from './exit.js';

// The options commander parses for the commands defined in main.ts' buildProgram; it hands them
// over untyped, so each action names its shape.
export interface LoadFlags {
  seed?: string;
  duration?: string;
  maxDuration?: string;
  set?: string[];
}

/** Reads and checks scenario files; prints every diagnostic; returns undefined if any was an error. */
export function loadScenarios(files: readonly string[], flags: LoadFlags): { file: string; scenario: Scenario }[] | undefined {
  const sets = overrideSets(flags);
  const maxBytes = scenarioFileLimit(sets);
  const loaded: { file: string; scenario: Scenario }[] = [];
  let failed = false;
  for (const file of files) {
    setActivity({ doing: `loading ${file}`, replay: ['knsim', 'validate', shellQuote(file), ...sets.flatMap((s) => ['--set', shellQuote(s)])].join(' ') });
    const text = readScenarioFile(file, maxBytes);
    if (text === undefined) {
      failed = true;
      continue;
    }
    const { scenario, diagnostics } = loadScenarioText(text, { file, sets, readFile: readReferencedFile });
    printDiagnostics(diagnostics.map((d) => ({ ...d, file: flagLabel(d.file, flags) })));
    if (scenario === undefined) failed = true;
    else loaded.push({ file, scenario });
  }
  setActivity(undefined);
  return failed ? undefined : loaded;
}

/**
 * Reads a scenario file as every command does: a regular file within `limits.maxFileSize` (the
 * default, or the `--set` that raises it). Prints why it cannot and returns undefined then.
 */
export function readScenarioFile(file: string, limit: number | readonly string[]): string | undefined {
  const maxBytes = typeof limit === 'number' ? limit : scenarioFileLimit(limit);
  try {
    return readRegularFile(file, maxBytes);
  } catch (err) {
    const tooBig = (err as NodeJS.ErrnoException).code === 'EFBIG';
    process.stderr.write(
      `${file}: error: cannot read the scenario: ${describeReadError(err)}${tooBig ? ' (raise it with --set limits.maxFileSize=<size>)' : ''}\n`,
    );
    return undefined;
  }
}

/** A file a scenario names (a trace, a manifest): regular and within the loader's limit, as readRegularFile reads it. */
export function readReferencedFile(path: string, limit: { maxBytes: number }): string {
  return readRegularFile(path, limit.maxBytes);
}

/** Reads and checks one scenario file as loadScenarios does; undefined if it had an error. */
export function loadScenario(file: string, flags: LoadFlags): Scenario | undefined {
  return loadScenarios([file], flags)?.[0]?.scenario;
}

/**
 * The text of a regular file of at most `maxBytes` bytes. Opened without blocking, so a FIFO
 * is refused instead of waiting for a writer; a device (`/dev/zero`) or a directory is refused
 * before any byte is read; a file that grows past the limit while read is refused too.
 * Errors carry Node's codes; a file over the limit has code EFBIG.
 */
export function readRegularFile(path: string, maxBytes: number): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw Object.assign(new Error(`not a regular file (${fileKind(stat)})`), { code: 'ENOTREG' });
    if (stat.size > maxBytes) throw tooBig(stat.size, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size, 4096), 1 << 20, maxBytes + 1));
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooBig(total, maxBytes);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function tooBig(size: number, maxBytes: number): Error {
  return Object.assign(new Error(`the file has ${size} bytes or more, more than the limit of ${maxBytes} bytes`), { code: 'EFBIG' });
}

function fileKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a plain file';
}

/** A read error in words: `no such file`, `not a regular file (a FIFO)`, Node's code otherwise. */
function describeReadError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'not a regular file (a directory)';
  return err instanceof Error ? err.message : String(err);
}

/** The size limit for the scenario file itself: the default, or `--set limits.maxFileSize=<size>`. */
function scenarioFileLimit(sets: readonly string[]): number {
  let maxBytes = DEFAULT_LIMITS.maxFileBytes;
  for (const set of sets) {
    const m = /^limits\.maxFileSize=(.*)$/.exec(set);
    if (m === null) continue;
    const v = parseMemoryBytes(m[1] ?? '');
    // A bad value is reported by the loader, at the --set argument.
    if (Number.isFinite(v) && v > 0) maxBytes = v;
  }
  return maxBytes;
}

/** The `--set`s the loader is given: every `--set`, then `--seed`, `--duration` and `--max-duration` as `--set`s. */
export function overrideSets(flags: LoadFlags): string[] {
  const sets = [...(flags.set ?? [])];
  if (flags.seed !== undefined) sets.push(`seed=${flags.seed}`);
  if (flags.duration !== undefined) {
    const d = parseDuration(flags.duration);
    if (!d.ok || d.ms <= 0) throw new UsageError(`--duration: ${d.ok ? 'must be greater than 0' : d.message}`);
    sets.push(`duration=${flags.duration}`);
  }
  if (flags.maxDuration !== undefined) {
    const d = parseDuration(flags.maxDuration);
    if (!d.ok || d.ms <= 0) throw new UsageError(`--max-duration: ${d.ok ? 'must be greater than 0' : d.message}`);
    sets.push(`limits.maxDuration=${flags.maxDuration}`);
  }
  return sets;
}

/** `--seed`, `--duration` and `--max-duration` are given to the loader as `--set`s; name them as the user typed them. */
export function flagLabel(file: string, flags: LoadFlags): string {
  if (flags.seed !== undefined && file === `--set seed=${flags.seed}`) return `--seed ${flags.seed}`;
  if (flags.duration !== undefined && file === `--set duration=${flags.duration}`) return `--duration ${flags.duration}`;
  if (flags.maxDuration !== undefined && file === `--set limits.maxDuration=${flags.maxDuration}`) return `--max-duration ${flags.maxDuration}`;
  return file;
}

function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) process.stderr.write(`${errors} error${errors === 1 ? '' : 's'}\n`);
}
