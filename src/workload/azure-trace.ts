/**
 * Readers for the Azure Functions 2019 public trace (Shahrad et al., "Serverless in the Wild",
 * USENIX ATC 2020; data © Microsoft, CC-BY 4.0): invocations per function per minute, execution
 * time percentiles per function, and allocated memory percentiles per app. Parsing is pure
 * (text in, values or located errors out); the caller reads the files.
 *
 * Layouts accepted, recognised by their headers (columns found by name, in any order):
 * - original: `HashOwner,HashApp,HashFunction,Trigger,1,2,…,1440`
 *   (AzurePublicDataset `invocations_per_function_md.anon.d01.csv` … `d14`);
 * - invitro's renamed sample: `HashFunction,HashApp,HashOwner,minute_1,…,minute_1440`, no Trigger
 *   (vhive-serverless/invitro `data/traces/*_inv.csv`).
 * Durations: `HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_{0,1,25,50,75,99,100}` (ms).
 * Memory: `HashOwner,HashApp[,HashFunction],SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct{1,5,25,50,75,95,99,100}` (MB);
 * the original is per app, invitro's 10-function file adds HashFunction.
 *
 * Fidelity: counts are kept exactly (Int32Array per function, 1440 minutes × 4 bytes); the day of
 * the 14-day trace is not part of the files and is not guessed.
 */
import { must } from '../engine/index.js';
import { forEachLine, MAX_TRACE_ERRORS, parseCount, parseNonNegative, quoteField, spanAt, splitSpans, type FieldSpan, type TraceParseError } from './csv.js';

/** One function's invocations per minute. */
export interface AzureFunctionTrace {
  hashOwner: string;
  hashApp: string;
  hashFunction: string;
  /** `http`, `queue`, `event`, `timer`, …; null in layouts without a Trigger column. */
  trigger: string | null;
  /** Invocations in minute m+1 of the file at index m. */
  perMinute: Int32Array;
  /** 0-based data row (the order of the file; selection by index uses it). */
  index: number;
  /** 1-based line in the file. */
  line: number;
}

type AzureInvocationsLayout = 'azure2019' | 'invitro';

type AzureParseResult<Rows> = { ok: true; rows: Rows } | { ok: false; errors: TraceParseError[] };

interface AzureInvocations {
  layout: AzureInvocationsLayout;
  /** Minute columns (1440 for a day). */
  minuteCount: number;
  functions: AzureFunctionTrace[];
}

type AzureInvocationsResult = ({ ok: true } & AzureInvocations) | { ok: false; errors: TraceParseError[] };

const ID_COLUMNS = ['HashOwner', 'HashApp', 'HashFunction', 'Trigger'] as const;

/**
 * Parses an invocations-per-minute file. Every data row must have as many fields as the header;
 * counts must be whole numbers ≥ 0. Errors carry the line and column; at most 20 are reported.
 */
export function parseAzureInvocations(text: string, options: { file: string }): AzureInvocationsResult {
  const file = options.file;
  const errors: TraceParseError[] = [];
  const fail = (code: string, line: number, column: number, message: string): boolean => {
    errors.push({ code, message, file, line, column });
    return errors.length < MAX_TRACE_ERRORS;
  };
  const idIndex: Record<string, number> = {};
  let minuteStartColumn = -1;
  let minuteCount = 0;
  let fieldCount = 0;
  let layout: AzureInvocationsLayout = 'azure2019';
  let sawHeader = false;
  const functions: AzureFunctionTrace[] = [];
  const spans: FieldSpan[] = [];
  forEachLine(text, (line, lineNumber) => {
    const n = splitSpans(line, spans);
    if (!sawHeader) {
      sawHeader = true;
      fieldCount = n;
      let headerOk = true;
      const minuteFields: number[] = [];
      for (let f = 0; f < n; f++) {
        const span = spanAt(spans, f);
        const name = line.slice(span.start, span.end).trim();
        const column = span.start + 1;
        if ((ID_COLUMNS as readonly string[]).includes(name)) {
          if (idIndex[name] !== undefined) {
            fail('TRACE_DUPLICATE_COLUMN', lineNumber, column, `column ${name} appears twice in the header`);
            headerOk = false;
          }
          idIndex[name] = f;
          continue;
        }
        const m = /^(minute_)?([1-9]\d*)$/.exec(name);
        if (m === null) {
          fail(
            'TRACE_UNKNOWN_COLUMN',
            lineNumber,
            column,
            `unknown column ${quoteField(name)}: an invocations file has HashOwner, HashApp, HashFunction, optional Trigger, then minute columns 1,2,… or minute_1,minute_2,…`,
          );
          headerOk = false;
          continue;
        }
        if (minuteFields.length === 0) layout = m[1] === undefined ? 'azure2019' : 'invitro';
        const expected = minuteFields.length + 1;
        if (Number(m[2]) !== expected) {
          fail('TRACE_UNKNOWN_COLUMN', lineNumber, column, `minute column ${quoteField(name)} out of sequence: expected minute ${expected}`);
          headerOk = false;
        }
        minuteFields.push(f);
      }
      for (const required of ['HashOwner', 'HashApp', 'HashFunction']) {
        if (idIndex[required] === undefined) {
          fail('TRACE_MISSING_COLUMN', lineNumber, 1, `the header has no ${required} column (is this an invocations-per-function file?)`);
          headerOk = false;
        }
      }
      if (minuteFields.length === 0) {
        fail('TRACE_MISSING_COLUMN', lineNumber, 1, 'the header has no minute columns (1,2,… or minute_1,minute_2,…)');
        headerOk = false;
      }
      // Minute columns must be one contiguous block so a row can be read with one loop.
      const firstMinute = minuteFields[0];
      const lastMinute = minuteFields.at(-1);
      if (headerOk && firstMinute !== undefined && lastMinute !== undefined && lastMinute - firstMinute !== minuteFields.length - 1) {
        fail('TRACE_UNKNOWN_COLUMN', lineNumber, spanAt(spans, firstMinute).start + 1, 'minute columns must be contiguous');
        headerOk = false;
      }
      minuteStartColumn = firstMinute ?? -1;
      minuteCount = minuteFields.length;
      return headerOk;
    }
    if (n !== fieldCount) {
      return fail('TRACE_FIELD_COUNT', lineNumber, line.length + 1, `row has ${n} fields, the header has ${fieldCount}`);
    }
    const field = (name: string): string => {
      const f = idIndex[name];
      if (f === undefined) return '';
      const span = spanAt(spans, f);
      return line.slice(span.start, span.end).trim();
    };
    const hashFunction = field('HashFunction');
    if (hashFunction === '') {
      const column = must(idIndex.HashFunction, 'the header check requires HashFunction');
      return fail('TRACE_BAD_VALUE', lineNumber, spanAt(spans, column).start + 1, 'HashFunction is empty');
    }
    const perMinute = new Int32Array(minuteCount);
    for (let m = 0; m < minuteCount; m++) {
      const span = spanAt(spans, minuteStartColumn + m);
      const count = parseCount(line, span.start, span.end);
      if (count < 0) {
        return fail(
          'TRACE_BAD_VALUE',
          lineNumber,
          span.start + 1,
          `minute ${m + 1}: want a whole number of invocations ≥ 0, got ${quoteField(line.slice(span.start, span.end))}`,
        );
      }
      perMinute[m] = count;
    }
    const trigger = idIndex.Trigger === undefined ? null : field('Trigger');
    functions.push({ hashOwner: field('HashOwner'), hashApp: field('HashApp'), hashFunction, trigger, perMinute, index: functions.length, line: lineNumber });
    return true;
  });
  if (!sawHeader) errors.push({ code: 'TRACE_EMPTY', message: 'the file is empty: want a header line and one row per function', file, line: 1, column: 1 });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, layout, minuteCount, functions };
}

/** Execution-time summary of one function, in ms (the duration file's columns). */
interface AzureDurationRow {
  hashOwner: string;
  hashApp: string;
  hashFunction: string;
  averageMs: number;
  count: number;
  minimumMs: number;
  maximumMs: number;
  /** Percentiles of the per-interval average execution time: p0, p1, p25, p50, p75, p99, p100. */
  percentilesMs: { p0: number; p1: number; p25: number; p50: number; p75: number; p99: number; p100: number };
  line: number;
}

/** Allocated memory summary of one app (or function, when the file has HashFunction), in MB. */
interface AzureMemoryRow {
  hashOwner: string;
  hashApp: string;
  /** Null in the original per-app layout. */
  hashFunction: string | null;
  sampleCount: number;
  averageAllocatedMb: number;
  percentilesMb: { p1: number; p5: number; p25: number; p50: number; p75: number; p95: number; p99: number; p100: number };
  line: number;
}

const DURATION_PERCENTILES = ['0', '1', '25', '50', '75', '99', '100'] as const;
const MEMORY_PERCENTILES = ['1', '5', '25', '50', '75', '95', '99', '100'] as const;

/** Parses a durations file (`*_run.csv`, `function_durations_percentiles.anon.d01.csv`). */
export function parseAzureDurations(text: string, options: { file: string }): AzureParseResult<AzureDurationRow[]> {
  const numeric = ['Average', 'Count', 'Minimum', 'Maximum', ...DURATION_PERCENTILES.map((p) => `percentile_Average_${p}`)];
  return parseNamedTable(text, options.file, ['HashOwner', 'HashApp', 'HashFunction'], [], numeric, 'a durations file', (get, line) => {
    const percentile = (p: string): number => get(`percentile_Average_${p}`) as number;
    return {
      hashOwner: get('HashOwner') as string,
      hashApp: get('HashApp') as string,
      hashFunction: get('HashFunction') as string,
      averageMs: get('Average') as number,
      count: get('Count') as number,
      minimumMs: get('Minimum') as number,
      maximumMs: get('Maximum') as number,
      percentilesMs: {
        p0: percentile('0'),
        p1: percentile('1'),
        p25: percentile('25'),
        p50: percentile('50'),
        p75: percentile('75'),
        p99: percentile('99'),
        p100: percentile('100'),
      },
      line,
    };
  });
}

/** Parses a memory file (`*_mem.csv`, `app_memory_percentiles.anon.d01.csv`). */
export function parseAzureMemory(text: string, options: { file: string }): AzureParseResult<AzureMemoryRow[]> {
  const numeric = ['SampleCount', 'AverageAllocatedMb', ...MEMORY_PERCENTILES.map((p) => `AverageAllocatedMb_pct${p}`)];
  return parseNamedTable(text, options.file, ['HashOwner', 'HashApp'], ['HashFunction'], numeric, 'a memory file', (get, line) => {
    const percentile = (p: string): number => get(`AverageAllocatedMb_pct${p}`) as number;
    const hashFunction = get('HashFunction');
    return {
      hashOwner: get('HashOwner') as string,
      hashApp: get('HashApp') as string,
      hashFunction: hashFunction === undefined ? null : (hashFunction as string),
      sampleCount: get('SampleCount') as number,
      averageAllocatedMb: get('AverageAllocatedMb') as number,
      percentilesMb: {
        p1: percentile('1'),
        p5: percentile('5'),
        p25: percentile('25'),
        p50: percentile('50'),
        p75: percentile('75'),
        p95: percentile('95'),
        p99: percentile('99'),
        p100: percentile('100'),
      },
      line,
    };
  });
}

/**
 * A header-by-name table: required and optional string columns, required numeric columns (finite, ≥ 0).
 * Extra columns are ignored (the full dataset may add some), missing required ones are errors.
 */
function parseNamedTable<Row>(
  text: string,
  file: string,
  requiredStrings: readonly string[],
  optionalStrings: readonly string[],
  numeric: readonly string[],
  what: string,
  build: (get: (name: string) => string | number | undefined, line: number) => Row,
): AzureParseResult<Row[]> {
  const errors: TraceParseError[] = [];
  const fail = (code: string, line: number, column: number, message: string): boolean => {
    errors.push({ code, message, file, line, column });
    return errors.length < MAX_TRACE_ERRORS;
  };
  const index = new Map<string, number>();
  let fieldCount = 0;
  let sawHeader = false;
  const rows: Row[] = [];
  const spans: FieldSpan[] = [];
  const values = new Map<string, string | number>();
  forEachLine(text, (line, lineNumber) => {
    const n = splitSpans(line, spans);
    if (!sawHeader) {
      sawHeader = true;
      fieldCount = n;
      let ok = true;
      for (let f = 0; f < n; f++) {
        const span = spanAt(spans, f);
        const name = line.slice(span.start, span.end).trim();
        if (index.has(name)) {
          fail('TRACE_DUPLICATE_COLUMN', lineNumber, span.start + 1, `column ${name} appears twice in the header`);
          ok = false;
        }
        index.set(name, f);
      }
      for (const name of [...requiredStrings, ...numeric]) {
        if (!index.has(name)) {
          fail('TRACE_MISSING_COLUMN', lineNumber, 1, `the header has no ${name} column (is this ${what}?)`);
          ok = false;
        }
      }
      return ok;
    }
    if (n !== fieldCount) return fail('TRACE_FIELD_COUNT', lineNumber, line.length + 1, `row has ${n} fields, the header has ${fieldCount}`);
    values.clear();
    for (const name of [...requiredStrings, ...optionalStrings]) {
      const f = index.get(name);
      if (f === undefined) continue;
      const span = spanAt(spans, f);
      values.set(name, line.slice(span.start, span.end).trim());
    }
    for (const name of numeric) {
      const span = spanAt(spans, must(index.get(name), 'the header check requires every numeric column'));
      const raw = line.slice(span.start, span.end);
      const value = parseNonNegative(raw);
      if (Number.isNaN(value)) return fail('TRACE_BAD_VALUE', lineNumber, span.start + 1, `${name}: want a number ≥ 0, got ${quoteField(raw)}`);
      values.set(name, value);
    }
    rows.push(build((name) => values.get(name), lineNumber));
    return true;
  });
  if (!sawHeader) errors.push({ code: 'TRACE_EMPTY', message: `the file is empty: want a header line and rows of ${what}`, file, line: 1, column: 1 });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, rows };
}

/** The duration and memory rows that belong to a function (null when the file has none for it). */
interface AzureFunctionStats {
  durations: AzureDurationRow | null;
  memory: AzureMemoryRow | null;
}

/**
 * Matches each function to its duration row (by owner, app and function hash) and memory row (by
 * owner, app and function when the memory file has HashFunction, else by owner and app, since the
 * original memory file is per app). The result is aligned with `functions`.
 */
export function joinAzureStats(
  functions: readonly AzureFunctionTrace[],
  durations: readonly AzureDurationRow[] = [],
  memory: readonly AzureMemoryRow[] = [],
): AzureFunctionStats[] {
  const byFunction = new Map<string, AzureDurationRow>();
  for (const row of durations) {
    const key = `${row.hashOwner}/${row.hashApp}/${row.hashFunction}`;
    if (!byFunction.has(key)) byFunction.set(key, row);
  }
  const memoryByKey = new Map<string, AzureMemoryRow>();
  for (const row of memory) {
    const key = row.hashFunction === null ? `${row.hashOwner}/${row.hashApp}` : `${row.hashOwner}/${row.hashApp}/${row.hashFunction}`;
    if (!memoryByKey.has(key)) memoryByKey.set(key, row);
  }
  return functions.map((fn) => ({
    durations: byFunction.get(`${fn.hashOwner}/${fn.hashApp}/${fn.hashFunction}`) ?? null,
    memory: memoryByKey.get(`${fn.hashOwner}/${fn.hashApp}/${fn.hashFunction}`) ?? memoryByKey.get(`${fn.hashOwner}/${fn.hashApp}`) ?? null,
  }));
}

/** Which functions to replay: the first N, or a list of 0-based row indices and/or HashFunction prefixes. */
type AzureFunctionPick = number | readonly (number | string)[];

type AzureSelectResult = { ok: true; functions: AzureFunctionTrace[] } | { ok: false; code: string; message: string };

/**
 * Selects functions in the order asked. A number N takes the first N rows (after the optional
 * trigger filter); a list takes rows by 0-based index or by a unique, case-insensitive prefix of
 * HashFunction. Unknown, ambiguous or repeated picks are errors.
 */
export function selectAzureFunctions(functions: readonly AzureFunctionTrace[], pick: AzureFunctionPick, options: { trigger?: string } = {}): AzureSelectResult {
  const pool = options.trigger === undefined ? functions : functions.filter((fn) => fn.trigger === options.trigger);
  const where = options.trigger === undefined ? '' : ` with trigger ${options.trigger}`;
  if (typeof pick === 'number') {
    if (!Number.isInteger(pick) || pick < 1) return { ok: false, code: 'TRACE_SELECT_BAD', message: `functions: want a count ≥ 1, got ${pick}` };
    if (pick > pool.length)
      return { ok: false, code: 'TRACE_SELECT_BAD', message: `functions: asks for the first ${pick} but the trace has ${pool.length} functions${where}` };
    return { ok: true, functions: pool.slice(0, pick) };
  }
  const chosen: AzureFunctionTrace[] = [];
  const seen = new Set<AzureFunctionTrace>();
  for (const item of pick) {
    let fn: AzureFunctionTrace | undefined;
    if (typeof item === 'number') {
      fn = Number.isInteger(item) ? pool[item] : undefined;
      if (fn === undefined)
        return { ok: false, code: 'TRACE_SELECT_UNKNOWN', message: `functions: index ${item} is out of range 0..${pool.length - 1}${where}` };
    } else {
      const prefix = item.toLowerCase();
      const matches = prefix === '' ? [] : pool.filter((f) => f.hashFunction.toLowerCase().startsWith(prefix));
      const first = matches[0];
      if (first === undefined)
        return { ok: false, code: 'TRACE_SELECT_UNKNOWN', message: `functions: no HashFunction starts with ${quoteField(item)}${where}` };
      if (matches.length > 1) {
        return {
          ok: false,
          code: 'TRACE_SELECT_AMBIGUOUS',
          message: `functions: ${quoteField(item)} matches ${matches.length} functions (rows ${matches
            .slice(0, 5)
            .map((f) => f.index)
            .join(', ')}); use a longer prefix`,
        };
      }
      fn = first;
    }
    if (seen.has(fn))
      return { ok: false, code: 'TRACE_SELECT_DUPLICATE', message: `functions: ${quoteField(String(item))} selects row ${fn.index} a second time` };
    seen.add(fn);
    chosen.push(fn);
  }
  return { ok: true, functions: chosen };
}

/** Per-function totals for a summary view. */
interface AzureFunctionSummary {
  index: number;
  hashFunction: string;
  trigger: string | null;
  totalInvocations: number;
  /** Minutes with at least one invocation. */
  activeMinutes: number;
  peakPerMinute: number;
  /** Mean rate over the minutes summarised. */
  meanPerSecond: number;
}

interface AzureTraceSummary {
  functionCount: number;
  /** Minutes summarised (the range asked, clipped to the file). */
  minuteCount: number;
  totalInvocations: number;
  functions: AzureFunctionSummary[];
}

/** Totals per function over minutes [minuteFrom, minuteTo] (1-based, inclusive; default the whole file). */
export function summarizeAzureInvocations(functions: readonly AzureFunctionTrace[], range: { minuteFrom?: number; minuteTo?: number } = {}): AzureTraceSummary {
  const fileMinutes = functions[0]?.perMinute.length ?? 0;
  const from = Math.max(1, range.minuteFrom ?? 1);
  const to = Math.min(fileMinutes, range.minuteTo ?? fileMinutes);
  const minuteCount = Math.max(0, to - from + 1);
  let totalInvocations = 0;
  const rows = functions.map((fn) => {
    let total = 0;
    let active = 0;
    let peak = 0;
    for (let m = from - 1; m < to; m++) {
      const count = fn.perMinute[m];
      // Every function has the file's minute count; past it there is nothing to count.
      if (count === undefined) break;
      total += count;
      if (count > 0) active++;
      if (count > peak) peak = count;
    }
    totalInvocations += total;
    return {
      index: fn.index,
      hashFunction: fn.hashFunction,
      trigger: fn.trigger,
      totalInvocations: total,
      activeMinutes: active,
      peakPerMinute: peak,
      meanPerSecond: minuteCount > 0 ? total / (minuteCount * 60) : 0,
    };
  });
  return { functionCount: functions.length, minuteCount, totalInvocations, functions: rows };
}

/** A plain-text table of a summary, largest first, e.g. for `knsim trace info`. */
export function formatAzureSummary(summary: AzureTraceSummary, options: { limit?: number } = {}): string {
  const limit = options.limit ?? 20;
  const sorted = summary.functions.slice().sort((a, b) => b.totalInvocations - a.totalInvocations || a.index - b.index);
  const header = ['ROW', 'FUNCTION', 'TRIGGER', 'INVOCATIONS', 'ACTIVE MIN', 'PEAK/MIN', 'MEAN/S'];
  const table = sorted
    .slice(0, limit)
    .map((f) => [
      String(f.index),
      f.hashFunction.slice(0, 12),
      f.trigger ?? '-',
      String(f.totalInvocations),
      String(f.activeMinutes),
      String(f.peakPerMinute),
      f.meanPerSecond >= 10 ? f.meanPerSecond.toFixed(1) : f.meanPerSecond.toPrecision(3),
    ]);
  // Every row has a cell per header column.
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => must(r[c], 'a cell per column').length)));
  const render = (cells: string[]): string =>
    cells
      .map((cell, c) => cell.padEnd(must(widths[c], 'a width per column')))
      .join('   ')
      .trimEnd();
  const lines = [
    `${summary.functionCount} functions, ${summary.minuteCount} minutes, ${summary.totalInvocations} invocations`,
    render(header),
    ...table.map(render),
  ];
  if (sorted.length > limit) lines.push(`… and ${sorted.length - limit} more`);
  return lines.join('\n');
}
