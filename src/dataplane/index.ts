/**
 * The data plane's public surface: `startDataplane` and the types the sim, the
 * workload layer and reports use. See dataplane.ts for the model and its fidelity notes.
 */
export {
  Dataplane,
  startDataplane,
  type DataplaneContext,
  type DataplaneOptions,
  type SendOptions,
} from './dataplane.js';
export { ACTIVATOR_QUEUE_DEPTH } from './activator/throttler.js';
export { DRAIN_QUIET_MS, type PreStopHook } from './queue-proxy/drain.js';
export { DEFAULT_TIMEOUT_MS } from './records.js';
export { AppModel, DEFAULT_APP_MODEL, lookupAppSpec, validateAppModel, type AppModelSpec } from './app-model.js';
export { LatencyHistogram } from './histogram.js';
export { Measurements, STATUS, Tally, type RequestStatus, type RequestView, type SecondSeries } from './measurements.js';
export { DEFAULT_ROUTE_PROPAGATION_MS, type HostEntry } from './router.js';
