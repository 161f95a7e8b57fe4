/**
 * A fast-check arbitrary that only shrinks: it always draws "remove nothing" (`[]`), and each
 * shrinking step proposes removing one more of `n` parts (indices, ascending). fast-check keeps
 * the first proposal that still fails and goes on from there, so a failing scenario loses, one
 * at a time, every workload and action the failure does not need. Replays with the seed and
 * path like any other arbitrary.
 * Fidelity: knsim's own; the greedy one-at-a-time removal of delta debugging.
 */
import fc from 'fast-check';

/** Indices of the parts removed. */
export type Drop = number;

class DropsArbitrary extends fc.Arbitrary<Drop[]> {
  constructor(private readonly n: number) {
    super();
  }

  generate(): fc.Value<Drop[]> {
    return new fc.Value([], undefined);
  }

  canShrinkWithoutContext(value: unknown): value is Drop[] {
    return Array.isArray(value) && value.every((v, i) => Number.isInteger(v) && v >= 0 && v < this.n && (i === 0 || v > (value[i - 1] as number)));
  }

  shrink(value: Drop[]): fc.Stream<fc.Value<Drop[]>> {
    const n = this.n;
    const removed = new Set(value);
    function* more(): Generator<fc.Value<Drop[]>> {
      for (let i = 0; i < n; i++)
        if (!removed.has(i))
          yield new fc.Value(
            [...value, i].sort((a, b) => a - b),
            undefined,
          );
    }
    return new fc.Stream(more());
  }
}

/** Removal of any of `n` parts, proposed only while shrinking. */
export function dropsArb(n: number): fc.Arbitrary<Drop[]> {
  return new DropsArbitrary(n);
}
