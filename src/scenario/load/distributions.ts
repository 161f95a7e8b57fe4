/**
 * Reads a distribution of durations (`apps.<image>.serviceTime`, a users workload's
 * `thinkTime`): a bare duration is constant; otherwise `distribution:` plus its parameters
 * (constant value, exponential mean, lognormal median and p99 or mu and sigma, uniform min
 * and max, empirical percentiles p0 … p100).
 */
import { lognormalFromMedianP99, validateDistribution } from '../../engine/distribution.js';
import { DISTRIBUTION_MAP_SHAPE } from '../shape.js';
import type { Distribution } from '../types.js';
import type { LoadContext } from './context.js';

const DISTRIBUTIONS = ['constant', 'exponential', 'lognormal', 'uniform', 'empirical'] as const;
const DISTRIBUTION_PARAMS: Record<(typeof DISTRIBUTIONS)[number], string[]> = {
  constant: ['value'],
  exponential: ['mean'],
  lognormal: ['median', 'p99', 'mu', 'sigma'],
  uniform: ['min', 'max'],
  empirical: ['percentiles'],
};

/**
 * A distribution: a bare duration (constant) or `{distribution, …params}`; what is read is then
 * checked by the engine's own `validateDistribution`, the check its sampler makes at run time.
 */
export function readDistribution(ctx: LoadContext, node: unknown, path: string): Distribution | undefined {
  const d = readDistributionFields(ctx, node, path);
  if (d === undefined) return undefined;
  const { pos: _pos, ...distribution } = d;
  const problems = validateDistribution(distribution, path);
  if (problems.length === 0) return d;
  ctx.r.report('SCENARIO_BAD_VALUE', node, problems.join('; '));
  return undefined;
}

function readDistributionFields(ctx: LoadContext, node: unknown, path: string): Distribution | undefined {
  const r = ctx.r;
  const pos = r.pos(node);
  if (r.kindOf(node) !== 'mapping') {
    const ms = r.duration(node, path);
    return ms === undefined ? undefined : { distribution: 'constant', valueMs: ms, pos };
  }
  const f = r.fields(node, path, DISTRIBUTION_MAP_SHAPE);
  if (f === undefined) return undefined;
  const kindNode = r.require(f, 'distribution', path);
  if (kindNode === undefined) return undefined;
  const kind = r.oneOf(kindNode, `${path}.distribution`, DISTRIBUTIONS);
  if (kind === undefined) return undefined;
  for (const field of f.list) {
    if (field.key === 'distribution' || DISTRIBUTION_PARAMS[kind].includes(field.key)) continue;
    r.report(
      'SCENARIO_CONFLICTING_KEYS',
      field.keyNode,
      `${path}: "${field.key}" does not apply to the ${kind} distribution, which takes ${DISTRIBUTION_PARAMS[kind].join(', ')}`,
    );
  }
  const need = (key: string, options: { allowZero?: boolean } = {}): number | undefined => {
    const v = r.require(f, key, path);
    return v === undefined ? undefined : r.duration(v, `${path}.${key}`, options);
  };
  switch (kind) {
    case 'constant': {
      const valueMs = need('value');
      return valueMs === undefined ? undefined : { distribution: 'constant', valueMs, pos };
    }
    case 'exponential': {
      const meanMs = need('mean', { allowZero: false });
      return meanMs === undefined ? undefined : { distribution: 'exponential', meanMs, pos };
    }
    case 'uniform': {
      const minMs = need('min');
      const maxMs = need('max');
      if (minMs === undefined || maxMs === undefined) return undefined;
      if (minMs > maxMs) {
        r.report('SCENARIO_BAD_VALUE', f.get('max'), `${path}: max must be at least min`);
        return undefined;
      }
      return { distribution: 'uniform', minMs, maxMs, pos };
    }
    case 'lognormal': {
      const byMedian = f.has('median') || f.has('p99');
      const byMu = f.has('mu') || f.has('sigma');
      if (byMedian && byMu) {
        r.report('SCENARIO_CONFLICTING_KEYS', f.field(f.has('mu') ? 'mu' : 'sigma')?.keyNode, `${path}: give either median and p99, or mu and sigma, not both`);
        return undefined;
      }
      if (byMu) {
        const muNode = r.require(f, 'mu', path);
        const sigmaNode = r.require(f, 'sigma', path);
        const mu = muNode === undefined ? undefined : r.number(muNode, `${path}.mu`);
        const sigma = sigmaNode === undefined ? undefined : r.number(sigmaNode, `${path}.sigma`, { minExclusive: 0 });
        return mu === undefined || sigma === undefined ? undefined : { distribution: 'lognormal', mu, sigma, pos };
      }
      const median = need('median', { allowZero: false });
      const p99 = need('p99', { allowZero: false });
      if (median === undefined || p99 === undefined) return undefined;
      if (p99 <= median) {
        r.report('SCENARIO_BAD_VALUE', f.get('p99'), `${path}: p99 must be greater than the median`);
        return undefined;
      }
      // mu = ln(median); sigma from the 99th percentile: ln(p99) = mu + 2.3263 sigma.
      return { ...lognormalFromMedianP99(median, p99), pos };
    }
    case 'empirical': {
      const pNode = r.require(f, 'percentiles', path);
      if (pNode === undefined) return undefined;
      const pf = r.fields(pNode, `${path}.percentiles`, 'any');
      if (pf === undefined) return undefined;
      const points: { p: number; valueMs: number }[] = [];
      let ok = true;
      for (const field of pf.list) {
        const m = /^p(\d+(?:\.\d+)?)$/.exec(field.key);
        const p = m === null ? NaN : Number(m[1]);
        if (!(p >= 0 && p <= 100)) {
          r.report('SCENARIO_BAD_VALUE', field.keyNode, `${path}.percentiles: "${field.key}" is not a percentile; write p0 … p100, e.g. p50 or p99.9`);
          ok = false;
          continue;
        }
        const v = r.duration(field.value, `${path}.percentiles.${field.key}`);
        if (v === undefined) ok = false;
        else points.push({ p, valueMs: v });
      }
      if (!ok) return undefined;
      points.sort((a, b) => a.p - b.p);
      if (points.length < 2 || points[0]?.p !== 0 || points.at(-1)?.p !== 100) {
        r.report('SCENARIO_MISSING_KEY', pNode, `${path}.percentiles: needs at least p0 and p100 so every draw has a value`);
        return undefined;
      }
      let prev: (typeof points)[number] | undefined;
      for (const point of points) {
        if (prev !== undefined && point.p === prev.p) {
          r.report('SCENARIO_DUPLICATE', pNode, `${path}.percentiles: percentile ${point.p} is given twice`);
          return undefined;
        }
        if (prev !== undefined && point.valueMs < prev.valueMs) {
          r.report('SCENARIO_BAD_VALUE', pNode, `${path}.percentiles: values must not decrease: p${point.p} is below p${prev.p}`);
          return undefined;
        }
        prev = point;
      }
      return { distribution: 'empirical', points, pos };
    }
  }
}
