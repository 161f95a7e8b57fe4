export { buildWorld, type World, type WorldOptions } from './world.js';
export { runScenario, Simulation, type SimulationOptions } from './run.js';
/** The scenario loader under the name the library has always used: it checks kn command lines too. */
export { loadScenario as loadScenarioText } from '../scenario/index.js';
export { type RecorderOptions } from './recorder.js';
export type { ExpectationResult, LatencySummary, RequestSummary, RevisionSummary, RunEvent, RunResult, RunSummary, SeriesSample } from './result.js';
