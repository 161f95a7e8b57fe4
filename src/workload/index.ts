/**
 * Workloads: synthetic arrival processes and Azure Functions 2019 trace replay. Everything here
 * schedules arrivals on the engine and hands them to an `ArrivalSink`; it knows nothing of hosts,
 * revisions or HTTP (the sim maps targets to data-plane requests).
 */
export type { ArrivalSink, ClosedLoopUser, WorkloadHandle, WorkloadPattern, WorkloadSpec } from './types.js';
export { checkWorkloadSpec, describeWorkload, expectedArrivalCount, startWorkload } from './workload.js';
export { PiecewiseLinearIntensity, SinusoidIntensity } from './intensity.js';
export { parseAzureInvocations, type AzureFunctionTrace } from './azure-trace.js';
export { azureDurationPoints, azureFieldColumn, joinAzureStats, parseAzureDurations, parseAzureMemory, type AzureDurationRow } from './azure-stats.js';
export { formatAzureSummary, selectAzureFunctions, summarizeAzureInvocations } from './azure-selection.js';
export { checkAzureReplaySpec, expectedAzureArrivals, startAzureReplay, type AzureReplaySpec, type MinuteSpread } from './azure-replay.js';
