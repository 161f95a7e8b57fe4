/**
 * Scenario files: the format (types.ts, schema/scenario.schema.json, README.md (Scenario format)),
 * the loader with source positions and diagnostics, and `--set` overrides.
 */
export * from './types.js';
export { DIAGNOSTIC_CODES, didYouMean, editDistance, formatDiagnostic, hasErrors, type Diagnostic, type DiagnosticCode, type Severity } from './diagnostics.js';
export { defaultValidateObject, loadScenario, resolveRelative, type LoadOptions, type LoadResult } from './load/index.js';
export { applyOverrides, parseOverridePath, type OverrideResult } from './overrides.js';
export { AUTOSCALER_CONFIG_KEYS, checkConfigKey, validateConfigData } from './config-check.js';
export { countTraceInvocations, estimateRequests, type TraceCount } from './estimate.js';
export { distributionMeanMs } from '../engine/distribution.js';
export { SCENARIO_SHAPE, followPath, keysOf, type Shape } from './shape.js';
