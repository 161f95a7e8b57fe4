/**
 * fast-check arbitraries of traffic: one workload of any arrival pattern of the scenario format
 * (constant, poisson, ramp, step, burst, diurnal, closed-loop users) inside a time window, and
 * mixes of a few named workloads over several targets. Times are whole seconds inside the
 * window, rates requests per second with one decimal up to a limit; everything shrinks toward
 * the smallest rate, the fewest users and the earliest, shortest window.
 *
 * Fidelity: the scenario format's patterns (README.md, Patterns), checked by its loader.
 */
import fc from 'fast-check';
import type { DistributionDocument, PatternDocument, TargetDocument, WorkloadDocument } from '../document.js';

export interface TrafficArbOptions {
  /** Where the requests go (a service name, `{service, tag}`, or `{host}`). */
  target: TargetDocument;
  /** The window workloads may use, in scenario time (ms; default 0 to 1m). */
  fromMs?: number;
  toMs?: number;
  /** Highest rate drawn in requests per second (default 50). */
  maxRate?: number;
  /** Most closed-loop users drawn (default 10). */
  maxUsers?: number;
  /** The workload's name (its random stream); none by default (`traffic-<index>`). */
  name?: string;
}

const secondsText = (ms: number): string => `${Math.round(ms / 1000)}s`;

function rateArb(maxRate: number): fc.Arbitrary<number> {
  return fc.integer({ min: 1, max: Math.max(1, Math.round(maxRate * 10)) }).map((n) => n / 10);
}

/** A think time or other short duration: 0 to 2 s, constant or exponential. */
const thinkTimeArb: fc.Arbitrary<DistributionDocument> = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map((n) => `${n * 100}ms`),
  fc.integer({ min: 1, max: 20 }).map((n): DistributionDocument => ({ distribution: 'exponential', mean: `${n * 100}ms` })),
);

/** The pattern of a workload running from `fromMs` to `toMs`. */
function patternArb(fromMs: number, toMs: number, maxRate: number, maxUsers: number): fc.Arbitrary<PatternDocument> {
  const rate = rateArb(maxRate);
  const inside = fc.integer({ min: Math.ceil(fromMs / 1000), max: Math.max(Math.ceil(fromMs / 1000), Math.floor(toMs / 1000) - 1) }).map((s) => `${s}s`);
  return fc.oneof(
    fc.record({ pattern: fc.constantFrom('constant' as const, 'poisson' as const), rate }),
    fc.record({ pattern: fc.constant('ramp' as const), startRate: rate, endRate: rate }),
    fc.record({
      pattern: fc.constant('step' as const),
      rate,
      steps: fc.array(fc.record({ at: inside, rate }), { minLength: 1, maxLength: 4 }),
    }),
    fc.record({
      pattern: fc.constant('burst' as const),
      base: rateArb(maxRate / 10),
      spike: fc.oneof(
        fc.record({ at: inside, duration: fc.integer({ min: 1, max: 30 }).map((s) => `${s}s`), rate }),
        fc.record({ at: inside, count: fc.integer({ min: 1, max: 200 }) }),
      ),
    }),
    // The workload layer needs amplitude ≤ mean (src/workload/workload.ts), though the loader does not check it.
    fc
      .record({
        pattern: fc.constant('diurnal' as const),
        mean: rate,
        share: fc.integer({ min: 0, max: 10 }),
        period: fc.integer({ min: 10, max: 600 }).map((s) => `${s}s`),
        phase: fc.integer({ min: 0, max: 60 }).map((s) => `${s}s`),
      })
      .map(({ share, ...d }) => ({ ...d, amplitude: Math.round(d.mean * share) / 10 })),
    fc.record({ pattern: fc.constant('users' as const), users: fc.integer({ min: 1, max: maxUsers }), thinkTime: thinkTimeArb }),
  );
}

/** One workload inside the window: a sub-window of whole seconds and a pattern. */
export function trafficPatternArb(options: TrafficArbOptions): fc.Arbitrary<WorkloadDocument> {
  const fromS = Math.ceil((options.fromMs ?? 0) / 1000);
  const toS = Math.max(fromS + 1, Math.floor((options.toMs ?? 60_000) / 1000));
  const maxRate = options.maxRate ?? 50;
  const maxUsers = options.maxUsers ?? 10;
  return fc.tuple(fc.integer({ min: fromS, max: toS - 1 }), fc.integer({ min: 1, max: toS - fromS })).chain(([from, length]) => {
    const to = Math.min(toS, from + length);
    return patternArb(from * 1000, to * 1000, maxRate, maxUsers).map((p): WorkloadDocument => ({
      ...(options.name !== undefined ? { name: options.name } : {}),
      target: options.target,
      from: secondsText(from * 1000),
      to: secondsText(to * 1000),
      ...p,
    }));
  });
}

/** One to `maxWorkloads` (default 3) workloads over the targets, named `w0`, `w1`, … (unique, as the format requires). */
export function trafficMixArb(
  options: Omit<TrafficArbOptions, 'target' | 'name'> & { targets: readonly TargetDocument[]; maxWorkloads?: number },
): fc.Arbitrary<WorkloadDocument[]> {
  const { targets, maxWorkloads, ...rest } = options;
  return fc
    .array(
      fc.constantFrom(...targets).chain((target) => trafficPatternArb({ ...rest, target })),
      { minLength: 1, maxLength: maxWorkloads ?? 3 },
    )
    .map((list) => list.map((w, i) => ({ ...w, name: `w${i}` })));
}
