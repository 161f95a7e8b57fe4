/**
 * knsim: a deterministic, in-memory digital twin of Knative Serving on Kubernetes.
 *
 * The library behind the `knsim` CLI. Typical uses:
 * - run a scenario: `runScenario(loadScenarioText(text, { file }).scenario!)` → a {@link RunResult};
 * - step a world by hand: `new Simulation(scenario).runTo(60_000)` then read `sim.world.api`;
 * - property-test the KPA decider: {@link createAutoscaler} with a {@link DeciderSpec}.
 *
 * Nothing here reads the wall clock or `Math.random`: the same scenario and seed give
 * byte-identical results.
 *
 * @packageDocumentation
 */

// ---- running scenarios
export {
  /** Runs a checked scenario to its end and returns the result (the `knsim run --json` contract). */
  runScenario,
  /** A world with its recorder and expectations, advanced with `runTo(ms)`; read objects from `world.api`. */
  Simulation,
  /** Loads and checks a scenario from YAML text, including kn command lines; every problem is a located diagnostic. */
  loadScenarioText,
  /** Builds the world of a scenario at time 0 (engine, API server, all controllers, data plane). */
  buildWorld,
  type SimulationOptions,
  type World,
  type WorldOptions,
  type RecorderOptions,
  type SeriesOptions,
  /** Where a run keeps its growing recordings (`record.logs`): arrays by default, or logs of your own (the CLI spools to disk). */
  ArrayLog,
  arrayLogs,
  /** A log's first items, iterable as often as needed, whose JSON is their array: the recordings of `Simulation.recordedResult()`. */
  RecordView,
  type RecordLog,
  type RecordLogFactory,
  type RecordLogName,
} from './sim/index.js';
export type {
  ActivatorBuffer,
  AutoscalerDecision,
  CommandEventData,
  CursorKind,
  DecisionEventData,
  EventData,
  InvariantResult,
  NarrationEventData,
  PodEventData,
  ReplicasEventData,
  RevisionAutoscaling,
  ScaleEventData,
  ExpectationResult,
  LatencySummary,
  ObjectChange,
  PodStart,
  ReportRecordingOptions,
  RequestSummary,
  RevisionStats,
  RevisionSummary,
  Runs,
  RunEvent,
  RunResult,
  RunSummary,
  Recorded,
  RecordedResult,
  SeriesForm,
  SeriesSample,
  Timeline,
  TimelineRevision,
  TrafficShare,
} from './sim/index.js';
/** Expands run-length encoded timeline columns (`[value, count, …]`) into one value per step. */
export { expandRuns } from './sim/index.js';
/**
 * A result's series whatever its `seriesForm`: `seriesByRevision(result)` groups the kept samples,
 * `expandedSeries(result, samples)` yields one revision's sample at every step (a change-point
 * series expanded lazily), `seriesStepMs(result)` the step.
 */
export { expandedSeries, seriesByRevision, seriesStepMs } from './sim/index.js';
export { getObjects, GET_KINDS, type GetOptions, type GetOutput } from './sim/get.js';

// ---- scenario format
export {
  loadScenario,
  formatDiagnostic,
  hasErrors,
  applyOverrides,
  DEFAULT_LIMITS,
  /** A run's peak memory (RSS) estimated before it starts, from the scenario's budget and the output asked for. */
  estimatePeakMemory,
  type Diagnostic,
  type MemoryEstimate,
  type MemoryOutput,
  type Scenario,
  type ScenarioLimits,
  type LoadOptions,
  type LoadResult,
  type SourcePos,
} from './scenario/index.js';

// ---- the KPA decider and the autoscaler
export {
  /**
   * Creates Knative's KPA decider (pkg/autoscaler/scaling/autoscaler.go) for one revision.
   * `scale({nowMs, readyPods, metrics})` returns `{desiredPodCount, excessBurstCapacity, scaleValid}` exactly as Knative's `Scale`.
   */
  createAutoscaler,
  TICK_INTERVAL_MS,
  startAutoscaler,
  type Autoscaler,
  type DeciderSpec,
  type PanicState,
  type ScaleExplanation,
  type ScaleInput,
  type ScaleResult,
  type AutoscalerHandle,
  type PodStat,
  type PodStatSource,
  type ActivatorStat,
  type ActivatorStatSink,
} from './autoscaler/index.js';
export {
  parseAutoscalerConfig,
  /** Knative's config-autoscaler defaults (`defaultConfig()` in pkg/autoscaler/config/config.go). */
  defaultAutoscalerConfig,
  type AutoscalerConfig,
} from './apis/config/autoscaler.js';
export {
  /** The decider spec Knative builds for a revision from config-autoscaler (parsed, or as ConfigMap data) and its annotations. */
  makeDeciderSpec,
  /** One of Knative's metric windows (`linear` or `weighted-exponential`), as the collector keeps them. */
  createMetricWindow,
  type MetricWindow,
  type AutoscalerConfigInput,
} from './autoscaler/decider-inputs.js';
/** The HorizontalPodAutoscaler Knative's HPA class wants for a PodAutoscaler (pkg/reconciler/autoscaling/hpa/resources/hpa.go MakeHPA). */
export { makeHpa } from './autoscaler/index.js';

// ---- the Kubernetes HPA (pkg/controller/podautoscaler)
export {
  /**
   * The replica calculator for a Utilization target on cpu or memory (GetResourceReplicas): pods and
   * per-pod metrics (milli-values) in, `{ok, replicas, utilization, rawValue}` or the controller's error out.
   */
  getResourceReplicas,
  /** The replica calculator for a plain per-pod average (AverageValue resources, Pods metrics). */
  getPlainMetricReplicas,
  /** Stabilization and rate limits without `behavior` (5 min scale-down window, at most max(2 × current, 4)). */
  normalizeDesiredReplicas,
  /** Stabilization windows and scaling policies of `behavior`. */
  normalizeDesiredReplicasWithBehaviors,
  /** An empty per-HPA history of recommendations and scale events. */
  newHpaHistory,
  DEFAULT_REPLICA_CALC_OPTIONS,
  HPA_SYNC_PERIOD_MS,
  METRIC_RESOLUTION_MS,
  type HpaHistory,
  type Normalized,
  type PodMetric,
  type PodMetricsInfo,
  type ReplicaCalcOptions,
  type ReplicaCalcResult,
} from './k8s/index.js';
export type {
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerSpec,
  HorizontalPodAutoscalerStatus,
  MetricSpec,
  HpaScalingRules,
} from './apis/autoscaling-v2.js';

// ---- engine, API server and the layers, for building worlds by hand
export { Engine, parseDuration, formatDuration, formatClock, type Rng, type TraceEntry, type RunOutcome, type FailedEvent } from './engine/index.js';
/** Test seam: bugs planted on purpose (SimulationOptions.plantedBugs, KNSIM_PLANT_BUG) to prove that checks find them. */
export { PLANTED_BUGS, parsePlantedBugs, type PlantedBug } from './engine/index.js';
// Durations drawn at random (an app's service time, a closed-loop user's think time): one type, one sampler.
export { compileDistribution, lognormalFromMedianP99, type Distribution, type Sampler } from './engine/index.js';
export {
  ApiServer,
  ApiError,
  Controller,
  startKubernetes,
  renderTable,
  renderYaml,
  DEFAULT_CLUSTER_PROFILE,
  type ClusterProfile,
  type NodeProfile,
  type WatchEvent,
} from './k8s/index.js';
export { startServing } from './serving/index.js';
export { parseKn, runKn, type KnCommand, type KnExecution } from './kn/index.js';
export { startDataplane, LatencyHistogram, type ActivatorView, type Dataplane, type AppModelSpec, type RequestView } from './dataplane/index.js';
export { startWorkload, startAzureReplay, parseAzureInvocations, type WorkloadSpec, type ArrivalSink } from './workload/index.js';

// ---- object types
export { TYPE, isPodReady, parseMemoryBytes, type Pod, type Node, type Deployment, type ReplicaSet, type ConfigMap } from './apis/core.js';
export type { KObject, ObjectMeta, Condition } from './apis/meta.js';
export type { KnService, Configuration, Revision, Route, TrafficTarget, PodAutoscaler, ServerlessService, Ingress } from './apis/serving-types.js';

// ---- renderers
export { renderSummary, renderChart, renderLog, renderExpectations, renderInvariants, renderCsvFiles } from './report/index.js';
/** The CSV files of `renderCsvFiles` as lines produced on demand, for writing them without building each as one string. */
export { csvFiles } from './report/index.js';
export {
  /** The self-contained HTML report of a run recorded with `record: { report: true }`: charts, events, a time cursor, the summary. */
  renderHtmlReport,
  /** The page of `renderHtmlReport` in pieces (the same bytes), for writing it without building it as one string. */
  htmlReportChunks,
  /** Several runs (variants of a scenario, or scenarios) overlaid on one page with a table of deciding figures. */
  renderHtmlComparison,
} from './report/index.js';
