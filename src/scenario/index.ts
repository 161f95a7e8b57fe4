/**
 * Scenario files: the format (types.ts, schema/scenario.schema.json, README.md (Scenario format)),
 * the loader with source positions and diagnostics, and `--set` overrides.
 */
export * from './types.js';
export { didYouMean, editDistance, formatDiagnostic, hasErrors, type Diagnostic } from './diagnostics.js';
export { loadScenario, type LoadOptions, type LoadResult } from './load/index.js';
export { applyOverrides, parseOverridePath } from './overrides.js';
export { SCENARIO_SHAPE, type Shape } from './shape.js';
export { varyCount, varyValueText } from './vary-values.js';
export { parseKubectl, type KubectlLabel } from './kubectl.js';
export { replayWindowOf, workloadPatternOf } from './workload-spec.js';
export { estimatePeakMemory, MEMORY, type MemoryEstimate, type MemoryOutput } from './estimate-memory.js';
export { clusterProfileOverrides, nodeProfilesOf } from './cluster-profile.js';
