/**
 * The report's time series, recorded once a second in memory bounded by changes, never by
 * requests: per-revision columns (pods, concurrency, panic, SKS mode, the activator's queue,
 * requests) and requests by status, run-length encoded so an idle day costs a few runs;
 * latency p50/p99 per interval from a histogram that starts afresh each interval. Beside each
 * revision's columns it keeps the figures other recordings add to it (the autoscaler's target
 * and panic threshold).
 *
 * Fidelity: an idle revision (no pod, nothing arriving or in flight, all zeros) is not looked
 * up again until a pod or a request appears: a scale-up from zero without traffic (a raised
 * min-scale) shows once its first pod exists, not at the Deployment's write.
 */
import { LatencyHistogram, type RequestView } from '../dataplane/index.js';
import { RecordView, recordedArray } from './record-log.js';
import type { RecordedTimeline, RecordedTimelineRevision, Runs, SeriesSample, Timeline, TimelineRevision } from './result.js';
import type { RevisionTrack } from './revision-track.js';
import { RunsBuilder, type RunsMark } from './runs.js';
import type { World } from './world.js';

/** What the report's recordings read from the recorder (an interface, so the two files import no circle). */
export interface RevisionSource {
  readonly revisions: ReadonlyMap<string, RevisionTrack>;
  /** Revisions in (namespace, name) order. */
  sortedRevisions(): readonly RevisionTrack[];
  /** The revision's live state now, as the per-second series samples it. */
  snapshot(track: RevisionTrack): Omit<SeriesSample, 't' | 'requests'>;
  /** The seconds the revision's pods have lived so far. */
  revisionPodSeconds(track: RevisionTrack, nowMs: number): number;
}

const STEP_MS = 1000;

/** The longest latency interval, for runs longer than 1,500 hours. */
const LATENCY_INTERVAL_MAX_MS = 3_600_000;
/** Latency intervals: the smallest of these giving at most 1,500 intervals over the run. */
const LATENCY_INTERVALS_MS = [1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, LATENCY_INTERVAL_MAX_MS];

/** The latency interval for a run of `durationMs`: 1s up to 25 min, 60s for a day. */
export function latencyIntervalMs(durationMs: number): number {
  return LATENCY_INTERVALS_MS.find((ms) => durationMs / ms <= 1500) ?? LATENCY_INTERVAL_MAX_MS;
}

/** One revision's columns, and the figures the other recordings keep beside them. */
export interface RevisionColumns {
  track: RevisionTrack;
  desiredReplicas: RunsBuilder;
  readyPods: RunsBuilder;
  pods: RunsBuilder;
  activatorQueue: RunsBuilder;
  stableConcurrency: RunsBuilder;
  panicConcurrency: RunsBuilder;
  panic: RunsBuilder;
  sksMode: RunsBuilder;
  requests: RunsBuilder;
  targetPerPod: number;
  panicThreshold: number;
  /** The track's arrived count at the previous sample. */
  requestsSeen: number;
  /** The SKS mode of an idle revision (the previous sample all zeros, nothing in flight), else -1. */
  idleMode: number;
}

const COLUMN_NAMES = [
  'desiredReplicas',
  'readyPods',
  'pods',
  'activatorQueue',
  'stableConcurrency',
  'panicConcurrency',
  'panic',
  'sksMode',
  'requests',
] as const;

/** The per-second columns and latency intervals of a run, sampled by the recorder's 1 s tick. */
export class TimelineColumns {
  private readonly columns = new Map<string, RevisionColumns>();
  private readonly byStatus = new Map<number, RunsBuilder>();
  private readonly stepCounts = new Map<number, number>();
  private steps = 0;
  private readonly intervalMs: number;
  private histogram = new LatencyHistogram();
  private readonly p50 = new RunsBuilder();
  private readonly p99 = new RunsBuilder();
  private readonly count = new RunsBuilder();

  constructor(
    private readonly world: World,
    private readonly recorder: RevisionSource,
    durationMs: number,
  ) {
    this.intervalMs = latencyIntervalMs(durationMs);
  }

  /** Feeds one ended request (its status and latency). */
  onRequestEnd(view: RequestView): void {
    this.stepCounts.set(view.status, (this.stepCounts.get(view.status) ?? 0) + 1);
    this.histogram.record(view.endMs - view.arrivalMs);
  }

  /** Called by the recorder's 1 s tick, after its own sample. */
  sample(nowMs: number): void {
    const step = this.steps;
    this.steps++;
    for (const track of this.recorder.sortedRevisions()) {
      const key = `${track.namespace}/${track.name}`;
      let c = this.columns.get(key);
      if (c === undefined) {
        c = newColumns(track);
        for (const name of COLUMN_NAMES) c[name].push(0, step);
        this.columns.set(key, c);
      }
      const arrived = track.arrivedAtLastSample - c.requestsSeen;
      c.requestsSeen = track.arrivedAtLastSample;
      // An idle revision (deleted, or no pod, nothing arrived or in flight, and all zeros a
      // second ago) stays all zeros: skip the lookups, most of a long run's revision-seconds.
      if (
        !track.alive ||
        (c.idleMode >= 0 && arrived === 0 && track.pods === 0 && (this.world.dataplane.measurements.revision(track.namespace, track.name)?.inFlight ?? 0) === 0)
      ) {
        for (const name of COLUMN_NAMES) c[name].push(name === 'sksMode' && track.alive ? c.idleMode : 0);
        continue;
      }
      const s = this.recorder.snapshot(track);
      const queue = s.inFlight === 0 ? 0 : (this.world.dataplane.revisionState(track.namespace, track.name)?.activatorWaiting ?? 0);
      const mode = s.sksMode === 'Proxy' ? 1 : s.sksMode === 'Serve' ? 2 : 0;
      c.desiredReplicas.push(s.desiredReplicas);
      c.readyPods.push(s.readyPods);
      c.pods.push(s.pods);
      c.activatorQueue.push(queue);
      c.stableConcurrency.push(s.stableConcurrency);
      c.panicConcurrency.push(s.panicConcurrency);
      c.panic.push(s.panic ? 1 : 0);
      c.sksMode.push(mode);
      c.requests.push(arrived);
      c.idleMode = s.desiredReplicas === 0 && s.pods === 0 && s.inFlight === 0 && s.stableConcurrency === 0 && s.panicConcurrency === 0 && !s.panic ? mode : -1;
    }
    for (const [status, n] of this.stepCounts) {
      let b = this.byStatus.get(status);
      if (b === undefined) {
        b = new RunsBuilder();
        b.push(0, step);
        this.byStatus.set(status, b);
      }
      b.push(n);
    }
    for (const b of this.byStatus.values()) if (b.length < this.steps) b.push(0);
    this.stepCounts.clear();
    if (nowMs % this.intervalMs === 0) this.closeInterval();
  }

  /**
   * The recorded columns as they are now (recording can go on): each column's runs are decoded
   * as they are read (`knsim run --json` writes them number by number), never all in memory at once.
   */
  timeline(): RecordedTimeline {
    const steps = this.steps;
    const marked = [...this.columns.values()]
      .map((c) => ({ c, marks: marksOf(c), targetPerPod: c.targetPerPod, panicThreshold: c.panicThreshold }))
      .sort((a, b) => (a.c.track.namespace === b.c.track.namespace ? cmp(a.c.track.name, b.c.track.name) : cmp(a.c.track.namespace, b.c.track.namespace)));
    const revision = ({ c, marks, targetPerPod, panicThreshold }: (typeof marked)[number]): RecordedTimelineRevision => {
      const runs = (name: ColumnName): RecordView<number> => {
        const column = c[name];
        const mark = marks[name];
        return new RecordView<number>({ length: column.lengthAt(mark), read: (from, to) => column.read(mark, from, to) });
      };
      return {
        namespace: c.track.namespace,
        name: c.track.name,
        service: c.track.service,
        desiredReplicas: runs('desiredReplicas'),
        readyPods: runs('readyPods'),
        pods: runs('pods'),
        activatorQueue: runs('activatorQueue'),
        stableConcurrency: runs('stableConcurrency'),
        panicConcurrency: runs('panicConcurrency'),
        panic: runs('panic'),
        sksMode: runs('sksMode'),
        requests: runs('requests'),
        targetPerPod,
        panicThreshold,
      };
    };
    const revisions = new RecordView<RecordedTimelineRevision>({
      length: marked.length,
      *read(from, to) {
        for (let i = from; i < to; i++) yield revision(marked[i] as (typeof marked)[number]);
      },
    });
    const requestsByStatus: Record<string, number[]> = {};
    for (const [status, runs] of [...this.byStatus].sort(([a], [b]) => a - b)) requestsByStatus[String(status)] = runs.runsSoFar();
    return {
      stepMs: STEP_MS,
      steps,
      revisions,
      requestsByStatus,
      latency: { intervalMs: this.intervalMs, intervals: this.p50.length, p50: this.p50.runsSoFar(), p99: this.p99.runsSoFar(), count: this.count.runsSoFar() },
    };
  }

  /** The columns of a revision (`namespace/name`), once it has been sampled. */
  get(key: string): RevisionColumns | undefined {
    return this.columns.get(key);
  }

  /** The columns of a revision named in a trace entry (`name`, namespace unknown: first match). */
  findColumns(name: string): RevisionColumns | undefined {
    for (const c of this.columns.values()) if (c.track.name === name) return c;
    return undefined;
  }

  private closeInterval(): void {
    const h = this.histogram;
    this.count.push(h.count);
    this.p50.push(h.count === 0 ? 0 : round2(h.quantile(0.5)));
    this.p99.push(h.count === 0 ? 0 : round2(h.quantile(0.99)));
    if (h.count > 0) this.histogram = new LatencyHistogram();
  }
}

type ColumnName = (typeof COLUMN_NAMES)[number];

/** The timeline with every column an array (`Simulation.result()`). */
export function timelineArrays(t: RecordedTimeline): Timeline {
  const revisions: TimelineRevision[] = [];
  for (const r of t.revisions) {
    const columns = {} as Record<ColumnName, Runs>;
    for (const name of COLUMN_NAMES) columns[name] = recordedArray(r[name]);
    // The contract's order of fields: names, the columns, the figures beside them.
    revisions.push({ namespace: r.namespace, name: r.name, service: r.service, ...columns, targetPerPod: r.targetPerPod, panicThreshold: r.panicThreshold });
  }
  return { ...t, revisions };
}

/** Where each of a revision's columns is now. */
function marksOf(c: RevisionColumns): Record<ColumnName, RunsMark> {
  const marks = {} as Record<ColumnName, RunsMark>;
  for (const name of COLUMN_NAMES) marks[name] = c[name].mark();
  return marks;
}

function newColumns(track: RevisionTrack): RevisionColumns {
  return {
    track,
    desiredReplicas: new RunsBuilder(),
    readyPods: new RunsBuilder(),
    pods: new RunsBuilder(),
    activatorQueue: new RunsBuilder(),
    stableConcurrency: new RunsBuilder(),
    panicConcurrency: new RunsBuilder(),
    panic: new RunsBuilder(),
    sksMode: new RunsBuilder(),
    requests: new RunsBuilder(),
    targetPerPod: 0,
    panicThreshold: 0,
    requestsSeen: 0,
    idleMode: -1,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rounded to hundredths, 0 when not finite: the report's ms figures. */
export function round2(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 100) / 100 : 0;
}
