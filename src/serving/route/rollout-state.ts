/**
 * The Route's side of a gradual rollout (knative/serving pkg/reconciler/route/
 * reconcile_resources.go reconcileRollout): the duration from the Route's annotation or
 * config-network, the previous state from its Ingress's annotation, ObserveReady when the
 * Ingress just turned Ready, one Step, and the requeue for the next step; plus the event
 * log's account of a rollout (its start, its timing, its end). The arithmetic is in
 * resources/rollout.ts.
 */
import { getCondition } from '../../apis/conditions.js';
import { goParseDuration } from '../../apis/config/autoscaler.js';
import { COND } from '../../apis/serving-lifecycle.js';
import type { Ingress, Route, RouteStatus } from '../../apis/serving-types.js';
import { readRolloutDurationAnnotation } from '../../apis/serving-validation.js';
import type { ServingContext } from '../shared.js';
import {
  NS_PER_MS,
  ROLLOUT_ANNOTATION,
  buildRollout,
  deserializeRollout,
  observeReady,
  rolloutConfig,
  rolloutsByTag,
  stepRollout,
  type Rollout,
} from './resources/rollout.js';
import type { GroupTarget } from './resources/traffic.js';

/** The Route's rollout duration in whole seconds: its annotation (truncated), else config-network's. */
function rolloutDurationSecs(route: Route, configSecs: number): number {
  const found = readRolloutDurationAnnotation(route.metadata.annotations);
  if (found !== undefined && found.value !== '') {
    const parsed = goParseDuration(found.value);
    const secs = parsed.ok ? Math.trunc(parsed.value / 1000) : 0;
    if (secs !== 0) return secs;
  }
  return configSecs;
}

/**
 * The effective rollout: the traffic's rollout stepped from the state on the Ingress
 * (reconcile_resources.go reconcileRollout). When the Ingress just became Ready while the
 * Route's IngressReady is not True, a rollout's first step is timed (ObserveReady).
 */
export function reconcileRollout(
  ctx: ServingContext,
  route: Route,
  status: RouteStatus,
  groups: ReadonlyMap<string, readonly GroupTarget[]>,
  ingress: Ingress,
  nowMs: number,
): { rollout: Rollout; requeueAfterMs?: number } {
  const cur = buildRollout(groups);
  const durationSecs = rolloutDurationSecs(route, ctx.configs.network().rolloutDurationSecs);
  if (durationSecs <= 0) return { rollout: cur };
  const nowNs = Math.round(nowMs * NS_PER_MS);
  const stored = deserializeRollout(ingress.metadata.annotations?.[ROLLOUT_ANNOTATION]);
  let prev = stored;
  const ingressReady =
    ingress.status?.observedGeneration === ingress.metadata.generation && getCondition(ingress.status?.conditions, COND.ready)?.status === 'True';
  if (prev !== undefined && ingressReady && getCondition(status.conditions, COND.ingressReady)?.status !== 'True') {
    prev = observeReady(prev, nowNs, durationSecs);
  }
  const { rollout, nextStepNs } = stepRollout(cur, prev, nowNs);
  narrateRollout(ctx, route, stored, rollout, durationSecs);
  return nextStepNs > 0 ? { rollout, requeueAfterMs: (nextStepNs - nowNs) / NS_PER_MS } : { rollout };
}

/** The narrated log of a rollout: its start, its timing, each step and its end. */
function narrateRollout(ctx: ServingContext, route: Route, prev: Rollout | undefined, next: Rollout, durationSecs: number): void {
  const name = route.metadata.name;
  for (const c of next.configurations) {
    const before = prev === undefined ? undefined : rolloutConfig(c.configurationName, rolloutsByTag(prev, c.tag));
    const where = c.tag === '' ? c.configurationName : `${c.configurationName} (tag ${c.tag})`;
    const shares = c.revisions.map((r) => `${r.revisionName}=${r.percent}`).join(',');
    const data = { configuration: c.configurationName, tag: c.tag, shares, stepSize: c.stepParams.stepSize, stepMs: c.stepParams.stepDuration / NS_PER_MS };
    const newest = c.revisions[c.revisions.length - 1]?.revisionName;
    if (c.stepParams.startTime > 0 && c.stepParams.startTime !== before?.stepParams.startTime) {
      ctx.engine.trace('route-controller', name, `gradual rollout of ${newest ?? ''} begins for ${where}: 1% first, over ${durationSecs}s`, data);
    } else if (c.stepParams.stepDuration > 0 && before?.stepParams.stepDuration === 0) {
      ctx.engine.trace(
        'route-controller',
        name,
        `gradual rollout of ${newest ?? ''}: steps of ${c.stepParams.stepSize}% every ${(c.stepParams.stepDuration / 1e9).toFixed(3)}s`,
        data,
      );
    } else if (before !== undefined && before.revisions.length > 1 && c.revisions.length === 1) {
      ctx.engine.trace('route-controller', name, `gradual rollout of ${newest ?? ''} done for ${where}`, data);
    }
  }
}
