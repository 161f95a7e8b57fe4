export { Engine, type EventHandle, type FailedEvent, type RunOutcome, type StopReason, type Ticker, type TraceEntry } from './engine.js';
export { EventQueue } from './event-queue.js';
export { createRng, drawExponential, drawNormal, type Rng } from './rng.js';
export {
  compileDistribution,
  describeDistribution,
  distributionMeanMs,
  lognormalFromMedianP99,
  validateDistribution,
  type Distribution,
  type Sampler,
} from './distribution.js';
export * from './units.js';
export { invariant, must } from './assert.js';
export { PLANTED_BUGS, parsePlantedBugs, type PlantedBug } from './planted-bugs.js';
export { expandedSeries, seriesByRevision, seriesStepMs, type SeriesFormOf } from './series-form.js';
