/**
 * How much memory a run will take at its peak (resident set size), estimated before it starts
 * from what it will hold: the loader counts the work (revisions, their busy seconds, the pods
 * that will start, the trace's rows) into the scenario's budget, and `estimatePeakMemory` adds
 * what the chosen output keeps and writes (the series in its form, the narrated events up to
 * their cap, the report's recordings, the JSON or CSV written at the end).
 *
 * peak = RUNTIME + YOUNG + max(LOAD_GROWTH × trace parsing, live heap + max(HEAP_SLACK, HEAP_HEADROOM × live heap))
 *        + OUTPUT_GROWTH × bytes written,
 * live heap = revisions × REVISION + trace functions × their per-minute counts
 *           + series samples × SERIES_SAMPLE + events × EVENT (at most the recorder's 200,000)
 *           + with the report: busy revision-seconds × REPORT_SAMPLE + object changes × OBJECT_CHANGE,
 * YOUNG and HEAP_SLACK growing with the estimated CPU time (a run that computes fills V8's young
 * generation, and its old space up to the CLI's heap keeper's limit).
 * The counts: series samples are the busy revision-seconds with change points (45 s of each
 * trace minute with invocations, a workload's window plus a stable window, 60 s per revision
 * settling in), or every revision-second over the step (`--series-step`); events are 20 per
 * revision and 20 per pod start; object changes 25 per revision and 15 per pod start; pod starts
 * one per revision, one per trace minute with invocations after an idle minute, and the pods a
 * workload's traffic needs (Little's law) beyond the first. Requests cost nothing that stays.
 *
 * Calibration (Node 20, a 2-core Linux VM): peak RSS of `knsim run` (the bench's peak-rss-hook),
 * and the live heap after a full GC at the end of an in-process run with the same recording
 * (per item: a revision 90 KB, a series sample 180 B, an event 510 B, the report 41 B per sample
 * and 300 B per object change). Since the CLI's heap keeper the old space holds at most about its
 * live size again in garbage (left to V8 it held 1.5 to 4.5 times more). Estimated / measured MB,
 * text output then --json: 01-deploy 69/67; 02-scale-to-zero 69/76; 14-azure-durations 75/89;
 * 07-azure-trace 160/164, 136/137; 50 services for 20 minutes 119/126, 111/123; the 100-function
 * Azure sample for an hour 130/143, 120/146, for a day 619/480, 244/181 (423 MB of JSON), and the
 * day with --no-series 251/272. All within 0.82–1.35 of the measure. Known to overshoot: many
 * services at a fraction of a request per second each (1,000 services at 0.2/s for an hour:
 * 1.6 GB estimated, 901 MB measured), whose busy seconds change the series less often than the
 * one sample per busy second counted here.
 *
 * Fidelity: an estimate, not a bound: V8's collector decides when garbage is freed, and a run
 * whose pods start more often than its traffic's rhythm says holds more events. The constants
 * are all here (MEMORY). The --json figures above are of `knsim run --json`, which spools the
 * recordings to disk (`spooled`): then only the report's columns and a bounded writer's garbage
 * count.
 */
import type { MemoryWork, ScenarioBudget } from './limits-types.js';
import { traceWork } from './estimate.js';
import type { TraceArrivals, TrafficWorkload } from './types.js';
import { replayWindowOf } from './workload-spec.js';

/** Every constant of the memory estimate, in bytes unless named otherwise (calibration above). */
export const MEMORY = {
  /** Node, V8's code, the library and an empty world (01-deploy, a run of half a second: 75 MB). */
  runtimeBytes: 65e6,
  /** The young generation a run fills once it computes for a while (a busy hour of one service: 104 MB)... */
  youngBytes: 30e6,
  /** ...after this many seconds of CPU (estimated), in proportion before. */
  youngFullAfterSeconds: 5,
  /**
   * The garbage the old space holds at its peak, as a share of the live heap and at least so many
   * bytes once the run computes for a while: the CLI's heap keeper (src/cli/heap-keeper.ts) asks
   * for a full collection when the heap has grown by its live size, and at least 32 MB, since the
   * last one. (Left to V8 the old space grew to 2.5–5.5 times the live heap.)
   */
  heapHeadroom: 1,
  heapSlackBytes: 32e6,
  /** A revision with its Service, Route, children, one pod, autoscaler windows, histograms and tracks. */
  revisionBytes: 90e3,
  /** One sample of the series (an object of eleven fields). */
  seriesSampleBytes: 180,
  /** One narrated event with its data. */
  eventBytes: 510,
  /** The recorder keeps at most this many events (RecorderOptions.maxEvents' default). */
  maxEvents: 200_000,
  /** The report's per-second columns, per series sample (run-length encoded, so per change). */
  reportSampleBytes: 41,
  /** One recorded object change (decisions and pod starts counted with them). */
  objectChangeBytes: 300,
  /** The report keeps at most this many object changes (ReportRecordingOptions.maxObjectChanges' default). */
  maxObjectChanges: 200_000,
  /** Peak RSS over the bytes parsed from trace files (their text and each row's counts). */
  loadGrowth: 1.45,
  /** Peak RSS added per byte of JSON or CSV written (the garbage of writing it). */
  outputGrowth: 1.2,
  /** The same when the recordings are spooled and streamed through small buffers (the 100-function day's 423 MB of JSON: about 40 MB). */
  spooledOutputGrowth: 0.1,
  /** JSON written per series sample, event and object change. */
  jsonSampleBytes: 350,
  jsonEventBytes: 300,
  jsonObjectChangeBytes: 600,
  /** CSV written per series sample and event. */
  csvSampleBytes: 80,
  csvEventBytes: 150,
  /** Events per revision (its creation, kn's lines, its conditions) and per pod start (scheduling, pulls, probes, scaling). */
  eventsPerRevision: 20,
  eventsPerPodStart: 20,
  /** Object changes per revision and per pod start. */
  objectChangesPerRevision: 25,
  objectChangesPerPodStart: 15,
  /** Seconds a revision's series changes in a trace minute with invocations (of 60). */
  busySecondsPerTraceMinute: 45,
  /** Seconds a revision's series changes while it settles in (created, first pod) and after its traffic ends (a stable window). */
  settleSeconds: 60,
} as const;

/** The output a run is asked for, which decides what it keeps and writes. */
export interface MemoryOutput {
  /** The series: one sample per `stepMs` (with `changesOnly`, only those that change), or none. */
  series: { stepMs: number; changesOnly?: boolean } | false;
  /** The report's recordings are kept (--json, --html, or a scenario with invariants). */
  report: boolean;
  /** The result is written as JSON (--json) or as the HTML page (--html, its data as big). */
  json: boolean;
  /** series.csv and events.csv are written (--csv). */
  csv: boolean;
  /**
   * The series, events and object changes go to disk as they are recorded and are streamed into
   * the output (`knsim run --json` in one process): they cost the heap nothing that grows, and
   * writing them only a bounded buffer's garbage. Default false.
   */
  spooled?: boolean;
}

/** The estimate and its parts, in bytes. */
export interface MemoryEstimate {
  peakBytes: number;
  liveHeapBytes: number;
  traceParseBytes: number;
  writtenBytes: number;
  seriesSamples: number;
  events: number;
}

/**
 * The run's peak resident memory for an output form.
 * Example: the 100-function Azure hour, text output (5 s of CPU or more): 100 revisions × 90 KB
 * + 100 functions × 6 KB + 44,655 samples × 180 B + 9,580 events × 510 B ≈ 22.5 MB live →
 * 65 MB + 30 MB + 3.4 × 22.5 MB ≈ 172 MB (measured 201 MB).
 */
export function estimatePeakMemory(budget: Pick<ScenarioBudget, 'memory' | 'expectedRunSeconds'>, output: MemoryOutput): MemoryEstimate {
  const m = MEMORY;
  const work = budget.memory;
  const seriesSamples =
    output.series === false
      ? 0
      : output.series.changesOnly === true
        ? work.busyRevisionSeconds / (output.series.stepMs / 1000)
        : work.revisionSeconds / (output.series.stepMs / 1000);
  const events = Math.min(m.maxEvents, m.eventsPerRevision * work.revisions + m.eventsPerPodStart * work.podStarts);
  const objectChanges = output.report
    ? Math.min(m.maxObjectChanges, m.objectChangesPerRevision * work.revisions + m.objectChangesPerPodStart * work.podStarts)
    : 0;
  // The report's columns sample every busy revision-second whatever the series' form.
  const reportSamples = output.report ? work.busyRevisionSeconds : 0;
  const held = output.spooled === true ? 0 : 1;
  const liveHeapBytes =
    work.revisions * m.revisionBytes +
    work.traceBytes +
    held * (seriesSamples * m.seriesSampleBytes + events * m.eventBytes + objectChanges * m.objectChangeBytes) +
    reportSamples * m.reportSampleBytes;
  let writtenBytes = 0;
  if (output.json) writtenBytes += seriesSamples * m.jsonSampleBytes + events * m.jsonEventBytes + objectChanges * m.jsonObjectChangeBytes;
  if (output.csv) writtenBytes += seriesSamples * m.csvSampleBytes + events * m.csvEventBytes;
  // A short run ends before its young generation fills or its heap reaches the keeper's slack.
  const warm = Math.min(1, budget.expectedRunSeconds / m.youngFullAfterSeconds);
  const heapBytes = liveHeapBytes + Math.max(m.heapSlackBytes * warm, m.heapHeadroom * liveHeapBytes);
  const outputGrowth = output.spooled === true ? m.spooledOutputGrowth : m.outputGrowth;
  const peakBytes = m.runtimeBytes + m.youngBytes * warm + Math.max(m.loadGrowth * work.traceParseBytes, heapBytes) + outputGrowth * writtenBytes;
  return { peakBytes, liveHeapBytes, traceParseBytes: work.traceParseBytes, writtenBytes, seriesSamples, events };
}

/**
 * A trace workload's busy revision-seconds and pod starts from its per-minute counts in the
 * replayed window (`traceWork`): 45 s of each minute with invocations (scaled by the replay's
 * speed), and a pod start at each minute with invocations whose previous minute had none.
 * Example: counts 3, 0, 5, 5, 0, 0, 1 → 4 busy minutes (180 s) and 3 cold minutes.
 */
export function traceMemoryWork(w: TrafficWorkload, trace: TraceArrivals): { busySeconds: number; podStarts: number } {
  const work = traceWork(w, trace);
  // A replay at another speed stretches each minute, and the busy part of it with it.
  const busySecondsPerMinute = MEMORY.busySecondsPerTraceMinute * replayWindowOf(w, trace).timeScale;
  return { busySeconds: work.busyMinutes * busySecondsPerMinute, podStarts: work.podStarts };
}

/** A synthetic workload's busy revision-seconds: its window and a stable window after it. */
export function workloadBusySeconds(w: TrafficWorkload): number {
  return (w.toMs - w.fromMs) / 1000 + MEMORY.settleSeconds;
}

/**
 * Bytes a trace's files take while parsed: their text (one byte a character) and every row's
 * per-minute counts (4 bytes a minute); what the run keeps is the selected functions' counts.
 */
export function traceParseBytes(trace: TraceArrivals): { parse: number; kept: number } {
  const minutes = trace.traces[0]?.perMinute.length ?? 0;
  return { parse: trace.parsed.chars + trace.parsed.rows * minutes * 4, kept: trace.traces.length * (minutes * 4 + 300) };
}

/** The memory work of a whole scenario from its budget's parts (the loader's call). */
export function memoryWork(input: {
  revisions: number;
  durationMs: number;
  busySeconds: number;
  podStarts: number;
  traceBytes: number;
  traceParseBytes: number;
}): MemoryWork {
  const revisionSeconds = (input.revisions * input.durationMs) / 1000;
  return {
    revisions: input.revisions,
    revisionSeconds,
    busyRevisionSeconds: Math.min(revisionSeconds, input.busySeconds + input.revisions * MEMORY.settleSeconds),
    podStarts: input.revisions + input.podStarts,
    traceBytes: input.traceBytes,
    traceParseBytes: input.traceParseBytes,
  };
}
