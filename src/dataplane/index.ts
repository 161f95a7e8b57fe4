/**
 * The data plane's public surface: `startDataplane` and the types the sim, the
 * workload layer and reports use. See dataplane.ts for the model and its fidelity notes.
 */
export {
  ACTIVATOR_QUEUE_DEPTH,
  DEFAULT_ROUTE_PROPAGATION_MS,
  DEFAULT_TIMEOUT_MS,
  DRAIN_QUIET_MS,
  Dataplane,
  startDataplane,
  type DataplaneContext,
  type DataplaneOptions,
  type PreStopHook,
  type SendOptions,
} from './dataplane.js';
export { AppModel, DEFAULT_APP_MODEL, lookupAppSpec, validateAppModel, type AppModelSpec } from './app-model.js';
export { LatencyHistogram } from './histogram.js';
export { Measurements, STATUS, Tally, type RequestStatus, type RequestView, type SecondSeries } from './measurements.js';
export type { HostEntry } from './router.js';
