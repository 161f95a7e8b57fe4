/**
 * The values of a `vary:` entry (types.ts, VaryValues) as `--set` text: a range is walked
 * in steps from its minimum (index 0) to its maximum, choices in the order written. Index 0
 * is where `knsim fuzz` shrinks to.
 * Fidelity: knsim's own; durations are written back as Go durations (`1m30s`).
 */
import { formatDuration } from '../engine/units.js';
import type { VaryValues } from './types.js';

/** How many values an entry takes: for a range min, min + step, … up to max. */
export function varyCount(values: VaryValues): number {
  if (values.kind === 'choices') return values.choices.length;
  return Math.floor((values.max - values.min) / values.step + 1e-9) + 1;
}

/**
 * The index-th value as the text of `--set path=<text>` (read back as YAML: numbers stay
 * numbers, durations are strings). Example: `{min: 6s, max: 2m, step: 1s}` at 54 → `1m0s`.
 */
export function varyValueText(values: VaryValues, index: number): string {
  if (values.kind === 'choices') {
    const choice = values.choices[Math.min(Math.max(0, index), values.choices.length - 1)];
    return typeof choice === 'string' ? JSON.stringify(choice) : String(choice);
  }
  // toPrecision(12) keeps 0.1 steps readable: 0.3, not 0.30000000000000004.
  const v = Math.min(values.max, Number((values.min + index * values.step).toPrecision(12)));
  return values.unit === 'duration' ? formatDuration(v) : String(v);
}
