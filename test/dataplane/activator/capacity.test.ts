// Knative's throttler tables (knative/serving pkg/activator/net/throttler_test.go) transcribed:
// how an activator slices a revision's pods with the other activators and what its revision
// breaker's capacity is.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  assignSlice,
  calculateCapacity,
  inferIndex,
  pickIndices,
  REVISION_BREAKER_SLOTS,
  REVISION_MAX_CONCURRENCY,
} from '../../../src/dataplane/activator/capacity.js';

/** Trackers named "0", "1", … (throttler_test.go makeTrackers), in address order. */
const trackers = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i));

/**
 * revisionThrottler.updateCapacity as the table drives it: assign (CC > 0 only), compute the
 * capacity, and read it back from the breaker — the infinite breaker of CC = 0 reads 0 or 1.
 */
function updateCapacity(row: { backends: number; numActivators: number; activatorIndex: number; cc: number; podTrackers: number }): {
  capacity: number;
  assigned: readonly string[];
} {
  const all = trackers(row.podTrackers);
  const assigned = row.cc > 0 ? assignSlice(all, row.activatorIndex, row.numActivators) : all;
  const capacity = calculateCapacity(row.cc, row.backends, assigned.length, row.numActivators);
  return { capacity: row.cc === 0 ? (capacity === 0 ? 0 : 1) : capacity, assigned };
}

describe('TestThrottlerUpdateCapacity', () => {
  // name, backends ("capacity" upstream), numActivators, activatorIndex, cc, pod trackers, want.
  const rows: [string, number, number, number, number, number, number][] = [
    ['capacity: 1, cc: 10', 1, 0, 0, 10, 0, 1 * 10],
    ['capacity: 10, cc: 10', 10, 0, 0, 10, 0, 10 * 10],
    ['capacity: 100, cc: 10', 100, 0, 0, 10, 0, 100 * 10],
    ['numActivators: 5, capacity: 10, cc: 10', 10, 5, 0, 10, 0, (10 * 10) / 5],
    ['numActivators: 200, capacity: 10, cc: 10', 10, 200, 0, 10, 0, 1],
    ['numActivators: 200, capacity: 0, cc: 10', 0, 200, 0, 10, 0, 0],
    ['newInfiniteBreaker, numActivators: 0, capacity: 0, cc: 0', 0, 0, 0, 0, 0, 0],
    ['newInfiniteBreaker, numActivators: 0, capacity: 1, cc: 0', 1, 0, 0, 0, 0, 1],
    ['newInfiniteBreaker, numActivators: 0, capacity: 10, cc: 0', 10, 0, 0, 0, 0, 1],
    ['newInfiniteBreaker, numActivators: 200, capacity: 0, cc: 0', 0, 200, 0, 0, 0, 0],
    ['newInfiniteBreaker, numActivators: 200, capacity: 1, cc: 0', 1, 200, 0, 0, 0, 1],
    ['numActivators: 1, capacity: 0, cc: 10, pods: 1', 0, 1, 0, 10, 1, 10],
    ['2 backends. numActivators: 1, capacity: -1, cc: 10, pods: 2', -1, 1, 0, 10, 2, 20],
    ['2 activators. numActivators: 2, capacity: -1, cc: 10, pods: 2', -1, 2, 0, 10, 2, 10],
    ['numActivators: 2, index: 0, pods: 3, cc: 1. Capacity is expected to 20 (2 * 10)', -1, 2, 0, 10, 3, 20],
    ['numActivators: 2, index: 1, pods: 3, cc: 1. Capacity is expected to 10 (1 * 10)', -1, 2, 1, 10, 3, 10],
    ['numActivators: 2, index: 0, pods: 5, cc: 1. Capacity is expected to 3 (2 + 1)', 5, 2, 0, 1, 5, 3],
    ['numActivators: 2, index: 1, pods: 5, cc: 1. Capacity is expected to 2', 5, 2, 1, 1, 5, 2],
    ['Infinite capacity with podIP trackers.', 1, 2, 1, 0, 3, 1],
  ];
  it.each(rows)('%s', (_name, backends, numActivators, activatorIndex, cc, podTrackers, want) => {
    const got = updateCapacity({ backends, numActivators, activatorIndex, cc, podTrackers });
    expect(got.capacity).toBe(want);
  });

  it('assigns every pod tracker with containerConcurrency 0 (checkAssignedPod)', () => {
    expect(updateCapacity({ backends: 1, numActivators: 2, activatorIndex: 1, cc: 0, podTrackers: 3 }).assigned).toEqual(['0', '1', '2']);
  });
});

describe('TestThrottlerCalculateCapacity', () => {
  it('clamps a capacity over revisionMaxConcurrency to it', () => {
    expect(calculateCapacity(0, 1, REVISION_MAX_CONCURRENCY + 5, 1)).toBe(REVISION_MAX_CONCURRENCY);
    expect(calculateCapacity(10, 1, REVISION_MAX_CONCURRENCY, 1)).toBe(REVISION_MAX_CONCURRENCY);
  });

  it('admits 10,000 + MaxInt32 requests per revision breaker (breaker.go totalSlots)', () => {
    expect(REVISION_BREAKER_SLOTS).toBe(10_000 + 2 ** 31 - 1);
  });
});

describe('TestPodAssignmentFinite and TestPodAssignmentInfinite', () => {
  it('gives activator 0 of 4 the pods ip0 and ip4 of six, capacity 2 × 42', () => {
    // 6 = 4 × 1 + 2: indexes 0 and 1 take two pods, the others one.
    const dests = ['ip4', 'ip3', 'ip5', 'ip2', 'ip1', 'ip0'].sort();
    const assigned = assignSlice(dests, 0, 4);
    expect([...assigned].sort()).toEqual(['ip0', 'ip4']);
    expect(calculateCapacity(42, dests.length, assigned.length, 4)).toBe(2 * 42);
    // Scaled to zero: nothing assigned, capacity 0.
    expect(assignSlice([], 0, 4)).toEqual([]);
    expect(calculateCapacity(42, 0, 0, 4)).toBe(0);
  });

  it('gives every pod to an activator with containerConcurrency 0, its breaker open while a pod exists', () => {
    expect(updateCapacity({ backends: 3, numActivators: 0, activatorIndex: -1, cc: 0, podTrackers: 3 })).toEqual({ capacity: 1, assigned: ['0', '1', '2'] });
    expect(updateCapacity({ backends: 0, numActivators: 0, activatorIndex: -1, cc: 0, podTrackers: 0 })).toEqual({ capacity: 0, assigned: [] });
  });
});

describe('TestPickIndices', () => {
  // label, pods, activators, index, begin, end, remnants.
  const rows: [string, number, number, number, number, number, number][] = [
    ['1 pod, 1 activator', 1, 1, 0, 0, 1, 0],
    ['1 pod, 2 activators, this is 0', 1, 2, 0, 0, 1, 0],
    ['1 pod, 2 activators, this is 1', 1, 2, 1, 0, 1, 0],
    ['2 pods, 3 activators, this is 1', 2, 3, 1, 1, 2, 0],
    ['2 pods, 3 activators, this is 2', 2, 3, 2, 0, 1, 0],
    ['3 pods, 3 activators, this is 2', 3, 3, 2, 2, 3, 0],
    ['10 pods, 3 activators this is 0', 10, 3, 0, 0, 3, 1],
    ['10 pods, 3 activators this is 1', 10, 3, 1, 3, 6, 1],
    ['10 pods, 3 activators this is 2', 10, 3, 2, 6, 9, 1],
    ['150 pods, 5 activators this is 0', 150, 5, 0, 0, 30, 0],
    ['150 pods, 5 activators this is 1', 150, 5, 1, 30, 60, 0],
    ['150 pods, 5 activators this is 4', 150, 5, 4, 120, 150, 0],
  ];
  it.each(rows)('%s', (_label, pods, acts, idx, begin, end, remnants) => {
    expect(pickIndices(pods, idx, acts)).toEqual({ begin, end, remnants });
  });
});

describe('TestAssignSlice', () => {
  const three = ['1', '2', '3'];
  it('assigns nothing from no trackers', () => expect(assignSlice([], 0, 1)).toEqual([]));
  it('gives one activator every tracker (idx=1, na=1)', () => expect(assignSlice(three, 1, 1)).toEqual(three));
  it('gives an activator whose index is unknown every tracker (idx=-1)', () => expect(assignSlice(three, -1, 1)).toEqual(three));
  it('gives index 1 of 3 the middle tracker (idx=1 na=3)', () => expect(assignSlice(three, 1, 3)).toEqual(['2']));
  it('gives the only tracker to any activator (len=1)', () => expect(assignSlice(['1'], 1, 3)).toEqual(['1']));
  it('gives index 1 of 2 its slice without the remainder (idx=1, breaker)', () => expect(assignSlice(three, 1, 2)).toEqual(['2']));
  it('gives index 0 of 2 its slice and the remainder', () => expect(assignSlice(three, 0, 2)).toEqual(['1', '3']));

  it('covers every tracker exactly once when activators do not outnumber pods, and each activator at least one pod otherwise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 12 }), (pods, acts) => {
        const all = trackers(pods);
        const slices = Array.from({ length: acts }, (_, i) => assignSlice(all, i, acts));
        if (acts <= pods) {
          expect(slices.flat().sort()).toEqual([...all].sort());
          // Slices differ by at most one pod.
          const sizes = slices.map((s) => s.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        } else {
          for (const s of slices) expect(s).toHaveLength(1);
          expect(new Set(slices.flat()).size).toBe(pods);
        }
      }),
    );
  });
});

describe('TestInferIndex', () => {
  const myIP = '10.10.10.3';
  it.each([
    ['empty', [], -1],
    ['missing', ['11.11.11.11', '11.11.11.12'], -1],
    ['first', ['10.10.10.3', '11.11.11.11'], 0],
    ['middle', ['10.10.10.1', '10.10.10.2', '10.10.10.3', '11.11.11.11'], 2],
    ['last', ['10.10.10.1', '10.10.10.2', '10.10.10.3'], 2],
  ] as [string, string[], number][])('%s', (_label, ips, want) => {
    expect(inferIndex(ips, myIP)).toBe(want);
  });
});
