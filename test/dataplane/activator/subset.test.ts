// Knative's consistent subsetting (knative.dev/pkg hash/hash.go), with hash_test.go's examples
// and tables transcribed: the same activators must front the same revision as in a cluster.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../../src/engine/rng.js';
import { chooseSubset, fnv1a64, subsetAngles } from '../../../src/dataplane/activator/subset.js';

describe('fnv1a64', () => {
  it.each([
    ['', 0xcbf29ce484222325n],
    ['a', 0xaf63dc4c8601ec8cn],
    ['foobar', 0x85944171f73967e8n],
  ])('hashes %j as Go’s hash/fnv New64a does', (text, want) => {
    expect(fnv1a64(text)).toBe(want);
  });
});

describe('chooseSubset (hash_test.go)', () => {
  it('selects one task as ExampleChooseSubset_selectOne prints', () => {
    const tasks = ['task1', 'task2', 'task3'];
    expect(chooseSubset(tasks, 1, 'my-key1')).toEqual(['task3']);
    expect(chooseSubset(tasks, 1, 'something/another-key')).toEqual(['task2']);
  });

  it('selects two tasks as ExampleChooseSubset_selectMany prints', () => {
    expect(chooseSubset(['task1', 'task2', 'task3', 'task4', 'task5'], 2, 'my-key1')).toEqual(['task3', 'task4']);
  });

  it.each([
    { name: 'return all', target: 'a target!', n: 4, want: ['mars', 'mercury', 'moon', 'sun'] },
    { name: 'subset 1', target: 'a target!', n: 2, want: ['mercury', 'moon'] },
    { name: 'subset 2', target: 'something else entirely', n: 2, want: ['mars', 'mercury'] },
    { name: 'select 3', target: 'something else entirely', n: 3, want: ['mars', 'mercury', 'sun'] },
  ])('TestChooseSubset: $name', ({ target, n, want }) => {
    expect(chooseSubset(['sun', 'moon', 'mars', 'mercury'], n, target)).toEqual(want);
  });

  it('takes all candidates for n = 0 (the SKS reconciler: "0 means all") and for n at or above their number', () => {
    const from = ['10.0.0.2', '10.0.0.1', '10.0.0.3'];
    expect(chooseSubset(from, 0, 'rev')).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(chooseSubset(from, 7, 'rev')).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });

  it('resolves a hash collision (TestCollisionHandling): both colliding keys keep an angle of their own', () => {
    const key1 = 'b08006d4-81f9-42ee-808b-ea18a39cbd83';
    const key2 = 'c9dc8df4-8c8d-4077-8750-6d2c2113a23b';
    const target = 'e68a64e1-19d8-4855-9ffa-04f49223a059';
    // The baseline: these two keys land on the same angle for this target.
    expect(fnv1a64(key1 + target) % 2048n).toBe(fnv1a64(key2 + target) % 2048n);
    const angles = subsetAngles([key1, key2], target);
    expect(angles.size).toBe(2);
    // The first in sorted order keeps its angle; the second is re-hashed with the hash's hex digits.
    expect(angles.get(key1)).toBe(fnv1a64(key1 + target) % 2048n);
    const h = fnv1a64(key2 + target);
    expect(angles.get(key2)).toBe(fnv1a64(key2 + target + h.toString(16)) % 2048n);
  });

  it('is consistent, returns min(n, candidates) distinct candidates, and keeps a stable set when one more is asked', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 35 }),
        fc.string(),
        (from, n, target) => {
          const got = chooseSubset(from, n, target);
          expect(chooseSubset([...from].reverse(), n, target)).toEqual(got);
          expect(got).toHaveLength(Math.min(n, from.length));
          expect(new Set(got).size).toBe(got.length);
          for (const name of got) expect(from).toContain(name);
          // The walk only appends: asking for one more keeps everything chosen before.
          const more = chooseSubset(from, n + 1, target);
          for (const name of got) expect(more).toContain(name);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('spreads targets evenly over the candidates (TestOverlay: every candidate within 20% of its share)', () => {
    const rng = createRng(1, 'test/overlay');
    const name = (): string => Array.from({ length: 4 }, () => Math.floor(rng() * 2 ** 32).toString(16)).join('-');
    const from = Array.from({ length: 50 }, name);
    const samples = 2000;
    const selection = 10;
    const freqs = new Map<string, number>();
    for (let i = 0; i < samples; i++) for (const k of chooseSubset(from, selection, name())) freqs.set(k, (freqs.get(k) ?? 0) + 1);
    const want = (samples * selection) / from.length;
    expect(freqs.size).toBe(from.length);
    for (const count of freqs.values()) expect(Math.abs(count - want)).toBeLessThanOrEqual(want / 5);
  });
});
