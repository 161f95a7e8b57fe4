import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { must } from '../../../src/engine/assert.js';
import { firstAvailable, randomChoice2, roundRobin, type PodTracker } from '../../../src/dataplane/activator/lb-policy.js';

const pods = (...inFlight: number[]): PodTracker[] => inFlight.map((activatorInFlight) => ({ activatorInFlight }));

/** A stream that returns the given draws in order and counts them; more draws than given fail the test. */
function scripted(...draws: number[]): (() => number) & { used: number } {
  const rng = Object.assign(
    () => {
      const draw = draws[rng.used];
      if (draw === undefined) throw new Error(`draw ${rng.used + 1} was not expected`);
      rng.used++;
      return draw;
    },
    { used: 0 },
  );
  return rng;
}

describe('randomChoice2', () => {
  it('draws nothing for one pod', () => {
    const list = pods(3);
    expect(randomChoice2(list, scripted())).toBe(list[0]);
  });

  it('compares both of two pods without an index draw, tossing a coin only on a tie', () => {
    const busy = pods(2, 1);
    const rng = scripted();
    expect(randomChoice2(busy, rng)).toBe(busy[1]);
    expect(rng.used).toBe(0);
    const tie = pods(1, 1);
    expect(randomChoice2(tie, scripted(0.4))).toBe(tie[1]);
    expect(randomChoice2(tie, scripted(0.6))).toBe(tie[0]);
  });

  it('draws two distinct indices from more than two pods, the second shifted past the first', () => {
    // 5 pods: 0.5 → r1 = 2; 0.5 → r2 = floor(2.0) = 2 ≥ r1 → 3. Pod 3 is less loaded.
    const list = pods(0, 0, 4, 1, 0);
    const rng = scripted(0.5, 0.5);
    expect(randomChoice2(list, rng)).toBe(list[3]);
    expect(rng.used).toBe(2);
  });

  it('picks the less loaded of two distinct pods, with two index draws and a coin only on a tie', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(5), { minLength: 3, maxLength: 12 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.boolean(),
        (loads, u1, u2, coin) => {
          const list = pods(...loads);
          const n = list.length;
          const r1 = Math.floor(u1 * n);
          let r2 = Math.floor(u2 * (n - 1));
          if (r2 >= r1) r2++;
          const load1 = must(loads[r1], 'r1 is below n');
          const load2 = must(loads[r2], 'r2 is below n');
          const tie = load1 === load2;
          const rng = scripted(u1, u2, coin ? 0.25 : 0.75);
          const pick = randomChoice2(list, rng);
          expect(rng.used).toBe(tie ? 3 : 2);
          expect(r1).not.toBe(r2);
          const expected = tie ? (coin ? list[r2] : list[r1]) : load1 > load2 ? list[r2] : list[r1];
          expect(pick).toBe(expected);
        },
      ),
    );
  });
});

describe('firstAvailable', () => {
  it('returns the first pod in order with a free slot, or -1 when all are full', () => {
    expect(firstAvailable(pods(2, 1, 0), 2)).toBe(1);
    expect(firstAvailable(pods(0, 0), 1)).toBe(0);
    expect(firstAvailable(pods(1, 1), 1)).toBe(-1);
    expect(firstAvailable([], 1)).toBe(-1);
  });
});

describe('roundRobin', () => {
  it('starts at the given index, skips full pods and wraps around', () => {
    expect(roundRobin(pods(0, 0, 0), 4, 1)).toBe(1);
    expect(roundRobin(pods(0, 0, 4), 4, 2)).toBe(0);
    expect(roundRobin(pods(0, 0, 0), 4, 3)).toBe(0);
    expect(roundRobin(pods(4, 4, 4), 4, 0)).toBe(-1);
  });

  it('returns the first pod with a free slot at or after the start, cyclically', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(6), { minLength: 1, maxLength: 10 }), fc.nat(12), fc.integer({ min: 4, max: 6 }), (loads, fromIndex, cc) => {
        const list = pods(...loads);
        const n = list.length;
        const start = fromIndex >= n ? 0 : fromIndex;
        const order = Array.from({ length: n }, (_, i) => (start + i) % n);
        const expected = order.find((p) => must(loads[p], 'p is below n') < cc) ?? -1;
        expect(roundRobin(list, cc, fromIndex)).toBe(expected);
      }),
    );
  });
});
