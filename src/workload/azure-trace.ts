/**
 * The Azure Functions 2019 public trace (Shahrad et al., "Serverless in the Wild", USENIX ATC
 * 2020; data © Microsoft, CC-BY 4.0) as knsim replays it: invocations per function per minute,
 * read from the invocations file. Parsing is pure (text in, values or located errors out); the
 * caller reads the file. The duration and memory files are read by azure-stats.ts, the
 * functions to replay chosen by azure-selection.ts.
 *
 * Layouts accepted, recognised by their headers (columns found by name, in any order):
 * - original: `HashOwner,HashApp,HashFunction,Trigger,1,2,…,1440`
 *   (AzurePublicDataset `invocations_per_function_md.anon.d01.csv` … `d14`);
 * - invitro's renamed sample: `HashFunction,HashApp,HashOwner,minute_1,…,minute_1440`, no Trigger
 *   (vhive-serverless/invitro `data/traces/*_inv.csv`).
 *
 * Fidelity: counts are kept exactly (Int32Array per function, 1440 minutes × 4 bytes); the day of
 * the 14-day trace is not part of the files and is not guessed.
 */
import { must } from '../engine/index.js';
import { forEachLine, MAX_TRACE_ERRORS, parseCount, quoteField, spanAt, splitSpans, type FieldSpan, type TraceParseError } from './csv.js';

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
