/**
 * The activator's concurrency reporter: per revision, the time-weighted number of
 * requests inside the activator (waiting in the throttler or proxied and not yet
 * answered) and the requests that arrived, reported to the autoscaler every second. The
 * first request for a revision without a stat entry creates one and sends the "poke"
 * `{concurrency 1, requestCount 1}` at once, so that a revision at zero scales up without
 * waiting for the next report; the next report takes that 1 back.
 *
 * Fidelity: reports go straight to the autoscaler's collector (no websocket); the
 * concurrency is measured around the whole activator, including the throttler's wait.
 *
 * Upstream: knative/serving pkg/activator/handler/concurrency_reporter.go.
 */
import type { Engine } from '../../engine/index.js';
import type { ActivatorStatSink } from '../../autoscaler/stats.js';
import type { RevisionState } from '../records.js';

/** The activator reports every second (pkg/activator/handler/concurrency_reporter.go). */
const REPORT_INTERVAL_MS = 1000;

export class ConcurrencyReporter {
  /** Revisions with a stat entry, in creation order. */
  private revisions: RevisionState[] = [];
  private readonly reportFn = (nowMs: number): void => this.report(nowMs);

  constructor(
    private readonly engine: Engine,
    private readonly sink: ActivatorStatSink,
  ) {}

  /** Starts the one-second reports. */
  start(): void {
    this.engine.every(REPORT_INTERVAL_MS, this.reportFn);
  }

  /**
   * ReqIn at the activator. The first request for a revision without a stat entry
   * creates one and sends the poke `{concurrency 1, requestCount 1}` at once.
   */
  requestIn(rev: RevisionState, nowMs: number): void {
    if (!rev.statActive) {
      rev.statActive = true;
      rev.statStartMs = nowMs;
      rev.statLastChangeMs = nowMs;
      rev.statAreaMs = 0;
      rev.statCount = 0;
      rev.statFirst = 1;
      this.revisions.push(rev);
      this.sink.reportActivatorStat({ namespace: rev.namespace, revision: rev.name, averageConcurrency: 1, requestCount: 1 });
    } else {
      rev.statAreaMs += rev.activatorConcurrency * (nowMs - rev.statLastChangeMs);
      rev.statLastChangeMs = nowMs;
    }
    rev.activatorConcurrency++;
    rev.statCount++;
  }

  /** ReqOut at the activator: the request was answered (whatever the status). */
  requestOut(rev: RevisionState, nowMs: number): void {
    rev.statAreaMs += rev.activatorConcurrency * (nowMs - rev.statLastChangeMs);
    rev.statLastChangeMs = nowMs;
    rev.activatorConcurrency--;
  }

  /**
   * Every second: each entry reports its time-weighted concurrency over the time since
   * its last report, minus the poke's 1 on the first report (clamped at 0), and its
   * request count minus 1. An entry whose average was 0 is dropped after reporting.
   * Example: poke at 0.5 s, one request held until 1.0 s → report at 1.0 s:
   * avg = 1 × 0.5 s / 0.5 s = 1, minus 1 → 0; count 1 − 1 = 0.
   */
  private report(nowMs: number): void {
    const revisions = this.revisions;
    if (revisions.length === 0) return;
    let kept = 0;
    // Compacts in place: the kept entries move down to `kept`, never past the one being read.
    for (const rev of revisions) {
      rev.statAreaMs += rev.activatorConcurrency * (nowMs - rev.statLastChangeMs);
      rev.statLastChangeMs = nowMs;
      const elapsedMs = nowMs - rev.statStartMs;
      const average = elapsedMs > 0 ? rev.statAreaMs / elapsedMs : 0;
      const first = rev.statFirst;
      const count = rev.statCount;
      rev.statFirst = 0;
      rev.statAreaMs = 0;
      rev.statCount = 0;
      rev.statStartMs = nowMs;
      if (average === 0 && rev.activatorConcurrency === 0) rev.statActive = false;
      else revisions[kept++] = rev;
      this.sink.reportActivatorStat({
        namespace: rev.namespace,
        revision: rev.name,
        averageConcurrency: Math.max(average - first, 0),
        requestCount: count - first,
      });
    }
    revisions.length = kept;
  }
}
