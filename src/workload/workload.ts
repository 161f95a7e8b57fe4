/**
 * The entry point for synthetic workloads: check a spec, start it on the engine, estimate and
 * describe it. Trace replay (azure-replay.ts) returns the same `WorkloadHandle`.
 *
 * Fidelity: see open-loop.ts and closed-loop.ts. Each workload draws only from its own stream
 * `workload/<name>`, so adding or removing a workload never shifts another one's arrivals.
 * Mirrors no upstream file.
 */
import { describeDistribution, formatDuration, validateDistribution, type Distribution, type Engine } from '../engine/index.js';
import { ClosedLoop } from './closed-loop.js';
import { expectedOpenArrivals, OpenLoop } from './open-loop.js';
import type { ArrivalSink, RateStep, Spike, WorkloadHandle, WorkloadSpec } from './types.js';

/** Starts a workload: its arrivals reach `sink` in [fromMs, toMs). Throws when the spec is invalid (see `checkWorkloadSpec`). */
export function startWorkload<T>(engine: Engine, spec: WorkloadSpec<T>, sink: ArrivalSink<T>): WorkloadHandle {
  const problems = checkWorkloadSpec(spec);
  if (problems.length > 0) throw new Error(`workload ${spec.name}: ${problems.join('; ')}`);
  if (spec.pattern === 'closed-loop') return new ClosedLoop(engine, spec, sink);
  return new OpenLoop(engine, spec, sink);
}

/** Problems with a spec, each `field: what is wrong`; empty when it can run. */
export function checkWorkloadSpec(spec: WorkloadSpec<unknown>): string[] {
  const problems: string[] = [];
  const time = (field: string, value: unknown): void => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problems.push(`${field}: want a time ≥ 0 ms, got ${String(value)}`);
  };
  const rate = (field: string, value: unknown): void => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problems.push(`${field}: want a rate ≥ 0 per second, got ${String(value)}`);
  };
  if (typeof spec.name !== 'string' || spec.name === '') problems.push('name: must be a non-empty string (it names the random stream workload/<name>)');
  time('fromMs', spec.fromMs);
  time('toMs', spec.toMs);
  if (spec.toMs < spec.fromMs) problems.push(`toMs: ${spec.toMs} is before fromMs ${spec.fromMs}`);
  switch (spec.pattern) {
    case 'constant':
    case 'poisson':
      rate('ratePerSecond', spec.ratePerSecond);
      break;
    case 'ramp':
      rate('startRatePerSecond', spec.startRatePerSecond);
      rate('endRatePerSecond', spec.endRatePerSecond);
      break;
    case 'step':
      if (!Array.isArray(spec.steps)) problems.push('steps: want a list of {atMs, ratePerSecond}');
      else
        // Array.isArray narrows the list to any[]: name the element type the spec declares.
        spec.steps.forEach((step: RateStep, i: number) => {
          time(`steps[${i}].atMs`, step.atMs);
          rate(`steps[${i}].ratePerSecond`, step.ratePerSecond);
        });
      break;
    case 'burst':
      rate('baseRatePerSecond', spec.baseRatePerSecond);
      if (!Array.isArray(spec.spikes)) problems.push('spikes: want a list of {atMs, durationMs, ratePerSecond} or {atMs, count}');
      else
        spec.spikes.forEach((spike: Spike, i: number) => {
          time(`spikes[${i}].atMs`, spike.atMs);
          if ('count' in spike) {
            if (!Number.isInteger(spike.count) || spike.count < 0) problems.push(`spikes[${i}].count: want a whole number ≥ 0, got ${spike.count}`);
          } else {
            time(`spikes[${i}].durationMs`, spike.durationMs);
            rate(`spikes[${i}].ratePerSecond`, spike.ratePerSecond);
          }
        });
      break;
    case 'diurnal':
      rate('meanRatePerSecond', spec.meanRatePerSecond);
      // An amplitude above the mean is clipped at 0 (SinusoidIntensity), as the scenario format documents.
      rate('amplitudePerSecond', spec.amplitudePerSecond);
      if (!(spec.periodMs > 0) || !Number.isFinite(spec.periodMs)) problems.push(`periodMs: want a duration > 0, got ${spec.periodMs}`);
      if (spec.phaseMs !== undefined && !Number.isFinite(spec.phaseMs)) problems.push(`phaseMs: want a finite time, got ${spec.phaseMs}`);
      break;
    case 'closed-loop':
      if (!Number.isInteger(spec.users) || spec.users < 1) problems.push(`users: want a whole number ≥ 1, got ${spec.users}`);
      if (spec.rampUpMs !== undefined) time('rampUpMs', spec.rampUpMs);
      problems.push(...checkThinkTime(spec.thinkTime));
      break;
    default:
      problems.push(`pattern: unknown pattern ${JSON.stringify((spec as { pattern: unknown }).pattern)}`);
  }
  if (spec.pattern !== 'constant' && spec.pattern !== 'poisson' && spec.pattern !== 'closed-loop') {
    const arrivals = spec.arrivals;
    if (arrivals !== undefined && arrivals !== 'poisson' && arrivals !== 'regular') problems.push(`arrivals: want poisson or regular, got ${String(arrivals)}`);
  }
  return problems;
}

function checkThinkTime(thinkTime: Distribution | undefined): string[] {
  if (thinkTime === undefined) return ['thinkTime: required for closed-loop users (use {distribution: constant, valueMs: 0} for none)'];
  return validateDistribution(thinkTime, 'thinkTime');
}

/**
 * The expected number of arrivals of an open workload over its window, or null for closed-loop
 * users (their rate depends on response times). Useful for limits and for sizing reports.
 * Example: ramp 0 → 100/s over 60 s → (0 + 100)/2 · 60 = 3000.
 */
export function expectedArrivalCount(spec: WorkloadSpec<unknown>): number | null {
  if (spec.pattern === 'closed-loop') return null;
  return expectedOpenArrivals(spec);
}

/** A one-line description for logs and the CLI, e.g. `api: poisson 20/s, 0s–5m0s`. */
export function describeWorkload(spec: WorkloadSpec<unknown>): string {
  const window = `${formatDuration(spec.fromMs)}–${formatDuration(spec.toMs)}`;
  const how = (arrivals: string | undefined): string => (arrivals === 'regular' ? ' (regular)' : '');
  let what: string;
  switch (spec.pattern) {
    case 'constant':
    case 'poisson':
      what = `${spec.pattern} ${spec.ratePerSecond}/s`;
      break;
    case 'ramp':
      what = `ramp ${spec.startRatePerSecond}/s → ${spec.endRatePerSecond}/s${how(spec.arrivals)}`;
      break;
    case 'step':
      what = `step ${spec.steps.map((s) => `${s.ratePerSecond}/s@${formatDuration(s.atMs)}`).join(', ')}${how(spec.arrivals)}`;
      break;
    case 'burst':
      what = `burst base ${spec.baseRatePerSecond}/s, ${spec.spikes
        .map((s) =>
          'count' in s ? `${s.count} at ${formatDuration(s.atMs)}` : `+${s.ratePerSecond}/s for ${formatDuration(s.durationMs)} at ${formatDuration(s.atMs)}`,
        )
        .join(', ')}${how(spec.arrivals)}`;
      break;
    case 'diurnal':
      what = `diurnal ${spec.meanRatePerSecond}±${spec.amplitudePerSecond}/s, period ${formatDuration(spec.periodMs)}${how(spec.arrivals)}`;
      break;
    case 'closed-loop':
      what = `${spec.users} closed-loop users, think ${describeDistribution(spec.thinkTime)}`;
      break;
  }
  return `${spec.name}: ${what}, ${window}`;
}
