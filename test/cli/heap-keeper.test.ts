// The CLI's heap keeper (src/cli/heap-keeper.ts): between slices of a run it asks for a full
// collection once the heap outgrew its limit, so garbage does not pile up with the run's length.
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectGarbage, HeapKeeper } from '../../src/cli/heap-keeper.js';

const MB = 1024 * 1024;

/** About `mb` MB of small objects, held long enough to be promoted to the old space. */
function holdObjects(mb: number): { j: number }[][] {
  const blocks: { j: number }[][] = [];
  for (let i = 0; i < mb * 8; i++) blocks.push(Array.from({ length: 4096 }, (_, j) => ({ j })));
  return blocks;
}

describe('HeapKeeper', () => {
  it('leaves a heap that has not outgrown its limit alone', () => {
    const keeper = new HeapKeeper(512 * MB);
    keeper.check();
    expect(keeper.collections).toBe(0);
  });

  it('collects once the heap grew by more than its slack, bringing it back to what is live', () => {
    // Tests share a worker (isolate: false): start from the live heap, not from the garbage of
    // earlier files, which V8 may collect on its own while this test allocates.
    collectGarbage();
    const keeper = new HeapKeeper(16 * MB);
    let held: { j: number }[][] | undefined = holdObjects(48);
    expect(held.length).toBeGreaterThan(0);
    held = undefined;
    // What a run leaves behind: old-space garbage that V8 collects only when it chooses to.
    const before = getHeapStatistics().used_heap_size;
    keeper.check();
    expect(keeper.collections).toBe(1);
    expect(getHeapStatistics().used_heap_size).toBeLessThan(before - 24 * MB);
    // The next limit counts from what is live now: no second collection right away.
    keeper.check();
    expect(keeper.collections).toBe(1);
  });
});
