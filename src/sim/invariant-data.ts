/**
 * What the invariants read from a result, gathered once per question: a revision's per-second
 * samples, the Routes' traffic over time (from the report's object changes), and the times
 * config-autoscaler was changed during the run (kubectl events on the ConfigMap).
 * Fidelity: object changes are seen at watch delivery, the API latency after the write.
 */
import type { Scenario } from '../scenario/index.js';
import type { RunResult, SeriesSample, TrafficShare } from './result.js';
import { expandedSeries } from '../engine/index.js';

/** A finished run as the invariants see it; `rerun` runs the same scenario again (for determinism). */
export interface InvariantRun {
  scenario: Scenario;
  result: RunResult;
  rerun?: () => RunResult;
}

/** The per-second samples of one revision, in time order (a change-point series expanded). */
export function seriesOf(result: RunResult, revision: string): SeriesSample[] {
  return [
    ...expandedSeries(
      result,
      result.series.filter((s) => s.revision === revision),
    ),
  ];
}

/** When config-autoscaler was applied or deleted by the timeline (the ConfigMaps of `config:` exist from the start). */
export function configChangeTimes(result: RunResult): number[] {
  return result.events
    .filter((e) => e.component === 'kubectl' && e.object === 'configmap/config-autoscaler' && e.data.kind === 'command' && e.data.line === 'command')
    .map((e) => e.t);
}

/** A Route's traffic from `t` on (an empty list before it has any, or once deleted). */
export interface RouteState {
  t: number;
  traffic: TrafficShare[];
}

/** Every Route's traffic over time, by the service that owns it (the route of a ksvc is named after it). */
export interface RouteStates {
  byService: Map<string, RouteState[]>;
  /** Whether `revision` was in its service's route traffic (any percent or a tag) during the whole of [fromMs, toMs]. */
  routedThroughout(service: string, revision: string, fromMs: number, toMs: number): boolean;
}

export function routeStates(result: RunResult): RouteStates {
  const byService = new Map<string, RouteState[]>();
  for (const o of result.objects ?? []) {
    if (o.kind !== 'Route') continue;
    const service = o.owner === '' ? o.name : o.owner;
    const traffic = o.state !== null && Array.isArray(o.state.traffic) ? o.state.traffic : [];
    const list = byService.get(service) ?? [];
    const last = list[list.length - 1];
    // Only traffic changes matter here (a Route's readiness or URL changing leaves it as it was).
    if (last === undefined || JSON.stringify(last.traffic) !== JSON.stringify(traffic)) list.push({ t: o.t, traffic });
    byService.set(service, list);
  }
  return {
    byService,
    routedThroughout(service, revision, fromMs, toMs) {
      const states = byService.get(service) ?? [];
      let inForce: RouteState | undefined;
      for (const s of states) {
        if (s.t <= fromMs) inForce = s;
        else if (s.t <= toMs && !s.traffic.some((t) => t.revision === revision)) return false;
      }
      return inForce !== undefined && inForce.traffic.some((t) => t.revision === revision);
    },
  };
}
