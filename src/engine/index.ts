export { Engine, type EngineOptions, type EventHandle, type RunOptions, type RunOutcome, type StopReason, type Ticker, type TraceEntry, type TraceListener } from './engine.js';
export { EventQueue, type EventRecord } from './event-queue.js';
export { Fingerprint } from './fingerprint.js';
export { createRng, drawExponential, drawNormal, type Rng } from './rng.js';
export { compileDistribution, describeDistribution, distributionMeanMs, lognormalFromMedianP99, validateDistribution, type Distribution, type EmpiricalPoint, type Sampler } from './distribution.js';
export * from './units.js';
export { invariant, must } from './assert.js';
