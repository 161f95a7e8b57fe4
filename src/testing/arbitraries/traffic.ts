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

function rateArb(maxRate: number): fc.Arbitrary<number> {
  return fc.integer({ min: 1, max: Math.max(1, Math.round(maxRate * 10)) }).map((n) => n / 10);
}

/** A think time or other short duration: 0 to 2 s, constant or exponential. */
const thinkTimeArb: fc.Arbitrary<DistributionDocument> = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map((n) => `${n * 100}ms`),
  fc.integer({ min: 1, max: 20 }).map((n): DistributionDocument => ({ distribution: 'exponential', mean: `${n * 100}ms` })),
);

/**
 * A pattern whose times are offsets (whole seconds) into its workload's window, placed once the
 * window is known: drawn apart from the window, so both shrink on their own (no `chain`).
 */
function patternArb(maxRate: number, maxUsers: number): fc.Arbitrary<(fromS: number, toS: number) => PatternDocument> {
  const rate = rateArb(maxRate);
  const offset = fc.nat({ max: 3600 });
  const at = (fromS: number, toS: number, o: number): string => `${fromS + (o % Math.max(1, toS - fromS))}s`;
  return fc.oneof(
    fc.record({ pattern: fc.constantFrom('constant' as const, 'poisson' as const), rate }).map((p) => () => p),
    fc.record({ pattern: fc.constant('ramp' as const), startRate: rate, endRate: rate }).map((p) => () => p),
    fc
      .record({ rate, steps: fc.array(fc.record({ offset, rate }), { minLength: 1, maxLength: 4 }) })
      .map((p) => (fromS: number, toS: number): PatternDocument => ({
        pattern: 'step',
        rate: p.rate,
        steps: p.steps.map((st) => ({ at: at(fromS, toS, st.offset), rate: st.rate })),
      })),
    fc
      .record({
        base: rateArb(maxRate / 10),
        spike: fc.oneof(
          fc.record({ offset, durationS: fc.integer({ min: 1, max: 30 }), rate }),
          fc.record({ offset, count: fc.integer({ min: 1, max: 200 }) }),
        ),
      })
      .map(({ base, spike }) => (fromS: number, toS: number): PatternDocument => ({
        pattern: 'burst',
        base,
        spike:
          'count' in spike
            ? { at: at(fromS, toS, spike.offset), count: spike.count }
            : { at: at(fromS, toS, spike.offset), duration: `${spike.durationS}s`, rate: spike.rate },
      })),
    // The workload layer needs amplitude ≤ mean (src/workload/workload.ts), though the loader does not check it.
    fc
      .record({
        mean: rate,
        share: fc.integer({ min: 0, max: 10 }),
        periodS: fc.integer({ min: 10, max: 600 }),
        phaseS: fc.integer({ min: 0, max: 60 }),
      })
      .map((d) => (): PatternDocument => ({
        pattern: 'diurnal',
        mean: d.mean,
        amplitude: Math.round(d.mean * d.share) / 10,
        period: `${d.periodS}s`,
        phase: `${d.phaseS}s`,
      })),
    fc.record({ pattern: fc.constant('users' as const), users: fc.integer({ min: 1, max: maxUsers }), thinkTime: thinkTimeArb }).map((p) => () => p),
  );
}

/** One workload inside the window: a sub-window of whole seconds and a pattern. */
export function trafficPatternArb(options: TrafficArbOptions): fc.Arbitrary<WorkloadDocument> {
  const fromS = Math.ceil((options.fromMs ?? 0) / 1000);
  const toS = Math.max(fromS + 1, Math.floor((options.toMs ?? 60_000) / 1000));
  return fc
    .record({
      start: fc.integer({ min: 0, max: toS - fromS - 1 }),
      length: fc.integer({ min: 1, max: toS - fromS }),
      place: patternArb(options.maxRate ?? 50, options.maxUsers ?? 10),
    })
    .map(({ start, length, place }): WorkloadDocument => {
      const from = fromS + start;
      const to = Math.min(toS, from + length);
      return { ...(options.name !== undefined ? { name: options.name } : {}), target: options.target, from: `${from}s`, to: `${to}s`, ...place(from, to) };
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
