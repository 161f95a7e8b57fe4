import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deepCopy, deepCopySharing, deepEqual, semanticallyEqualStatus, stableStringify } from '../../src/apis/meta.js';

describe('deepEqual', () => {
  it('agrees with comparing stable JSON text for any JSON values, so reconcilers see the same drift either way', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(deepEqual(a, b)).toBe(stableStringify(a) === stableStringify(b));
        expect(deepEqual(a, structuredClone(a))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('ignores key order and undefined-valued keys', () => {
    expect(deepEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(deepEqual({ a: 1, x: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
  });
});

describe('semanticallyEqualStatus', () => {
  const TIMES = new Set(['lastTransitionTime', 'lastUpdateTime']);
  // JSON values where the timestamp keys turn up often, at any depth.
  const key = fc.constantFrom('lastTransitionTime', 'lastUpdateTime', 'status', 'type', 'reason');
  const status = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('True', 'False'), fc.constant(undefined)),
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    ),
  })).node;

  it('agrees with comparing stable JSON text without the condition timestamps, at any depth', () => {
    fc.assert(
      fc.property(status, status, (a, b) => {
        expect(semanticallyEqualStatus(a, b)).toBe(stableStringify(a, TIMES) === stableStringify(b, TIMES));
      }),
      { numRuns: 500 },
    );
  });

  it('treats a condition that only moved in time as unchanged, and any other change as a change', () => {
    const before = { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 1000 }], actualScale: 1 };
    expect(semanticallyEqualStatus(before, { ...before, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 5000 }] })).toBe(true);
    expect(semanticallyEqualStatus(before, { ...before, conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: 1000 }] })).toBe(false);
    expect(semanticallyEqualStatus(before, { ...before, actualScale: 2 })).toBe(false);
    expect(deepEqual(before, { ...before, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 5000 }] })).toBe(false);
  });
});

describe('deepCopySharing', () => {
  it('gives what deepCopy gives, for any value and any stored object', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(value, value, (v, stored) => {
        expect(deepCopySharing(v, stored)).toStrictEqual(deepCopy(v));
        expect(deepCopySharing(v, v)).toStrictEqual(deepCopy(v));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the subtrees the writer took from the stored object and copies the rest', () => {
    const stored = { metadata: { name: 'd', labels: { app: 'a' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'c' }] } } } };
    const input = { ...stored, metadata: { ...stored.metadata }, spec: { ...stored.spec, replicas: 3, selector: { app: 'a' } } };
    const out = deepCopySharing(input, stored);
    expect(out).toStrictEqual(deepCopy(input));
    expect(out.spec.template).toBe(stored.spec.template);
    expect(out.metadata.labels).toBe(stored.metadata.labels);
    // New or changed parts are the writer's no longer: a later edit of its input changes nothing stored.
    expect(out.spec).not.toBe(input.spec);
    expect(out.spec.selector).not.toBe(input.spec.selector);
    expect(out.metadata).not.toBe(input.metadata);
    // An equal subtree that is not the stored one is copied (the writer may still hold it).
    const equalNotSame = deepCopySharing({ ...input, spec: { ...input.spec, template: deepCopy(stored.spec.template) } }, stored);
    expect(equalNotSame.spec.template).not.toBe(stored.spec.template);
  });
});
