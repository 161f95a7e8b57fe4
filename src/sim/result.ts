/**
 * The result of a run: the JSON contract of `knsim run --json` (documented in the
 * README). Field order here is the order in the JSON. The same scenario and seed give
 * a byte-identical result.
 */
import type { InvariantName } from '../scenario/index.js';
import type { SeriesFormOf } from '../engine/index.js';
import type { EventData } from './event-data.js';

export type { EventData } from './event-data.js';

export interface RequestSummary {
  /** Requests that arrived; total = succeeded + failed + inFlight. */
  total: number;
  succeeded: number;
  failed: number;
  inFlight: number;
  /** Ended requests by HTTP status, e.g. `{ "200": 1190, "503": 10 }`. */
  byStatus: Record<string, number>;
  /**
   * Requests a timer ended, by reason (`queue-proxy:response-start-timeout`,
   * `activator:timeout`, …; `…-after-response-start` when the response had started and was
   * cut off with its status). Present only when a timer ended at least one request.
   */
  timeouts?: Record<string, number>;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface RunSummary {
  requests: RequestSummary;
  /** End-to-end latency of ended requests, in ms (≤ 1% relative error); 0 when none ended. */
  latencyMs: LatencySummary;
  /**
   * Cold-start requests: requests that arrived while their revision had no ready pod and so
   * waited in the activator for a pod to start. The pods that started are `revisions[].podStarts`.
   */
  coldStarts: number;
  /** Sum over pods of the seconds each existed (scheduled or not): the bill. */
  podSeconds: number;
}

export interface RevisionSummary {
  name: string;
  service: string;
  /** Requests routed to this revision. */
  requests: number;
  /** requests / all routed requests (0 when nothing was routed); shares sum to 1. */
  trafficShare: number;
  maxReadyPods: number;
  /** Its cold-start requests: those that waited in the activator because it had no ready pod. */
  coldStarts: number;
  /** Its pods that became Ready. */
  podStarts: number;
  /** Of those, pods created while it had no ready pod: starts from zero. */
  podStartsFromZero: number;
  /** Sum over its pods of the seconds each existed. */
  podSeconds: number;
  /** End-to-end latency of its ended requests (ms); null when none ended. */
  latencyMs: { p50: number; p99: number } | null;
}

/** How the series was kept: its step (0: not kept) and whether only changes were. */
export type SeriesForm = SeriesFormOf;

/** One sample per revision per step (per second unless `seriesForm` says otherwise). */
export interface SeriesSample {
  /** Virtual time in ms. */
  t: number;
  revision: string;
  /** The Deployment's spec.replicas. */
  desiredReplicas: number;
  readyPods: number;
  /** Pods that exist, including starting and terminating ones. */
  pods: number;
  /** Requests of this revision in the activator, queue-proxies or containers. */
  inFlight: number;
  stableConcurrency: number;
  panicConcurrency: number;
  panic: boolean;
  sksMode: 'Serve' | 'Proxy' | '';
  /** Requests routed to this revision that arrived during the step (second) ending at `t`. */
  requests: number;
}

export interface RunEvent {
  t: number;
  component: string;
  object: string;
  message: string;
  /** What the event is about, with its revision and numbers (sim/event-data.ts); read this, not the message. */
  data: EventData;
}

/** One invariant of the scenario's `invariants:`, checked after the run (sim/invariants.ts). */
export interface InvariantResult {
  name: InvariantName;
  passed: boolean;
  /** Why it failed, one line per violation found (at most a few), or what was checked when it passed. */
  message: string;
  /** `file:line:col` of the name in the scenario. */
  at?: string;
}

/** A timeline step that failed at run time, or that declared the failure it expects (`expectError`). */
export interface StepResult {
  /** Its index in the scenario's `timeline`, and where it is written (`file:line:col`). */
  index: number;
  at: string;
  /** When it failed, or was run when it did not (ms). */
  t: number;
  /** The command line, or what it applies or deletes. */
  step: string;
  /** What it failed with (several failures joined by `; `), or null when it succeeded. */
  error: string | null;
  /** The failure it declared (`expectError`), a part of the error message. */
  expectError?: string;
  /** It failed with the error it declared. */
  passed: boolean;
}

export interface ExpectationResult {
  description: string;
  passed: boolean;
  expected: string;
  actual: string;
  /** `file:line:col` of the expectation in the scenario. */
  at?: string;
  /** The window it checks, in virtual ms (`at: t` checks state at t and counts requests from 0 to t). */
  fromMs?: number;
  toMs?: number;
}

export interface RunResult {
  scenario: string;
  seed: string | number;
  /** The virtual time the run reached: the scenario's duration unless it stopped early. */
  durationMs: number;
  /**
   * Why the run stopped before the scenario's end (absent when it ran to the end): `event-limit`,
   * the engine's event budget ran out (`--max-events`). Its figures cover only `durationMs`.
   */
  stopReason?: 'event-limit';
  /** The scenario's duration, when the run stopped before it. */
  plannedDurationMs?: number;
  fingerprint: string;
  summary: RunSummary;
  revisions: RevisionSummary[];
  /**
   * How `series` was kept, when not one sample per revision per second (absent then, as with
   * `--series-step 1s`): a sample every `stepMs` (0: no series), and with `changesOnly` only
   * the samples whose values differ from the revision's previous one (each holds until the
   * revision's next sample; expand with `expandSeries`).
   */
  seriesForm?: SeriesForm;
  series: SeriesSample[];
  events: RunEvent[];
  expectations: ExpectationResult[];
  /**
   * The timeline steps that failed at run time, and those that declared `expectError` (absent
   * when there are none): a step fails the run unless it failed as it declared.
   */
  steps?: StepResult[];
  /** The scenario's `invariants:`, each checked after the run (absent when it lists none). */
  invariants?: InvariantResult[];
  /** Compact per-second columns for charts (recorded with `record.report`; `--json` and `--html`). */
  timeline?: Timeline;
  /** Change points of the objects the report's time cursor shows (with `record.report`). */
  objects?: ObjectChange[];
  /** The autoscaler's narrated decisions with the numbers behind them (with `record.report`). */
  decisions?: AutoscalerDecision[];
  /** How each pod that became Ready spent its cold start (with `record.report`). */
  podStarts?: PodStart[];
  /** Per-revision figures for the report's summary panel (with `record.report`). */
  revisionStats?: RevisionStats[];
  /** What the activator held each time a revision had no ready pod (with `record.report`). */
  activatorBuffers?: ActivatorBuffer[];
}

/** A recording read in order, as often as a reader likes: an array, or a view of a log (sim/record-log.ts). */
export interface Recorded<T> extends Iterable<T> {
  readonly length: number;
}

/**
 * A result whose recordings that grow with the run (series, events, object changes, decisions,
 * pod starts) may be views of logs rather than arrays (`Simulation.recordedResult()`), so they
 * can be read back from disk; a `RunResult` is one. Its JSON is the `RunResult`'s.
 */
export type RecordedResult = Omit<RunResult, 'series' | 'events' | 'timeline' | 'objects' | 'decisions' | 'podStarts'> & {
  series: Recorded<SeriesSample>;
  timeline?: RecordedTimeline;
  events: Recorded<RunEvent>;
  objects?: Recorded<ObjectChange>;
  decisions?: Recorded<AutoscalerDecision>;
  podStarts?: Recorded<PodStart>;
};

/**
 * Run-length encoded samples: `[value, count, value, count, …]`, one value per step;
 * `[0, 3, 2, 1]` is 0, 0, 0, 2. The counts add up to the timeline's `steps`.
 */
export type Runs = number[];

/** The per-second columns of one revision; zeros before it existed and after it was deleted. */
export interface TimelineRevision {
  namespace: string;
  name: string;
  service: string;
  desiredReplicas: Runs;
  readyPods: Runs;
  pods: Runs;
  /** Requests waiting in the activator for this revision. */
  activatorQueue: Runs;
  stableConcurrency: Runs;
  panicConcurrency: Runs;
  /** 1 in panic, else 0. */
  panic: Runs;
  /** 0 no ServerlessService, 1 Proxy (the activator in the path), 2 Serve. */
  sksMode: Runs;
  /** Requests routed to the revision during the step. */
  requests: Runs;
  /** The KPA's per-pod target and panic threshold (last seen; 0 before the first decision). */
  targetPerPod: number;
  panicThreshold: number;
}

/** A `TimelineRevision` whose columns may be decoded as they are read. */
export type RecordedTimelineRevision = { [K in keyof TimelineRevision]: TimelineRevision[K] extends Runs ? Recorded<number> : TimelineRevision[K] };

/** A `Timeline` whose revisions' columns may be decoded as they are read (`Simulation.recordedResult()`). */
export type RecordedTimeline = Omit<Timeline, 'revisions'> & { revisions: Recorded<RecordedTimelineRevision> };

/** Per-step columns for charts: sample i is taken at t = (i + 1) × stepMs, as `series`. */
export interface Timeline {
  stepMs: number;
  steps: number;
  revisions: TimelineRevision[];
  /** Requests that ended during each step, by HTTP status. */
  requestsByStatus: Record<string, Runs>;
  /** End-to-end latency of requests that ended in each interval (ms; 0 when none ended). */
  latency: { intervalMs: number; intervals: number; p50: Runs; p99: Runs; count: Runs };
}

/** Kinds the time cursor shows, parents first. */
export type CursorKind = 'Service' | 'Configuration' | 'Route' | 'Revision' | 'PodAutoscaler' | 'ServerlessService' | 'Deployment' | 'Pod';

/** An object's state as the time cursor shows it, from `t` on; `state` null once deleted. */
export interface ObjectChange {
  t: number;
  kind: CursorKind;
  namespace: string;
  name: string;
  /** Service of a Configuration or Route, Configuration of a Revision, Revision of the rest. */
  owner: string;
  state: Record<string, string | number | boolean | TrafficShare[]> | null;
}

/** One entry of a Route's traffic status. */
export interface TrafficShare {
  revision: string;
  percent: number;
  tag?: string;
  latest?: boolean;
}

/** An autoscaler trace entry: the decider's arithmetic (`observedStable`, …) or the PodAutoscaler's phase. */
export interface AutoscalerDecision {
  t: number;
  revision: string;
  message: string;
  /**
   * The numbers behind the message (numbers, booleans and short strings only); `lastRequestMs`
   * is the arrival of the revision's last request seen ending by then.
   */
  data: Record<string, number | boolean | string>;
}

/** A pod's way to Ready, in phases that add up to `totalMs` (from creation to Ready). */
export interface PodStart {
  pod: string;
  namespace: string;
  revision: string;
  createdMs: number;
  readyMs: number;
  totalMs: number;
  schedulingMs: number;
  /** Image pulls, including waiting behind other pulls on the node (0: images cached). */
  pullMs: number;
  /** Sandbox and container starts. */
  startMs: number;
  /** From the containers' start to Ready: app start-up and the readiness probe. */
  readinessMs: number;
  /** The revision had no Ready pod when this one was created (a start from zero). */
  fromZero: boolean;
}

/** Per-revision figures for the report's summary. */
export interface RevisionStats {
  name: string;
  service: string;
  /** Requests that waited for a pod to start. */
  coldStarts: number;
  /** Pods that became Ready. */
  podStarts: number;
  podSeconds: number;
  latencyMs: { p50: number; p99: number };
  byStatus: Record<string, number>;
  /** Arrival of the first and of the last request routed to the revision (absent when none was). */
  firstRequestMs?: number;
  lastRequestMs?: number;
  /**
   * Quiet periods of at least 6 s: `[from, to]` from a response that left no request of the
   * revision in flight to the next arrival (or the end of the run, `durationMs`). Exact times.
   */
  quietPeriods: [number, number][];
  /** The smallest end-to-end latency minus the time spent in the app, over its ended requests (router, activator and queue time; never negative). */
  latencyOverheadMinMs?: number;
  /** The fastest 200 response (ms). */
  servedLatencyMinMs?: number;
  /** The user container's image, as the app model is looked up by. */
  image: string;
  /** The autoscaling settings resolved for the revision when it was created (annotations over config-autoscaler). */
  autoscaling?: RevisionAutoscaling;
}

/** A revision's autoscaling settings as Knative resolves them (annotations over `config-autoscaler`). */
export interface RevisionAutoscaling {
  /** When they were resolved: the revision's creation (ms). */
  atMs: number;
  scalingMetric: 'concurrency' | 'rps';
  targetValue: number;
  totalValue: number;
  targetBurstCapacity: number;
  stableWindowMs: number;
  panicWindowMs: number;
  panicThreshold: number;
  scaleDownDelayMs: number;
  minScale: number;
  maxScale: number;
  initialScale: number;
  activationScale: number;
  scaleToZeroEnabled: boolean;
  scaleToZeroGracePeriodMs: number;
  scaleToZeroPodRetentionMs: number;
}

/** The requests the activator held while a revision had no ready pod (its cold-start requests), per such stretch. */
export interface ActivatorBuffer {
  namespace: string;
  revision: string;
  /** When the revision's ready pods dropped to zero (0: it never had one before). */
  zeroSinceMs: number;
  /** Arrival of the first request held, and how long it waited in the activator for a pod. */
  firstArrivalMs: number;
  firstWaitMs: number;
  /** Requests held in the stretch, and the longest wait. */
  requests: number;
  maxWaitMs: number;
}
