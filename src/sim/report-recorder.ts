/**
 * What the HTML report needs beyond the JSON's summary, recorded while a run goes on in
 * memory bounded by changes, never by requests: the per-second columns and latency intervals
 * (report-columns.ts), the change log of the objects the time cursor shows (report-objects.ts),
 * the autoscaler's narrated decisions (report-decisions.ts), each pod's way to Ready
 * (report-pod-starts.ts) and what the activator buffered (report-buffers.ts); and the
 * per-revision figures, from the recorder's counts.
 *
 * It only listens: watches on kinds that controllers already watch (so the API server
 * schedules no extra deliveries), the trace, the recorder's existing 1 s tick and the end
 * of each request. The fingerprint is the same with or without it.
 */
import { must } from '../engine/index.js';
import { QUIET_PERIOD_MIN_MS, type RequestView, type Tally } from '../dataplane/measurements.js';
import { round2, TimelineColumns, type RevisionSource } from './report-columns.js';
import { ActivatorBufferLog } from './report-buffers.js';
import { DecisionLog } from './report-decisions.js';
import { ObjectChangeLog } from './report-objects.js';
import { PodStartLog } from './report-pod-starts.js';
import { arrayLogs, type RecordLog, type RecordLogFactory } from './record-log.js';
import { RevisionSettingsLog } from './report-settings.js';
import type { ActivatorBuffer, AutoscalerDecision, ObjectChange, PodStart, RecordedTimeline, RevisionStats } from './result.js';
import type { World } from './world.js';

/** What to keep for the report and how much. */
export interface ReportRecordingOptions {
  /** Most object changes kept; later ones are counted, not kept. Default 200,000. */
  maxObjectChanges?: number;
  /** Most autoscaler decisions kept. Default 100,000. */
  maxDecisions?: number;
  /** Most pod starts kept. Default 100,000. */
  maxPodStarts?: number;
}

/** The report's recordings of one run: the four listeners, and the per-revision figures drawn from them. */
export class ReportRecorder {
  readonly objects: RecordLog<ObjectChange>;
  readonly decisions: RecordLog<AutoscalerDecision>;
  readonly podStarts: RecordLog<PodStart>;
  private readonly columns: TimelineColumns;
  private readonly objectLog: ObjectChangeLog;
  private readonly decisionLog: DecisionLog;
  private readonly podStartLog: PodStartLog;
  private readonly bufferLog: ActivatorBufferLog;
  private readonly settingsLog: RevisionSettingsLog;

  constructor(
    private readonly world: World,
    private readonly recorder: RevisionSource,
    durationMs: number,
    options: ReportRecordingOptions = {},
    logs: RecordLogFactory = arrayLogs,
  ) {
    this.columns = new TimelineColumns(world, recorder, durationMs);
    // Listeners in the order they always had: object watches, the pod watch, the trace.
    this.objectLog = new ObjectChangeLog(world, options.maxObjectChanges ?? 200_000, logs('objects'));
    this.podStartLog = new PodStartLog(world, recorder, options.maxPodStarts ?? 100_000, logs('podStarts'));
    this.bufferLog = new ActivatorBufferLog(world, recorder);
    this.decisionLog = new DecisionLog(world, this.columns, options.maxDecisions ?? 100_000, (name) => this.bufferLog.lastRequestMs(name), logs('decisions'));
    this.settingsLog = new RevisionSettingsLog(world);
    world.dataplane.measurements.recordQuietPeriods = true;
    this.objects = this.objectLog.objects;
    this.decisions = this.decisionLog.decisions;
    this.podStarts = this.podStartLog.podStarts;
  }

  /** Object changes after `maxObjectChanges`, counted, not kept. */
  get droppedObjectChanges(): number {
    return this.objectLog.droppedObjectChanges;
  }

  /** Decisions after `maxDecisions`, counted, not kept. */
  get droppedDecisions(): number {
    return this.decisionLog.droppedDecisions;
  }

  /** Pod starts after `maxPodStarts`, counted, not kept. */
  get droppedPodStarts(): number {
    return this.podStartLog.droppedPodStarts;
  }

  /** Feeds one ended request (its status and latency). */
  onRequestEnd(view: RequestView): void {
    this.columns.onRequestEnd(view);
    this.bufferLog.onRequestEnd(view);
  }

  /** What the activator held while each revision had no ready pod. */
  activatorBuffers(): ActivatorBuffer[] {
    return this.bufferLog.buffers();
  }

  /** Called by the recorder's 1 s tick, after its own sample. */
  sample(nowMs: number): void {
    this.columns.sample(nowMs);
  }

  /** The recorded columns as they are now (recording can go on), each revision's decoded when read. */
  timeline(): RecordedTimeline {
    return this.columns.timeline();
  }

  /** Per-revision figures as of `nowMs`, in (namespace, name) order. */
  revisionStats(nowMs: number): RevisionStats[] {
    const m = this.world.dataplane.measurements;
    return this.recorder.sortedRevisions().map((track) => {
      const tally = m.revision(track.namespace, track.name);
      const byStatus: Record<string, number> = {};
      for (const [code, n] of Object.entries(tally?.byStatus ?? {})) byStatus[code] = n;
      const settings = this.settingsLog.get(`${track.namespace}/${track.name}`);
      const stats: RevisionStats = {
        name: track.name,
        service: track.service,
        coldStarts: tally?.coldStarts ?? 0,
        podStarts: track.podStarts,
        podSeconds: this.recorder.revisionPodSeconds(track, nowMs),
        latencyMs: { p50: round2(tally?.latencyMs.quantile(0.5) ?? 0), p99: round2(tally?.latencyMs.quantile(0.99) ?? 0) },
        byStatus,
        quietPeriods: quietPeriodsOf(tally, nowMs),
        image: settings?.image ?? '',
      };
      if (tally !== undefined && tally.arrived > 0) {
        stats.firstRequestMs = tally.firstArrivalMs;
        stats.lastRequestMs = tally.lastArrivalMs;
      }
      if (tally !== undefined && Number.isFinite(tally.latencyOverheadMinMs)) stats.latencyOverheadMinMs = tally.latencyOverheadMinMs;
      if (tally !== undefined && tally.successLatencyMs.count > 0) stats.servedLatencyMinMs = tally.successLatencyMs.min;
      if (settings !== undefined) stats.autoscaling = { ...settings.autoscaling };
      return stats;
    });
  }
}

/** The revision's quiet periods, the open one (nothing in flight since its last response) ending now. */
function quietPeriodsOf(tally: Tally | undefined, nowMs: number): [number, number][] {
  const out: [number, number][] = [];
  const flat = tally?.quietPeriods ?? [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([must(flat[i], 'a quiet period start'), must(flat[i + 1], 'a quiet period end')]);
  if (tally !== undefined && tally.inFlight === 0 && nowMs - tally.idleSinceMs >= QUIET_PERIOD_MIN_MS) out.push([tally.idleSinceMs, nowMs]);
  return out;
}
