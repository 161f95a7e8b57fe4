/**
 * The Route reconciler: resolves traffic, keeps the placeholder Kubernetes Services,
 * programs the Ingress (stepping a gradual rollout when one is configured), writes status
 * (URL, address, resolved traffic with tag URLs, AllTrafficAssigned / IngressReady /
 * CertificateProvisioned), and labels the revisions it routes to (routing state).
 * Fidelity: knative/serving pkg/reconciler/route/{route,reconcile_resources}.go and the
 * labeler (pkg/reconciler/labeler): routed revisions get the route in their
 * `serving.knative.dev/routes` annotation and routingState `active`; once the Route is
 * Ready or failed, revisions it no longer routes to lose it and go to `reserve` (with
 * routingStateModified = now). When a target cannot be resolved the Ingress is left as
 * it was, so traffic keeps flowing to the revisions already programmed. The rollout
 * duration is the Route's `serving.knative.dev/rollout-duration` annotation (whole
 * seconds, truncated) or config-network `rollout-duration`; while a rollout is in flight
 * IngressReady is Unknown (RolloutInProgress), the status traffic lists the rollout's
 * revisions, and the Route is requeued at the next step (reconcileRollout).
 * Not modelled: TLS certificates (CertificateProvisioned is True/TLSNotEnabled), the
 * placeholder Services' load-balancer update, the routes annotation on Configurations.
 */
import type { Controller, ReconcileResult } from '../../k8s/controller.js';
import { type ApiServer, type WatchEvent } from '../../k8s/api-server.js';
import type { CustomIndex } from '../../k8s/store-indexes.js';
import { TYPE, type K8sService } from '../../apis/core.js';
import { deepCopy, type Condition, type KObject } from '../../apis/meta.js';
import { getCondition, mark } from '../../apis/conditions.js';
import { convergeParts, ensureChild, reconcileKind, startKindController, type ChildConvergence, type KindReconciler } from '../../k8s/reconcile-kind.js';
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
import { externalHost, isClusterLocal, routeUrl, tagName } from './resources/domains.js';
import { makeIngress } from './resources/ingress.js';
import { makePlaceholderService, resolveVisibility, type Visibility } from './resources/placeholder.js';
import { ROLLOUT_ANNOTATION, buildRollout, rolloutConfig, rolloutDone, rolloutsByTag, type Rollout } from './resources/rollout.js';
import { reconcileRollout } from './rollout-state.js';
import { resolveTraffic, trafficGroups, type GroupTarget, type ResolvedTarget } from './resources/traffic.js';
import { CLUSTER_LOCAL_DOMAIN } from '../../apis/config/domain.js';

const set = routeConditionSet;

export function startRouteReconciler(ctx: ServingContext): Controller {
  const controller = startKindController('route-controller', ctx.engine, ctx.api, routeReconciler(ctx));
  controller.watchControlled(ctx.api, TYPE.ingress, 'Route');
  // A placeholder Service changing (a visibility label) changes its Route's Ingress.
  controller.watchControlled(ctx.api, TYPE.service, 'Route');
  const referencing = ctx.api.addIndex<Route>(TYPE.route, referencedNames);
  const enqueueReferencing = (e: WatchEvent): void => {
    const ns = e.object.metadata.namespace ?? '';
    const routes = new Set<string>();
    for (const route of referencing.get(`${ns}/${e.object.metadata.name}`)) routes.add(route.metadata.name);
    const config = e.object.metadata.labels?.[LABEL.configuration];
    if (config !== undefined) for (const route of referencing.get(`${ns}/${config}`)) routes.add(route.metadata.name);
    // In name order, as a scan of the namespace's sorted Routes would enqueue them.
    for (const route of [...routes].sort()) controller.enqueue(`${ns}/${route}`);
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

/** A Route goes under `namespace/name` for every revision or configuration name its spec or status traffic targets. */
function referencedNames(route: Route): Set<string> {
  const ns = route.metadata.namespace ?? '';
  const keys = new Set<string>();
  for (const traffic of [route.spec.traffic, route.status?.traffic])
    for (const t of traffic ?? []) {
      if (t.revisionName !== undefined) keys.add(`${ns}/${t.revisionName}`);
      if (t.configurationName !== undefined) keys.add(`${ns}/${t.configurationName}`);
    }
  return keys;
}

/** One reconcile of the Route behind `key` (for tests). */
export function reconcileRoute(ctx: ServingContext, key: string): ReconcileResult {
  return reconcileKind(ctx.engine, ctx.api, routeReconciler(ctx), key);
}

function routeReconciler(ctx: ServingContext): KindReconciler<Route, RouteStatus> {
  return {
    type: TYPE.route,
    conditions: set,
    reconcile: (route, status, nowMs) => reconcileRouteKind(ctx, route, status, nowMs),
    afterStatus: (route, status) => labelRevisions(ctx, route, status),
  };
}

/** The names traffic is addressed by: '' (the main host) and every tag of the spec (visibility.go trafficNames). */
function trafficNames(route: Route): string[] {
  return [...new Set(['', ...(route.spec.traffic ?? []).map((t) => t.tag ?? '')])].sort();
}

function reconcileRouteKind(ctx: ServingContext, route: Route, status: RouteStatus, nowMs: number): ReconcileResult {
  const { api } = ctx;
  const namespace = route.metadata.namespace ?? '';
  const name = route.metadata.name;
  const domains = ctx.configs.domain();
  const network = ctx.configs.network();
  const conditions = status.conditions as Condition[];
  // A new generation is not Ready until its Ingress is (route.go, before anything else).
  if (route.metadata.generation !== status.observedGeneration)
    mark(set, conditions, COND.ingressReady, 'Unknown', nowMs, REASON.ingressNotConfigured, MESSAGE.ingressNotConfigured);
  const hostnameOf = (tag: string): string => (tag === '' ? name : tagName(name, tag, network));
  const placeholders = api.list<K8sService>(TYPE.service, { namespace, selector: { [LABEL.route]: name } });
  const visibility = resolveVisibility(trafficNames(route), hostnameOf, isClusterLocal(route), placeholders);
  status.url = routeUrl(route, name, domains, network, visibility.get('') === 'ClusterLocal');
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
  let requeue: ReconcileResult = undefined;
  if (!result.ok) {
    mark(set, conditions, COND.allTrafficAssigned, result.status, nowMs, result.reason, result.message);
  } else {
    mark(set, conditions, COND.allTrafficAssigned, 'True', nowMs);
    status.traffic = statusTraffic(route, result.targets, undefined, visibility, domains, network);
    const groups = trafficGroups(result.targets);
    if (reconcilePlaceholderServices(ctx, route, [...groups.keys()], hostnameOf, domains, network, conditions, nowMs)) {
      requeue = reconcileIngressAndRollout(ctx, route, status, result.targets, groups, visibility, nowMs);
    }
  }
  mark(
    set,
    conditions,
    COND.certificateProvisioned,
    'True',
    nowMs,
    REASON.tlsNotEnabled,
    visibility.get('') === 'ClusterLocal' ? MESSAGE.tlsNotEnabledForClusterLocal : MESSAGE.externalDomainTlsNotEnabled,
  );
  return requeue;
}

/**
 * The placeholder Services of every traffic name: created when missing, orphans of
 * removed tags deleted. False (IngressReady False NotOwned) when a name is taken by a
 * Service this Route does not own.
 */
function reconcilePlaceholderServices(
  ctx: ServingContext,
  route: Route,
  names: readonly string[],
  hostnameOf: (tag: string) => string,
  domains: ReturnType<ServingContext['configs']['domain']>,
  network: ReturnType<ServingContext['configs']['network']>,
  conditions: Condition[],
  nowMs: number,
): boolean {
  const { api, engine } = ctx;
  const namespace = route.metadata.namespace ?? '';
  const wanted = new Set<string>();
  for (const tag of [...names].sort()) {
    const hostname = hostnameOf(tag);
    wanted.add(hostname);
    const domain = externalHost(route, hostname, domains, network) ?? `${hostname}.${namespace}.${CLUSTER_LOCAL_DOMAIN}`;
    const desired = makePlaceholderService(route, hostname, domain);
    const existing = api.get<K8sService>(TYPE.service, namespace, hostname);
    const outcome = ensureChild(api, route, existing, desired, KEEP_PLACEHOLDER);
    if (outcome.state === 'created') engine.trace('route-controller', route.metadata.name, `Created placeholder service "${hostname}"`);
    if (outcome.state === 'notOwned') {
      mark(set, conditions, COND.ingressReady, 'False', nowMs, REASON.notOwned, MESSAGE.placeholderServiceNotOwned(hostname));
      return false;
    }
  }
  for (const svc of api.list<K8sService>(TYPE.service, { namespace, selector: { [LABEL.route]: route.metadata.name } })) {
    if (!wanted.has(svc.metadata.name) && svc.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === route.metadata.uid) === true) {
      api.delete(TYPE.service, namespace, svc.metadata.name);
    }
  }
  return true;
}

/**
 * A placeholder that exists is left as it is: a user's labels (the visibility label) stay,
 * as kmap.Union keeps them in updatePlaceholderServices.
 */
const KEEP_PLACEHOLDER: ChildConvergence<K8sService> = { equal: () => true, converge: (existing) => existing };

/** Programs the Ingress, steps a rollout, and propagates the Ingress's readiness (reconcileIngress, route.go). */
function reconcileIngressAndRollout(
  ctx: ServingContext,
  route: Route,
  status: RouteStatus,
  targets: readonly ResolvedTarget[],
  groups: ReadonlyMap<string, readonly GroupTarget[]>,
  visibility: ReadonlyMap<string, Visibility>,
  nowMs: number,
): ReconcileResult {
  const { api, engine } = ctx;
  const namespace = route.metadata.namespace ?? '';
  const name = route.metadata.name;
  const domains = ctx.configs.domain();
  const network = ctx.configs.network();
  const conditions = status.conditions as Condition[];
  const existing = api.get<Ingress>(TYPE.ingress, namespace, name);
  let effective: Rollout;
  let requeue: ReconcileResult = undefined;
  if (existing === undefined) effective = buildRollout(groups);
  else {
    const stepped = reconcileRollout(ctx, route, status, groups, existing, nowMs);
    effective = stepped.rollout;
    if (stepped.requeueAfterMs !== undefined) requeue = { requeueAfterMs: stepped.requeueAfterMs };
  }
  const desired = makeIngress(route, groups, effective, visibility, domains, network);
  const outcome = ensureChild(api, route, existing, desired, CONVERGE_INGRESS);
  const ingress: Ingress = outcome.child;
  if (outcome.state === 'created') engine.trace('route-controller', name, `Created Ingress "${name}"`);
  else if (outcome.state === 'updated')
    engine.trace('route-controller', name, `Updated Ingress "${name}"`, {
      splits: desired.spec.rules[0]?.splits.map((s) => `${s.revisionName}=${s.percent}`).join(','),
    });
  else if (outcome.state === 'notOwned') {
    mark(set, conditions, COND.ingressReady, 'False', nowMs, REASON.notOwned, MESSAGE.notOwned('Ingress', name));
    return undefined;
  }
  const inProgress = !rolloutDone(effective);
  if (ingress.status?.observedGeneration !== ingress.metadata.generation)
    mark(set, conditions, COND.ingressReady, 'Unknown', nowMs, REASON.ingressNotConfigured, MESSAGE.ingressNotConfigured);
  else if (!inProgress) {
    const ready = getCondition(ingress.status?.conditions, COND.ready);
    if (ready === undefined) mark(set, conditions, COND.ingressReady, 'Unknown', nowMs, REASON.ingressNotConfigured, MESSAGE.ingressNotConfigured);
    else mark(set, conditions, COND.ingressReady, ready.status, nowMs, ready.reason, ready.message);
  }
  if (inProgress) {
    mark(set, conditions, COND.ingressReady, 'Unknown', nowMs, REASON.rolloutInProgress, MESSAGE.rolloutInProgress);
    status.traffic = statusTraffic(route, targets, effective, visibility, domains, network);
  }
  return requeue;
}

/**
 * Route status traffic (GetRevisionTrafficTargets): one entry per target, or per revision of
 * a latest-revision target's rollout while one is in flight. Tagged entries carry the
 * tag URL (cluster-local when the tag's placeholder Service says so).
 */
function statusTraffic(
  route: Route,
  targets: readonly ResolvedTarget[],
  rollout: Rollout | undefined,
  visibility: ReadonlyMap<string, Visibility>,
  domains: ReturnType<ServingContext['configs']['domain']>,
  network: ReturnType<ServingContext['configs']['network']>,
): TrafficTarget[] {
  const name = route.metadata.name;
  const out: TrafficTarget[] = [];
  for (const t of targets) {
    const cfg = rollout !== undefined && t.latestRevision ? rolloutConfig(t.configurationName, rolloutsByTag(rollout, t.tag ?? '')) : undefined;
    const revisions = cfg === undefined ? [{ revisionName: t.revisionName, percent: t.percent }] : cfg.revisions;
    for (const r of revisions) {
      const entry: TrafficTarget = {};
      if (t.tag) entry.tag = t.tag;
      entry.revisionName = r.revisionName;
      entry.latestRevision = t.latestRevision;
      entry.percent = r.percent;
      if (t.tag) entry.url = routeUrl(route, tagName(name, t.tag, network), domains, network, visibility.get(t.tag) === 'ClusterLocal');
      out.push(entry);
    }
  }
  return out;
}

/** The Route owns its Ingress's spec, labels and the rollout annotation. */
const SPEC_AND_LABELS = convergeParts<Ingress>(['spec', 'labels']);
const CONVERGE_INGRESS: ChildConvergence<Ingress> = {
  equal: (existing, desired) =>
    SPEC_AND_LABELS.equal(existing, desired) && existing.metadata.annotations?.[ROLLOUT_ANNOTATION] === desired.metadata.annotations?.[ROLLOUT_ANNOTATION],
  converge: (existing, desired) => {
    const next = SPEC_AND_LABELS.converge(existing, desired);
    next.metadata.annotations = { ...(existing.metadata.annotations ?? {}), ...(desired.metadata.annotations ?? {}) };
    return next;
  },
};

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
    // The revisions that still name this Route though it no longer routes to them, in name order.
    const name = route.metadata.name;
    const stale = revisionsNamingRoute(api)
      .get(`${ns}/${name}`)
      .filter((rev) => !listed.has(rev.metadata.name));
    for (const rev of stale) setRoutingMeta(ctx, rev, name, true);
  }
  for (const name of [...listed].sort()) {
    const rev = api.get<Revision>(TYPE.revision, ns, name);
    if (rev !== undefined) setRoutingMeta(ctx, rev, route.metadata.name, false);
  }
}

/** Per API server, its revisions under `namespace/route` for each Route their routes annotation names. */
const routeIndexes = new WeakMap<ApiServer, CustomIndex<Revision>>();

/**
 * The index of revisions by the Routes that label them, made once per API server (client-go
 * informers index the same way): a Route's reconcile asks which revisions name it without
 * reading every revision of its namespace, which cost each of 1,000 Routes a scan of 1,000.
 */
function revisionsNamingRoute(api: ApiServer): CustomIndex<Revision> {
  let index = routeIndexes.get(api);
  if (index === undefined) {
    index = api.addIndex<Revision>(TYPE.revision, (rev) => {
      const ns = rev.metadata.namespace ?? '';
      return listAnnotation(rev.metadata.annotations?.[ANNOTATION.routes]).map((route) => `${ns}/${route}`);
    });
    routeIndexes.set(api, index);
  }
  return index;
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
