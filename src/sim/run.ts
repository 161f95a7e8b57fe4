/**
 * Running a scenario: build the world, schedule the timeline, the traffic and the
 * expectations, advance virtual time to the scenario's end, and assemble the result
 * (the JSON contract). Same scenario and seed, same bytes.
 */
import { parseDomainConfig, lookupDomain, CLUSTER_LOCAL_DOMAIN, DEFAULT_DOMAIN_WHEN_UNCONFIGURED } from '../apis/config/domain.js';
import { formatDuration, type PlantedBug, type StopReason } from '../engine/index.js';
import { TIMEOUT_REASON_KEYS, type HostEntry, type RequestView } from '../dataplane/index.js';
import { startAzureReplay, startWorkload, type ClosedLoopUser } from '../workload/index.js';
import { replayWindowOf, workloadPatternOf, type Scenario, type TrafficTarget, type TrafficWorkload } from '../scenario/index.js';
import { ExpectationChecker } from './expectations.js';
import { checkInvariants } from './invariants.js';
import { Recorder, type RecorderOptions } from './recorder.js';
import type { ReportRecorder } from './report-recorder.js';
import { RecordView, recordedArray } from './record-log.js';
import { timelineArrays } from './report-columns.js';
import type { RecordedResult, RunEvent, RunResult, RevisionSummary, RunSummary, SeriesForm, StepResult } from './result.js';
import { scheduleTimeline, stepLabel, type TimelineSteps } from './timeline.js';
import { buildWorld, type World } from './world.js';

export interface SimulationOptions {
  /** Overrides the scenario's seed. */
  seed?: string | number;
  /** What to record (series and events can be turned off for benchmarks). */
  record?: RecorderOptions;
  /** Most engine events before the run stops with reason `event-limit`. Default 2,000,000,000. */
  maxEvents?: number;
  /** Called between slices of virtual time, for progress bars. */
  onProgress?: (nowMs: number, durationMs: number) => void;
  /**
   * Check the scenario's `invariants:` in `result()` (default true). They read the report's
   * recordings, series and events, so a scenario with invariants records them whatever `record` says.
   */
  checkInvariants?: boolean;
  /** Test seam (src/engine/planted-bugs.ts): bugs planted on purpose to prove that checks find them. */
  plantedBugs?: readonly PlantedBug[];
}

/** A world with its recorder and expectations, advanced step by step (for `get --at` and tests). */
export class Simulation {
  readonly world: World;
  readonly recorder: Recorder;
  readonly checker: ExpectationChecker;
  stopReason: StopReason | 'completed' = 'completed';
  private readonly users = new Map<number, ClosedLoopUser>();
  private readonly maxEvents: number;
  private readonly steps: TimelineSteps;

  constructor(
    readonly scenario: Scenario,
    private readonly options: SimulationOptions = {},
  ) {
    let checker: ExpectationChecker | undefined;
    const onRequestEnd = (view: RequestView): void => {
      checker?.onRequestEnd(view);
      this.recorder.report?.onRequestEnd(view);
      if (this.users.size > 0) {
        const user = this.users.get(view.id);
        if (user !== undefined) {
          this.users.delete(view.id);
          user.complete();
        }
      }
    };
    const record = this.invariantsChecked
      ? {
          ...options.record,
          // Per second, or its change points (expanded exactly where the invariants read them).
          series: perSecondOrChanges(options.record?.series) ?? true,
          events: true,
          report: options.record?.report !== undefined && options.record.report !== false ? options.record.report : true,
        }
      : options.record;
    this.world = buildWorld(scenario, {
      seed: options.seed,
      onRequestEnd,
      perSecondSeries: keepsEverySecond(record?.series),
      plantedBugs: options.plantedBugs ?? [],
    });
    this.recorder = new Recorder(this.world, record, scenario.durationMs);
    this.checker = checker = new ExpectationChecker(this.world, this.recorder, scenario.expect, scenario.durationMs);
    this.maxEvents = options.maxEvents ?? 2_000_000_000;
    this.steps = scheduleTimeline(this.world, scenario);
    for (const workload of scenario.traffic) this.startTraffic(workload);
  }

  /** Whether `result()` checks the scenario's invariants. */
  get invariantsChecked(): boolean {
    return this.options.checkInvariants !== false && this.scenario.invariants.length > 0;
  }

  /** Advances virtual time to `untilMs` (never past the scenario's duration). */
  runTo(untilMs: number): void {
    const { engine } = this.world;
    const end = Math.min(untilMs, this.scenario.durationMs);
    const sliceMs = 60_000;
    while (engine.nowMs < end && this.stopReason === 'completed') {
      const target = Math.min(end, Math.floor(engine.nowMs / sliceMs) * sliceMs + sliceMs);
      const outcome = engine.run({ untilMs: target, maxEvents: this.maxEvents - engine.eventCount });
      if (outcome.reason === 'event-limit') {
        this.stopReason = 'event-limit';
        engine.trace('engine', 'run', `stopped at ${formatDuration(engine.nowMs)}: the event limit of ${this.maxEvents} was reached`);
      }
      this.options.onProgress?.(engine.nowMs, this.scenario.durationMs);
    }
  }

  /** The result as of now (normally called once the run reached the scenario's end), its recordings as arrays. */
  result(): RunResult {
    const r = this.recordedResult();
    const arrays = {
      series: recordedArray(r.series),
      events: recordedArray(r.events),
      ...(r.timeline !== undefined ? { timeline: timelineArrays(r.timeline) } : {}),
      ...(r.objects !== undefined ? { objects: recordedArray(r.objects) } : {}),
      ...(r.decisions !== undefined ? { decisions: recordedArray(r.decisions) } : {}),
      ...(r.podStarts !== undefined ? { podStarts: recordedArray(r.podStarts) } : {}),
    };
    // Spread over the same keys, each recording keeps its place (the JSON's order) with its array.
    return { ...r, ...arrays } as RunResult;
  }

  /**
   * The result as of now with its recordings as views of the logs they were kept in (no copies:
   * a view covers what was recorded when it was taken, and reads it back from the log, e.g. a
   * spooled file, each time it is iterated). Its JSON is `result()`'s.
   */
  recordedResult(): RecordedResult {
    const { engine, dataplane } = this.world;
    const nowMs = engine.nowMs;
    const m = dataplane.measurements;
    const total = m.total();
    const byStatus: Record<string, number> = {};
    for (const [code, n] of Object.entries(total.byStatus)) byStatus[code] = n;
    const revisions = this.revisionSummaries();
    const requests: RunSummary['requests'] = { total: m.arrived, succeeded: m.succeeded, failed: m.failed, inFlight: m.inFlight, byStatus };
    const timeouts = timeoutCounts(total.timeouts);
    if (timeouts !== undefined) requests.timeouts = timeouts;
    const summary = {
      requests,
      latencyMs: {
        p50: round2(total.latencyMs.quantile(0.5)),
        p95: round2(total.latencyMs.quantile(0.95)),
        p99: round2(total.latencyMs.quantile(0.99)),
        max: round2(total.latencyMs.max),
      },
      coldStarts: total.coldStarts,
      podSeconds: Math.round(this.recorder.podSeconds(nowMs) * 1000) / 1000,
    };
    // The summary is part of the fingerprint, mixed into a copy: result() asked twice gives one fingerprint.
    const fingerprint = engine.fingerprintWith(JSON.stringify(summary));
    const dropped: RunEvent[] =
      this.recorder.droppedEvents > 0
        ? [
            {
              t: nowMs,
              component: 'knsim',
              object: 'events',
              message: `${this.recorder.droppedEvents} more events not kept (limit reached)`,
              data: { kind: 'narration', source: 'knsim' },
            },
          ]
        : [];
    const result: RecordedResult = {
      scenario: this.scenario.name,
      seed: this.options.seed ?? this.scenario.seed,
      durationMs: nowMs,
      ...(this.stopReason === 'event-limit' ? { stopReason: this.stopReason, plannedDurationMs: this.scenario.durationMs } : {}),
      fingerprint,
      summary,
      revisions,
      ...seriesFormOf(this.recorder),
      series: new RecordView(this.recorder.series),
      events: new RecordView(this.recorder.events, this.recorder.events.length, dropped),
      expectations: this.checker.results(),
    };
    const steps = this.stepResults(nowMs);
    if (steps.length > 0) result.steps = steps;
    const report = this.recorder.report === undefined ? {} : reportFields(this.recorder.report, nowMs);
    if (!this.invariantsChecked) return { ...result, ...report };
    // The second run of `deterministic` keeps its recordings where this one does, and reads none of them.
    const again = (): RecordedResult => {
      const sim = new Simulation(this.scenario, { ...this.options, checkInvariants: false, onProgress: undefined });
      sim.runTo(this.scenario.durationMs);
      return sim.recordedResult();
    };
    // The invariants go after the expectations, as the contract orders the fields.
    return { ...result, invariants: checkInvariants(this.scenario, { ...result, ...report }, undefined, again), ...report };
  }

  /** Every step that failed, and every step run so far that declared `expectError`, in timeline order. */
  private stepResults(nowMs: number): StepResult[] {
    const out: StepResult[] = [];
    for (const action of this.scenario.timeline) {
      const failures = this.steps.failures.filter((f) => f.action === action);
      if (failures.length === 0 && (action.expectError === undefined || action.atMs > nowMs)) continue;
      const error = failures.length === 0 ? null : failures.map((f) => f.error).join('; ');
      out.push({
        index: action.index,
        at: `${action.pos.file}:${action.pos.line}:${action.pos.column}`,
        t: failures[0]?.t ?? action.atMs,
        step: stepLabel(action),
        error,
        ...(action.expectError !== undefined ? { expectError: action.expectError } : {}),
        passed: action.expectError !== undefined && error !== null && error.includes(action.expectError),
      });
    }
    return out;
  }

  private revisionSummaries(): RevisionSummary[] {
    const m = this.world.dataplane.measurements;
    const tracks = this.recorder.sortedRevisions();
    let routed = 0;
    for (const t of tracks) routed += m.revision(t.namespace, t.name)?.arrived ?? 0;
    const nowMs = this.world.engine.nowMs;
    return tracks.map((t) => {
      const tally = m.revision(t.namespace, t.name);
      const requests = tally?.arrived ?? 0;
      const ended = (tally?.succeeded ?? 0) + (tally?.failed ?? 0);
      return {
        name: t.name,
        service: t.service,
        requests,
        trafficShare: routed === 0 ? 0 : requests / routed,
        maxReadyPods: t.maxReadyPods,
        coldStarts: tally?.coldStarts ?? 0,
        podStarts: t.podStarts,
        podStartsFromZero: t.podStartsFromZero,
        podSeconds: this.recorder.revisionPodSeconds(t, nowMs),
        latencyMs: tally === undefined || ended === 0 ? null : { p50: round2(tally.latencyMs.quantile(0.5)), p99: round2(tally.latencyMs.quantile(0.99)) },
      };
    });
  }

  private startTraffic(workload: TrafficWorkload): void {
    const { engine, dataplane } = this.world;
    const domain = domainOf(this.scenario);
    const hostOf = (target: TrafficTarget): { host: HostEntry; fromCluster: boolean } => ({
      host: dataplane.hostHandle(hostName(target, domain)),
      fromCluster: target.fromCluster,
    });
    const sink = {
      arrive: (target: { host: HostEntry; fromCluster: boolean }, _nowMs: number, user: ClosedLoopUser | null, serviceMs?: number): void => {
        // Keyed before the send: a request answered at once (404, a full queue's 503) ends inside it, and its user must hear of it.
        if (user !== null) this.users.set(dataplane.nextRequestId, user);
        dataplane.send(target.host, target.fromCluster ? FROM_CLUSTER : FROM_OUTSIDE, serviceMs);
      },
    };
    const a = workload.arrivals;
    if (a.pattern === 'trace') {
      // The loader parsed, selected and checked the trace with the replayer's own functions.
      startAzureReplay(
        engine,
        {
          name: workload.name,
          functions: a.traces,
          targets: a.targets.map(hostOf),
          spread: a.spread,
          ...replayWindowOf(workload, a),
          ...(a.durations !== undefined ? { serviceTimes: a.durations.serviceTimes } : {}),
        },
        sink,
      );
      return;
    }
    const base = { name: workload.name, target: hostOf(workload.target), fromMs: workload.fromMs, toMs: workload.toMs };
    startWorkload(engine, { ...base, ...workloadPatternOf(workload) }, sink);
  }
}

/** The report's recordings as result fields (copies, or views of what was logged: the run may go on). */
function reportFields(
  report: ReportRecorder,
  nowMs: number,
): Pick<RecordedResult, 'timeline' | 'objects' | 'decisions' | 'podStarts' | 'revisionStats' | 'activatorBuffers'> {
  return {
    timeline: report.timeline(),
    objects: new RecordView(report.objects),
    decisions: new RecordView(report.decisions),
    podStarts: new RecordView(report.podStarts),
    revisionStats: report.revisionStats(nowMs),
    activatorBuffers: report.activatorBuffers(),
  };
}

const FROM_CLUSTER = { fromCluster: true };
const FROM_OUTSIDE = { fromCluster: false };

/** Runs a scenario to its end and returns the result. */
export function runScenario(scenario: Scenario, options: SimulationOptions = {}): RunResult {
  const sim = new Simulation(scenario, options);
  sim.runTo(scenario.durationMs);
  return sim.result();
}

/** The external domain of the scenario's config-domain (knsim's default `example.com` when unset). */
function domainOf(scenario: Scenario): string {
  const cm = scenario.config.find((c) => c.name === 'config-domain');
  if (cm === undefined) return DEFAULT_DOMAIN_WHEN_UNCONFIGURED;
  const parsed = parseDomainConfig(cm.data);
  return 'errors' in parsed ? DEFAULT_DOMAIN_WHEN_UNCONFIGURED : lookupDomain(parsed.config, {});
}

/** The host a client sends to: `[tag-]svc.ns.<domain>` from outside, `[tag-]svc.ns.svc.cluster.local` from inside. */
function hostName(target: TrafficTarget, domain: string): string {
  if (target.kind === 'host') return target.host;
  const name = target.tag === undefined ? target.service : `${target.tag}-${target.service}`;
  return `${name}.${target.namespace}.${target.fromCluster ? CLUSTER_LOCAL_DOMAIN : domain}`;
}

/** Timeout counts by reason key, only the reasons seen; undefined when no timer ended a request. */
function timeoutCounts(counts: readonly number[]): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  let any = false;
  counts.forEach((n, i) => {
    const key = TIMEOUT_REASON_KEYS[i];
    if (n > 0 && key !== undefined) {
      out[key] = n;
      any = true;
    }
  });
  return any ? out : undefined;
}

function round2(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 100) / 100 : 0;
}

/** The result's `seriesForm`: absent for the per-second series, as it always was. */
function seriesFormOf(recorder: Recorder): { seriesForm?: SeriesForm } {
  if (recorder.seriesStepMs === 1000 && !recorder.seriesChangesOnly) return {};
  return { seriesForm: { stepMs: recorder.seriesStepMs, changesOnly: recorder.seriesChangesOnly } };
}

/** `series` when it keeps every second's values (each sample, or each change at a 1 s step). */
function perSecondOrChanges(series: RecorderOptions['series']): RecorderOptions['series'] | undefined {
  if (series === true) return series;
  if (typeof series === 'object' && (series.stepMs ?? 1000) === 1000) return series;
  return undefined;
}

/**
 * Whether the data plane keeps its per-second counts too: only beside a per-second series, as
 * before; a change-point, stepped or absent series leaves them out, so memory does not grow with
 * revisions × seconds (the result reads none of them).
 */
function keepsEverySecond(series: RecorderOptions['series']): boolean {
  if (series === undefined || series === true) return true;
  return series !== false && (series.stepMs ?? 1000) === 1000 && series.changesOnly !== true;
}
