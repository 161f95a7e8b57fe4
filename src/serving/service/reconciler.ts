/**
 * The Service reconciler: keeps the owned Configuration and Route equal to the
 * Service's spec and summarises them in the Service status (ConfigurationsReady,
 * RoutesReady, Ready, url, address, latest revisions, traffic).
 * Fidelity: knative/serving pkg/reconciler/service/service.go and service_lifecycle.go:
 * `OutOfDate` while a child has not observed its latest generation, `TrafficNotMigrated`
 * while the Route's status traffic differs from its spec with configuration targets
 * replaced by the latest ready revision, and `RevisionNameTaken` for a BYO name already
 * used by a different revision.
 */
import type { Controller } from '../../k8s/controller.js';
import { convergeParts, ensureChild, reconcileKind, startKindController, type KindReconciler } from '../../k8s/reconcile-kind.js';
import { TYPE } from '../../apis/core.js';
import { deepCopy, deepEqual, isControlledBy, type Condition } from '../../apis/meta.js';
import { getCondition, mark } from '../../apis/conditions.js';
import { COND, MESSAGE, REASON, serviceConditionSet } from '../../apis/serving-lifecycle.js';
import type { Configuration, KnService, Revision, Route, ServiceStatus, TrafficTarget } from '../../apis/serving-types.js';
import type { ServingContext } from '../shared.js';
import { makeConfiguration, makeRoute } from './resources/children.js';

const set = serviceConditionSet;

export function startServiceReconciler(ctx: ServingContext): Controller {
  const controller = startKindController('service-controller', ctx.engine, ctx.api, serviceReconciler(ctx));
  controller.watchControlled(ctx.api, TYPE.configuration, 'Service');
  controller.watchControlled(ctx.api, TYPE.route, 'Service');
  return controller;
}

/** One reconcile of the Service behind `key` (for tests). */
export function reconcileService(ctx: ServingContext, key: string): void {
  reconcileKind(ctx.engine, ctx.api, serviceReconciler(ctx), key);
}

function serviceReconciler(ctx: ServingContext): KindReconciler<KnService, ServiceStatus> {
  return {
    type: TYPE.knService,
    conditions: set,
    reconcile: (service, status, nowMs) => reconcileServiceKind(ctx, service, status, nowMs),
    statusWritten: (before, status) => {
      const was = getCondition(before.status?.conditions, COND.ready);
      const now = getCondition(status.conditions, COND.ready);
      if (was?.status !== now?.status)
        ctx.engine.trace('service-controller', before.metadata.name, `Ready=${now?.status}${now?.reason ? ` (${now.reason})` : ''}`);
    },
  };
}

function reconcileServiceKind(ctx: ServingContext, service: KnService, status: ServiceStatus, nowMs: number): void {
  const { api, engine } = ctx;
  const namespace = service.metadata.namespace ?? '';
  const name = service.metadata.name;
  const conditions = status.conditions as Condition[];

  // Phase 1: the Configuration.
  const existingConfig = api.get<Configuration>(TYPE.configuration, namespace, name);
  const configOutcome = ensureChild(api, service, existingConfig, makeConfiguration(service, existingConfig), CONVERGE_CONFIGURATION);
  if (configOutcome.state === 'notOwned')
    return mark(set, conditions, COND.configurationsReady, 'False', nowMs, REASON.notOwned, MESSAGE.notOwned('Configuration', name));
  if (configOutcome.state === 'created') engine.trace('service-controller', name, `Created Configuration "${name}"`);
  const config = configOutcome.child;
  const byoName = config.spec.template?.metadata?.name;
  if (config.metadata.generation !== config.status?.observedGeneration) {
    mark(set, conditions, COND.configurationsReady, 'Unknown', nowMs, REASON.outOfDate, MESSAGE.configurationOutOfDate);
    // With a BYO name the Route must wait until that revision exists, so it is never routed to a stranger.
    if (byoName) return;
  } else {
    propagateConfigurationStatus(status, config, nowMs);
  }
  if (byoName) {
    const rev = api.get<Revision>(TYPE.revision, namespace, byoName);
    if (rev !== undefined && (!isControlledBy(rev, config) || !deepEqual(rev.spec, config.spec.template.spec))) {
      return mark(set, conditions, COND.routesReady, 'False', nowMs, REASON.revisionNameTaken, MESSAGE.revisionNameTaken(byoName));
    }
  }

  // Phase 2: the Route.
  const routeOutcome = ensureChild(api, service, api.get<Route>(TYPE.route, namespace, name), makeRoute(service), CONVERGE_ROUTE);
  if (routeOutcome.state === 'notOwned') return mark(set, conditions, COND.routesReady, 'False', nowMs, REASON.notOwned, MESSAGE.notOwned('Route', name));
  if (routeOutcome.state === 'created') engine.trace('service-controller', name, `Created Route "${name}"`);
  const route = routeOutcome.child;
  if (route.metadata.generation !== route.status?.observedGeneration) {
    mark(set, conditions, COND.routesReady, 'Unknown', nowMs, REASON.outOfDate, MESSAGE.routeOutOfDate);
  } else {
    propagateRouteStatus(status, route, nowMs);
  }
  checkRoutesNotReady(status, config, route, nowMs);
}

/** The Service owns its children's spec, labels and annotations. */
const CONVERGE_CONFIGURATION = convergeParts<Configuration>(['spec', 'labels', 'annotations']);
const CONVERGE_ROUTE = convergeParts<Route>(['spec', 'labels', 'annotations']);

function propagateConfigurationStatus(status: ServiceStatus, config: Configuration, nowMs: number): void {
  status.latestCreatedRevisionName = config.status?.latestCreatedRevisionName;
  status.latestReadyRevisionName = config.status?.latestReadyRevisionName;
  const cc = getCondition(config.status?.conditions, COND.ready);
  if (cc === undefined) return;
  mark(set, status.conditions as Condition[], COND.configurationsReady, cc.status, nowMs, cc.reason, cc.message);
}

function propagateRouteStatus(status: ServiceStatus, route: Route, nowMs: number): void {
  status.url = route.status?.url;
  status.address = route.status?.address;
  status.traffic = route.status?.traffic === undefined ? undefined : deepCopy(route.status.traffic);
  const rc = getCondition(route.status?.conditions, COND.ready);
  if (rc === undefined) return;
  mark(set, status.conditions as Condition[], COND.routesReady, rc.status, nowMs, rc.reason, rc.message);
}

/** TrafficNotMigrated: the Route is Ready but its status traffic is not yet what the spec asks for. */
function checkRoutesNotReady(status: ServiceStatus, config: Configuration, route: Route, nowMs: number): void {
  if (getCondition(status.conditions, COND.routesReady)?.status !== 'True') return;
  const want = route.spec.traffic ?? [];
  const got = route.status?.traffic ?? [];
  const notYet = (): void =>
    mark(set, status.conditions as Condition[], COND.routesReady, 'Unknown', nowMs, REASON.trafficNotMigrated, MESSAGE.trafficNotMigrated);
  if (want.length !== got.length) return notYet();
  const normalize = (t: TrafficTarget): TrafficTarget => ({
    tag: t.tag,
    revisionName: t.revisionName,
    configurationName: t.configurationName,
    percent: t.percent ?? 0,
  });
  const wantResolved = want.map((t) =>
    t.configurationName === config.metadata.name ? { ...t, revisionName: config.status?.latestReadyRevisionName, configurationName: undefined } : t,
  );
  const differs = (t: TrafficTarget, i: number): boolean => {
    const g = got[i];
    return g === undefined || !deepEqual(normalize(t), normalize(g));
  };
  if (wantResolved.some(differs)) notYet();
}
