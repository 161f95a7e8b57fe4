/**
 * Choosing what to replay from an Azure Functions 2019 trace: the functions picked by count,
 * row index or HashFunction prefix (optionally of one trigger), and per-function totals over
 * a range of minutes with a plain-text table of them, largest first.
 */
import { must } from '../engine/index.js';
import type { AzureFunctionTrace } from './azure-trace.js';
import { quoteField } from './csv.js';

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
