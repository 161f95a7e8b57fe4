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
import { writeKnativeStatus } from '../../k8s/controller.js';
import { Controller } from '../../k8s/controller.js';
import { TYPE } from '../../apis/core.js';
import { deepCopy, deepEqual, splitKey, type Condition } from '../../apis/meta.js';
import { getCondition, initializeConditions } from '../../apis/conditions.js';
import { COND, MESSAGE, REASON, serviceConditionSet } from '../../apis/serving-lifecycle.js';
import type { Configuration, KnService, Revision, Route, ServiceStatus, TrafficTarget } from '../../apis/serving-types.js';
import { isControlledBy, mark, type ServingContext } from '../shared.js';
import { makeConfiguration, makeRoute } from './resources/children.js';

const set = serviceConditionSet;

export function startServiceReconciler(ctx: ServingContext): Controller {
  const controller = new Controller('service-controller', ctx.engine, (key) => reconcileService(ctx, key));
  controller.watchOwn(ctx.api, TYPE.knService);
  controller.watchControlled(ctx.api, TYPE.configuration, 'Service');
  controller.watchControlled(ctx.api, TYPE.route, 'Service');
  return controller;
}

export function reconcileService(ctx: ServingContext, key: string): void {
  const { api, engine } = ctx;
  const { namespace, name } = splitKey(key);
  const service = api.get<KnService>(TYPE.knService, namespace, name);
  if (service === undefined || service.metadata.deletionTimestamp !== undefined) return;
  const nowMs = engine.nowMs;
  const status: ServiceStatus = deepCopy(service.status ?? {});
  const conditions: Condition[] = (status.conditions ??= []);
  initializeConditions(set, conditions, nowMs);
  const done = (): void => writeServiceStatus(ctx, service, status);

  // Phase 1: the Configuration.
  let config = api.get<Configuration>(TYPE.configuration, namespace, name);
  if (config === undefined) {
    config = api.create(makeConfiguration(service));
    engine.trace('service-controller', name, `Created Configuration "${name}"`);
  } else if (!isControlledBy(config, service)) {
    mark(set, conditions, COND.configurationsReady, 'False', nowMs, REASON.notOwned, MESSAGE.notOwned('Configuration', name));
    return done();
  } else {
    const desired = makeConfiguration(service, config);
    if (!deepEqual(desired.spec, config.spec) || !deepEqual(desired.metadata.labels, config.metadata.labels) || !deepEqual(desired.metadata.annotations, config.metadata.annotations)) {
      const next = deepCopy(config);
      next.spec = desired.spec;
      next.metadata.labels = desired.metadata.labels;
      next.metadata.annotations = desired.metadata.annotations;
      config = api.update(next);
    }
  }
  const byoName = config.spec.template?.metadata?.name;
  if (config.metadata.generation !== config.status?.observedGeneration) {
    mark(set, conditions, COND.configurationsReady, 'Unknown', nowMs, REASON.outOfDate, MESSAGE.configurationOutOfDate);
    // With a BYO name the Route must wait until that revision exists, so it is never routed to a stranger.
    if (byoName) return done();
  } else {
    propagateConfigurationStatus(status, config, nowMs);
  }
  if (byoName) {
    const rev = api.get<Revision>(TYPE.revision, namespace, byoName);
    if (rev !== undefined && (!isControlledBy(rev, config) || !deepEqual(rev.spec, config.spec.template.spec))) {
      mark(set, conditions, COND.routesReady, 'False', nowMs, REASON.revisionNameTaken, MESSAGE.revisionNameTaken(byoName));
      return done();
    }
  }

  // Phase 2: the Route.
  let route = api.get<Route>(TYPE.route, namespace, name);
  if (route === undefined) {
    route = api.create(makeRoute(service));
    engine.trace('service-controller', name, `Created Route "${name}"`);
  } else if (!isControlledBy(route, service)) {
    mark(set, conditions, COND.routesReady, 'False', nowMs, REASON.notOwned, MESSAGE.notOwned('Route', name));
    return done();
  } else {
    const desired = makeRoute(service);
    if (!deepEqual(desired.spec, route.spec) || !deepEqual(desired.metadata.labels, route.metadata.labels) || !deepEqual(desired.metadata.annotations ?? {}, route.metadata.annotations ?? {})) {
      const next = deepCopy(route);
      next.spec = desired.spec;
      next.metadata.labels = desired.metadata.labels;
      next.metadata.annotations = desired.metadata.annotations;
      route = api.update(next);
    }
  }
  if (route.metadata.generation !== route.status?.observedGeneration) {
    mark(set, conditions, COND.routesReady, 'Unknown', nowMs, REASON.outOfDate, MESSAGE.routeOutOfDate);
  } else {
    propagateRouteStatus(status, route, nowMs);
  }
  checkRoutesNotReady(status, config, route, nowMs);
  done();
}

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
  const notYet = (): void => mark(set, status.conditions as Condition[], COND.routesReady, 'Unknown', nowMs, REASON.trafficNotMigrated, MESSAGE.trafficNotMigrated);
  if (want.length !== got.length) return notYet();
  const normalize = (t: TrafficTarget): TrafficTarget => ({ tag: t.tag, revisionName: t.revisionName, configurationName: t.configurationName, percent: t.percent ?? 0 });
  const wantResolved = want.map((t) => (t.configurationName === config.metadata.name ? { ...t, revisionName: config.status?.latestReadyRevisionName, configurationName: undefined } : t));
  if (wantResolved.some((t, i) => !deepEqual(normalize(t), normalize(got[i])))) notYet();
}

function writeServiceStatus(ctx: ServingContext, service: KnService, status: ServiceStatus): void {
  if (!writeKnativeStatus(ctx.api, service, status).written) return;
  const before = getCondition(service.status?.conditions, COND.ready);
  const after = getCondition(status.conditions, COND.ready);
  if (before?.status !== after?.status) ctx.engine.trace('service-controller', service.metadata.name, `Ready=${after?.status}${after?.reason ? ` (${after.reason})` : ''}`);
}
