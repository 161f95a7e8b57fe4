/**
 * Reads a workload's `trace:`: a replay of the Azure Functions 2019 invocation counts
 * (the invocations CSV, optional durations CSV, which functions, which minutes, how each
 * minute's count is spread, a time scale, and one target per function). The invocations
 * file is parsed here, once, by the replayer's own parser (src/workload/azure-trace.ts), the
 * functions picked by its own selection and the replay checked and counted by its own
 * functions: a malformed row anywhere in the file, a bad selection or minutes outside the file
 * are reported before the run, the scenario carries the parsed counts (never the text), and the
 * request estimate is the replay's own count. The durations file gives each selected function
 * its service time (trace-durations.ts).
 */
import { isSeq } from 'yaml';
import { parseAzureInvocations } from '../../workload/azure-trace.js';
import { checkAzureReplaySpec, expectedAzureArrivals } from '../../workload/azure-replay.js';
import { selectAzureFunctions } from '../../workload/azure-selection.js';
import { TRACE_SHAPE } from '../shape.js';
import type { TraceArrivals, TrafficTarget, TrafficWorkload } from '../types.js';
import { replayWindowOf } from '../workload-spec.js';
import { formatDuration } from '../../engine/index.js';
import { readFileAt, type LoadContext } from './context.js';
import { reportLimit } from './limits.js';
import { readTarget } from './target.js';
import { readTraceDurations } from './trace-durations.js';

/** `traffic[i].trace` of a workload that runs over [fromMs, toMs). */
export function readTrace(ctx: LoadContext, node: unknown, p: string, fromMs: number, toMs: number): TraceArrivals | undefined {
  const r = ctx.r;
  const f = r.fields(node, p, TRACE_SHAPE);
  if (f === undefined) return undefined;
  const formatNode = r.require(f, 'format', p);
  const format = formatNode === undefined ? undefined : r.oneOf(formatNode, `${p}.format`, ['azure', 'azure2019'] as const);
  const invNode = r.require(f, 'invocations', p);
  const invocations = invNode === undefined ? undefined : readFileAt(ctx, invNode, `${p}.invocations`);
  const durations = f.has('durations') ? readFileAt(ctx, f.get('durations'), `${p}.durations`) : undefined;
  const spread = f.has('spread') ? r.oneOf(f.get('spread'), `${p}.spread`, ['uniform', 'poisson', 'equidistant'] as const) : 'uniform';
  const timeScale = f.has('timeScale') ? r.number(f.get('timeScale'), `${p}.timeScale`, { minExclusive: 0 }) : 1;
  let minutes: { from: number; to: number } | undefined;
  if (f.has('minutes')) {
    const items = r.items(f.get('minutes'), `${p}.minutes`);
    if (items !== undefined && items.length !== 2) r.report('SCENARIO_WRONG_TYPE', f.get('minutes'), `${p}.minutes: expected [from, to], two minute numbers`);
    else if (items !== undefined) {
      const a = r.number(items[0], `${p}.minutes[0]`, { integer: true, min: 1, max: 1440 });
      const b = r.number(items[1], `${p}.minutes[1]`, { integer: true, min: 1, max: 1440 });
      if (a !== undefined && b !== undefined && a > b) r.report('SCENARIO_BAD_VALUE', items[1], `${p}.minutes: the last minute must not come before the first`);
      else if (a !== undefined && b !== undefined) minutes = { from: a, to: b };
    }
  }
  const fnNode = r.require(f, 'functions', p);
  let functions: TraceArrivals['functions'] | undefined;
  if (fnNode !== undefined) {
    if (r.kindOf(fnNode) === 'number') {
      const n = r.number(fnNode, `${p}.functions`, { integer: true, min: 1 });
      if (n !== undefined) functions = { first: n };
    } else {
      const items = r.items(fnNode, `${p}.functions`);
      if (items !== undefined) {
        const select: (number | string)[] = [];
        items.forEach((it, i) => {
          const v =
            r.kindOf(it) === 'number'
              ? r.number(it, `${p}.functions[${i}]`, { integer: true, min: 0 })
              : r.string(it, `${p}.functions[${i}]`, { nonEmpty: true });
          if (v !== undefined) select.push(v);
        });
        if (select.length === items.length && select.length > 0) functions = { select };
        else if (items.length === 0) r.report('SCENARIO_BAD_VALUE', fnNode, `${p}.functions: select at least one function`);
      }
    }
  }
  const targetsNode = r.require(f, 'targets', p);
  let targets: TrafficTarget[] | undefined;
  if (targetsNode !== undefined) {
    if (r.kindOf(targetsNode) === 'list') {
      const items = r.items(targetsNode, `${p}.targets`) ?? [];
      const list = items.map((it, i) => readTarget(ctx, it, `${p}.targets[${i}]`));
      const read = list.filter((t): t is TrafficTarget => t !== undefined);
      if (read.length === list.length && list.length > 0) targets = read;
      else if (list.length === 0) r.report('SCENARIO_BAD_VALUE', targetsNode, `${p}.targets: give at least one target`);
    } else {
      const t = readTarget(ctx, targetsNode, `${p}.targets`);
      if (t !== undefined) targets = [t];
    }
  }
  if (format === undefined || invocations === undefined || spread === undefined || timeScale === undefined || functions === undefined || targets === undefined)
    return undefined;
  if (f.has('durations') && durations === undefined) return undefined;
  // The replayer's own parser reads the whole file once, here: a trace the loader accepts is a trace the run replays.
  const rows = countDataRows(invocations.text);
  if (rows > ctx.limits.maxTraceRows) {
    reportLimit(r, invNode, `${p}.invocations: ${invocations.resolved} has ${rows} rows, more than ${ctx.limits.maxTraceRows}`, 'maxTraceRows');
    return undefined;
  }
  const parsed = parseAzureInvocations(invocations.text, { file: invocations.resolved });
  if (!parsed.ok) {
    for (const e of parsed.errors) r.report('SCENARIO_BAD_VALUE', { file: e.file, line: e.line, column: e.column }, `${p}.invocations: ${e.message}`);
    return undefined;
  }
  const selected = selectAzureFunctions(parsed.functions, 'first' in functions ? functions.first : functions.select);
  if (!selected.ok) {
    const at = /index|starts with|matches|second time/.test(selected.message) ? selectionNode(r, fnNode, functions, selected.message) : fnNode;
    r.report('SCENARIO_BAD_VALUE', at, `${p}.${selected.message}`);
    return undefined;
  }
  let serviceTimes: TraceArrivals['durations'];
  if (durations !== undefined) {
    const durRows = countDataRows(durations.text);
    if (durRows > ctx.limits.maxTraceRows) {
      reportLimit(r, f.get('durations'), `${p}.durations: ${durations.resolved} has ${durRows} rows, more than ${ctx.limits.maxTraceRows}`, 'maxTraceRows');
      return undefined;
    }
    serviceTimes = readTraceDurations(ctx, f.get('durations'), `${p}.durations`, durations, selected.functions);
    if (serviceTimes === undefined) return undefined;
  }
  const [only] = targets;
  if (targets.length === 1 && only !== undefined && selected.functions.length > 1) targets = Array.from({ length: selected.functions.length }, () => only);
  if (targets.length !== selected.functions.length) {
    r.report(
      'SCENARIO_BAD_VALUE',
      targetsNode,
      `${p}.targets: ${targets.length} targets for ${selected.functions.length} selected functions; give one target, or one per function`,
    );
    return undefined;
  }
  const trace: TraceArrivals = {
    pattern: 'trace',
    format: 'azure2019',
    invocations: { path: invocations.written, pos: r.pos(invNode) },
    traces: selected.functions,
    functions,
    spread,
    timeScale,
    targets,
    totalInvocations: 0,
    parsed: { chars: invocations.text.length + (durations?.text.length ?? 0), rows },
  };
  if (minutes !== undefined) trace.minutes = minutes;
  if (serviceTimes !== undefined) trace.durations = serviceTimes;
  // The replay the run starts, checked and counted with the replayer's own functions.
  const spec = { name: p, functions: trace.traces, targets: trace.targets, spread, ...replayWindowOf({ fromMs, toMs } as TrafficWorkload, trace) };
  const problems = checkAzureReplaySpec(spec);
  if (problems.length > 0) {
    r.report('SCENARIO_BAD_VALUE', f.get('minutes') ?? node, `${p}: ${problems.join('; ')}`);
    return undefined;
  }
  trace.totalInvocations = expectedAzureArrivals(spec);
  warnMinutesAfterEnd(ctx, f.get('minutes') ?? node, p, spec, toMs);
  return trace;
}

/** Warns about the trace minutes that start at or after the end of the run: they are not replayed. */
function warnMinutesAfterEnd(
  ctx: LoadContext,
  node: unknown,
  p: string,
  spec: { functions: readonly { perMinute: Int32Array }[]; minuteFrom?: number; minuteTo?: number; fromMs: number; timeScale: number },
  toMs: number,
): void {
  const minutes = spec.functions[0]?.perMinute.length ?? 0;
  const first = spec.minuteFrom ?? 1;
  const last = spec.minuteTo ?? minutes;
  const minuteMs = 60_000 * spec.timeScale;
  let lostFrom: number | undefined;
  let lost = 0;
  for (let m = first; m <= last; m++) {
    if (spec.fromMs + (m - first) * minuteMs < toMs) continue;
    lostFrom ??= m;
    for (const fn of spec.functions) lost += fn.perMinute[m - 1] ?? 0;
  }
  if (lostFrom === undefined || lost === 0) return;
  const which = lostFrom === last ? `minute ${last}` : `minutes ${lostFrom}–${last}`;
  ctx.r.report(
    'SCENARIO_OUT_OF_RANGE',
    node,
    `${p}: trace ${which} (${lost} invocations) would start at or after the end of the replay (${formatDuration(toMs)}) and are not replayed`,
    { severity: 'warning', hint: `start the replay earlier (from), replay fewer minutes (minutes: [${first}, ${lostFrom - 1}]) or lengthen duration` },
  );
}

/** Data rows of a CSV text (non-blank lines after the header), counted without splitting it. */
function countDataRows(text: string): number {
  let lines = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 13) {
        lines++;
        break;
      }
    }
    start = end + 1;
  }
  return Math.max(0, lines - 1);
}

/** The `functions:` item a selection error is about (the first one that fails on its own), or the list. */
function selectionNode(r: LoadContext['r'], fnNode: unknown, functions: TraceArrivals['functions'], message: string): unknown {
  const list = r.resolve(fnNode);
  if (!isSeq(list) || 'first' in functions) return fnNode;
  const i = functions.select.findIndex((sel) => message.includes(`"${String(sel)}`) || message.includes(`index ${String(sel)} `));
  return i >= 0 ? list.items[i] : fnNode;
}
