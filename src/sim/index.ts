export { buildWorld, type World, type WorldOptions } from './world.js';
export { runScenario, Simulation, type SimulationOptions } from './run.js';
/** The scenario loader under the name the library has always used: it checks kn command lines too. */
export { loadScenario as loadScenarioText } from '../scenario/index.js';
export { type RecorderOptions, type SeriesOptions } from './recorder.js';
export { ArrayLog, RecordView, arrayLogs, type RecordLog, type RecordLogFactory, type RecordLogName } from './record-log.js';
export type {
  ActivatorBuffer,
  EventData,
  InvariantResult,
  RevisionAutoscaling,
  AutoscalerDecision,
  CursorKind,
  ExpectationResult,
  LatencySummary,
  ObjectChange,
  PodStart,
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
} from './result.js';
export { expandRuns } from './runs.js';
export { expandedSeries, seriesByRevision, seriesStepMs } from '../engine/index.js';
export type { ReportRecordingOptions } from './report-recorder.js';
export type { DecisionEventData, ScaleEventData, PodEventData, ReplicasEventData, CommandEventData, NarrationEventData } from './event-data.js';
export { checkInvariants, INVARIANTS } from './invariants.js';
