/**
 * Reads where a workload's requests go (`traffic[i].target`, each of `trace.targets`):
 * a Knative Service by name, or `{service, tag?, namespace?, fromCluster?}`, or
 * `{host, fromCluster?}` as a client would send it.
 */
import { TARGET_MAP_SHAPE } from '../shape.js';
import type { TrafficTarget } from '../types.js';
import { exactlyOne, type LoadContext } from './context.js';

export function readTarget(ctx: LoadContext, node: unknown, path: string): TrafficTarget | undefined {
  const r = ctx.r;
  const pos = r.pos(node);
  if (r.kindOf(node) === 'string') {
    const service = r.string(node, path, { nonEmpty: true });
    return service === undefined ? undefined : { kind: 'service', service, namespace: 'default', fromCluster: false, pos };
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
    return { kind: 'service', service, ...(tag !== undefined ? { tag } : {}), namespace, fromCluster, pos };
  }
  return undefined;
}
