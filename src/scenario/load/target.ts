/**
 * Reads where a workload's requests go (`traffic[i].target`, each of `trace.targets`):
 * a Knative Service by name, or `{service, tag?, namespace?, fromCluster?}`, or
 * `{host, fromCluster?}` as a client would send it. A service (or tag) that no manifest or
 * kn line of the timeline creates is an error with a did-you-mean: its requests could only
 * ever get 404. A host is taken as written (a client may well ask for a host that 404s).
 */
import { didYouMean } from '../diagnostics.js';
import { TARGET_MAP_SHAPE } from '../shape.js';
import type { TrafficTarget } from '../types.js';
import { exactlyOne, type LoadContext } from './context.js';

export function readTarget(ctx: LoadContext, node: unknown, path: string): TrafficTarget | undefined {
  const r = ctx.r;
  const pos = r.pos(node);
  if (r.kindOf(node) === 'string') {
    const service = r.string(node, path, { nonEmpty: true });
    if (service === undefined) return undefined;
    const target: TrafficTarget = { kind: 'service', service, namespace: 'default', fromCluster: false, pos };
    return checkCreated(ctx, target, node, path) ? target : undefined;
  }
  const f = r.fields(node, path, TARGET_MAP_SHAPE);
  if (f === undefined) return undefined;
  const which = exactlyOne(ctx, f, ['host', 'service'], path, 'a target');
  const fromCluster = f.has('fromCluster') ? (r.boolean(f.get('fromCluster'), `${path}.fromCluster`) ?? false) : false;
  if (which === 'host') {
    for (const k of ['tag', 'namespace'])
      if (f.has(k)) r.report('SCENARIO_CONFLICTING_KEYS', f.field(k)?.keyNode, `${path}: "${k}" applies to a service target, not a host`);
    const host = r.string(f.get('host'), `${path}.host`, { nonEmpty: true });
    return host === undefined ? undefined : { kind: 'host', host, fromCluster, pos };
  }
  if (which === 'service') {
    const service = r.string(f.get('service'), `${path}.service`, { nonEmpty: true });
    const tag = f.has('tag') ? r.string(f.get('tag'), `${path}.tag`, { nonEmpty: true }) : undefined;
    const namespace = f.has('namespace') ? r.string(f.get('namespace'), `${path}.namespace`, { nonEmpty: true }) : 'default';
    if (service === undefined || namespace === undefined) return undefined;
    const target: TrafficTarget = { kind: 'service', service, ...(tag !== undefined ? { tag } : {}), namespace, fromCluster, pos };
    return checkCreated(ctx, target, f.get(target.tag !== undefined && hasService(ctx, target) ? 'tag' : 'service'), path) ? target : undefined;
  }
  return undefined;
}

function hasService(ctx: LoadContext, t: Extract<TrafficTarget, { kind: 'service' }>): boolean {
  return ctx.created === undefined || ctx.created.hosts.has(`${t.namespace}/${t.service}`);
}

/** A service target must be a Service (or Route) the timeline creates, and its tag one of that service's tags; reported otherwise. */
function checkCreated(ctx: LoadContext, t: Extract<TrafficTarget, { kind: 'service' }>, node: unknown, path: string): boolean {
  const created = ctx.created;
  if (created === undefined) return true;
  const id = `${t.namespace}/${t.service}`;
  if (!created.hosts.has(id)) {
    const sameNamespace = [...created.hosts].filter((h) => h.startsWith(`${t.namespace}/`)).map((h) => h.slice(t.namespace.length + 1));
    const elsewhere = [...created.hosts].filter((h) => h.endsWith(`/${t.service}`)).map((h) => h.slice(0, h.indexOf('/')));
    const guess = didYouMean(t.service, sameNamespace);
    const hint =
      guess !== undefined
        ? `did you mean "${guess}"?`
        : elsewhere.length > 0
          ? `the timeline creates ${t.service} in namespace ${elsewhere.join(', ')}: give namespace`
          : sameNamespace.length > 0
            ? `the timeline creates ${sameNamespace.join(', ')}`
            : 'create it in the timeline (kn service create, or apply a Knative Service), or send to a {host}';
    ctx.r.report(
      'SCENARIO_BAD_VALUE',
      node,
      `${path}: no manifest or kn line in the timeline creates service ${t.service} in namespace ${t.namespace}; its requests could only get 404`,
      { hint },
    );
    return false;
  }
  if (t.tag !== undefined && !(created.tags.get(id)?.has(t.tag) ?? false)) {
    const tags = [...(created.tags.get(id) ?? [])];
    const guess = didYouMean(t.tag, tags);
    ctx.r.report('SCENARIO_BAD_VALUE', node, `${path}: service ${t.service} never has a traffic target tagged "${t.tag}" in the timeline`, {
      hint:
        guess !== undefined
          ? `did you mean "${guess}"?`
          : tags.length > 0
            ? `its tags: ${tags.join(', ')}`
            : 'tag a revision with kn service update --tag, or spec.traffic[].tag',
    });
    return false;
  }
  return true;
}
