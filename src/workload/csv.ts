/**
 * The small CSV reader the trace parsers share: lines with their 1-based numbers, fields with
 * their 1-based columns, and errors that say where.
 *
 * Fidelity: the Azure Functions 2019 files are plain comma-separated values with no quoting, so
 * quotes are not interpreted (a quoted number is reported as a bad number, never misread).
 * CRLF line ends and a missing final newline are accepted; blank lines are skipped.
 * Mirrors no upstream file (invitro reads the same files with Go's encoding/csv).
 */
import { must } from '../engine/index.js';

/** A problem in a trace file, located for an editor: `file:line:column`. */
export interface TraceParseError {
  /** Stable code: TRACE_EMPTY, TRACE_MISSING_COLUMN, TRACE_UNKNOWN_COLUMN, TRACE_DUPLICATE_COLUMN, TRACE_FIELD_COUNT, TRACE_BAD_VALUE. */
  code: string;
  message: string;
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based character column of the offending field. */
  column: number;
}

/** Stop collecting after this many errors: a wrong file would otherwise report every row. */
export const MAX_TRACE_ERRORS = 20;

/** One field of a line: its text bounds within the line. */
export interface FieldSpan {
  start: number;
  end: number;
}

/**
 * Calls `onLine(line, lineNumber)` for each non-blank line (without its line end) until it
 * returns false. The callback is per line, not per value, so its cost is negligible.
 */
export function forEachLine(text: string, onLine: (line: string, lineNumber: number) => boolean | void): void {
  let pos = 0;
  let lineNumber = 0;
  // A UTF-8 byte-order mark is not part of the first column's name.
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  while (pos < text.length) {
    lineNumber++;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let lineEnd = end;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const line = text.slice(pos, lineEnd);
    pos = end + 1;
    if (line.trim() === '') continue;
    if (onLine(line, lineNumber) === false) return;
  }
}

/** Splits a line at commas into spans (reused array, so a million-field file allocates little). */
export function splitSpans(line: string, into: FieldSpan[]): number {
  let count = 0;
  let start = 0;
  for (;;) {
    let end = line.indexOf(',', start);
    if (end < 0) end = line.length;
    const span = into[count];
    if (span !== undefined) {
      span.start = start;
      span.end = end;
    } else {
      into.push({ start, end });
    }
    count++;
    if (end === line.length) return count;
    start = end + 1;
  }
}

/** The span of field `f` of the line `splitSpans` last split into `spans`; `f` is below the count it returned. */
export function spanAt(spans: readonly FieldSpan[], f: number): FieldSpan {
  return must(spans[f], 'a field below the count splitSpans returned');
}

/** A whole number ≥ 0 that fits an Int32, or -1. Only ASCII digits (and surrounding spaces) are accepted. */
export function parseCount(line: string, start: number, end: number): number {
  while (start < end && line.charCodeAt(start) === 32) start++;
  while (end > start && line.charCodeAt(end - 1) === 32) end--;
  if (start === end) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = line.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
    if (value > 2147483647) return -1;
  }
  return value;
}

/** A finite decimal number ≥ 0 (`306`, `0.0`, `144874.0`), or NaN. */
export function parseNonNegative(text: string): number {
  const trimmed = text.trim();
  if (!/^\d+(\.\d*)?([eE][+-]?\d+)?$|^\.\d+$/.test(trimmed)) return NaN;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : NaN;
}

/** Shows a field's text in a message without flooding it. */
export function quoteField(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}
