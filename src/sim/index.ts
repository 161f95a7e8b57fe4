export { buildWorld, DEFAULT_API_LATENCY_MS, type World, type WorldOptions } from './world.js';
export { runScenario, Simulation, type SimulationOptions } from './run.js';
export { loadScenarioText } from './load.js';
export { applyObject } from './timeline.js';
export { Recorder, type RecorderOptions, type RevisionTrack } from './recorder.js';
export type {
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
  SeriesSample,
  Timeline,
  TimelineRevision,
  TrafficShare,
} from './result.js';
export { expandRuns } from './runs.js';
export { latencyIntervalMs, type ReportRecordingOptions } from './report-recorder.js';
