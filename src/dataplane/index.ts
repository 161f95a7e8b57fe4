/**
 * The data plane's public surface: `startDataplane` and the types the sim, the
 * workload layer and reports use. See dataplane.ts for the model and its fidelity notes.
 */
export { Dataplane, startDataplane, type ActivatorView, type DataplaneOptions } from './dataplane.js';
export { DRAIN_QUIET_MS } from './queue-proxy/drain.js';
export { AppModel, DEFAULT_APP_MODEL, lookupAppSpec, validateAppModel, type AppModelSpec } from './app-model.js';
export { LatencyHistogram } from './histogram.js';
export { STATUS, type RequestView } from './measurements.js';
export { type HostEntry } from './router.js';
export { TIMEOUT_REASON_KEYS } from './timeouts.js';
