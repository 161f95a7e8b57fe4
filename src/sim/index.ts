export { buildWorld, DEFAULT_API_LATENCY_MS, type World, type WorldOptions } from './world.js';
export { runScenario, Simulation, type SimulationOptions } from './run.js';
export { loadScenarioText } from './load.js';
export { applyObject } from './timeline.js';
export { Recorder, type RecorderOptions, type RevisionTrack } from './recorder.js';
export type { ExpectationResult, LatencySummary, RequestSummary, RevisionSummary, RunEvent, RunResult, RunSummary, SeriesSample } from './result.js';
