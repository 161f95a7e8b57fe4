/**
 * Reads `invariants:` (names of the properties every run must keep, checked by `knsim run`
 * and `knsim fuzz`) and `vary:` (what `knsim fuzz` draws: each key a `--set` path, each value
 * a range `{min, max, step?}` of numbers or durations, or `{choices: [...]}`).
 * A path is checked the way `--set` checks it (syntax, then the scenario's key tree; a path
 * into an inline manifest only for its syntax); the values it takes are checked by loading
 * each variant, which `knsim fuzz` does before it draws any.
 * Fidelity: knsim's own keys; nothing here is Knative's.
 */
import { didYouMean } from '../diagnostics.js';
import { parseOverridePath } from '../overrides.js';
import { followPath, SCENARIO_SHAPE, VARY_SHAPE } from '../shape.js';
import { INVARIANT_NAMES, type InvariantName, type ScenarioInvariant, type VaryEntry, type VaryValues } from '../types.js';
import type { LoadContext } from './context.js';

/** `invariants:`, in file order; a repeated name is reported once and kept once. */
export function readInvariants(ctx: LoadContext, node: unknown): ScenarioInvariant[] {
  const r = ctx.r;
  const items = r.items(node, 'invariants') ?? [];
  const out: ScenarioInvariant[] = [];
  items.forEach((item, i) => {
    const p = `invariants[${i}]`;
    const name = r.string(item, p, { nonEmpty: true });
    if (name === undefined) return;
    if (!isInvariantName(name)) {
      const guess = didYouMean(name, INVARIANT_NAMES);
      r.report('SCENARIO_BAD_VALUE', item, `${p}: unknown invariant "${name}"`, {
        hint: guess !== undefined ? `did you mean "${guess}"?` : `one of ${INVARIANT_NAMES.join(', ')}`,
      });
      return;
    }
    if (out.some((x) => x.name === name)) {
      r.report('SCENARIO_DUPLICATE', item, `${p}: invariant "${name}" is listed twice`, { severity: 'warning' });
      return;
    }
    out.push({ name, pos: r.pos(item) });
  });
  return out;
}

function isInvariantName(name: string): name is InvariantName {
  return (INVARIANT_NAMES as readonly string[]).includes(name);
}

/** `vary:`, in file order. */
export function readVary(ctx: LoadContext, node: unknown): VaryEntry[] {
  const r = ctx.r;
  const f = r.fields(node, 'vary', 'any');
  const out: VaryEntry[] = [];
  for (const field of f?.list ?? []) {
    const p = `vary."${field.key}"`;
    const pathProblem = checkPath(field.key);
    if (pathProblem !== undefined) {
      r.report('SCENARIO_BAD_VALUE', field.keyNode, `${p}: ${pathProblem.message}`, pathProblem.hint !== undefined ? { hint: pathProblem.hint } : {});
      continue;
    }
    const v = r.fields(field.value, p, VARY_SHAPE);
    if (v === undefined) continue;
    let values: VaryValues | undefined;
    if (v.has('choices')) {
      if (['min', 'max', 'step'].some((k) => v.has(k)))
        r.report('SCENARIO_CONFLICTING_KEYS', v.field('choices')?.keyNode, `${p}: give either choices or min/max, not both`);
      const items = r.items(v.get('choices'), `${p}.choices`);
      if (items === undefined) continue;
      const choices: (string | number | boolean)[] = [];
      items.forEach((item, i) => {
        const kind = r.kindOf(item);
        if (kind === 'string' || kind === 'number' || kind === 'boolean') choices.push(r.scalar(item) as string | number | boolean);
        else r.wrongType(item, `${p}.choices[${i}]`, 'a string, number or boolean');
      });
      if (items.length === 0) r.report('SCENARIO_BAD_VALUE', v.get('choices'), `${p}.choices: must list at least one value`);
      else if (choices.length === items.length) values = { kind: 'choices', choices };
    } else {
      const minNode = r.require(v, 'min', p);
      const maxNode = r.require(v, 'max', p);
      if (minNode === undefined || maxNode === undefined) continue;
      const unit = r.kindOf(minNode) === 'number' && r.kindOf(maxNode) === 'number' ? 'number' : 'duration';
      const read = (n: unknown, path: string): number | undefined => (unit === 'number' ? r.number(n, path) : r.duration(n, path));
      const min = read(minNode, `${p}.min`);
      const max = read(maxNode, `${p}.max`);
      const step = v.has('step') ? read(v.get('step'), `${p}.step`) : unit === 'number' ? 1 : 1000;
      if (min === undefined || max === undefined || step === undefined) continue;
      if (max < min) r.report('SCENARIO_BAD_VALUE', maxNode, `${p}: max is below min`);
      else if (!(step > 0)) r.report('SCENARIO_BAD_VALUE', v.get('step'), `${p}.step: must be greater than 0`);
      else values = { kind: 'range', unit, min, max, step };
    }
    if (values !== undefined) out.push({ path: field.key, values, pos: r.pos(field.keyNode) });
  }
  return out;
}

/** Why a `vary:` key is not a path `--set` could set, or undefined when it is one. */
function checkPath(path: string): { message: string; hint?: string } | undefined {
  const parsed = parseOverridePath(path);
  if (!parsed.ok) return { message: parsed.message };
  const segments = parsed.segments;
  const head = segments[0];
  if (head === 'vary' || head === 'invariants') return { message: `"${head}" cannot be varied` };
  // A path inside an inline manifest (timeline[i].apply.…) is checked when the variant is loaded.
  if (head === 'timeline' && segments[2] === 'apply' && segments.length > 3) return undefined;
  const shape = followPath(SCENARIO_SHAPE, segments);
  if (shape.ok) return undefined;
  const seg = String(segments[shape.failedAt]);
  const where = segments.slice(0, shape.failedAt).join('.');
  const guess = didYouMean(seg, shape.allowed);
  return {
    message: `"${path}" is not a path of the scenario: "${seg}" is not a key ${where === '' ? 'at the top level' : `under ${where}`}`,
    ...(guess !== undefined ? { hint: `did you mean "${guess}"?` } : {}),
  };
}
