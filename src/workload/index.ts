/**
 * Workloads: synthetic arrival processes and Azure Functions 2019 trace replay. Everything here
 * schedules arrivals on the engine and hands them to an `ArrivalSink`; it knows nothing of hosts,
 * revisions or HTTP (the sim maps targets to data-plane requests).
 */
export type { ArrivalProcess, ArrivalSink, ClosedLoopUser, RateStep, Spike, WorkloadHandle, WorkloadPattern, WorkloadSpec } from './types.js';
export { checkWorkloadSpec, describeWorkload, expectedArrivalCount, startWorkload } from './workload.js';
export { PiecewiseLinearIntensity, SinusoidIntensity, type Intensity } from './intensity.js';
export { MAX_TRACE_ERRORS, type TraceParseError } from './csv.js';
export {
  formatAzureSummary,
  joinAzureStats,
  parseAzureDurations,
  parseAzureInvocations,
  parseAzureMemory,
  selectAzureFunctions,
  summarizeAzureInvocations,
  type AzureDurationRow,
  type AzureFunctionPick,
  type AzureFunctionStats,
  type AzureFunctionSummary,
  type AzureFunctionTrace,
  type AzureInvocations,
  type AzureInvocationsLayout,
  type AzureInvocationsResult,
  type AzureMemoryRow,
  type AzureParseResult,
  type AzureSelectResult,
  type AzureTraceSummary,
} from './azure-trace.js';
export { checkAzureReplaySpec, expectedAzureArrivals, startAzureReplay, type AzureReplaySpec, type MinuteSpread } from './azure-replay.js';
