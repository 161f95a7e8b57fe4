/**
 * A scenario workload as the workload layer runs it: the arrival pattern (src/workload's
 * WorkloadPattern) of a synthetic workload, and the window of a trace replay. One mapping for
 * both sides: the loader checks the very spec the run starts (with the workload layer's own
 * `checkWorkloadSpec`, `checkAzureReplaySpec`) and counts its arrivals with the same functions
 * the workload uses, and sim/run.ts starts it.
 * Fidelity: the scenario's diurnal curve is written with a sine from the workload's `from`
 * (mean + amplitude·sin(2π(t − from + phase)/period)); the workload's peaks with a cosine at its
 * phase, so the mapping shifts by a quarter period: sin(x) = cos(x − π/2).
 */
import type { TraceArrivals, TrafficWorkload } from './types.js';
import type { WorkloadPattern } from '../workload/types.js';

/** The workload layer's pattern of a synthetic (non-trace) workload. */
export function workloadPatternOf(workload: TrafficWorkload): WorkloadPattern {
  const a = workload.arrivals;
  switch (a.pattern) {
    case 'constant':
    case 'poisson':
      return { pattern: a.pattern, ratePerSecond: a.rate };
    case 'ramp':
      return { pattern: 'ramp', startRatePerSecond: a.startRate, endRatePerSecond: a.endRate };
    case 'step':
      // The loader folded steps at or before `from` into `rate`: the rate in force when the window opens.
      return { pattern: 'step', steps: [{ atMs: workload.fromMs, ratePerSecond: a.rate }, ...a.steps.map((s) => ({ atMs: s.atMs, ratePerSecond: s.rate }))] };
    case 'burst': {
      const spike =
        'count' in a.spike ? { atMs: a.spike.atMs, count: a.spike.count } : { atMs: a.spike.atMs, durationMs: a.spike.durationMs, ratePerSecond: a.spike.rate };
      return { pattern: 'burst', baseRatePerSecond: a.base, spikes: [spike] };
    }
    case 'diurnal':
      return {
        pattern: 'diurnal',
        meanRatePerSecond: a.mean,
        amplitudePerSecond: a.amplitude,
        periodMs: a.periodMs,
        phaseMs: workload.fromMs - a.phaseMs + a.periodMs / 4,
      };
    case 'users':
      return { pattern: 'closed-loop', users: a.users, thinkTime: a.thinkTime };
    case 'trace':
      throw new Error('knsim bug: a trace workload has no arrival pattern; it is replayed (replayWindowOf)');
  }
}

/** The window of a trace replay: which trace minutes, from when to when, and how fast (virtual ms per trace ms). */
export function replayWindowOf(
  workload: TrafficWorkload,
  trace: TraceArrivals,
): { minuteFrom?: number; minuteTo?: number; fromMs: number; toMs: number; timeScale: number } {
  const window = { fromMs: workload.fromMs, toMs: workload.toMs, timeScale: 1 / trace.timeScale };
  return trace.minutes === undefined ? window : { ...window, minuteFrom: trace.minutes.from, minuteTo: trace.minutes.to };
}
