/**
 * The per-function statistics of the Azure Functions 2019 trace: execution time percentiles
 * per function and allocated memory percentiles per app (or per function), each matched to the
 * functions of the invocations file. Parsing is pure (text in, values or located errors out).
 *
 * Layouts, columns found by name (extra columns ignored):
 * Durations: `HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_{0,1,25,50,75,99,100}` (ms).
 * Memory: `HashOwner,HashApp[,HashFunction],SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct{1,5,25,50,75,95,99,100}` (MB);
 * the original is per app, invitro's 10-function file adds HashFunction.
 *
 * Fidelity: the original memory file has no function column, so every function of an app gets
 * the app's row.
 */
import { must } from '../engine/index.js';
import type { AzureFunctionTrace } from './azure-trace.js';
import { forEachLine, MAX_TRACE_ERRORS, parseNonNegative, quoteField, spanAt, splitSpans, type FieldSpan, type TraceParseError } from './csv.js';

type AzureParseResult<Rows> = { ok: true; rows: Rows } | { ok: false; errors: TraceParseError[] };

/** Execution-time summary of one function, in ms (the duration file's columns). */
export interface AzureDurationRow {
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

/** The percentile columns of a durations file, in percentile order, with the percentile each holds. */
const DURATION_POINTS = DURATION_PERCENTILES.map((p) => ({ p: Number(p), key: `p${p}` as const, column: `percentile_Average_${p}` }));

/**
 * A function's execution time as percentile points (p0, p1, p25, p50, p75, p99, p100 in ms), the
 * shape of an empirical distribution; null when the row's percentiles decrease somewhere, with
 * the first column that is below the one before it.
 * Example: p0 10, p1 10, p25 10, p50 10, p75 59, p99 59, p100 59 → seven points; p50 12 after p25 15 → that column.
 */
export function azureDurationPoints(
  row: AzureDurationRow,
): { ok: true; points: { p: number; valueMs: number }[] } | { ok: false; column: string; previousColumn: string; valueMs: number; previousMs: number } {
  const points: { p: number; valueMs: number }[] = [];
  let previous: { column: string; valueMs: number } | undefined;
  for (const { p, key, column } of DURATION_POINTS) {
    const valueMs = row.percentilesMs[key];
    if (previous !== undefined && valueMs < previous.valueMs)
      return { ok: false, column, previousColumn: previous.column, valueMs, previousMs: previous.valueMs };
    points.push({ p, valueMs });
    previous = { column, valueMs };
  }
  return { ok: true, points };
}

/** The 1-based character column of field `name` (by the header) on line `line` of a CSV text; 1 when either is missing. */
export function azureFieldColumn(text: string, line: number, name: string): number {
  const spans: FieldSpan[] = [];
  let field = -1;
  let column = 1;
  forEachLine(text, (l, lineNumber) => {
    const n = splitSpans(l, spans);
    if (field < 0) {
      for (let f = 0; f < n; f++) {
        const span = spanAt(spans, f);
        if (l.slice(span.start, span.end).trim() === name) field = f;
      }
      return field >= 0;
    }
    if (lineNumber < line) return true;
    if (lineNumber === line && field < n) column = spanAt(spans, field).start + 1;
    return false;
  });
  return column;
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
