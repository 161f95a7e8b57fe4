/**
 * The normalized scenario: what `loadScenario` returns once a YAML file is checked.
 * Every duration is in milliseconds, every quantity in plain units (bytes, millicores,
 * requests per second), every default filled in, and every element keeps the `pos`
 * where it was written so the simulator can report a failing `kn` command or a failed
 * expectation at the right line.
 * Fidelity: the scenario is knsim's own format; the manifests, ConfigMap data and kn
 * command lines inside it are Knative's, passed through unchanged.
 * The YAML syntax is documented in README.md (Scenario format) and schema/scenario.schema.json.
 */
import type { KObject } from '../apis/meta.js';
import type { AppFailureSpec } from '../dataplane/app-failure.js';
import type { Distribution as EngineDistribution } from '../engine/distribution.js';
import type { KnCommand } from '../kn/parse.js';
import type { AzureFunctionTrace } from '../workload/azure-trace.js';
import type { SourcePos } from './diagnostics.js';
import type { ScenarioBudget } from './limits-types.js';

export type { SourcePos } from './diagnostics.js';

/** A checked scenario, ready for `sim/` to build a world from. */
export interface Scenario {
  /** `name:`; defaults to the file name without directory and extension. */
  name: string;
  /** `description:`; empty when absent. */
  description: string;
  /**
   * Root seed of every random stream (`seed:`; default 1). Numbers stay numbers so `seed: 7` and
   * `--set seed=7` agree; a number is an integer within ±(2^53 − 1), so the replay line names it exactly.
   */
  seed: string | number;
  /** How long to simulate (`duration:`), in virtual ms. */
  durationMs: number;
  cluster: ScenarioCluster;
  /** ConfigMaps of namespace `knative-serving`, sorted by name; a ConfigMap not listed keeps all its defaults. */
  config: ScenarioConfigMap[];
  /** App models by exact image string, sorted by image. */
  apps: ScenarioApp[];
  /** Actions sorted by time; actions at the same time keep file order. */
  timeline: TimelineAction[];
  /** Workloads in file order; each `name` is unique (it names the workload's random stream). */
  traffic: TrafficWorkload[];
  /** Assertions in file order. */
  expect: Expectation[];
  /** Invariants every run must keep (`invariants:`), in file order without repeats; `knsim run` and `knsim fuzz` check them. */
  invariants: ScenarioInvariant[];
  /** What `knsim fuzz` varies (`vary:`), in file order; `knsim run` ignores it. */
  vary: VaryEntry[];
  /** The limits the scenario was checked against, and the loader's estimates of the work. */
  budget: ScenarioBudget;
  /** Position of the document start. */
  pos: SourcePos;
}

export { DEFAULT_LIMITS, type MemoryWork, type ScenarioBudget, type ScenarioLimits } from './limits-types.js';

// ---------------------------------------------------------------- cluster

export interface ScenarioCluster {
  /** Nodes expanded one per entry (a `count` of 3 gives three entries); undefined keeps the cluster profile's default nodes. */
  nodes?: ScenarioNode[];
  coldStart: ColdStartProfile;
  /** Watch delivery latency of the API server (`apiLatency:`); undefined keeps the default. */
  apiLatencyMs?: number;
  /** Delay for an Ingress change to reach the routers (`routePropagation:`); undefined keeps the default. */
  routePropagationMs?: number;
  /** Images whose pull fails (ErrImagePull, then ImagePullBackOff), sorted. */
  missingImages: string[];
  /** Activator replicas (`activators:`); undefined keeps the default (1, Knative's activator HPA minimum). */
  activators?: number;
  pos: SourcePos;
}

export interface ScenarioNode {
  /** `name` or `name-<i>` for a counted entry, or `node-<i>` (1-based over all nodes) when unnamed. */
  name: string;
  /** Allocatable CPU as written in Kubernetes quantity form, e.g. `4` or `3500m`. */
  cpu: string;
  cpuMillis: number;
  /** Allocatable memory as a Kubernetes quantity, e.g. `16Gi`. */
  memory: string;
  memoryBytes: number;
  pos: SourcePos;
}

/**
 * Timings of a pod's way to Ready. Undefined fields keep the cluster profile's defaults. An image
 * pull takes `pullBaseMs + size / pullBandwidthBytesPerSecond + size / unpackBytesPerSecond`
 * (or an image's fixed time), times the jitter factor, after waiting for the pulls ahead of it
 * when pulls are serialized.
 */
export interface ColdStartProfile {
  /** Fixed part of every image pull (registry round trips). */
  pullBaseMs?: number;
  /** Registry download throughput in bytes per second. */
  pullBandwidthBytesPerSecond?: number;
  /** Decompress-and-extract throughput of pulled layers in bytes per second. */
  unpackBytesPerSecond?: number;
  /** Size of an image with no size given. */
  defaultImageSizeBytes?: number;
  /** One pull at a time per node (the kubelet's serializeImagePulls). */
  serializeImagePulls?: boolean;
  /** Per-image pull facts, sorted by image; merged from `coldStart.imagePull.images` and `apps.<image>.imageSize`. */
  images: ColdStartImage[];
  /** Pod sandbox and network setup before the first container. */
  sandboxMs?: number;
  /** Container creation and process start after the image is present. */
  containerStartMs?: number;
  /** The kubelet's readiness probe period, instead of each probe's periodSeconds (Kubernetes' default 10s, Knative's queue-proxy probe's too). */
  readinessProbePeriodMs?: number;
  /** Relative jitter on every timing, e.g. 0.1 for ±10%, drawn from the kubelet's stream. */
  jitterFraction?: number;
}

export interface ColdStartImage {
  image: string;
  /** Image size; the pull takes pullBaseMs + sizeBytes / bandwidth + sizeBytes / unpack rate. */
  sizeBytes?: number;
  /** A fixed pull time that replaces the size-based formula. */
  pullMs?: number;
  pos: SourcePos;
}

// ---------------------------------------------------------------- config

/** The ConfigMaps whose keys knsim reads, all in namespace `knative-serving`. */
export const CONFIG_MAP_NAMES = ['config-autoscaler', 'config-defaults', 'config-deployment', 'config-domain', 'config-gc', 'config-network'] as const;
export type ConfigMapName = (typeof CONFIG_MAP_NAMES)[number];

export interface ScenarioConfigMap {
  name: ConfigMapName;
  namespace: 'knative-serving';
  /** ConfigMap data exactly as Kubernetes stores it: every value a string (`stable-window: "30s"`, `enable-scale-to-zero: "true"`). */
  data: Record<string, string>;
  /** Where each key was written, for errors found later. */
  keyPos: Record<string, SourcePos>;
  pos: SourcePos;
}

// ---------------------------------------------------------------- apps

export interface ScenarioApp {
  /** Exact image string as the manifests and kn commands use it, e.g. `rainbows` or `gcr.io/x/y:tag`. */
  image: string;
  /** Undefined keeps the data plane's default service time. */
  serviceTime?: Distribution;
  /** Fraction of requests the app answers with 500, in [0, 1]. Default 0. */
  errorRate: number;
  /** Extra time after the container starts before the app listens (added before the first successful probe). */
  startupDelayMs?: number;
  /** Time to the first response byte (at most the service time); undefined: the response goes out whole at the end. */
  firstByte?: Distribution;
  /** A streamed response: a chunk every this many ms after the first byte; undefined: none. */
  streamIntervalMs?: number;
  /** How the app's process fails (`apps.<image>.failure`); absent: it never does. */
  failure?: ScenarioAppFailure;
  /** CPU time one request burns (`cpuPerRequest: 80ms`), ms. */
  cpuPerRequestMs?: number;
  /** CPU at idle (`idleCpu: 10m`), millicores. */
  idleCpuMillis?: number;
  /** Memory per request in the container (`memoryPerRequest: 2Mi`), bytes. */
  memoryPerRequestBytes?: number;
  /** Memory of the idle app (`baseMemory: 64Mi`), bytes. */
  baseMemoryBytes?: number;
  pos: SourcePos;
}

/**
 * `apps.<image>.failure`: crashes (after a running time, at the N-th request, or at random at
 * `ratePerSecond`), start-ups that fail K times (Infinity for `always`), readiness flaps and
 * hangs; the exit code and termination message of a crash. It is the data plane's own spec
 * (dataplane/app-failure.ts), which the app model compiles.
 */
export type ScenarioAppFailure = AppFailureSpec;

/**
 * A distribution of durations in ms (the engine's, src/engine/distribution.ts) where it was
 * written. `lognormal` is written either as `mu`/`sigma` or as `median` + `p99`, which the
 * loader converts: mu = ln(median), sigma = (ln(p99) − ln(median)) / 2.3263 (z of the 99th
 * percentile). Example: median 20ms, p99 200ms → mu = 2.996, sigma = 0.990. `empirical`
 * points are sorted by `p`, from p0 to p100 (e.g. the Azure duration percentiles).
 */
export type Distribution = EngineDistribution & { pos: SourcePos };

// ---------------------------------------------------------------- timeline

export type TimelineAction = ApplyAction | KnAction | KubectlAction | DeleteAction;

interface ActionBase {
  atMs: number;
  /** Free text for the narrated log. */
  note?: string;
  /** The failure the step must end in (a part of its error, checked); a step failing without it fails the run. */
  expectError?: string;
  /** Index in the file's `timeline` list, stable across the sort by time. */
  index: number;
  pos: SourcePos;
}

export interface ApplyAction extends ActionBase {
  action: 'apply';
  /** The manifests, in document order; `metadata.namespace` defaults to `default` as kubectl does. */
  objects: ScenarioObject[];
  /** The file the manifests came from, when `apply: {file: …}` was used (as written, relative to the scenario). */
  file?: string;
}

export interface ScenarioObject {
  /** The object exactly as written (plus the default namespace). */
  object: KObject;
  /** API server type key, e.g. `Service.serving.knative.dev` (see TYPE in src/apis/core.ts). */
  type: string;
  /** Position of the document (its first key) in the scenario or the manifest file. */
  pos: SourcePos;
}

export interface KnAction extends ActionBase {
  action: 'kn';
  /** The command line without the leading `kn`, e.g. `service create sunshine --image=rainbows`. */
  commandLine: string;
  /** The command as kn's parser read it, once, at load. */
  command: KnCommand;
}

export interface KubectlAction extends ActionBase {
  action: 'kubectl';
  /** The command line without the leading `kubectl`, e.g. `label service candidate-sunshine networking.knative.dev/visibility=cluster-local`. */
  commandLine: string;
}

export interface DeleteAction extends ActionBase {
  action: 'delete';
  /** API server type key, e.g. `Service.serving.knative.dev`. */
  type: string;
  /** Kind as Kubernetes spells it, e.g. `Service`. */
  kind: string;
  name: string;
  /** Default `default`, except ConfigMaps, which default to `knative-serving`. */
  namespace: string;
}

// ---------------------------------------------------------------- traffic

/** Where requests go: a host as a client would send it, or a Knative Service (optionally a tag of it). */
export type TrafficTarget =
  | { kind: 'host'; host: string; fromCluster: boolean; pos: SourcePos }
  | { kind: 'service'; service: string; tag?: string; namespace: string; fromCluster: boolean; pos: SourcePos };

export interface TrafficWorkload {
  /** `name:`, or `traffic-<index>`; the workload's random stream is `workload/<name>`. */
  name: string;
  /** The target; for a trace, the first of `trace.targets`. */
  target: TrafficTarget;
  fromMs: number;
  /** Default: the scenario duration. */
  toMs: number;
  arrivals: Arrivals;
  pos: SourcePos;
}

/** Arrival processes; rates are requests per second. */
export type Arrivals =
  /** One request every 1/rate seconds. */
  | { pattern: 'constant'; rate: number }
  /** Exponential gaps with mean 1/rate. */
  | { pattern: 'poisson'; rate: number }
  /** Rate moves linearly from startRate at fromMs to endRate at toMs. */
  | { pattern: 'ramp'; startRate: number; endRate: number }
  /**
   * Rate `rate` from `fromMs` until the first step, then each step's rate from its time (scenario
   * time). Steps are sorted and inside the window: a step written at or before `from` is folded
   * into `rate` (it is the rate in force when the window opens), one at or after `to` is dropped.
   */
  | { pattern: 'step'; rate: number; steps: { atMs: number; rate: number; pos: SourcePos }[] }
  /** `base` rate, plus a spike: `rate` for `durationMs` from `atMs`, or `count` requests at once at `atMs`. */
  | { pattern: 'burst'; base: number; spike: { atMs: number; durationMs: number; rate: number } | { atMs: number; count: number } }
  /** rate(t) = max(0, mean + amplitude · sin(2π (t − fromMs + phaseMs) / periodMs)): an amplitude above the mean is clipped at 0. */
  | { pattern: 'diurnal'; mean: number; amplitude: number; periodMs: number; phaseMs: number }
  /** Closed loop like `hey -c users`: each user sends, waits for the response, thinks, sends again. */
  | { pattern: 'users'; users: number; thinkTime: Distribution }
  | TraceArrivals;

/** Replay of the Azure Functions 2019 invocation counts (per function per minute). */
export interface TraceArrivals {
  pattern: 'trace';
  format: 'azure2019';
  /** The invocations CSV: path as written (relative to the scenario). Parsed at load by the replayer's own parser. */
  invocations: { path: string; pos: SourcePos };
  /** The selected functions' invocation counts, parsed from the invocations file, in selection order. */
  traces: AzureFunctionTrace[];
  /** The first N functions, or rows picked by 0-based index or HashFunction prefix. */
  functions: { first: number } | { select: (number | string)[] };
  /** How one minute's count is placed inside the minute. */
  spread: 'uniform' | 'poisson' | 'equidistant';
  /** 1-based, inclusive minute columns to replay (`[1, 60]` is the first hour); minute `from` starts at the workload's fromMs. */
  minutes?: { from: number; to: number };
  /** Virtual time per trace minute is 60 s / timeScale (2 replays twice as fast). Default 1. */
  timeScale: number;
  /** One target per selected function, in selection order (a single target is repeated). */
  targets: TrafficTarget[];
  /** Requests the replay delivers (the selected rows in the minutes that fit the window), counted by the replayer's own count. */
  totalInvocations: number;
  /**
   * The durations file: each selected function's service time, an empirical distribution of its
   * execution-time percentiles (ms), aligned with `traces`; null for a function the file has no
   * usable row for (its requests take its target image's `serviceTime`).
   */
  durations?: { path: string; pos: SourcePos; serviceTimes: (EngineDistribution | null)[] };
  /** What parsing the files took: their characters and the invocations file's data rows (the memory estimate's load peak). */
  parsed: { chars: number; rows: number };
}

// ---------------------------------------------------------------- expectations

/** A numeric bound; both ends inclusive, either may be absent. `text` is how to show it: `= 2`, `≤ 5`, `2 ± 1`, `between 1 and 3`. */
export interface Bound {
  min?: number;
  max?: number;
  text: string;
}

export type ExpectWhen = { kind: 'at'; atMs: number } | { kind: 'over'; fromMs: number; toMs: number };

/** Which requests a counting check looks at; all requests when empty. */
export interface RequestFilter {
  revision?: string;
  service?: string;
  namespace?: string;
}

export type ExpectCheck =
  /** Ready pods of `revision` (held at every sample in an `over` window). */
  | { check: 'readyPods'; revision: string; namespace: string; bound: Bound }
  /** The autoscaler's desired scale for `revision`. */
  | { check: 'desiredScale'; revision: string; namespace: string; bound: Bound }
  /** Whether the revision's autoscaler is in panic mode. */
  | { check: 'panic'; revision: string; namespace: string; equals: boolean }
  /** The ServerlessService mode. */
  | { check: 'sksMode'; revision: string; namespace: string; equals: 'Serve' | 'Proxy' }
  /**
   * Requests whose response status matches (`status` a code, a class like `5xx`, or undefined for all),
   * counted in the window (`at: t` counts from 0 to t). `count` bounds the number, `ratio` their
   * fraction of all requests passing the filter.
   */
  | { check: 'requests'; filter: RequestFilter; status?: number | `${1 | 2 | 3 | 4 | 5}xx`; count?: Bound; ratio?: Bound }
  /** The `p`-th latency percentile (0 < p ≤ 100) of requests in the window; the bound is in ms. */
  | { check: 'latency'; filter: RequestFilter; p: number; bound: Bound }
  /** Requests that had to wait for a pod to start, in the window. */
  | { check: 'coldStarts'; filter: RequestFilter; bound: Bound }
  /** Fraction of requests in the window served by `revision`. */
  | { check: 'trafficShare'; revision: string; namespace: string; filter: RequestFilter; bound: Bound };

export type Expectation = ExpectCheck & {
  when: ExpectWhen;
  description?: string;
  /** Index in the file's `expect` list. */
  index: number;
  pos: SourcePos;
};

// ---------------------------------------------------------------- invariants and vary

/**
 * The invariants a scenario can ask for (`invariants:`), each a property every run must keep
 * (src/sim/invariants.ts checks them; README.md, Property-based testing, says what each means).
 */
export const INVARIANT_NAMES = [
  'conservation',
  'trafficSharesSumToOne',
  'podsWithinScaleBounds',
  'noScaleDownInPanic',
  'zeroAfterStableWindow',
  'rollbackServesOnlyTarget',
  'latencyAtLeastServiceTime',
  'deterministic',
] as const;
export type InvariantName = (typeof INVARIANT_NAMES)[number];

export interface ScenarioInvariant {
  name: InvariantName;
  pos: SourcePos;
}

/**
 * The values `knsim fuzz` draws for one `vary:` path: a range walked in `step`s from `min`
 * (numbers, or durations in ms), or a list of choices. Shrinking moves toward `min` or the first choice.
 */
export type VaryValues =
  { kind: 'range'; unit: 'number' | 'duration'; min: number; max: number; step: number } | { kind: 'choices'; choices: (string | number | boolean)[] };

/** One `vary:` entry: a `--set` path (README, Overrides) and its values. */
export interface VaryEntry {
  /** The path as written, e.g. `traffic[0].rate` or `config.config-autoscaler.stable-window`. */
  path: string;
  values: VaryValues;
  pos: SourcePos;
}
