/**
 * Named random streams. Every random number in knsim comes from a stream seeded by
 * `<scenario seed>/<stream name>`, so one component's draws never shift another's:
 * adding a workload leaves the kubelet's jitter exactly as it was.
 * Fidelity: seedrandom's Alea generator (fast, 2^116 period); the stream is what matters, not the algorithm.
 */
import seedrandom from 'seedrandom';

/** A uniform [0, 1) generator. */
export type Rng = () => number;

/** Creates the stream for `name` under the root `seed`. */
export function createRng(seed: string | number, name: string): Rng {
  const prng = seedrandom.alea(`${seed}/${name}`);
  return () => prng();
}

/** Exp(mean) draw by inversion; `1 - u` keeps the argument of log above 0. */
export function drawExponential(rng: Rng, mean: number): number {
  return -Math.log(1 - rng()) * mean;
}

/** Standard normal draw (Box–Muller, one value per call for a simple, deterministic stream). */
export function drawNormal(rng: Rng): number {
  const u1 = 1 - rng();
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
