/**
 * Run-length encoded columns: one value per step, kept as `[value, count, …]` so a
 * column's memory follows how often its value changes, not how many steps it has. A
 * revision idle for a day costs one run per column.
 */
import { must } from '../engine/assert.js';
import type { Runs } from './result.js';

/** A growing run-length encoded column. */
export class RunsBuilder {
  private readonly runs: number[] = [];
  private last = NaN;
  private count = 0;
  /** Steps appended so far. */
  length = 0;

  /** Appends `times` copies of `value`. */
  push(value: number, times = 1): void {
    if (times <= 0) return;
    this.length += times;
    if (value === this.last) {
      this.count += times;
      return;
    }
    if (this.count > 0) this.runs.push(this.last, this.count);
    this.last = value;
    this.count = times;
  }

  /** The runs so far, the open one closed (the builder can keep growing). */
  runsSoFar(): Runs {
    return this.count > 0 ? [...this.runs, this.last, this.count] : this.runs.slice();
  }
}

/** Expands runs into one value per step (for tests and small columns). */
export function expandRuns(runs: Runs): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const value = must(runs[i], 'expandRuns: a run has a value');
    const count = must(runs[i + 1], 'expandRuns: a run has a count');
    for (let k = 0; k < count; k++) out.push(value);
  }
  return out;
}
