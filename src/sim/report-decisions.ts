/**
 * The report's autoscaler decisions: each narrated decision of the autoscaler with its
 * numbers (the trace entry's `data`: observed concurrency, desired pods, panic, the scale-down
 * delay, excess burst capacity) and the arrival of the revision's last request by then, for the
 * time cursor's arithmetic and `explain`. The target per pod and the
 * panic threshold a decision names also go beside its revision's columns, for the charts.
 *
 * Fidelity: only finite numbers, booleans and strings up to 64 characters of `data` are kept.
 */
import type { TraceEntry } from '../engine/index.js';
import type { RecordLog } from './record-log.js';
import type { TimelineColumns } from './report-columns.js';
import type { AutoscalerDecision } from './result.js';
import type { World } from './world.js';

/** The autoscaler decisions of a run, from the trace. */
export class DecisionLog {
  droppedDecisions = 0;

  constructor(
    world: World,
    private readonly columns: TimelineColumns,
    private readonly maxDecisions: number,
    /** The arrival of a revision's last request seen ending, by revision name. */
    private readonly lastRequestMs: (revision: string) => number | undefined,
    readonly decisions: RecordLog<AutoscalerDecision>,
  ) {
    world.engine.onTrace((entry) => this.onTrace(entry));
  }

  private onTrace(entry: TraceEntry): void {
    if (entry.component !== 'autoscaler' || entry.data === undefined) return;
    const data: Record<string, number | boolean | string> = {};
    for (const [k, v] of Object.entries(entry.data)) {
      if (typeof v === 'number' ? Number.isFinite(v) : typeof v === 'boolean' || (typeof v === 'string' && v.length <= 64))
        data[k] = v as number | boolean | string;
    }
    const c = this.columns.findColumns(entry.object);
    if (c !== undefined && typeof data.targetValue === 'number') {
      c.targetPerPod = data.targetValue;
      if (typeof data.panicThreshold === 'number') c.panicThreshold = data.panicThreshold;
    }
    const last = this.lastRequestMs(entry.object);
    if (last !== undefined) data.lastRequestMs = last;
    if (this.decisions.length >= this.maxDecisions) {
      this.droppedDecisions++;
      return;
    }
    this.decisions.push({ t: entry.t, revision: entry.object, message: entry.message, data });
  }
}
