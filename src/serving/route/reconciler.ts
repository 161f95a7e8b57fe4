/**
 * The Route reconciler: resolves traffic, programs the Ingress, writes status (URL,
 * address, resolved traffic with tag URLs, AllTrafficAssigned / IngressReady /
 * CertificateProvisioned), and labels the revisions it routes to (routing state).
 * Fidelity: knative/serving pkg/reconciler/route/{route,reconcile_resources}.go and the
 * labeler (pkg/reconciler/labeler): routed revisions get the route in their
 * `serving.knative.dev/routes` annotation and routingState `active`; once the Route is
 * Ready or failed, revisions it no longer routes to lose it and go to `reserve` (with
 * routingStateModified = now). When a target cannot be resolved the Ingress is left as
 * it was, so traffic keeps flowing to the revisions already programmed.
 * Not modelled: TLS certificates (CertificateProvisioned is True/TLSNotEnabled), the
 * placeholder Kubernetes Services, gradual rollout, the routes annotation on Configurations.
 */
import type { Controller } from '../../k8s/controller.js';
import type { WatchEvent } from '../../k8s/api-server.js';
import { TYPE } from '../../apis/core.js';
import { deepCopy, type Condition, type KObject } from '../../apis/meta.js';
import { getCondition, mark } from '../../apis/conditions.js';
import { convergeParts, ensureChild, reconcileKind, startKindController, type KindReconciler } from '../../k8s/reconcile-kind.js';
import { COND, MESSAGE, REASON, routeConditionSet, ingressConditionSet } from '../../apis/serving-lifecycle.js';
import {
  ANNOTATION,
  LABEL,
  type Configuration,
  type Ingress,
  type Revision,
  type Route,
  type RouteStatus,
  type TrafficTarget,
} from '../../apis/serving-types.js';
import { formatTimestamp } from '../../engine/units.js';
import { listAnnotation, type ServingContext } from '../shared.js';
import { isClusterLocal, routeUrl, tagName } from './resources/domains.js';
import { makeIngress } from './resources/ingress.js';
import { resolveTraffic } from './resources/traffic.js';
import { CLUSTER_LOCAL_DOMAIN } from '../../apis/config/domain.js';

const set = routeConditionSet;

export function startRouteReconciler(ctx: ServingContext): Controller {
  const controller = startKindController('route-controller', ctx.engine, ctx.api, routeReconciler(ctx));
  controller.watchControlled(ctx.api, TYPE.ingress, 'Route');
  const enqueueReferencing = (e: WatchEvent): void => {
    const ns = e.object.metadata.namespace ?? '';
    const names = new Set<string>([e.object.metadata.name]);
    const config = e.object.metadata.labels?.[LABEL.configuration];
    if (config !== undefined) names.add(config);
    for (const route of ctx.api.list<Route>(TYPE.route, { namespace: ns })) {
      if (referencesAny(route, names)) controller.enqueue(`${ns}/${route.metadata.name}`);
    }
  };
  ctx.api.watch(TYPE.configuration, enqueueReferencing);
  ctx.api.watch(TYPE.revision, enqueueReferencing);
  // Domain and network ConfigMaps change every Route's hosts.
  ctx.api.watch(TYPE.configMap, (e) => {
    if (e.object.metadata.namespace !== 'knative-serving' || !['config-domain', 'config-network'].includes(e.object.metadata.name)) return;
    for (const route of ctx.api.list<Route>(TYPE.route)) controller.enqueue(`${route.metadata.namespace ?? ''}/${route.metadata.name}`);
  });
  return controller;
}

function referencesAny(route: Route, names: Set<string>): boolean {
  const targets: TrafficTarget[] = [...(route.spec.traffic ?? []), ...(route.status?.traffic ?? [])];
  return targets.some(
    (t) => (t.revisionName !== undefined && names.has(t.revisionName)) || (t.configurationName !== undefined && names.has(t.configurationName)),
  );
}

/** One reconcile of the Route behind `key` (for tests). */
export function reconcileRoute(ctx: ServingContext, key: string): void {
  reconcileKind(ctx.engine, ctx.api, routeReconciler(ctx), key);
}

function routeReconciler(ctx: ServingContext): KindReconciler<Route, RouteStatus> {
  return {
    type: TYPE.route,
    conditions: set,
    reconcile: (route, status, nowMs) => reconcileRouteKind(ctx, route, status, nowMs),
    afterStatus: (route, status) => labelRevisions(ctx, route, status),
  };
}

function reconcileRouteKind(ctx: ServingContext, route: Route, status: RouteStatus, nowMs: number): void {
  const { api, engine } = ctx;
  const namespace = route.metadata.namespace ?? '';
  const name = route.metadata.name;
  const domains = ctx.configs.domain();
  const network = ctx.configs.network();
  const conditions = status.conditions as Condition[];
  status.url = routeUrl(route, name, domains, network);
  status.address = { url: `http://${name}.${namespace}.${CLUSTER_LOCAL_DOMAIN}` };

  const owningService = route.metadata.labels?.[LABEL.service];
  const result = resolveTraffic(
    route.spec.traffic ?? [],
    {
      configuration: (n) => api.get<Configuration>(TYPE.configuration, namespace, n),
      revision: (n) => api.get<Revision>(TYPE.revision, namespace, n),
    },
    owningService,
  );

  if (!result.ok) {
    mark(set, conditions, COND.allTrafficAssigned, result.status, nowMs, result.reason, result.message);
  } else {
    mark(set, conditions, COND.allTrafficAssigned, 'True', nowMs);
    const desired = makeIngress(route, result.targets, domains, network);
    const outcome = ensureChild(api, route, api.get<Ingress>(TYPE.ingress, namespace, name), desired, CONVERGE_INGRESS);
    let ingress: Ingress | undefined = outcome.child;
    if (outcome.state === 'created') engine.trace('route-controller', name, `Created Ingress "${name}"`);
    else if (outcome.state === 'updated')
      engine.trace('route-controller', name, `Updated Ingress "${name}"`, {
        splits: desired.spec.rules[0]?.splits.map((s) => `${s.revisionName}=${s.percent}`).join(','),
      });
    else if (outcome.state === 'notOwned') {
      mark(set, conditions, COND.ingressReady, 'False', nowMs, REASON.notOwned, MESSAGE.notOwned('Ingress', name));
      ingress = undefined;
    }
    status.traffic = result.targets.map((t) => {
      const out: TrafficTarget = {};
      if (t.tag) out.tag = t.tag;
      out.revisionName = t.revisionName;
      if (t.configurationName) out.configurationName = t.configurationName;
      out.latestRevision = t.latestRevision;
      out.percent = t.percent;
      if (t.tag) out.url = routeUrl(route, tagName(name, t.tag, network), domains, network);
      return out;
    });
    // Knative's status traffic names revisions, not configurations.
    for (const t of status.traffic) delete t.configurationName;
    if (ingress !== undefined) {
      const ready =
        ingress.status?.observedGeneration === ingress.metadata.generation && getCondition(ingress.status?.conditions, COND.ready)?.status === 'True';
      if (ready) mark(set, conditions, COND.ingressReady, 'True', nowMs);
      else mark(set, conditions, COND.ingressReady, 'Unknown', nowMs, REASON.ingressNotConfigured, MESSAGE.ingressNotConfigured);
    }
  }
  mark(
    set,
    conditions,
    COND.certificateProvisioned,
    'True',
    nowMs,
    REASON.tlsNotEnabled,
    isClusterLocal(route) ? MESSAGE.tlsNotEnabledForClusterLocal : MESSAGE.externalDomainTlsNotEnabled,
  );
}

/** The Route owns its Ingress's spec and labels. */
const CONVERGE_INGRESS = convergeParts<Ingress>(['spec', 'labels']);

/** The labeler: routes annotation and routing state on the revisions this Route uses. */
function labelRevisions(ctx: ServingContext, route: Route, status: RouteStatus): void {
  const { api } = ctx;
  const ns = route.metadata.namespace ?? '';
  const listed = new Set<string>();
  for (const t of [...(status.traffic ?? []), ...(route.spec.traffic ?? [])]) {
    if (t.revisionName !== undefined && api.get(TYPE.revision, ns, t.revisionName) !== undefined) listed.add(t.revisionName);
    if (t.configurationName !== undefined && t.latestRevision !== false) {
      const latest = api.get<Configuration>(TYPE.configuration, ns, t.configurationName)?.status?.latestCreatedRevisionName;
      if (latest) listed.add(latest);
    }
  }
  const ready = getCondition(status.conditions, COND.ready)?.status;
  if (ready === 'True' || ready === 'False') {
    for (const rev of api.list<Revision>(TYPE.revision, { namespace: ns })) {
      if (listed.has(rev.metadata.name)) continue;
      if (listAnnotation(rev.metadata.annotations?.[ANNOTATION.routes]).includes(route.metadata.name)) setRoutingMeta(ctx, rev, route.metadata.name, true);
    }
  }
  for (const name of [...listed].sort()) {
    const rev = api.get<Revision>(TYPE.revision, ns, name);
    if (rev !== undefined) setRoutingMeta(ctx, rev, route.metadata.name, false);
  }
}

function setRoutingMeta(ctx: ServingContext, rev: Revision, routeName: string, remove: boolean): void {
  const routes = new Set(listAnnotation(rev.metadata.annotations?.[ANNOTATION.routes]));
  if (remove) routes.delete(routeName);
  else routes.add(routeName);
  const wantState = routes.size > 0 ? 'active' : 'reserve';
  const routesValue = [...routes].sort().join(',');
  const haveRoutes = rev.metadata.annotations?.[ANNOTATION.routes] ?? '';
  const haveState = rev.metadata.labels?.[LABEL.routingState];
  if (routesValue === haveRoutes && haveState === wantState) return;
  const next: KObject = deepCopy(rev);
  const annotations = (next.metadata.annotations ??= {});
  const labels = (next.metadata.labels ??= {});
  if (routesValue === '') delete annotations[ANNOTATION.routes];
  else annotations[ANNOTATION.routes] = routesValue;
  if (haveState !== wantState) {
    labels[LABEL.routingState] = wantState;
    annotations[ANNOTATION.routingStateModified] = formatTimestamp(ctx.engine.nowMs);
    ctx.engine.trace('labeler', rev.metadata.name, `routingState ${haveState ?? '(none)'} → ${wantState}`);
  }
  ctx.api.update(next);
}

/**
 * knsim's stand-in for the ingress controller (net-kourier, net-istio): it marks an
 * Ingress Ready once it has observed its generation, one watch delivery after the write.
 * The router in the data plane applies its own propagation delay on top.
 */
export function startIngressReconciler(ctx: ServingContext): Controller {
  const r: KindReconciler<Ingress, NonNullable<Ingress['status']>> = {
    type: TYPE.ingress,
    conditions: ingressConditionSet,
    reconcile: (_ingress, status, nowMs) => mark(ingressConditionSet, status.conditions as Condition[], COND.ready, 'True', nowMs),
  };
  return startKindController('ingress-controller', ctx.engine, ctx.api, r);
}
