/**
 * What a run records, bounded by revisions × simulated seconds (never by requests):
 * per-revision pod counts kept up to date from Pod watch events, one sample per revision per
 * second, pod-seconds, and the narrated events. The samples and events go to logs
 * (record-log.ts): arrays in memory unless `logs` gives others.
 */
import { TYPE, isPodReady, type Deployment, type Pod } from '../apis/core.js';
import { LABEL, type PodAutoscaler, type Revision, type ServerlessService } from '../apis/serving-types.js';
import type { TraceEntry } from '../engine/index.js';
import type { StoreIndex } from '../k8s/store-indexes.js';
import type { Tally } from '../dataplane/measurements.js';
import { eventDataOf, type RevisionLookup } from './event-data.js';
import { arrayLogs, type RecordLog, type RecordLogFactory } from './record-log.js';
import { ReportRecorder, type ReportRecordingOptions } from './report-recorder.js';
import type { RunEvent, SeriesSample } from './result.js';
import type { RevisionTrack } from './revision-track.js';
import type { World } from './world.js';

/**
 * How the series is kept: a sample per revision every `stepMs` (a multiple of 1 s; `requests`
 * counts the arrivals of the whole step), and with `changesOnly` a sample only when one of its
 * values differs from the revision's previous sample (it then holds until the next one).
 */
export interface SeriesOptions {
  /** Default 1000. */
  stepMs?: number;
  /** Default false. */
  changesOnly?: boolean;
}

export interface RecorderOptions {
  /** Keep the series (off for benchmarks): true is one sample per revision per second. Default true. */
  series?: boolean | SeriesOptions;
  /** Keep the narrated events (off for benchmarks). Default true. */
  events?: boolean;
  /** Most events kept; later ones are counted, not kept. Default 200,000. */
  maxEvents?: number;
  /**
   * Also record what the HTML report draws (per-second columns, object changes, decisions,
   * pod starts): the result's `timeline`, `objects`, `decisions`, `podStarts` and
   * `revisionStats`. Memory follows changes, not requests. Default false.
   */
  report?: boolean | ReportRecordingOptions;
  /**
   * Where the recordings that grow with the run (series, events, the report's object changes,
   * decisions and pod starts) are kept: one log each from this factory. Default: arrays in
   * memory. The CLI's `run --json` spools them to a temporary file.
   */
  logs?: RecordLogFactory;
}

interface PodTrack {
  revisionKey: string;
  ready: boolean;
  createdMs: number;
  /** Became Ready once (counted as a pod start). */
  started: boolean;
  /** Its revision had no Ready pod when this pod was first seen. */
  fromZero: boolean;
}

export class Recorder {
  readonly revisions = new Map<string, RevisionTrack>();
  readonly series: RecordLog<SeriesSample>;
  readonly events: RecordLog<RunEvent>;
  /** Events that arrived after `maxEvents` and were not kept. */
  droppedEvents = 0;
  /** The report's recordings, when `report` is on. */
  readonly report: ReportRecorder | undefined;
  private readonly pods = new Map<string, PodTrack>();
  /** Pod name → revision name, for the events' data (a pod's events name it without its namespace). */
  private readonly podRevisions = new Map<string, string>();
  private readonly lookup: RevisionLookup = {
    revisionOfPod: (pod) => this.podRevisions.get(pod),
    isRevision: (name) => this.revisionNames.has(name),
  };
  private readonly revisionNames = new Set<string>();
  /** The tracks by their Deployment's store key. */
  private readonly byDeploymentKey = new Map<string, RevisionTrack>();
  private sorted: RevisionTrack[] | null = null;
  private podMsClosed = 0;
  private readonly keepSeries: boolean;
  /** The series' step (ms) and whether only changes are kept. */
  readonly seriesStepMs: number;
  readonly seriesChangesOnly: boolean;
  private readonly keepEvents: boolean;
  /** The series' reused reading of one revision (see `sampleSeries`). */
  private readonly scratch = emptySample();
  private readonly maxEvents: number;

  constructor(
    private readonly world: World,
    options: RecorderOptions = {},
    durationMs = 0,
  ) {
    const series = options.series ?? true;
    this.keepSeries = series !== false;
    this.seriesStepMs = series === false ? 0 : series === true ? 1000 : (series.stepMs ?? 1000);
    this.seriesChangesOnly = typeof series === 'object' && series.changesOnly === true;
    if (this.keepSeries && (this.seriesStepMs < 1000 || this.seriesStepMs % 1000 !== 0))
      throw new RangeError(`series step ${this.seriesStepMs} ms: want a whole number of seconds`);
    this.keepEvents = options.events ?? true;
    this.maxEvents = options.maxEvents ?? 200_000;
    const logs = options.logs ?? arrayLogs;
    this.series = logs<SeriesSample>('series');
    this.events = logs<RunEvent>('events');
    const { api, engine } = world;
    api.watch<Revision>(TYPE.revision, (e) => this.onRevision(e.type, e.object));
    // What the series reads of each revision's Deployment and ServerlessService, kept as the
    // store is written (the same answer as reading the store at each sample, without a lookup
    // per revision every second).
    api.addStoreIndex<Deployment, StoreIndex<Deployment>>(TYPE.deployment, {
      apply: (key, _old, next) => {
        const track = this.byDeploymentKey.get(key);
        if (track !== undefined) track.desiredReplicas = replicasOf(next);
      },
    });
    api.addStoreIndex<ServerlessService, StoreIndex<ServerlessService>>(TYPE.serverlessService, {
      apply: (key, _old, next) => {
        const track = this.revisions.get(key);
        if (track !== undefined) track.sksMode = modeOf(next);
      },
    });
    api.watch<Pod>(TYPE.pod, (e) => this.onPod(e.type, e.object));
    if (this.keepEvents) engine.onTrace((entry) => this.onTrace(entry));
    engine.every(1000, (nowMs) => this.sample(nowMs));
    const report = options.report ?? false;
    this.report = report === false ? undefined : new ReportRecorder(world, this, durationMs, report === true ? {} : report, logs);
  }

  /** Pod-seconds so far: every pod from creation to removal, live ones up to now. */
  podSeconds(nowMs: number): number {
    let ms = this.podMsClosed;
    for (const pod of this.pods.values()) ms += nowMs - pod.createdMs;
    return ms / 1000;
  }

  /** The seconds the revision's pods have lived so far, gone and live ones. */
  revisionPodSeconds(track: RevisionTrack, nowMs: number): number {
    let ms = track.podMsClosed;
    for (const pod of this.pods.values()) if (pod.revisionKey === track.key) ms += nowMs - pod.createdMs;
    return Math.round(ms) / 1000;
  }

  /** Revisions in (namespace, name) order; re-sorted only when a revision appears. */
  sortedRevisions(): readonly RevisionTrack[] {
    this.sorted ??= [...this.revisions.values()].sort((a, b) => (a.namespace === b.namespace ? compare(a.name, b.name) : compare(a.namespace, b.namespace)));
    return this.sorted;
  }

  /** The revision's live state now: what the series samples and the `at` expectations read. */
  snapshot(track: RevisionTrack): Omit<SeriesSample, 't' | 'requests'> {
    return this.readLive(track, 0, 0, emptySample());
  }

  /** Reads the revision's sample at `t`, with the requests of its step, into `into`: no lookup but the decision's (the rest is kept on the track). */
  private readLive(track: RevisionTrack, t: number, requests: number, into: SeriesSample): SeriesSample {
    const { autoscaler } = this.world;
    const decision = autoscaler.observedConcurrency(track.namespace, track.name);
    into.t = t;
    into.revision = track.name;
    into.desiredReplicas = track.desiredReplicas;
    into.readyPods = track.readyPods;
    into.pods = track.pods;
    into.inFlight = this.tallyOf(track)?.inFlight ?? 0;
    into.stableConcurrency = round3(decision?.observedStable ?? 0);
    into.panicConcurrency = round3(decision?.observedPanic ?? 0);
    into.panic = decision?.inPanic ?? false;
    into.sksMode = track.sksMode;
    into.requests = requests;
    return into;
  }

  /** The revision's data-plane tally, looked up until it exists (it stays for the run once made). */
  private tallyOf(track: RevisionTrack): Tally | undefined {
    return (track.tally ??= this.world.dataplane.measurements.revision(track.namespace, track.name));
  }

  /** The PodAutoscaler's desired scale (after bounds), or the decider's when the PA has none yet. */
  desiredScale(track: RevisionTrack): number {
    const pa = this.world.api.get<PodAutoscaler>(TYPE.podAutoscaler, track.namespace, track.name);
    return pa?.status?.desiredScale ?? this.world.autoscaler.latestDecision(track.namespace, track.name)?.desiredScale ?? 0;
  }

  private sample(nowMs: number): void {
    for (const track of this.sortedRevisions()) {
      if (!track.alive) continue;
      const arrived = this.tallyOf(track)?.arrived ?? 0;
      const requests = arrived - track.arrivedAtLastSample;
      track.arrivedAtLastSample = arrived;
      if (track.readyPods > track.maxReadyPods) track.maxReadyPods = track.readyPods;
      if (this.keepSeries) this.sampleSeries(track, nowMs, requests);
    }
    this.report?.sample(nowMs);
  }

  /** The series' sample of one revision at a step's end; with changesOnly, kept only if a value changed. */
  private sampleSeries(track: RevisionTrack, nowMs: number, requests: number): void {
    track.requestsSinceSeries += requests;
    if (nowMs % this.seriesStepMs !== 0) return;
    // Read into one reused sample: with only changes kept, most revision-steps change nothing,
    // and a sample is copied out only when it is kept.
    const live = this.readLive(track, nowMs, track.requestsSinceSeries, this.scratch);
    track.requestsSinceSeries = 0;
    const last = track.lastSeries;
    if (this.seriesChangesOnly && last !== undefined && sameValues(last, live)) return;
    const sample = { ...live };
    if (this.seriesChangesOnly) track.lastSeries = sample;
    this.series.push(sample);
  }

  private onRevision(type: string, rev: Revision): void {
    const namespace = rev.metadata.namespace ?? 'default';
    const key = `${namespace}/${rev.metadata.name}`;
    let track = this.revisions.get(key);
    if (track === undefined) {
      track = {
        namespace,
        name: rev.metadata.name,
        key,
        deploymentKey: `${key}-deployment`,
        desiredReplicas: replicasOf(this.world.api.getByKey<Deployment>(TYPE.deployment, `${key}-deployment`)),
        sksMode: modeOf(this.world.api.getByKey<ServerlessService>(TYPE.serverlessService, key)),
        tally: undefined,
        service: rev.metadata.labels?.[LABEL.service] ?? '',
        pods: 0,
        readyPods: 0,
        maxReadyPods: 0,
        arrivedAtLastSample: 0,
        alive: true,
        podStarts: 0,
        podStartsFromZero: 0,
        podMsClosed: 0,
        requestsSinceSeries: 0,
        lastSeries: undefined,
      };
      this.revisions.set(key, track);
      this.byDeploymentKey.set(track.deploymentKey, track);
      this.revisionNames.add(rev.metadata.name);
      this.sorted = null;
    }
    track.alive = type !== 'DELETED';
  }

  private onPod(type: string, pod: Pod): void {
    const namespace = pod.metadata.namespace ?? 'default';
    const podKey = `${namespace}/${pod.metadata.name}`;
    const revision = pod.metadata.labels?.[LABEL.revision];
    const old = this.pods.get(podKey);
    if (old !== undefined) {
      const track = this.revisions.get(old.revisionKey);
      if (track !== undefined) {
        track.pods--;
        if (old.ready) track.readyPods--;
      }
    }
    if (type === 'DELETED') {
      if (old !== undefined) {
        const livedMs = this.world.engine.nowMs - old.createdMs;
        this.podMsClosed += livedMs;
        const track = this.revisions.get(old.revisionKey);
        if (track !== undefined) track.podMsClosed += livedMs;
      }
      this.pods.delete(podKey);
      return;
    }
    const revisionKey = revision === undefined ? '' : `${namespace}/${revision}`;
    if (revision !== undefined) this.podRevisions.set(pod.metadata.name, revision);
    const ready = isPodReady(pod);
    const track = this.revisions.get(revisionKey);
    const tracked: PodTrack = old ?? {
      revisionKey,
      ready,
      createdMs: pod.metadata.creationTimestamp ?? this.world.engine.nowMs,
      started: false,
      fromZero: (track?.readyPods ?? 0) === 0 && !ready,
    };
    tracked.revisionKey = revisionKey;
    tracked.ready = ready;
    this.pods.set(podKey, tracked);
    if (track !== undefined) {
      track.pods++;
      if (ready) {
        track.readyPods++;
        if (track.readyPods > track.maxReadyPods) track.maxReadyPods = track.readyPods;
        if (!tracked.started) {
          tracked.started = true;
          track.podStarts++;
          if (tracked.fromZero) track.podStartsFromZero++;
        }
      }
    }
  }

  private onTrace(entry: TraceEntry): void {
    if (this.events.length >= this.maxEvents) {
      this.droppedEvents++;
      return;
    }
    this.events.push({ t: entry.t, component: entry.component, object: entry.object, message: entry.message, data: eventDataOf(entry, this.lookup) });
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A sample with every field present, in the order of `SeriesSample` (the JSON output's order). */
function emptySample(): SeriesSample {
  return {
    t: 0,
    revision: '',
    desiredReplicas: 0,
    readyPods: 0,
    pods: 0,
    inFlight: 0,
    stableConcurrency: 0,
    panicConcurrency: 0,
    panic: false,
    sksMode: '',
    requests: 0,
  };
}

function sameValues(a: SeriesSample, b: SeriesSample): boolean {
  return (
    a.desiredReplicas === b.desiredReplicas &&
    a.readyPods === b.readyPods &&
    a.pods === b.pods &&
    a.inFlight === b.inFlight &&
    a.stableConcurrency === b.stableConcurrency &&
    a.panicConcurrency === b.panicConcurrency &&
    a.panic === b.panic &&
    a.sksMode === b.sksMode &&
    a.requests === b.requests
  );
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function replicasOf(deployment: Deployment | undefined): number {
  return deployment?.spec.replicas ?? 0;
}

function modeOf(sks: ServerlessService | undefined): SeriesSample['sksMode'] {
  return sks?.spec.mode ?? '';
}
