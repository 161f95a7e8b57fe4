/**
 * What the HTML report needs beyond the JSON's summary, recorded while a run goes on in
 * memory bounded by changes, never by requests:
 * - per-second columns per revision (pods, concurrency, panic, SKS mode, the activator's
 *   queue, requests) and requests by status, run-length encoded, so an idle day costs a
 *   few runs; latency p50/p99 per interval from a histogram that starts afresh each interval;
 * - a change log of the few fields the time cursor shows for each object (Service,
 *   Configuration, Route, Revision, PodAutoscaler, ServerlessService, Deployment, Pod),
 *   one entry per change of those fields;
 * - the autoscaler's narrated decisions with their numbers (the trace's `data`);
 * - each pod's way to Ready from its `status.startup`.
 *
 * It only listens: watches on kinds that controllers already watch (so the API server
 * schedules no extra deliveries), the trace, the recorder's existing 1 s tick and the end
 * of each request. The fingerprint is the same with or without it.
 * Fidelity: object states are seen at watch delivery, a few ms (the API latency) after the write.
 * An idle revision (no pod, nothing arriving or in flight, all zeros) is not looked up again
 * until a pod or a request appears: a scale-up from zero without traffic (a raised
 * min-scale) shows once its first pod exists, not at the Deployment's write.
 */
import { TYPE, isPodReady, type Deployment, type Pod } from '../apis/core.js';
import { getCondition } from '../apis/conditions.js';
import type { KObject } from '../apis/meta.js';
import { LABEL, type Configuration, type KnService, type PodAutoscaler, type Revision, type Route, type ServerlessService } from '../apis/serving-types.js';
import type { TraceEntry } from '../engine/index.js';
import { LatencyHistogram, type RequestView } from '../dataplane/index.js';
import type {
  AutoscalerDecision,
  CursorKind,
  ObjectChange,
  PodStart,
  RevisionStats,
  SeriesSample,
  Timeline,
  TimelineRevision,
  TrafficShare,
} from './result.js';
import type { RevisionTrack } from './revision-track.js';
import { RunsBuilder } from './runs.js';
import type { World } from './world.js';

/** What to keep for the report and how much. */
export interface ReportRecordingOptions {
  /** Most object changes kept; later ones are counted, not kept. Default 200,000. */
  maxObjectChanges?: number;
  /** Most autoscaler decisions kept. Default 100,000. */
  maxDecisions?: number;
  /** Most pod starts kept. Default 100,000. */
  maxPodStarts?: number;
}

/** What the report's recordings read from the recorder (an interface, so the two files import no circle). */
interface RevisionSource {
  readonly revisions: ReadonlyMap<string, RevisionTrack>;
  /** Revisions in (namespace, name) order. */
  sortedRevisions(): readonly RevisionTrack[];
  /** The revision's live state now, as the per-second series samples it. */
  snapshot(track: RevisionTrack): Omit<SeriesSample, 't' | 'requests'>;
}

const STEP_MS = 1000;

/** The longest latency interval, for runs longer than 1,500 hours. */
const LATENCY_INTERVAL_MAX_MS = 3_600_000;
/** Latency intervals: the smallest of these giving at most 1,500 intervals over the run. */
const LATENCY_INTERVALS_MS = [1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, LATENCY_INTERVAL_MAX_MS];

/** The latency interval for a run of `durationMs`: 1s up to 25 min, 60s for a day. */
export function latencyIntervalMs(durationMs: number): number {
  return LATENCY_INTERVALS_MS.find((ms) => durationMs / ms <= 1500) ?? LATENCY_INTERVAL_MAX_MS;
}

interface RevisionColumns {
  track: RevisionTrack;
  desiredReplicas: RunsBuilder;
  readyPods: RunsBuilder;
  pods: RunsBuilder;
  activatorQueue: RunsBuilder;
  stableConcurrency: RunsBuilder;
  panicConcurrency: RunsBuilder;
  panic: RunsBuilder;
  sksMode: RunsBuilder;
  requests: RunsBuilder;
  targetPerPod: number;
  panicThreshold: number;
  podStarts: number;
  podMsClosed: number;
  /** The track's arrived count at the previous sample. */
  requestsSeen: number;
  /** The SKS mode of an idle revision (the previous sample all zeros, nothing in flight), else -1. */
  idleMode: number;
}

interface LivePod {
  revisionKey: string;
  createdMs: number;
  fromZero: boolean;
  started: boolean;
}

const COLUMN_NAMES = [
  'desiredReplicas',
  'readyPods',
  'pods',
  'activatorQueue',
  'stableConcurrency',
  'panicConcurrency',
  'panic',
  'sksMode',
  'requests',
] as const;

export class ReportRecorder {
  readonly objects: ObjectChange[] = [];
  readonly decisions: AutoscalerDecision[] = [];
  readonly podStarts: PodStart[] = [];
  droppedObjectChanges = 0;
  droppedDecisions = 0;
  droppedPodStarts = 0;
  private readonly columns = new Map<string, RevisionColumns>();
  private readonly byStatus = new Map<number, RunsBuilder>();
  private readonly stepCounts = new Map<number, number>();
  private steps = 0;
  private readonly intervalMs: number;
  private histogram = new LatencyHistogram();
  private readonly p50 = new RunsBuilder();
  private readonly p99 = new RunsBuilder();
  private readonly count = new RunsBuilder();
  private readonly lastState = new Map<string, string>();
  private readonly livePods = new Map<string, LivePod>();
  private readonly maxObjectChanges: number;
  private readonly maxDecisions: number;
  private readonly maxPodStarts: number;

  constructor(
    private readonly world: World,
    private readonly recorder: RevisionSource,
    durationMs: number,
    options: ReportRecordingOptions = {},
  ) {
    this.intervalMs = latencyIntervalMs(durationMs);
    this.maxObjectChanges = options.maxObjectChanges ?? 200_000;
    this.maxDecisions = options.maxDecisions ?? 100_000;
    this.maxPodStarts = options.maxPodStarts ?? 100_000;
    const { api, engine } = world;
    const watch = <T extends KObject>(type: string, kind: CursorKind, stateOf: (o: T) => ObjectChange['state'], ownerOf: (o: T) => string): void => {
      api.watch<T>(type, (e) => this.onObject(kind, e.type === 'DELETED' ? null : stateOf(e.object), e.object, ownerOf(e.object)));
    };
    const label = (key: string) => (o: KObject) => o.metadata.labels?.[key] ?? '';
    watch<KnService>(TYPE.knService, 'Service', serviceState, () => '');
    watch<Configuration>(TYPE.configuration, 'Configuration', configurationState, label(LABEL.service));
    watch<Route>(TYPE.route, 'Route', routeState, label(LABEL.service));
    watch<Revision>(TYPE.revision, 'Revision', revisionState, label(LABEL.configuration));
    watch<PodAutoscaler>(TYPE.podAutoscaler, 'PodAutoscaler', podAutoscalerState, (o) => o.metadata.name);
    watch<ServerlessService>(
      TYPE.serverlessService,
      'ServerlessService',
      (o) => ({ mode: o.spec.mode }),
      (o) => o.metadata.name,
    );
    watch<Deployment>(TYPE.deployment, 'Deployment', deploymentState, label(LABEL.revision));
    watch<Pod>(TYPE.pod, 'Pod', podState, label(LABEL.revision));
    api.watch<Pod>(TYPE.pod, (e) => this.onPod(e.type, e.object));
    engine.onTrace((entry) => this.onTrace(entry));
  }

  /** Feeds one ended request (its status and latency). */
  onRequestEnd(view: RequestView): void {
    this.stepCounts.set(view.status, (this.stepCounts.get(view.status) ?? 0) + 1);
    this.histogram.record(view.endMs - view.arrivalMs);
  }

  /** Called by the recorder's 1 s tick, after its own sample. */
  sample(nowMs: number): void {
    const step = this.steps;
    this.steps++;
    for (const track of this.recorder.sortedRevisions()) {
      const key = `${track.namespace}/${track.name}`;
      let c = this.columns.get(key);
      if (c === undefined) {
        c = newColumns(track);
        for (const name of COLUMN_NAMES) c[name].push(0, step);
        this.columns.set(key, c);
      }
      const arrived = track.arrivedAtLastSample - c.requestsSeen;
      c.requestsSeen = track.arrivedAtLastSample;
      // An idle revision (deleted, or no pod, nothing arrived or in flight, and all zeros a
      // second ago) stays all zeros: skip the lookups, most of a long run's revision-seconds.
      if (
        !track.alive ||
        (c.idleMode >= 0 && arrived === 0 && track.pods === 0 && (this.world.dataplane.measurements.revision(track.namespace, track.name)?.inFlight ?? 0) === 0)
      ) {
        for (const name of COLUMN_NAMES) c[name].push(name === 'sksMode' && track.alive ? c.idleMode : 0);
        continue;
      }
      const s = this.recorder.snapshot(track);
      const queue = s.inFlight === 0 ? 0 : (this.world.dataplane.revisionState(track.namespace, track.name)?.activatorWaiting ?? 0);
      const mode = s.sksMode === 'Proxy' ? 1 : s.sksMode === 'Serve' ? 2 : 0;
      c.desiredReplicas.push(s.desiredReplicas);
      c.readyPods.push(s.readyPods);
      c.pods.push(s.pods);
      c.activatorQueue.push(queue);
      c.stableConcurrency.push(s.stableConcurrency);
      c.panicConcurrency.push(s.panicConcurrency);
      c.panic.push(s.panic ? 1 : 0);
      c.sksMode.push(mode);
      c.requests.push(arrived);
      c.idleMode = s.desiredReplicas === 0 && s.pods === 0 && s.inFlight === 0 && s.stableConcurrency === 0 && s.panicConcurrency === 0 && !s.panic ? mode : -1;
    }
    for (const [status, n] of this.stepCounts) {
      let b = this.byStatus.get(status);
      if (b === undefined) {
        b = new RunsBuilder();
        b.push(0, step);
        this.byStatus.set(status, b);
      }
      b.push(n);
    }
    for (const b of this.byStatus.values()) if (b.length < this.steps) b.push(0);
    this.stepCounts.clear();
    if (nowMs % this.intervalMs === 0) this.closeInterval();
  }

  /** The recorded columns (a copy: recording can go on). */
  timeline(): Timeline {
    const steps = this.steps;
    const revisions: TimelineRevision[] = [...this.columns.values()].map((c) => ({
      namespace: c.track.namespace,
      name: c.track.name,
      service: c.track.service,
      desiredReplicas: c.desiredReplicas.runsSoFar(),
      readyPods: c.readyPods.runsSoFar(),
      pods: c.pods.runsSoFar(),
      activatorQueue: c.activatorQueue.runsSoFar(),
      stableConcurrency: c.stableConcurrency.runsSoFar(),
      panicConcurrency: c.panicConcurrency.runsSoFar(),
      panic: c.panic.runsSoFar(),
      sksMode: c.sksMode.runsSoFar(),
      requests: c.requests.runsSoFar(),
      targetPerPod: c.targetPerPod,
      panicThreshold: c.panicThreshold,
    }));
    revisions.sort((a, b) => (a.namespace === b.namespace ? cmp(a.name, b.name) : cmp(a.namespace, b.namespace)));
    const requestsByStatus: Record<string, number[]> = {};
    for (const [status, runs] of [...this.byStatus].sort(([a], [b]) => a - b)) requestsByStatus[String(status)] = runs.runsSoFar();
    return {
      stepMs: STEP_MS,
      steps,
      revisions,
      requestsByStatus,
      latency: { intervalMs: this.intervalMs, intervals: this.p50.length, p50: this.p50.runsSoFar(), p99: this.p99.runsSoFar(), count: this.count.runsSoFar() },
    };
  }

  /** Per-revision figures as of `nowMs`, in (namespace, name) order. */
  revisionStats(nowMs: number): RevisionStats[] {
    const m = this.world.dataplane.measurements;
    const liveMs = new Map<string, number>();
    for (const p of this.livePods.values()) liveMs.set(p.revisionKey, (liveMs.get(p.revisionKey) ?? 0) + nowMs - p.createdMs);
    return this.recorder.sortedRevisions().map((track) => {
      const key = `${track.namespace}/${track.name}`;
      const c = this.columns.get(key);
      const tally = m.revision(track.namespace, track.name);
      const byStatus: Record<string, number> = {};
      for (const [code, n] of Object.entries(tally?.byStatus ?? {})) byStatus[code] = n;
      return {
        name: track.name,
        service: track.service,
        coldStarts: tally?.coldStarts ?? 0,
        podStarts: c?.podStarts ?? 0,
        podSeconds: Math.round((c?.podMsClosed ?? 0) + (liveMs.get(key) ?? 0)) / 1000,
        latencyMs: { p50: round2(tally?.latencyMs.quantile(0.5) ?? 0), p99: round2(tally?.latencyMs.quantile(0.99) ?? 0) },
        byStatus,
      };
    });
  }

  private closeInterval(): void {
    const h = this.histogram;
    this.count.push(h.count);
    this.p50.push(h.count === 0 ? 0 : round2(h.quantile(0.5)));
    this.p99.push(h.count === 0 ? 0 : round2(h.quantile(0.99)));
    if (h.count > 0) this.histogram = new LatencyHistogram();
  }

  private onObject(kind: CursorKind, state: ObjectChange['state'], obj: KObject, owner: string): void {
    const namespace = obj.metadata.namespace ?? '';
    const key = `${kind}/${namespace}/${obj.metadata.name}`;
    const text = state === null ? '' : JSON.stringify(state);
    if (state === null) {
      if (!this.lastState.has(key)) return;
      this.lastState.delete(key);
    } else {
      if (this.lastState.get(key) === text) return;
      this.lastState.set(key, text);
    }
    if (this.objects.length >= this.maxObjectChanges) {
      this.droppedObjectChanges++;
      return;
    }
    this.objects.push({ t: this.world.engine.nowMs, kind, namespace, name: obj.metadata.name, owner, state });
  }

  private onPod(type: string, pod: Pod): void {
    const namespace = pod.metadata.namespace ?? 'default';
    const key = `${namespace}/${pod.metadata.name}`;
    const revision = pod.metadata.labels?.[LABEL.revision] ?? '';
    const revisionKey = `${namespace}/${revision}`;
    let live = this.livePods.get(key);
    if (type === 'DELETED') {
      if (live !== undefined) {
        const c = this.columns.get(live.revisionKey);
        if (c !== undefined) c.podMsClosed += this.world.engine.nowMs - live.createdMs;
        this.livePods.delete(key);
      }
      return;
    }
    if (live === undefined) {
      const track = this.recorder.revisions.get(revisionKey);
      live = {
        revisionKey,
        createdMs: pod.metadata.creationTimestamp ?? this.world.engine.nowMs,
        fromZero: (track?.readyPods ?? 0) === 0 && !isPodReady(pod),
        started: false,
      };
      this.livePods.set(key, live);
    }
    const startup = pod.status?.startup;
    if (live.started || !isPodReady(pod) || startup?.readyAt === undefined) return;
    live.started = true;
    const c = this.columns.get(revisionKey);
    if (c !== undefined) c.podStarts++;
    if (this.podStarts.length >= this.maxPodStarts) {
      this.droppedPodStarts++;
      return;
    }
    const created = live.createdMs;
    const ready = startup.readyAt;
    const scheduled = startup.scheduledAt ?? startup.syncStartedAt ?? created;
    const started = startup.containersStartedAt ?? ready;
    const pull = Math.min(Math.max(0, started - scheduled), (startup.pullMs ?? 0) + (startup.pullWaitMs ?? 0));
    this.podStarts.push({
      pod: pod.metadata.name,
      namespace,
      revision,
      createdMs: created,
      readyMs: ready,
      totalMs: round2(ready - created),
      schedulingMs: round2(scheduled - created),
      pullMs: round2(pull),
      startMs: round2(started - scheduled - pull),
      readinessMs: round2(ready - started),
      fromZero: live.fromZero,
    });
  }

  private onTrace(entry: TraceEntry): void {
    if (entry.component !== 'autoscaler' || entry.data === undefined) return;
    const data: Record<string, number | boolean | string> = {};
    for (const [k, v] of Object.entries(entry.data)) {
      if (typeof v === 'number' ? Number.isFinite(v) : typeof v === 'boolean' || (typeof v === 'string' && v.length <= 64))
        data[k] = v as number | boolean | string;
    }
    const c = this.findColumns(entry.object);
    if (c !== undefined && typeof data.targetValue === 'number') {
      c.targetPerPod = data.targetValue;
      if (typeof data.panicThreshold === 'number') c.panicThreshold = data.panicThreshold;
    }
    if (this.decisions.length >= this.maxDecisions) {
      this.droppedDecisions++;
      return;
    }
    this.decisions.push({ t: entry.t, revision: entry.object, message: entry.message, data });
  }

  /** The columns of a revision named in a trace entry (`name`, namespace unknown: first match). */
  private findColumns(name: string): RevisionColumns | undefined {
    for (const c of this.columns.values()) if (c.track.name === name) return c;
    return undefined;
  }
}

function newColumns(track: RevisionTrack): RevisionColumns {
  return {
    track,
    desiredReplicas: new RunsBuilder(),
    readyPods: new RunsBuilder(),
    pods: new RunsBuilder(),
    activatorQueue: new RunsBuilder(),
    stableConcurrency: new RunsBuilder(),
    panicConcurrency: new RunsBuilder(),
    panic: new RunsBuilder(),
    sksMode: new RunsBuilder(),
    requests: new RunsBuilder(),
    targetPerPod: 0,
    panicThreshold: 0,
    podStarts: 0,
    podMsClosed: 0,
    requestsSeen: 0,
    idleMode: -1,
  };
}

function ready(o: KObject): string {
  const c = getCondition((o.status as { conditions?: never[] } | undefined)?.conditions, 'Ready');
  return c?.status ?? 'Unknown';
}

function reason(o: KObject): string {
  const c = getCondition((o.status as { conditions?: never[] } | undefined)?.conditions, 'Ready');
  return c?.status === 'True' ? '' : (c?.reason ?? '');
}

function withReason(state: Record<string, string | number | boolean | TrafficShare[]>, o: KObject): Record<string, string | number | boolean | TrafficShare[]> {
  const why = reason(o);
  if (why !== '') state.reason = why;
  return state;
}

function serviceState(o: KnService): ObjectChange['state'] {
  const s = o.status;
  return withReason(
    { ready: ready(o), url: s?.url ?? '', latestCreated: s?.latestCreatedRevisionName ?? '', latestReady: s?.latestReadyRevisionName ?? '' },
    o,
  );
}

function configurationState(o: Configuration): ObjectChange['state'] {
  const s = o.status;
  return withReason({ ready: ready(o), latestCreated: s?.latestCreatedRevisionName ?? '', latestReady: s?.latestReadyRevisionName ?? '' }, o);
}

function routeState(o: Route): ObjectChange['state'] {
  const traffic: TrafficShare[] = (o.status?.traffic ?? []).map((t) => {
    const share: TrafficShare = { revision: t.revisionName ?? '', percent: t.percent ?? 0 };
    if (t.tag !== undefined) share.tag = t.tag;
    if (t.latestRevision === true) share.latest = true;
    return share;
  });
  return withReason({ ready: ready(o), url: o.status?.url ?? '', traffic }, o);
}

function revisionState(o: Revision): ObjectChange['state'] {
  const active = getCondition(o.status?.conditions, 'Active');
  const state = withReason({ ready: ready(o) }, o);
  if (active !== undefined) state.active = active.status;
  return state;
}

function podAutoscalerState(o: PodAutoscaler): ObjectChange['state'] {
  const active = getCondition(o.status?.conditions, 'Active');
  return { desiredScale: o.status?.desiredScale ?? -1, actualScale: o.status?.actualScale ?? 0, active: active?.status ?? 'Unknown' };
}

function deploymentState(o: Deployment): ObjectChange['state'] {
  return { replicas: o.spec.replicas ?? 0, readyReplicas: o.status?.readyReplicas ?? 0 };
}

/** A pod's phase as `kubectl get pods` words it: Pending, ContainerCreating, ErrImagePull, Running, Ready, Terminating. */
function podState(o: Pod): ObjectChange['state'] {
  const node = o.spec.nodeName ?? '';
  let phase: string;
  if (o.metadata.deletionTimestamp !== undefined) phase = 'Terminating';
  else if (isPodReady(o)) phase = 'Ready';
  else if (node === '') phase = 'Pending';
  else {
    const waiting = o.status?.containerStatuses?.find((c) => c.state.waiting !== undefined)?.state.waiting?.reason;
    phase = waiting ?? (o.status?.phase === 'Running' ? 'Running' : 'ContainerCreating');
  }
  return node === '' ? { phase } : { phase, node };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function round2(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 100) / 100 : 0;
}
