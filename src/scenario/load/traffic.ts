/**
 * Reads `traffic:`: workloads in file order, each with a unique name (it names the random
 * stream), a window `from`–`to` inside the scenario, and either an arrival pattern
 * (constant, poisson, ramp, step, burst, diurnal, closed-loop users) with its target, or a
 * trace replay (trace.ts).
 */
import type { SourcePos } from '../diagnostics.js';
import type { Fields } from '../reader.js';
import { SPIKE_SHAPE, STEP_SHAPE, WORKLOAD_SHAPE } from '../shape.js';
import type { Arrivals, Distribution, TrafficTarget, TrafficWorkload } from '../types.js';
import { exactlyOne, optDuration, type LoadContext } from './context.js';
import { readDistribution } from './distributions.js';
import { reportLimit } from './limits.js';
import { readTarget } from './target.js';
import { readTrace } from './trace.js';

const PATTERNS = ['constant', 'poisson', 'ramp', 'step', 'burst', 'diurnal', 'users'] as const;
type Pattern = (typeof PATTERNS)[number];
/** Which workload keys each pattern reads; any other pattern key is a conflict. */
const PATTERN_KEYS: Record<Pattern, string[]> = {
  constant: ['rate'],
  poisson: ['rate'],
  ramp: ['startRate', 'endRate'],
  step: ['rate', 'steps'],
  burst: ['base', 'spike'],
  diurnal: ['mean', 'amplitude', 'period', 'phase'],
  users: ['users', 'thinkTime'],
};
const ALL_PATTERN_KEYS = [...new Set(Object.values(PATTERN_KEYS).flat())];

/** `traffic:`, in file order. */
export function readTraffic(ctx: LoadContext, node: unknown): TrafficWorkload[] {
  const r = ctx.r;
  const items = r.items(node, 'traffic') ?? [];
  // Counted before reading, and again with each trace's functions (each replays as its own workload).
  if (items.length > ctx.limits.maxWorkloads) {
    reportLimit(r, node, `traffic has ${items.length} workloads, more than ${ctx.limits.maxWorkloads}`, 'maxWorkloads');
    return [];
  }
  const out: TrafficWorkload[] = [];
  const names = new Set<string>();
  let streams = 0;
  items.forEach((item, i) => {
    const p = `traffic[${i}]`;
    const f = r.fields(item, p, WORKLOAD_SHAPE);
    if (f === undefined) return;
    let name = `traffic-${i}`;
    if (f.has('name')) name = r.string(f.get('name'), `${p}.name`, { nonEmpty: true, lenient: true }) ?? name;
    if (names.has(name))
      r.report('SCENARIO_DUPLICATE', f.get('name') ?? item, `${p}: workload name "${name}" is used twice; names pick the random stream and must be unique`);
    names.add(name);
    const fromMs = optDuration(ctx, f, 'from', p) ?? 0;
    let toMs = ctx.durationMs;
    if (f.has('to')) {
      const to = r.duration(f.get('to'), `${p}.to`);
      if (to !== undefined && ctx.durationMs > 0 && to > ctx.durationMs) {
        r.report('SCENARIO_OUT_OF_RANGE', f.get('to'), `${p}.to: ${String(r.scalar(f.get('to')))} is after the end of the scenario; traffic stops at the end`, {
          severity: 'warning',
        });
      } else if (to !== undefined) toMs = to;
    }
    if (fromMs >= toMs && ctx.durationMs > 0) {
      r.report('SCENARIO_OUT_OF_RANGE', f.get('from') ?? f.get('to') ?? item, `${p}: "from" must be before "to" (and before the end of the scenario)`);
      return;
    }
    const kind = exactlyOne(ctx, f, ['pattern', 'trace'], p, 'an arrival pattern');
    let arrivals: Arrivals | undefined;
    let target: TrafficTarget | undefined;
    if (kind === 'trace') {
      for (const k of [...ALL_PATTERN_KEYS, 'target'])
        if (f.has(k)) r.report('SCENARIO_CONFLICTING_KEYS', f.field(k)?.keyNode, `${p}: "${k}" does not apply to a trace replay (targets go in trace.targets)`);
      arrivals = readTrace(ctx, f.get('trace'), `${p}.trace`, fromMs, toMs);
      target = arrivals?.targets[0];
    } else if (kind === 'pattern') {
      const targetNode = r.require(f, 'target', p);
      target = targetNode === undefined ? undefined : readTarget(ctx, targetNode, `${p}.target`);
      const pattern = r.oneOf(f.get('pattern'), `${p}.pattern`, PATTERNS);
      if (pattern !== undefined) arrivals = readPattern(ctx, f, p, pattern, fromMs, toMs);
    }
    if (arrivals === undefined || target === undefined) return;
    streams += arrivals.pattern === 'trace' ? arrivals.traces.length : 1;
    if (streams > ctx.limits.maxWorkloads) {
      reportLimit(
        r,
        item,
        `${p}: the traffic has ${streams} workloads by now (a trace's functions count one each), more than ${ctx.limits.maxWorkloads}`,
        'maxWorkloads',
      );
      return;
    }
    out.push({ name, target, fromMs, toMs, arrivals, pos: r.pos(item) });
  });
  return out;
}

function readPattern(ctx: LoadContext, f: Fields, p: string, pattern: Pattern, fromMs: number, toMs: number): Arrivals | undefined {
  const r = ctx.r;
  for (const k of ALL_PATTERN_KEYS) {
    if (f.has(k) && !PATTERN_KEYS[pattern].includes(k))
      r.report(
        'SCENARIO_CONFLICTING_KEYS',
        f.field(k)?.keyNode,
        `${p}: "${k}" does not apply to pattern ${pattern}, which takes ${PATTERN_KEYS[pattern].join(', ')}`,
      );
  }
  const rate = (key: string, required: boolean, fallback = 0): number | undefined => {
    const v = required ? r.require(f, key, p) : f.get(key);
    if (v === undefined) return required ? undefined : fallback;
    return r.number(v, `${p}.${key}`, { min: 0 });
  };
  switch (pattern) {
    case 'constant':
    case 'poisson': {
      const v = rate('rate', true);
      return v === undefined ? undefined : { pattern, rate: v };
    }
    case 'ramp': {
      const startRate = rate('startRate', true);
      const endRate = rate('endRate', true);
      return startRate === undefined || endRate === undefined ? undefined : { pattern, startRate, endRate };
    }
    case 'step': {
      const initial = rate('rate', false);
      const stepsNode = r.require(f, 'steps', p);
      if (stepsNode === undefined || initial === undefined) return undefined;
      const items = r.items(stepsNode, `${p}.steps`);
      if (items === undefined) return undefined;
      const steps: { atMs: number; rate: number; pos: SourcePos }[] = [];
      items.forEach((it, i) => {
        const sp = `${p}.steps[${i}]`;
        const sf = r.fields(it, sp, STEP_SHAPE);
        if (sf === undefined) return;
        const atNode = r.require(sf, 'at', sp);
        const rateNode = r.require(sf, 'rate', sp);
        const atMs = atNode === undefined ? undefined : r.duration(atNode, `${sp}.at`);
        const v = rateNode === undefined ? undefined : r.number(rateNode, `${sp}.rate`, { min: 0 });
        if (atMs !== undefined && v !== undefined) steps.push({ atMs, rate: v, pos: r.pos(it) });
      });
      steps.sort((a, b) => a.atMs - b.atMs);
      // Steps are at scenario times: one at or before the window's start sets the rate in force when it opens, one at or after its end never takes effect.
      let rateAtFrom = initial;
      for (const step of steps) if (step.atMs <= fromMs) rateAtFrom = step.rate;
      return { pattern, rate: rateAtFrom, steps: steps.filter((step) => step.atMs > fromMs && step.atMs < toMs) };
    }
    case 'burst': {
      const base = rate('base', false);
      const spikeNode = r.require(f, 'spike', p);
      if (spikeNode === undefined || base === undefined) return undefined;
      const sp = `${p}.spike`;
      const sf = r.fields(spikeNode, sp, SPIKE_SHAPE);
      if (sf === undefined) return undefined;
      const atNode = r.require(sf, 'at', sp);
      const atMs = atNode === undefined ? undefined : r.duration(atNode, `${sp}.at`);
      if (sf.has('count')) {
        for (const k of ['duration', 'rate'])
          if (sf.has(k)) r.report('SCENARIO_CONFLICTING_KEYS', sf.field(k)?.keyNode, `${sp}: give either count (all at once) or duration and rate, not both`);
        const count = r.number(sf.get('count'), `${sp}.count`, { integer: true, min: 1 });
        return atMs === undefined || count === undefined ? undefined : { pattern, base, spike: { atMs, count } };
      }
      const durNode = r.require(sf, 'duration', sp);
      const rateNode = r.require(sf, 'rate', sp);
      const durationMs = durNode === undefined ? undefined : r.duration(durNode, `${sp}.duration`, { allowZero: false });
      const spikeRate = rateNode === undefined ? undefined : r.number(rateNode, `${sp}.rate`, { min: 0 });
      return atMs === undefined || durationMs === undefined || spikeRate === undefined
        ? undefined
        : { pattern, base, spike: { atMs, durationMs, rate: spikeRate } };
    }
    case 'diurnal': {
      const mean = rate('mean', true);
      const amplitude = rate('amplitude', true);
      const periodNode = r.require(f, 'period', p);
      const periodMs = periodNode === undefined ? undefined : r.duration(periodNode, `${p}.period`, { allowZero: false });
      const phaseMs = optDuration(ctx, f, 'phase', p) ?? 0;
      return mean === undefined || amplitude === undefined || periodMs === undefined ? undefined : { pattern, mean, amplitude, periodMs, phaseMs };
    }
    case 'users': {
      const usersNode = r.require(f, 'users', p);
      const users = usersNode === undefined ? undefined : r.number(usersNode, `${p}.users`, { integer: true, min: 1 });
      if (users !== undefined) {
        // Users count over all workloads: each is a live client for the whole run.
        ctx.users += users;
        if (ctx.users > ctx.limits.maxUsers) {
          reportLimit(r, usersNode, `${p}.users: ${ctx.users} closed-loop users over all workloads, more than ${ctx.limits.maxUsers}`, 'maxUsers');
          return undefined;
        }
      }
      const thinkTime: Distribution | undefined = f.has('thinkTime')
        ? readDistribution(ctx, f.get('thinkTime'), `${p}.thinkTime`)
        : { distribution: 'constant', valueMs: 0, pos: r.pos(f.node) };
      return users === undefined || thinkTime === undefined ? undefined : { pattern, users, thinkTime };
    }
  }
}
