/**
 * `knsim/testing`: knsim as a property-testing toolkit for Knative configurations.
 *
 * - **Arbitraries** (fast-check) of valid `config-autoscaler` data, autoscaling annotations,
 *   Knative Service manifests, traffic patterns and mixes, kn command sequences, cluster
 *   profiles and whole scenarios: only what the scenario loader accepts, shrinking toward less.
 * - **A typed scenario builder** (`scenario()`): `toYaml()` writes what `knsim run` reads, `build()`
 *   is what the loader makes of it.
 * - **`run()`** with the recordings the queries read, and **invariants** (`checkInvariants`,
 *   `assertInvariants`): conservation, traffic shares, scale bounds, no scale-down in panic,
 *   scale to zero on time, rollbacks, latency, determinism.
 * - **Queries** over the events' typed data: `decisionsOf`, `scaleChanges`, `lastRequestAt`,
 *   `timeToZero`, `coldStartsOf`, exact `changePoints` and `valueAt` any millisecond.
 * - **The decider's inputs**: `makeDeciderSpec(config, annotations)`, `defaultAutoscalerConfig`,
 *   `createMetricWindow`, `createAutoscaler`, to replay Knative's worked examples.
 * - **`fuzzScenario`**, the library behind `knsim fuzz`.
 *
 * fast-check is re-exported as `fc`, the same instance the arbitraries are built with.
 *
 * @packageDocumentation
 */
import fc from 'fast-check';

export { fc };

// ---- arbitraries
export { autoscalerConfigArb, autoscalingAnnotationsArb, type AutoscalingLimits } from './arbitraries/autoscaling.js';
export { knServiceArb, type KnServiceArbOptions } from './arbitraries/manifests.js';
export { trafficPatternArb, trafficMixArb, type TrafficArbOptions } from './arbitraries/traffic.js';
export { knSequenceArb, type KnSequenceOptions } from './arbitraries/kn.js';
export { clusterArb } from './arbitraries/cluster.js';
export { scenarioArb, serviceTimeArb, type ScenarioArbOptions } from './arbitraries/scenario.js';

// ---- the builder and the document format
export { scenario, service, toYaml, loadDocument, manifestsYaml, ScenarioBuilder, ScenarioError, type ServiceOptions } from './builder.js';
export type * from './document.js';

// ---- running, invariants, queries
export { run, toScenario, assertInvariants, InvariantError, type ScenarioInput, type TestRunOptions } from './run.js';
export { checkInvariants, INVARIANTS } from '../sim/invariants.js';
export { INVARIANT_NAMES, type InvariantName } from '../scenario/index.js';
export {
  eventsOf,
  decisionsOf,
  scaleChanges,
  lastRequestAt,
  lastResponseAt,
  quietPeriodsOf,
  timeToZero,
  coldStartsOf,
  changePoints,
  valueAt,
  sampleEvery,
  type ChangingField,
} from './queries.js';

// ---- the decider and its inputs
export { makeDeciderSpec, createMetricWindow, type MetricWindow, type AutoscalerConfigInput } from '../autoscaler/decider-inputs.js';
export { createAutoscaler, TICK_INTERVAL_MS, type DeciderSpec, type ScaleExplanation } from '../autoscaler/index.js';
export { defaultAutoscalerConfig, parseAutoscalerConfig, type AutoscalerConfig } from '../apis/config/autoscaler.js';

// ---- fuzzing
export { fuzzScenario, type FuzzOptions, type FuzzReport } from './fuzz.js';

// ---- the test seam
export { PLANTED_BUGS, type PlantedBug } from '../engine/index.js';
