/**
 * The activators' concurrency reporters: per activator and revision, the time-weighted
 * number of requests inside that activator (waiting in its throttler or proxied and not yet
 * answered) and the requests that arrived, reported to the autoscaler every second (the
 * autoscaler adds up the activators' reports). The first request for a revision without a
 * stat entry at that activator creates one and sends the "poke" `{concurrency 1,
 * requestCount 1}` at once, so that a revision at zero scales up without waiting for the
 * next report; the next report takes that 1 back.
 *
 * Fidelity: reports go straight to the autoscaler's collector (no websocket); the
 * concurrency is measured around the whole activator, including the throttler's wait. All
 * activators report at the same instants (upstream each has its own ticker), entries in the
 * order they were created.
 *
 * Upstream: knative/serving pkg/activator/handler/concurrency_reporter.go.
 */
import type { Engine } from '../../engine/index.js';
import type { ActivatorStat, ActivatorStatSink } from '../../autoscaler/stats.js';
import type { RevisionThrottler } from '../records.js';

/** The activator reports every second (pkg/activator/handler/concurrency_reporter.go). */
const REPORT_INTERVAL_MS = 1000;

export class ConcurrencyReporter {
  /** Activator × revision entries with a stat, in creation order. */
  private entries: RevisionThrottler[] = [];
  private readonly reportFn = (nowMs: number): void => this.report(nowMs);
  /** The stat being sent, reused: every activator entry reports every second and the sink reads it at once. */
  private readonly stat: ActivatorStat = { namespace: '', revision: '', averageConcurrency: 0, requestCount: 0 };

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
  requestIn(entry: RevisionThrottler, nowMs: number): void {
    if (!entry.statActive) {
      entry.statActive = true;
      entry.statStartMs = nowMs;
      entry.statLastChangeMs = nowMs;
      entry.statAreaMs = 0;
      entry.statCount = 0;
      entry.statFirst = 1;
      this.entries.push(entry);
      this.send(entry, 1, 1);
    } else {
      entry.statAreaMs += entry.activatorConcurrency * (nowMs - entry.statLastChangeMs);
      entry.statLastChangeMs = nowMs;
    }
    entry.activatorConcurrency++;
    entry.statCount++;
  }

  /** ReqOut at the activator: the request was answered (whatever the status). */
  requestOut(entry: RevisionThrottler, nowMs: number): void {
    entry.statAreaMs += entry.activatorConcurrency * (nowMs - entry.statLastChangeMs);
    entry.statLastChangeMs = nowMs;
    entry.activatorConcurrency--;
  }

  /**
   * Every second: each entry reports its time-weighted concurrency over the time since
   * its last report, minus the poke's 1 on the first report (clamped at 0), and its
   * request count minus 1. An entry whose average was 0 is dropped after reporting.
   * Example: poke at 0.5 s, one request held until 1.0 s → report at 1.0 s:
   * avg = 1 × 0.5 s / 0.5 s = 1, minus 1 → 0; count 1 − 1 = 0.
   */
  private report(nowMs: number): void {
    const entries = this.entries;
    if (entries.length === 0) return;
    let kept = 0;
    // Compacts in place: the kept entries move down to `kept`, never past the one being read.
    for (const entry of entries) {
      entry.statAreaMs += entry.activatorConcurrency * (nowMs - entry.statLastChangeMs);
      entry.statLastChangeMs = nowMs;
      const elapsedMs = nowMs - entry.statStartMs;
      const average = elapsedMs > 0 ? entry.statAreaMs / elapsedMs : 0;
      const first = entry.statFirst;
      const count = entry.statCount;
      entry.statFirst = 0;
      entry.statAreaMs = 0;
      entry.statCount = 0;
      entry.statStartMs = nowMs;
      if (average === 0 && entry.activatorConcurrency === 0) entry.statActive = false;
      else entries[kept++] = entry;
      this.send(entry, Math.max(average - first, 0), count - first);
    }
    entries.length = kept;
  }

  private send(entry: RevisionThrottler, averageConcurrency: number, requestCount: number): void {
    const sink = this.sink;
    if (sink.open !== undefined && sink.version !== undefined) {
      // The revision's destination, found again only when the sink's revisions changed.
      const version = sink.version();
      if (entry.statSinkVersion !== version) {
        entry.statSink = sink.open(entry.rev.namespace, entry.rev.name);
        entry.statSinkVersion = version;
      }
      if (entry.statSink !== undefined) {
        entry.statSink.report(averageConcurrency, requestCount);
        return;
      }
    }
    const stat = this.stat;
    stat.namespace = entry.rev.namespace;
    stat.revision = entry.rev.name;
    stat.averageConcurrency = averageConcurrency;
    stat.requestCount = requestCount;
    this.sink.reportActivatorStat(stat);
  }
}
