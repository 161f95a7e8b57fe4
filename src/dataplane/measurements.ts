/**
 * What the data plane measures, in memory bounded by the number of revisions and the
 * simulated seconds, never by the number of requests: counters, per-second series and
 * latency histograms per revision, totals merged on demand.
 *
 * Every request ends exactly once with a status: 200 (served), 404 (no route), 500
 * (the app failed), 502 (the user container was not listening or died with it inside),
 * 503 (a queue was full or the pod went away) or 504 (timeout); the timeouts are also
 * counted by reason, with the responses a timer cut off after their status went out.
 * Its latency splits into router + activator wait + queue wait + service time.
 * Conservation holds at every instant: arrived = succeeded + failed + inFlight.
 *
 * Fidelity: stands in for the request metrics of the ingress, activator and
 * queue-proxy (knative/serving pkg/queue/request_metric.go); no per-request log.
 */
import { must } from '../engine/assert.js';
import { NamespacedMap } from '../apis/namespaced-map.js';
import { LatencyHistogram } from './histogram.js';
import { TIMEOUT_REASON_COUNT } from './timeouts.js';

/** The statuses a request can end with. */
export const STATUS = { ok: 200, notFound: 404, appError: 500, badGateway: 502, unavailable: 503, timeout: 504 } as const;

/** A request as it ends: the view handed to `onRequestEnd` (valid only during the call; records are reused). */
export interface RequestView {
  readonly id: number;
  readonly status: number;
  /** `namespace/name` of the revision it was routed to, or '' when the router answered 404. */
  readonly revisionKey: string;
  /** The pod whose queue-proxy took it, or '' if it never reached one. */
  readonly podName: string;
  readonly arrivalMs: number;
  /** When it reached a queue-proxy (NaN if never). */
  readonly podArrivalMs: number;
  /** When the app started serving it (NaN if never). */
  readonly serviceStartMs: number;
  readonly endMs: number;
  readonly routerMs: number;
  readonly activatorWaitMs: number;
  readonly queueWaitMs: number;
  readonly serviceMs: number;
  readonly viaActivator: boolean;
  /** Arrived at the activator while the revision had no ready pod. */
  readonly coldStart: boolean;
  /** The timer that ended it (a reason index of timeouts.ts), or -1 when none did. */
  readonly timeoutReason: number;
}

/** Numbers kept per ended request until its latencies are recorded (Tally.pending), and how many requests a batch holds. */
const SAMPLE_FIELDS = 6;
const PENDING_SAMPLES = 32;

/** The shortest quiet period worth keeping: Knative's smallest stable window (a shorter one cannot end at zero pods). */
export const QUIET_PERIOD_MIN_MS = 6_000;

/** Per-second series, index i covering virtual time [i s, (i+1) s). */
interface SecondSeries {
  /** Requests that arrived (were routed) in the second. */
  requests: number[];
  /** Requests in flight at the end of the second. */
  inFlight: number[];
  /** Requests that ended with a failure status in the second. */
  failed: number[];
}

/** Counters, series and histograms of one revision (or of the 404s, or of a merged total). */
export class Tally {
  arrived = 0;
  succeeded = 0;
  failed = 0;
  inFlight = 0;
  /** Requests that waited on a cold start (arrived at the activator while the revision had 0 ready pods). */
  coldStarts = 0;
  status404 = 0;
  status500 = 0;
  status502 = 0;
  status503 = 0;
  status504 = 0;
  /** Arrival of the first and of the latest request (NaN before any). */
  firstArrivalMs = NaN;
  lastArrivalMs = NaN;
  /** When the last request in flight ended: the start of the current quiet period (NaN before any request ended). */
  idleSinceMs = NaN;
  /**
   * Quiet periods of at least QUIET_PERIOD_MIN_MS between requests, as `[from, to, from, to, …]`: from a
   * response that left nothing in flight to the next arrival. Kept only when asked (the report's
   * recordings); one pair per quiet period, so memory follows the simulated time, not the requests.
   */
  quietPeriods: number[] | null = null;
  /** The smallest end-to-end latency minus the time the request spent in the app, over ended requests. */
  latencyOverheadMinMs = Infinity;
  /** Requests a timer ended, by reason (timeouts.ts: TIMEOUT_REASON_KEYS): the 504s and the responses cut off. */
  readonly timeouts: number[] = new Array<number>(TIMEOUT_REASON_COUNT).fill(0);
  // The latency histograms, read through the getters below: they record what is pending first.
  private readonly latency = new LatencyHistogram();
  private readonly successLatency = new LatencyHistogram();
  private readonly router = new LatencyHistogram();
  private readonly activatorWait = new LatencyHistogram();
  private readonly queueWait = new LatencyHistogram();
  private readonly service = new LatencyHistogram();
  /**
   * Ended requests' latencies not yet recorded, SAMPLE_FIELDS numbers each (latency, 1 if it was a
   * 200, router, activator wait, queue wait, service), recorded in order a batch at a time: a
   * revision whose requests come one by one then touches its six histograms once a batch instead of
   * once a request. Every read of a histogram records what is pending first.
   */
  private pending: Float64Array | null = null;
  private pendingCount = 0;
  private readonly seriesRequests: number[] = [];
  private readonly seriesInFlight: number[] = [];
  private readonly seriesFailed: number[] = [];
  private secondRequests = 0;
  private secondFailed = 0;
  /** End of the second being filled. */
  private secondEndMs: number;

  /**
   * `keepSeries` false drops the per-second series (counters and histograms stay), so a
   * long run's memory does not grow with its duration.
   */
  constructor(
    nowMs = 0,
    private readonly keepSeries = true,
  ) {
    // Align to absolute seconds: the seconds before this tally existed are zeros.
    const seconds = keepSeries ? Math.floor(nowMs / 1000) : 0;
    for (let i = 0; i < seconds; i++) {
      this.seriesRequests.push(0);
      this.seriesInFlight.push(0);
      this.seriesFailed.push(0);
    }
    this.secondEndMs = (seconds + 1) * 1000;
  }

  /** End-to-end latency of every ended request, whatever its status. */
  get latencyMs(): LatencyHistogram {
    return this.recorded(this.latency);
  }

  /** End-to-end latency of 200 responses only. */
  get successLatencyMs(): LatencyHistogram {
    return this.recorded(this.successLatency);
  }

  get routerMs(): LatencyHistogram {
    return this.recorded(this.router);
  }

  get activatorWaitMs(): LatencyHistogram {
    return this.recorded(this.activatorWait);
  }

  get queueWaitMs(): LatencyHistogram {
    return this.recorded(this.queueWait);
  }

  get serviceMs(): LatencyHistogram {
    return this.recorded(this.service);
  }

  /** `histogram` once what is pending is recorded: every read goes through here. */
  private recorded(histogram: LatencyHistogram): LatencyHistogram {
    this.recordPending();
    return histogram;
  }

  /** Records the pending latencies into the histograms, in the order the requests ended. */
  private recordPending(): void {
    const p = this.pending;
    if (p === null || this.pendingCount === 0) return;
    const end = this.pendingCount * SAMPLE_FIELDS;
    for (let i = 0; i < end; i += SAMPLE_FIELDS) {
      const latency = must(p[i], 'a pending sample');
      this.latency.record(latency);
      if (p[i + 1] === 1) this.successLatency.record(latency);
      this.router.record(must(p[i + 2], 'a pending sample'));
      this.activatorWait.record(must(p[i + 3], 'a pending sample'));
      this.queueWait.record(must(p[i + 4], 'a pending sample'));
      this.service.record(must(p[i + 5], 'a pending sample'));
    }
    this.pendingCount = 0;
  }

  /** Status counts as a record, only the statuses seen. */
  get byStatus(): Record<number, number> {
    const out: Record<number, number> = {};
    if (this.succeeded > 0) out[200] = this.succeeded;
    if (this.status404 > 0) out[404] = this.status404;
    if (this.status500 > 0) out[500] = this.status500;
    if (this.status502 > 0) out[502] = this.status502;
    if (this.status503 > 0) out[503] = this.status503;
    if (this.status504 > 0) out[504] = this.status504;
    return out;
  }

  arrive(nowMs: number): void {
    if (nowMs >= this.secondEndMs) this.roll(nowMs);
    if (this.inFlight === 0 && this.quietPeriods !== null && nowMs - this.idleSinceMs >= QUIET_PERIOD_MIN_MS) this.quietPeriods.push(this.idleSinceMs, nowMs);
    if (this.arrived === 0) this.firstArrivalMs = nowMs;
    this.lastArrivalMs = nowMs;
    this.arrived++;
    this.inFlight++;
    this.secondRequests++;
  }

  end(view: RequestView, nowMs: number): void {
    if (nowMs >= this.secondEndMs) this.roll(nowMs);
    this.inFlight--;
    if (this.inFlight === 0) this.idleSinceMs = nowMs;
    const status = view.status;
    const latency = view.endMs - view.arrivalMs;
    if (latency - view.serviceMs < this.latencyOverheadMinMs) this.latencyOverheadMinMs = latency - view.serviceMs;
    const pending = (this.pending ??= new Float64Array(PENDING_SAMPLES * SAMPLE_FIELDS));
    const at = this.pendingCount * SAMPLE_FIELDS;
    pending[at] = latency;
    pending[at + 1] = status === 200 ? 1 : 0;
    pending[at + 2] = view.routerMs;
    pending[at + 3] = view.activatorWaitMs;
    pending[at + 4] = view.queueWaitMs;
    pending[at + 5] = view.serviceMs;
    if (++this.pendingCount === PENDING_SAMPLES) this.recordPending();
    if (status === 200) {
      this.succeeded++;
    } else {
      this.failed++;
      this.secondFailed++;
      if (status === 404) this.status404++;
      else if (status === 500) this.status500++;
      else if (status === 502) this.status502++;
      else if (status === 503) this.status503++;
      else this.status504++;
    }
    if (view.timeoutReason >= 0) this.timeouts[view.timeoutReason] = must(this.timeouts[view.timeoutReason], 'a timeout reason below TIMEOUT_REASON_COUNT') + 1;
  }

  /** The per-second series up to (not including) the second that contains `nowMs`. */
  series(nowMs: number): SecondSeries {
    if (nowMs >= this.secondEndMs) this.roll(nowMs);
    return { requests: this.seriesRequests.slice(), inFlight: this.seriesInFlight.slice(), failed: this.seriesFailed.slice() };
  }

  /** Adds another tally into this one (counters, histograms and series). */
  merge(other: Tally, nowMs: number): void {
    this.arrived += other.arrived;
    this.succeeded += other.succeeded;
    this.failed += other.failed;
    this.inFlight += other.inFlight;
    this.coldStarts += other.coldStarts;
    this.status404 += other.status404;
    this.status500 += other.status500;
    this.status502 += other.status502;
    this.status503 += other.status503;
    this.status504 += other.status504;
    if (other.latencyOverheadMinMs < this.latencyOverheadMinMs) this.latencyOverheadMinMs = other.latencyOverheadMinMs;
    if (other.firstArrivalMs < this.firstArrivalMs || Number.isNaN(this.firstArrivalMs)) this.firstArrivalMs = other.firstArrivalMs;
    if (other.lastArrivalMs > this.lastArrivalMs || Number.isNaN(this.lastArrivalMs)) this.lastArrivalMs = other.lastArrivalMs;
    for (let i = 0; i < TIMEOUT_REASON_COUNT; i++) this.timeouts[i] = must(this.timeouts[i], 'a reason') + must(other.timeouts[i], 'a reason');
    this.latencyMs.merge(other.latencyMs);
    this.successLatencyMs.merge(other.successLatencyMs);
    this.routerMs.merge(other.routerMs);
    this.activatorWaitMs.merge(other.activatorWaitMs);
    this.queueWaitMs.merge(other.queueWaitMs);
    this.serviceMs.merge(other.serviceMs);
    const theirs = other.series(nowMs);
    if (nowMs >= this.secondEndMs) this.roll(nowMs);
    addSeconds(this.seriesRequests, theirs.requests);
    addSeconds(this.seriesInFlight, theirs.inFlight);
    addSeconds(this.seriesFailed, theirs.failed);
  }

  /** Closes every second that ended at or before `nowMs` (idle seconds get zeros and the current in-flight). */
  private roll(nowMs: number): void {
    if (!this.keepSeries) {
      this.secondEndMs = (Math.floor(nowMs / 1000) + 1) * 1000;
      this.secondRequests = 0;
      this.secondFailed = 0;
      return;
    }
    while (nowMs >= this.secondEndMs) {
      this.seriesRequests.push(this.secondRequests);
      this.seriesFailed.push(this.secondFailed);
      this.seriesInFlight.push(this.inFlight);
      this.secondRequests = 0;
      this.secondFailed = 0;
      this.secondEndMs += 1000;
    }
  }
}

/** The read side handed to the sim and reports. */
export class Measurements {
  /** Requests handed to `send`, ended, and in flight, whatever revision (or none) they reached. */
  arrived = 0;
  succeeded = 0;
  failed = 0;
  inFlight = 0;
  /** Requests the router answered 404 (no revision). */
  readonly unrouted: Tally;
  /** Keep each revision's quiet periods (Tally.quietPeriods) from now on; the report's recordings turn it on. */
  recordQuietPeriods = false;
  private readonly byRevision = new Map<string, Tally>();
  /** The same tallies, looked up without building a key (the per-second samplers read every revision). */
  private readonly lookup = new NamespacedMap<Tally>();

  constructor(
    private readonly clock: { nowMs: number },
    private readonly keepSeries = true,
  ) {
    this.unrouted = new Tally(clock.nowMs, keepSeries);
  }

  /** The tally of one revision, created on first use. */
  revisionTally(namespace: string, name: string): Tally {
    let tally = this.lookup.get(namespace, name);
    if (tally === undefined) {
      tally = new Tally(this.clock.nowMs, this.keepSeries);
      if (this.recordQuietPeriods) tally.quietPeriods = [];
      this.byRevision.set(`${namespace}/${name}`, tally);
      this.lookup.set(namespace, name, tally);
    }
    return tally;
  }

  /** The tally of a revision the data plane has seen (by watch or by request), else undefined. */
  revision(namespace: string, name: string): Tally | undefined {
    return this.lookup.get(namespace, name);
  }

  /** `namespace/name` of every revision with a tally, sorted. */
  revisionKeys(): string[] {
    return [...this.byRevision.keys()].sort();
  }

  /** A fresh tally holding the sum of all revisions and the 404s. */
  total(): Tally {
    const nowMs = this.clock.nowMs;
    const sum = new Tally(0, this.keepSeries);
    sum.merge(this.unrouted, nowMs);
    // Sorted by key, as revisionKeys() lists them.
    const tallies = [...this.byRevision].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, tally] of tallies) sum.merge(tally, nowMs);
    return sum;
  }
}

/** Adds `from` into `into` second by second, over the seconds both cover. */
function addSeconds(into: number[], from: readonly number[]): void {
  const n = Math.min(into.length, from.length);
  for (let i = 0; i < n; i++) into[i] = must(into[i], 'a second below the series length') + must(from[i], 'a second below the series length');
}
