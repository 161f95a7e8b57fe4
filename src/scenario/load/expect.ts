/**
 * Reads `expect:`: assertions in file order, each at a time (`at`) or over a window
 * (`over: {from, to}`), with one check (ready pods, desired scale, panic, SKS mode,
 * requests, latency, cold starts, traffic share) and its bound, optionally filtered by
 * revision, service and namespace. A revision or service that the timeline never creates is an
 * error with a did-you-mean (a misspelled revision would otherwise pass a check of zero pods).
 */
import { didYouMean } from '../diagnostics.js';
import { BOUND_SHAPE, EXPECT_SHAPE, LATENCY_CHECK_SHAPE, OVER_SHAPE, REQUESTS_CHECK_SHAPE } from '../shape.js';
import type { Bound, ExpectCheck, Expectation, ExpectWhen, RequestFilter } from '../types.js';
import { exactlyOne, optDuration, type LoadContext } from './context.js';
import { reportLimit } from './limits.js';

const CHECK_KEYS = ['readyPods', 'desiredScale', 'panic', 'sksMode', 'requests', 'latency', 'coldStarts', 'trafficShare'] as const;
type CheckKey = (typeof CHECK_KEYS)[number];
const REVISION_CHECKS: readonly string[] = ['readyPods', 'desiredScale', 'panic', 'sksMode', 'trafficShare'];
type StatusClass = `${1 | 2 | 3 | 4 | 5}xx`;

/** `expect:`, in file order. */
export function readExpect(ctx: LoadContext, node: unknown): Expectation[] {
  const r = ctx.r;
  const items = r.items(node, 'expect') ?? [];
  // Counted before reading: a hundred thousand expectations would take gigabytes to read.
  if (items.length > ctx.limits.maxExpectations) {
    reportLimit(r, node, `expect has ${items.length} expectations, more than ${ctx.limits.maxExpectations}`, 'maxExpectations');
    return [];
  }
  const out: Expectation[] = [];
  items.forEach((item, index) => {
    const p = `expect[${index}]`;
    const f = r.fields(item, p, EXPECT_SHAPE);
    if (f === undefined) return;
    const whenKey = exactlyOne(ctx, f, ['at', 'over'], p, 'a time');
    let when: ExpectWhen | undefined;
    if (whenKey === 'at') {
      const atMs = r.duration(f.get('at'), `${p}.at`);
      if (atMs !== undefined) when = { kind: 'at', atMs };
    } else if (whenKey === 'over') {
      const o = r.fields(f.get('over'), `${p}.over`, OVER_SHAPE);
      if (o !== undefined) {
        const fromNode = r.require(o, 'from', `${p}.over`);
        const toNode = r.require(o, 'to', `${p}.over`);
        const fromMs = fromNode === undefined ? undefined : r.duration(fromNode, `${p}.over.from`);
        const toMs = toNode === undefined ? undefined : r.duration(toNode, `${p}.over.to`);
        if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) r.report('SCENARIO_BAD_VALUE', toNode, `${p}.over: "to" is before "from"`);
        else if (fromMs !== undefined && toMs !== undefined) when = { kind: 'over', fromMs, toMs };
      }
    }
    const endMs = when === undefined ? 0 : when.kind === 'at' ? when.atMs : when.toMs;
    if (when !== undefined && whenKey !== undefined && ctx.durationMs > 0 && endMs > ctx.durationMs) {
      r.report('SCENARIO_OUT_OF_RANGE', f.get(whenKey), `${p}: checks a time after the end of the scenario`, { severity: 'warning' });
    }
    const description = f.has('description') ? r.string(f.get('description'), `${p}.description`, { lenient: true }) : undefined;
    const revision = f.has('revision') ? r.string(f.get('revision'), `${p}.revision`, { nonEmpty: true }) : undefined;
    const service = f.has('service') ? r.string(f.get('service'), `${p}.service`, { nonEmpty: true }) : undefined;
    const namespace = f.has('namespace') ? (r.string(f.get('namespace'), `${p}.namespace`, { nonEmpty: true }) ?? 'default') : 'default';
    const which = exactlyOne(ctx, f, CHECK_KEYS, p, 'a check');
    // Reported, and the check still read, so all its problems show at once.
    const revisionExists = revision === undefined || checkCreated(ctx, 'revision', revision, namespace, f.get('revision'), `${p}.revision`);
    const serviceExists = service === undefined || checkCreated(ctx, 'service', service, namespace, f.get('service'), `${p}.service`);
    if (which === undefined || when === undefined) return;
    if (REVISION_CHECKS.includes(which) && revision === undefined) {
      if (!f.has('revision')) r.report('SCENARIO_MISSING_KEY', f.node, `${p}: ${which} needs "revision" (the revision name, e.g. sunshine-00001)`);
      return;
    }
    const filter: RequestFilter = {};
    if (revision !== undefined) filter.revision = revision;
    if (service !== undefined) filter.service = service;
    if (f.has('namespace')) filter.namespace = namespace;
    // A revision check has its revision by now; the others do not read it.
    const check = readCheck(ctx, which, f.get(which), `${p}.${which}`, revision ?? '', namespace, filter);
    if (check === undefined || !revisionExists || !serviceExists) return;
    out.push({ ...check, when, ...(description !== undefined ? { description } : {}), index, pos: r.pos(item) });
  });
  return out;
}

function readCheck(
  ctx: LoadContext,
  which: CheckKey,
  node: unknown,
  path: string,
  revision: string,
  namespace: string,
  filter: RequestFilter,
): ExpectCheck | undefined {
  const r = ctx.r;
  switch (which) {
    case 'readyPods':
    case 'desiredScale': {
      const bound = readBound(ctx, node, path, { min: 0 });
      return bound === undefined ? undefined : { check: which, revision, namespace, bound };
    }
    case 'panic': {
      const equals = r.boolean(node, path);
      return equals === undefined ? undefined : { check: 'panic', revision, namespace, equals };
    }
    case 'sksMode': {
      const equals = r.oneOf(node, path, ['Serve', 'Proxy'] as const);
      return equals === undefined ? undefined : { check: 'sksMode', revision, namespace, equals };
    }
    case 'coldStarts': {
      const bound = readBound(ctx, node, path, { min: 0 });
      return bound === undefined ? undefined : { check: 'coldStarts', filter, bound };
    }
    case 'trafficShare': {
      const bound = readBound(ctx, node, path, { min: 0, max: 1 });
      // The share's denominator is all requests passing the other filters, so the revision is not one of them.
      const { revision: _ignored, ...others } = filter;
      return bound === undefined ? undefined : { check: 'trafficShare', revision, namespace, filter: others, bound };
    }
    case 'latency': {
      const f = r.fields(node, path, LATENCY_CHECK_SHAPE);
      if (f === undefined) return undefined;
      const pNode = r.require(f, 'p', path);
      const pct = pNode === undefined ? undefined : r.number(pNode, `${path}.p`, { minExclusive: 0, max: 100 });
      if (!f.has('min') && !f.has('max')) {
        r.report('SCENARIO_MISSING_KEY', f.node, `${path}: needs max (and/or min), e.g. {p: 99, max: 2s}`);
        return undefined;
      }
      const min = optDuration(ctx, f, 'min', path);
      const max = optDuration(ctx, f, 'max', path);
      if (pct === undefined || (f.has('min') && min === undefined) || (f.has('max') && max === undefined)) return undefined;
      if (min !== undefined && max !== undefined && min > max) {
        r.report('SCENARIO_BAD_VALUE', f.get('max'), `${path}: max is below min`);
        return undefined;
      }
      const bound: Bound = { text: '' };
      if (min !== undefined) bound.min = min;
      if (max !== undefined) bound.max = max;
      bound.text = boundText(bound, 'ms');
      return { check: 'latency', filter, p: pct, bound };
    }
    case 'requests': {
      const f = r.fields(node, path, REQUESTS_CHECK_SHAPE);
      if (f === undefined) return undefined;
      let status: number | StatusClass | undefined;
      if (f.has('status')) {
        const sNode = f.get('status');
        if (r.kindOf(sNode) === 'number') status = r.number(sNode, `${path}.status`, { integer: true, min: 100, max: 599 });
        else {
          const s = r.string(sNode, `${path}.status`);
          if (s !== undefined && isStatusClass(s)) status = s;
          else if (s !== undefined)
            r.report('SCENARIO_BAD_VALUE', sNode, `${path}.status: expected an HTTP status such as 503 or a class such as 5xx, got "${s}"`);
          if (status === undefined) return undefined;
        }
        if (status === undefined) return undefined;
      }
      if (f.has('count') && (f.has('min') || f.has('max'))) {
        r.report('SCENARIO_CONFLICTING_KEYS', f.field(f.has('min') ? 'min' : 'max')?.keyNode, `${path}: give either count or min/max`);
        return undefined;
      }
      let count: Bound | undefined;
      if (f.has('count')) count = readBound(ctx, f.get('count'), `${path}.count`, { min: 0 });
      else if (f.has('min') || f.has('max')) {
        const min = f.has('min') ? r.number(f.get('min'), `${path}.min`, { min: 0 }) : undefined;
        const max = f.has('max') ? r.number(f.get('max'), `${path}.max`, { min: 0 }) : undefined;
        if ((f.has('min') && min === undefined) || (f.has('max') && max === undefined)) return undefined;
        count = { text: '' };
        if (min !== undefined) count.min = min;
        if (max !== undefined) count.max = max;
        count.text = boundText(count);
      }
      const ratio = f.has('ratio') ? readBound(ctx, f.get('ratio'), `${path}.ratio`, { min: 0, max: 1 }) : undefined;
      if (!f.has('count') && !f.has('min') && !f.has('max') && !f.has('ratio')) {
        r.report('SCENARIO_MISSING_KEY', f.node, `${path}: needs count, min, max or ratio`);
        return undefined;
      }
      if ((f.has('count') && count === undefined) || (f.has('ratio') && ratio === undefined)) return undefined;
      const check: ExpectCheck = { check: 'requests', filter };
      if (status !== undefined) check.status = status;
      if (count !== undefined) check.count = count;
      if (ratio !== undefined) check.ratio = ratio;
      return check;
    }
  }
}

/** A revision or service an expectation names must be one the timeline creates; reported with a did-you-mean otherwise. */
function checkCreated(ctx: LoadContext, what: 'revision' | 'service', name: string, namespace: string, node: unknown, path: string): boolean {
  const created = ctx.created;
  if (created === undefined) return true;
  const names = what === 'revision' ? created.revisions : created.services;
  if (names.has(`${namespace}/${name}`)) return true;
  // Revision names drawn with {{.Random n}} cannot be known before the run.
  if (
    what === 'revision' &&
    [...created.randomRevisionNames].some((svc) => svc.startsWith(`${namespace}/`) && name.startsWith(`${svc.slice(namespace.length + 1)}-`))
  )
    return true;
  const sameNamespace = [...names].filter((n) => n.startsWith(`${namespace}/`)).map((n) => n.slice(namespace.length + 1));
  const guess = didYouMean(name, sameNamespace);
  const shown = sameNamespace.slice(0, 8).join(', ') + (sameNamespace.length > 8 ? ', …' : '');
  ctx.r.report(
    'SCENARIO_BAD_VALUE',
    node,
    `${path}: the timeline never creates ${what} ${name} in namespace ${namespace}, so this expectation would check something that never exists`,
    {
      hint:
        guess !== undefined
          ? `did you mean "${guess}"?`
          : sameNamespace.length > 0
            ? `the ${what}s it creates: ${shown}`
            : `the timeline creates no ${what} in namespace ${namespace}`,
    },
  );
  return false;
}

function isStatusClass(s: string): s is StatusClass {
  return /^[1-5]xx$/.test(s);
}

/** A bound: a number (equals), or `{equals}`, `{min, max}`, `{value, tolerance}`. */
function readBound(ctx: LoadContext, node: unknown, path: string, range: { min?: number; max?: number }): Bound | undefined {
  const r = ctx.r;
  if (r.kindOf(node) === 'number') {
    const v = r.number(node, path, range);
    return v === undefined ? undefined : { min: v, max: v, text: `= ${v}` };
  }
  const f = r.fields(node, path, BOUND_SHAPE);
  if (f === undefined) return undefined;
  const num = (k: string, extra: { min?: number; max?: number } = range): number | undefined =>
    f.has(k) ? r.number(f.get(k), `${path}.${k}`, extra) : undefined;
  if (f.has('equals')) {
    for (const k of ['min', 'max', 'value', 'tolerance'])
      if (f.has(k)) r.report('SCENARIO_CONFLICTING_KEYS', f.field(k)?.keyNode, `${path}: "equals" cannot be combined with "${k}"`);
    const v = num('equals');
    return v === undefined ? undefined : { min: v, max: v, text: `= ${v}` };
  }
  if (f.has('value') || f.has('tolerance')) {
    for (const k of ['min', 'max'])
      if (f.has(k)) r.report('SCENARIO_CONFLICTING_KEYS', f.field(k)?.keyNode, `${path}: "value"/"tolerance" cannot be combined with "${k}"`);
    const vNode = r.require(f, 'value', path);
    const v = vNode === undefined ? undefined : num('value');
    const tol = f.has('tolerance') ? num('tolerance', { min: 0 }) : 0;
    if (v === undefined || tol === undefined) return undefined;
    // Rounded to 12 digits so 0.1 ± 0.03 gives 0.07, not 0.06999999999999999.
    return { min: Number((v - tol).toPrecision(12)), max: Number((v + tol).toPrecision(12)), text: `${v} ± ${tol}` };
  }
  const min = num('min');
  const max = num('max');
  if (!f.has('min') && !f.has('max')) {
    r.report('SCENARIO_MISSING_KEY', f.node, `${path}: needs equals, min, max, or value with tolerance`);
    return undefined;
  }
  if ((f.has('min') && min === undefined) || (f.has('max') && max === undefined)) return undefined;
  if (min !== undefined && max !== undefined && min > max) {
    r.report('SCENARIO_BAD_VALUE', f.get('max'), `${path}: max (${max}) is below min (${min})`);
    return undefined;
  }
  const b: Bound = { text: '' };
  if (min !== undefined) b.min = min;
  if (max !== undefined) b.max = max;
  b.text = boundText(b);
  return b;
}

/** How a bound reads: `= 2`, `≥ 1`, `≤ 500ms`, `between 1 and 3`. */
function boundText(b: { min?: number; max?: number }, unit = ''): string {
  const f = (v: number): string => `${v}${unit}`;
  if (b.min !== undefined && b.max !== undefined) return b.min === b.max ? `= ${f(b.min)}` : `between ${f(b.min)} and ${f(b.max)}`;
  if (b.min !== undefined) return `≥ ${f(b.min)}`;
  if (b.max !== undefined) return `≤ ${f(b.max)}`;
  return 'anything';
}
