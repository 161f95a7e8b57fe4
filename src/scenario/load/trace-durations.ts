/**
 * Reads a trace's `durations:` file (the Azure Functions 2019 execution-time percentiles per
 * function) into each selected function's service time: its percentile_Average_{0,1,25,50,75,99,100}
 * as an empirical distribution (p0 … p100 in ms, linear between them, as `serviceTime: {distribution:
 * empirical}` is), which the replayer draws each of the function's requests from. Parsed here, once,
 * by the workload layer's own parser (src/workload/azure-stats.ts); the scenario carries the
 * distributions, never the text.
 *
 * What cannot drive a service time is said, never dropped: a selected function with no row, or
 * whose row has Count 0 (nothing was measured), is a warning naming it (its requests take its
 * target image's `serviceTime`); a function with two rows is a warning (the first is used); a
 * row whose percentiles decrease is an error at its line and column. Rows of functions not
 * selected are parsed (a malformed file is refused) but not judged.
 *
 * Fidelity: the file's percentiles are of per-interval average execution times, not of single
 * invocations, so the distribution is narrower than the invocations' own; Minimum and Maximum
 * (of single invocations) are not used, as invitro does not use them either.
 */
import type { Distribution as EngineDistribution } from '../../engine/distribution.js';
import { azureDurationPoints, azureFieldColumn, parseAzureDurations, type AzureDurationRow } from '../../workload/azure-stats.js';
import type { AzureFunctionTrace } from '../../workload/azure-trace.js';
import type { TraceArrivals } from '../types.js';
import type { LoadContext } from './context.js';

/** Functions named one by one in a warning; the rest are counted. */
const MAX_NAMED = 5;

/**
 * The service time of each selected function (aligned with `functions`) from the durations file's
 * text, or undefined after reporting why the file cannot be used.
 */
export function readTraceDurations(
  ctx: LoadContext,
  node: unknown,
  p: string,
  file: { written: string; resolved: string; text: string },
  functions: readonly AzureFunctionTrace[],
): TraceArrivals['durations'] {
  const r = ctx.r;
  const parsed = parseAzureDurations(file.text, { file: file.resolved });
  if (!parsed.ok) {
    for (const e of parsed.errors) r.report('SCENARIO_BAD_VALUE', { file: e.file, line: e.line, column: e.column }, `${p}: ${e.message}`);
    return undefined;
  }
  const byKey = new Map<string, AzureDurationRow[]>();
  for (const row of parsed.rows) {
    const key = `${row.hashOwner}/${row.hashApp}/${row.hashFunction}`;
    const rows = byKey.get(key);
    if (rows === undefined) byKey.set(key, [row]);
    else rows.push(row);
  }
  const at = (line: number, column: string): { file: string; line: number; column: number } => ({
    file: file.resolved,
    line,
    column: azureFieldColumn(file.text, line, column),
  });
  const missing: AzureFunctionTrace[] = [];
  let ok = true;
  const serviceTimes = functions.map((fn): EngineDistribution | null => {
    const rows = byKey.get(`${fn.hashOwner}/${fn.hashApp}/${fn.hashFunction}`);
    const row = rows?.[0];
    if (rows === undefined || row === undefined) {
      missing.push(fn);
      return null;
    }
    const second = rows[1];
    if (second !== undefined)
      r.report(
        'SCENARIO_DUPLICATE',
        at(second.line, 'HashFunction'),
        `${p}: ${describe(fn)} has ${rows.length} rows (lines ${rows.map((x) => x.line).join(', ')}); the first is used`,
        {
          severity: 'warning',
          hint: 'remove the rows that should not count',
        },
      );
    if (row.count === 0) {
      r.report(
        'SCENARIO_BAD_VALUE',
        at(row.line, 'Count'),
        `${p}: ${describe(fn)} has Count 0: no execution was measured, so its requests take its target image's serviceTime`,
        { severity: 'warning', hint: 'leave the function out of functions:, or give its image a serviceTime (apps.<image>.serviceTime)' },
      );
      return null;
    }
    const points = azureDurationPoints(row);
    if (!points.ok) {
      r.report(
        'SCENARIO_BAD_VALUE',
        at(row.line, points.column),
        `${p}: ${describe(fn)}: ${points.column} (${points.valueMs} ms) is below ${points.previousColumn} (${points.previousMs} ms); percentiles must not decrease`,
        { hint: 'fix the row, or leave the function out of functions:' },
      );
      ok = false;
      return null;
    }
    return { distribution: 'empirical', points: points.points };
  });
  if (!ok) return undefined;
  if (missing.length > 0) {
    const named = missing.slice(0, MAX_NAMED).map(describe).join(', ');
    const more = missing.length > MAX_NAMED ? ` and ${missing.length - MAX_NAMED} more` : '';
    r.report(
      'SCENARIO_BAD_VALUE',
      node,
      `${p}: ${missing.length} of the ${functions.length} selected functions ${missing.length === 1 ? 'has' : 'have'} no row in ${file.written}, so ${missing.length === 1 ? 'its requests take its' : 'their requests take their'} target image's serviceTime: ${named}${more}`,
      { severity: 'warning', hint: 'select functions the durations file has, or give their images a serviceTime (apps.<image>.serviceTime)' },
    );
  }
  return { path: file.written, pos: r.pos(node), serviceTimes };
}

/** `function 3 (HashFunction 88a43b…)`: its 0-based row, as `functions:` selects it, and its hash. */
function describe(fn: AzureFunctionTrace): string {
  return `function ${fn.index} (HashFunction ${fn.hashFunction})`;
}
