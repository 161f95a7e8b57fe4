/**
 * Reads `timeline:`: actions at virtual times, sorted by time (file order at equal times).
 * `apply` takes Knative manifests (inline or `{file: …}`), checked against the cluster's
 * structural schema here and then, in timeline order, by the dry run (dry-run.ts) with
 * Knative's defaulting and webhook rules against the autoscaler and defaults configs read from
 * `config:`; `kn` takes a kn command line, parsed once here by kn's own parser (the run uses the
 * parsed command) and checked by the dry run as the objects it writes; `kubectl` takes a
 * `kubectl label` line; `delete` takes `kind/name` or `{kind, name, namespace}`.
 */
import { TYPE } from '../../apis/core.js';
import { parseKn, type ServiceFlags } from '../../kn/parse.js';
import { annotationNotModelled, notModelled } from '../../apis/fidelity.js';
import { parseKubectl } from '../kubectl.js';
import { didYouMean, type SourcePos } from '../diagnostics.js';
import { DELETE_KIND_NAMES, positionMapForScalar, readManifests, resolveDeleteKind } from '../manifests.js';
import type { PositionMap } from '../reader.js';
import { ACTION_SHAPE, DELETE_SHAPE, FILE_REF_SHAPE } from '../shape.js';
import type { KnAction, TimelineAction } from '../types.js';
import { exactlyOne, readFileAt, type LoadContext } from './context.js';

/** What every action has, read before its kind. */
interface ActionBase {
  atMs: number;
  index: number;
  pos: SourcePos;
  note?: string;
  expectError?: string;
}

/** `timeline:`, sorted by time. */
export function readTimeline(ctx: LoadContext, node: unknown): TimelineAction[] {
  const r = ctx.r;
  const items = r.items(node, 'timeline');
  if (items === undefined) return [];
  if (items.length > ctx.limits.maxTimelineActions) {
    r.report(
      'SCENARIO_LIMIT_EXCEEDED',
      node,
      `timeline has ${items.length} actions, more than the limit of ${ctx.limits.maxTimelineActions} (maxTimelineActions)`,
    );
    return [];
  }
  const out: TimelineAction[] = [];
  items.forEach((item, index) => {
    const p = `timeline[${index}]`;
    const f = r.fields(item, p, ACTION_SHAPE);
    if (f === undefined) return;
    const atNode = r.require(f, 'at', p);
    const atMs = atNode === undefined ? undefined : r.duration(atNode, `${p}.at`);
    if (atMs !== undefined && ctx.durationMs > 0 && atMs > ctx.durationMs) {
      r.report('SCENARIO_OUT_OF_RANGE', atNode, `${p}.at: ${String(r.scalar(atNode))} is after the end of the scenario; this action never runs`, {
        severity: 'warning',
      });
    }
    const note = f.has('note') ? r.string(f.get('note'), `${p}.note`, { lenient: true }) : undefined;
    // A part of the error message the step must fail with.
    const expectError = f.has('expectError') ? r.string(f.get('expectError'), `${p}.expectError`, { nonEmpty: true }) : undefined;
    const which = exactlyOne(ctx, f, ['apply', 'kn', 'kubectl', 'delete'], p, 'an action');
    if (which === undefined) return;
    // The action is checked even when `at` is wrong, so all its problems show at once.
    const base: ActionBase = {
      atMs: atMs ?? 0,
      index,
      pos: r.pos(item),
      ...(note !== undefined ? { note } : {}),
      ...(expectError !== undefined ? { expectError } : {}),
    };
    const action =
      which === 'apply'
        ? readApply(ctx, f.get('apply'), `${p}.apply`, base)
        : which === 'kn'
          ? readKn(ctx, f.get('kn'), `${p}.kn`, base)
          : which === 'kubectl'
            ? readKubectl(ctx, f.get('kubectl'), `${p}.kubectl`, base)
            : readDelete(ctx, f.get('delete'), `${p}.delete`, base);
    if (action !== undefined && atMs !== undefined) out.push(action);
  });
  // Stable: equal times keep file order, which is the order the user reads.
  return out.sort((a, b) => a.atMs - b.atMs || a.index - b.index);
}

function readApply(ctx: LoadContext, node: unknown, path: string, base: ActionBase): TimelineAction | undefined {
  const r = ctx.r;
  let text: string;
  let map: PositionMap;
  let file: string | undefined;
  if (r.kindOf(node) === 'mapping') {
    const f = r.fields(node, path, FILE_REF_SHAPE);
    const fileNode = f === undefined ? undefined : r.require(f, 'file', path);
    if (fileNode === undefined) return undefined;
    const read = readFileAt(ctx, fileNode, `${path}.file`);
    if (read === undefined) return undefined;
    file = read.written;
    text = read.text;
    map = { kind: 'shift', file: read.resolved, lineOffset: 0, columnOffset: 0 };
  } else {
    const s = r.string(node, path, { nonEmpty: true });
    if (s === undefined) return undefined;
    text = s;
    map = positionMapForScalar(r, node, ctx.text);
  }
  const before = r.diags.length;
  const objects = readManifests(text, map, path, ctx.limits, r.diags, { notModelled }, ctx.locate);
  ctx.objectCount += objects.length;
  if (objects.length === 0) {
    if (r.diags.length === before) r.report('SCENARIO_INVALID_MANIFEST', node, `${path}: no manifests found`);
    return undefined;
  }
  return { action: 'apply', objects, ...(file !== undefined ? { file } : {}), ...base };
}

function readKn(ctx: LoadContext, node: unknown, path: string, base: ActionBase): TimelineAction | undefined {
  const r = ctx.r;
  const s = r.string(node, path, { nonEmpty: true });
  if (s === undefined) return undefined;
  const commandLine = s.trim().replace(/^kn(\s+|$)/, '');
  if (commandLine === '') {
    r.report('SCENARIO_INVALID_KN', node, `${path}: no kn command given`, { hint: 'for example: kn service create sunshine --image=rainbows' });
    return undefined;
  }
  const parsed = parseKn(commandLine);
  if (!parsed.ok) {
    r.report('SCENARIO_INVALID_KN', node, `${path}: ${parsed.error}${parsed.hint === undefined ? '' : ` (${parsed.hint})`}`);
    return undefined;
  }
  for (const w of knNotModelled(parsed.command.flags))
    r.report('SCENARIO_NOT_MODELLED', node, `${path}: ${w.message}`, { severity: 'warning', ...(w.hint !== undefined ? { hint: w.hint } : {}) });
  const action: KnAction = { action: 'kn', commandLine, command: parsed.command, ...base };
  ctx.knPos.set(action, r.pos(node));
  return action;
}

function readKubectl(ctx: LoadContext, node: unknown, path: string, base: ActionBase): TimelineAction | undefined {
  const r = ctx.r;
  const s = r.string(node, path, { nonEmpty: true });
  if (s === undefined) return undefined;
  const commandLine = s.trim().replace(/^kubectl(\s+|$)/, '');
  const parsed = parseKubectl(commandLine);
  if (!parsed.ok) {
    r.report('SCENARIO_BAD_VALUE', node, `${path}: ${parsed.error}`, parsed.hint !== undefined ? { hint: parsed.hint } : {});
    return undefined;
  }
  return { action: 'kubectl', commandLine, ...base };
}

/** What a kn line sets that knsim does not model: Knative annotations it does not read (apis/fidelity.ts). */
function knNotModelled(flags: ServiceFlags): { message: string; hint?: string }[] {
  const out: { message: string; hint?: string }[] = [];
  const check = (items: readonly string[], place: 'template' | 'service', flag: string): void => {
    for (const item of items) {
      const eq = item.indexOf('=');
      if (eq < 0) continue;
      const w = annotationNotModelled(item.slice(0, eq), item.slice(eq + 1), place);
      if (w !== undefined) out.push({ message: `${flag} ${item.slice(0, eq)} ${w.message}`, ...(w.hint !== undefined ? { hint: w.hint } : {}) });
    }
  };
  check([...flags.annotation, ...flags.annotationRevision], 'template', '--annotation');
  check(flags.annotationService, 'service', '--annotation-service');
  return out;
}

function readDelete(ctx: LoadContext, node: unknown, path: string, base: ActionBase): TimelineAction | undefined {
  const r = ctx.r;
  let kindText: string | undefined;
  let name: string | undefined;
  let namespace: string | undefined;
  let kindNode: unknown = node;
  if (r.kindOf(node) === 'string') {
    const s = String(r.scalar(node));
    const m = /^([^/\s]+)\/([^/\s]+)$/.exec(s.trim());
    if (m === null) {
      r.report('SCENARIO_BAD_VALUE', node, `${path}: expected kind/name such as ksvc/sunshine, got "${s}"`);
      return undefined;
    }
    kindText = m[1];
    name = m[2];
  } else {
    const f = r.fields(node, path, DELETE_SHAPE);
    if (f === undefined) return undefined;
    kindNode = r.require(f, 'kind', path);
    const nameNode = r.require(f, 'name', path);
    kindText = kindNode === undefined ? undefined : r.string(kindNode, `${path}.kind`, { nonEmpty: true });
    name = nameNode === undefined ? undefined : r.string(nameNode, `${path}.name`, { nonEmpty: true });
    if (f.has('namespace')) namespace = r.string(f.get('namespace'), `${path}.namespace`, { nonEmpty: true });
  }
  if (kindText === undefined || name === undefined) return undefined;
  const kind = resolveDeleteKind(kindText);
  if (kind === undefined) {
    const guess = didYouMean(kindText, DELETE_KIND_NAMES);
    r.report('SCENARIO_UNKNOWN_KIND', kindNode, `${path}: unknown kind "${kindText}"`, {
      hint: guess !== undefined ? `did you mean "${guess}"?` : `use one of ksvc, configuration, revision, route, configmap, pod, deployment`,
    });
    return undefined;
  }
  return {
    action: 'delete',
    type: kind.type,
    kind: kind.kind,
    name,
    namespace: namespace ?? (kind.type === TYPE.configMap ? 'knative-serving' : kind.type === TYPE.clusterDomainClaim ? '' : 'default'),
    ...base,
  };
}
