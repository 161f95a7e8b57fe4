import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, formatDiagnostic } from '../../src/scenario/index.js';

describe('editDistance', () => {
  it.each([
    ['duraton', 'duration', 1],
    ['raet', 'rate', 1],
    ['stable-windw', 'stable-window', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('is symmetric, zero only for equal strings, and bounded by the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
      { numRuns: 200 },
    );
  });
});

describe('didYouMean', () => {
  it('suggests close keys and nothing for unrelated words', () => {
    expect(didYouMean('duraton', ['name', 'duration', 'seed'])).toBe('duration');
    expect(didYouMean('Timeline', ['timeline', 'traffic'])).toBe('timeline');
    expect(didYouMean('xyz', ['duration', 'seed'])).toBeUndefined();
  });
});

describe('formatDiagnostic', () => {
  it('prints file:line:col, severity, message, code and a hint line', () => {
    expect(formatDiagnostic({ file: 'a.yaml', line: 3, column: 5, code: 'SCENARIO_WRONG_TYPE', severity: 'warning', message: 'm' })).toBe(
      'a.yaml:3:5: warning: m [SCENARIO_WRONG_TYPE]',
    );
    expect(formatDiagnostic({ file: 'a.yaml', line: 1, column: 1, code: 'SCENARIO_UNKNOWN_KEY', severity: 'error', message: 'm', hint: 'h' })).toBe(
      'a.yaml:1:1: error: m [SCENARIO_UNKNOWN_KEY]\n  hint: h',
    );
  });
});
