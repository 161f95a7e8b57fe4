/**
 * Reads a workload's `trace:`: a replay of the Azure Functions 2019 invocation counts
 * (the invocations CSV, optional durations CSV, which functions, which minutes, how each
 * minute's count is spread, a time scale, and one target per function). The invocations
 * file is counted here, so a bad selection or a malformed row is reported before the run
 * and the request estimate knows the trace's size.
 */
import { isSeq } from 'yaml';
import { countTraceInvocations } from '../estimate.js';
import { TRACE_SHAPE } from '../shape.js';
import type { TraceArrivals, TrafficTarget } from '../types.js';
import { readFileAt, type LoadContext } from './context.js';
import { readTarget } from './target.js';

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
  const minuteMs = 60_000 / timeScale;
  // Only minutes that start inside the workload's window are replayed.
  const maxMinutes = Math.max(0, Math.ceil((toMs - fromMs) / minuteMs));
  const count = countTraceInvocations(invocations.text, functions, minutes, maxMinutes);
  if (!count.ok) {
    const fnList = r.resolve(fnNode);
    const at =
      count.selectionIndex !== undefined && isSeq(fnList)
        ? fnList.items[count.selectionIndex]
        : count.line > 1
          ? { file: invocations.resolved, line: count.line, column: 1 }
          : fnNode;
    r.report('SCENARIO_BAD_VALUE', at, `${p}: ${invocations.resolved}: ${count.message}`);
    return undefined;
  }
  const [only] = targets;
  if (targets.length === 1 && only !== undefined && count.functionCount > 1) targets = Array.from({ length: count.functionCount }, () => only);
  if (targets.length !== count.functionCount) {
    r.report(
      'SCENARIO_BAD_VALUE',
      targetsNode,
      `${p}.targets: ${targets.length} targets for ${count.functionCount} selected functions; give one target, or one per function`,
    );
    return undefined;
  }
  const trace: TraceArrivals = {
    pattern: 'trace',
    format: 'azure2019',
    invocations: { path: invocations.written, text: invocations.text, pos: r.pos(invNode) },
    functions,
    spread,
    timeScale,
    targets,
    totalInvocations: count.totalInvocations,
  };
  if (durations !== undefined) trace.durations = { path: durations.written, text: durations.text, pos: r.pos(f.get('durations')) };
  if (minutes !== undefined) trace.minutes = minutes;
  return trace;
}
