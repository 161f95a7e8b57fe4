/**
 * What the invariants read from a result, gathered once per question: a revision's per-second
 * samples, the Routes' traffic over time (from the report's object changes), the changes of a
 * revision's PodAutoscaler, ServerlessService and Deployment, its scales to zero, and the times
 * config-autoscaler was changed during the run (kubectl events on the ConfigMap).
 *
 * The recordings may be logs read back from disk (`knsim run --json`): each is read in passes,
 * never held whole. A revision's samples are read with those of the revisions after it, up to
 * `SERIES_BATCH` kept samples at once, so checking every revision takes a few passes.
 * Fidelity: object changes are seen at watch delivery, the API latency after the write.
 */
import type { Scenario } from '../scenario/index.js';
import type { ObjectChange, RecordedResult, SeriesSample, TrafficShare } from './result.js';
import { expandedSeries } from '../engine/index.js';

/** A finished run as the invariants see it; `rerun` runs the same scenario again (for determinism). */
export interface InvariantRun {
  scenario: Scenario;
  result: RecordedResult;
  rerun?: () => RecordedResult;
  /** What the checks read, gathered from the result once. */
  data: RunData;
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

/** Most kept series samples read into memory at once (besides the asked revision's own). */
export const SERIES_BATCH = 200_000;

/** The kinds whose changes the scale-to-zero invariant follows per revision (a Deployment's deletions only). */
const FOLLOWED: ReadonlySet<string> = new Set(['PodAutoscaler', 'ServerlessService', 'Deployment']);

/** The result's recordings, read as the invariants ask: each pass over a log made once and kept. */
export class RunData {
  private configTimes: number[] | undefined;
  private routes: RouteStates | undefined;
  private zeros: Map<string, number[]> | undefined;
  private followed: Map<string, ObjectChange[]> | undefined;
  /** The kept samples of the revisions read in the last pass. */
  private batch = new Map<string, SeriesSample[]>();
  private expanded: { revision: string; samples: SeriesSample[] } | undefined;
  /** Revision names in the order the checks go through them. */
  private readonly order: string[];

  constructor(
    private readonly result: RecordedResult,
    private readonly seriesBatch = SERIES_BATCH,
  ) {
    this.order = (result.revisionStats ?? result.revisions).map((r) => r.name);
  }

  /** The per-second samples of one revision, in time order (a change-point series expanded). */
  seriesOf(revision: string): SeriesSample[] {
    if (this.expanded?.revision === revision) return this.expanded.samples;
    if (!this.batch.has(revision)) this.readBatch(revision);
    const samples = [...expandedSeries(this.result, this.batch.get(revision) ?? [])];
    this.expanded = { revision, samples };
    return samples;
  }

  /** When config-autoscaler was applied or deleted by the timeline (the ConfigMaps of `config:` exist from the start). */
  configChangeTimes(): number[] {
    if (this.configTimes === undefined) {
      this.configTimes = [];
      for (const e of this.result.events)
        if (e.component === 'kubectl' && e.object === 'configmap/config-autoscaler' && e.data.kind === 'command' && e.data.line === 'command')
          this.configTimes.push(e.t);
    }
    return this.configTimes;
  }

  /** When the autoscaler scaled the revision to zero replicas. */
  scaleToZeroTimes(revision: string): number[] {
    if (this.zeros === undefined) {
      const zeros = new Map<string, number[]>();
      for (const e of this.result.events) {
        if (e.data.kind !== 'scale' || e.data.replicasTo !== 0) continue;
        const list = zeros.get(e.data.revision) ?? [];
        list.push(e.t);
        zeros.set(e.data.revision, list);
      }
      this.zeros = zeros;
    }
    return this.zeros.get(revision) ?? [];
  }

  /** The changes of one PodAutoscaler or ServerlessService, or the deletions of one Deployment, in time order. */
  changesOf(kind: 'PodAutoscaler' | 'ServerlessService' | 'Deployment', name: string): readonly ObjectChange[] {
    if (this.followed === undefined) {
      const followed = new Map<string, ObjectChange[]>();
      for (const o of this.result.objects ?? []) {
        if (!FOLLOWED.has(o.kind) || (o.kind === 'Deployment' && o.state !== null)) continue;
        const key = `${o.kind}/${o.name}`;
        const list = followed.get(key) ?? [];
        list.push(o);
        followed.set(key, list);
      }
      this.followed = followed;
    }
    return this.followed.get(`${kind}/${name}`) ?? [];
  }

  routeStates(): RouteStates {
    this.routes ??= routeStatesOf(this.result.objects ?? []);
    return this.routes;
  }

  /**
   * One pass over the series keeping the samples of `revision` and of the revisions after it
   * in `order`, the last ones dropped while more than `seriesBatch` samples are kept.
   */
  private readBatch(revision: string): void {
    const at = this.order.indexOf(revision);
    const wanted = new Map<string, SeriesSample[]>([[revision, []]]);
    if (at >= 0) for (const name of this.order.slice(at + 1)) wanted.set(name, []);
    let kept = 0;
    for (const s of this.result.series) {
      const list = wanted.get(s.revision);
      if (list === undefined) continue;
      list.push(s);
      kept++;
      while (kept > this.seriesBatch && wanted.size > 1) {
        const last = [...wanted.keys()].pop();
        if (last === undefined || last === revision) break;
        kept -= wanted.get(last)?.length ?? 0;
        wanted.delete(last);
      }
    }
    this.batch = wanted;
  }
}

function routeStatesOf(objects: Iterable<ObjectChange>): RouteStates {
  const byService = new Map<string, RouteState[]>();
  for (const o of objects) {
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
