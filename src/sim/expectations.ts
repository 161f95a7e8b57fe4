/**
 * Checks a scenario's expectations while it runs. State checks (ready pods, desired
 * scale, panic, SKS mode) read the live objects at `at`, or at every 1s sample of an
 * `over` window; request checks (status counts, latency percentiles, cold starts,
 * traffic share) count the requests that end inside the window (`at: t` means from
 * the start to t) through the data plane's end-of-request hook, each with its own
 * bounded histogram.
 */
import { formatDuration, must } from '../engine/index.js';
import { LatencyHistogram, type RequestView } from '../dataplane/index.js';
import type { Bound, Expectation, RequestFilter } from '../scenario/index.js';
import type { ExpectationResult } from './result.js';
import type { Recorder } from './recorder.js';
import type { World } from './world.js';

/** The checks that count ended requests (the rest read live state). */
type RequestExpectation = Extract<Expectation, { check: 'requests' | 'latency' | 'coldStarts' | 'trafficShare' }>;

interface Pending<E extends Expectation = Expectation> {
  expectation: E;
  passed: boolean;
  actual: string;
  /** Set once the window has closed (or the instant has passed). */
  done: boolean;
  /** Request checks: counters over the window. */
  matched: number;
  total: number;
  histogram?: LatencyHistogram;
  /** State checks over a window: the first sample that broke the bound. */
  violation?: string;
  samples: number;
  minSeen: number;
  maxSeen: number;
}

export class ExpectationChecker {
  private readonly pending: Pending[];
  private readonly requestChecks: Pending<RequestExpectation>[] = [];
  private readonly serviceOf = new Map<string, string>();

  constructor(
    private readonly world: World,
    private readonly recorder: Recorder,
    expectations: readonly Expectation[],
    /** The scenario's end: no sample is scheduled after it (a window may reach far beyond, e.g. `to: 2562047h`). */
    durationMs: number,
  ) {
    this.pending = expectations.map((expectation) => ({
      expectation,
      passed: false,
      actual: 'not evaluated',
      done: false,
      matched: 0,
      total: 0,
      samples: 0,
      minSeen: Infinity,
      maxSeen: -Infinity,
    }));
    const { engine } = world;
    for (const p of this.pending) {
      const e = p.expectation;
      if (isRequestCheck(p)) {
        if (p.expectation.check === 'latency') p.histogram = new LatencyHistogram();
        this.requestChecks.push(p);
        engine.at(windowOf(e).toMs, () => this.closeRequestCheck(p));
      } else if (e.when.kind === 'at') {
        engine.at(e.when.atMs, () => this.checkStateNow(p));
      } else {
        const { fromMs, toMs } = e.when;
        const first = Math.ceil(fromMs / 1000) * 1000;
        const last = Math.min(toMs, durationMs);
        for (let t = first; t <= last; t += 1000) engine.at(t, () => this.sampleState(p));
        engine.at(toMs, () => this.closeStateWindow(p));
      }
    }
  }

  /** Feeds one ended request to the request checks whose window contains its end. */
  onRequestEnd(view: RequestView): void {
    const nowMs = view.endMs;
    for (const p of this.requestChecks) {
      if (p.done) continue;
      const { fromMs, toMs } = windowOf(p.expectation);
      if (nowMs < fromMs || nowMs > toMs) continue;
      const e = p.expectation;
      if (!this.passesFilter(view, e.filter)) continue;
      switch (e.check) {
        case 'requests':
          p.total++;
          if (statusMatches(view.status, e.status)) p.matched++;
          break;
        case 'latency':
          p.total++;
          p.histogram?.record(view.endMs - view.arrivalMs);
          break;
        case 'coldStarts':
          p.total++;
          if (view.coldStart) p.matched++;
          break;
        case 'trafficShare':
          if (view.revisionKey === '') break;
          p.total++;
          if (view.revisionKey === `${e.namespace}/${e.revision}`) p.matched++;
          break;
      }
    }
  }

  /** Results in file order; checks whose time never came (beyond the run) fail with that reason. */
  results(): ExpectationResult[] {
    return this.pending.map((p) => {
      const e = p.expectation;
      return {
        description: e.description ?? describe(e),
        passed: p.done && p.passed,
        expected: expectedText(e),
        actual: p.done ? p.actual : `not reached: the run ended before ${formatDuration(windowOf(e).toMs)}`,
        at: `${e.pos.file}:${e.pos.line}:${e.pos.column}`,
        ...(e.when.kind === 'at' && !isRequestCheck(p) ? { fromMs: e.when.atMs, toMs: e.when.atMs } : windowOf(e)),
      };
    });
  }

  private passesFilter(view: RequestView, filter: RequestFilter): boolean {
    if (filter.revision === undefined && filter.service === undefined && filter.namespace === undefined) return true;
    if (view.revisionKey === '') return false;
    const slash = view.revisionKey.indexOf('/');
    const namespace = view.revisionKey.slice(0, slash);
    const revision = view.revisionKey.slice(slash + 1);
    if (filter.namespace !== undefined && filter.namespace !== namespace) return false;
    if (filter.revision !== undefined && filter.revision !== revision) return false;
    if (filter.service !== undefined && this.serviceOfRevision(view.revisionKey) !== filter.service) return false;
    return true;
  }

  private serviceOfRevision(revisionKey: string): string {
    let service = this.serviceOf.get(revisionKey);
    if (service === undefined) {
      service = this.recorder.revisions.get(revisionKey)?.service ?? '';
      this.serviceOf.set(revisionKey, service);
    }
    return service;
  }

  private closeRequestCheck(p: Pending<RequestExpectation>): void {
    const e = p.expectation;
    p.done = true;
    switch (e.check) {
      case 'requests': {
        const parts: string[] = [];
        let ok = true;
        if (e.count !== undefined) {
          ok &&= within(p.matched, e.count);
          parts.push(`${p.matched} requests`);
        }
        if (e.ratio !== undefined) {
          const ratio = p.total === 0 ? 0 : p.matched / p.total;
          ok &&= within(ratio, e.ratio);
          parts.push(`ratio ${ratio.toFixed(4)} (${p.matched} of ${p.total})`);
        }
        p.passed = ok;
        p.actual = parts.join(', ');
        return;
      }
      case 'latency': {
        const h = must(p.histogram, 'a latency check gets a histogram when it is set up');
        const value = p.total === 0 ? NaN : e.p >= 100 ? h.max : h.quantile(e.p / 100);
        p.passed = p.total > 0 && within(value, e.bound);
        p.actual = p.total === 0 ? 'no requests ended in the window' : `p${e.p} ${formatMs(value)} over ${p.total} requests`;
        return;
      }
      case 'coldStarts':
        p.passed = within(p.matched, e.bound);
        p.actual = `${p.matched} cold-start requests`;
        return;
      case 'trafficShare': {
        const share = p.total === 0 ? 0 : p.matched / p.total;
        p.passed = p.total > 0 && within(share, e.bound);
        p.actual = `share ${share.toFixed(4)} (${p.matched} of ${p.total})`;
        return;
      }
    }
  }

  private stateValue(p: Pending): number | boolean | string {
    const e = p.expectation;
    if (e.check !== 'readyPods' && e.check !== 'desiredScale' && e.check !== 'panic' && e.check !== 'sksMode') return NaN;
    const track = this.recorder.revisions.get(`${e.namespace}/${e.revision}`);
    if (track === undefined) return e.check === 'sksMode' ? '(no revision)' : e.check === 'panic' ? false : 0;
    switch (e.check) {
      case 'readyPods':
        return track.readyPods;
      case 'desiredScale':
        return this.recorder.desiredScale(track);
      case 'panic':
        return this.recorder.snapshot(track).panic;
      case 'sksMode':
        return this.recorder.snapshot(track).sksMode || '(none)';
    }
  }

  private holds(p: Pending, value: number | boolean | string): boolean {
    const e = p.expectation;
    if (e.check === 'panic' || e.check === 'sksMode') return value === e.equals;
    if (e.check === 'readyPods' || e.check === 'desiredScale') return within(value as number, e.bound);
    return false;
  }

  private checkStateNow(p: Pending): void {
    const value = this.stateValue(p);
    p.done = true;
    p.passed = this.holds(p, value);
    p.actual = String(value);
  }

  private sampleState(p: Pending): void {
    const value = this.stateValue(p);
    p.samples++;
    if (typeof value === 'number') {
      p.minSeen = Math.min(p.minSeen, value);
      p.maxSeen = Math.max(p.maxSeen, value);
    }
    if (p.violation === undefined && !this.holds(p, value)) p.violation = `${String(value)} at ${formatDuration(this.world.engine.nowMs)}`;
  }

  private closeStateWindow(p: Pending): void {
    p.done = true;
    p.passed = p.samples > 0 && p.violation === undefined;
    if (p.samples === 0) p.actual = 'no 1s sample inside the window';
    else if (p.violation !== undefined) p.actual = p.violation;
    else
      p.actual = Number.isFinite(p.minSeen)
        ? p.minSeen === p.maxSeen
          ? `${p.minSeen} throughout`
          : `between ${p.minSeen} and ${p.maxSeen}`
        : `${String(this.stateValue(p))} throughout`;
  }
}

function isRequestCheck(p: Pending): p is Pending<RequestExpectation> {
  const check = p.expectation.check;
  return check === 'requests' || check === 'latency' || check === 'coldStarts' || check === 'trafficShare';
}

function windowOf(e: Expectation): { fromMs: number; toMs: number } {
  return e.when.kind === 'at' ? { fromMs: 0, toMs: e.when.atMs } : { fromMs: e.when.fromMs, toMs: e.when.toMs };
}

function within(value: number, bound: Bound): boolean {
  if (Number.isNaN(value)) return false;
  const eps = 1e-9;
  return (bound.min === undefined || value >= bound.min - eps) && (bound.max === undefined || value <= bound.max + eps);
}

function statusMatches(status: number, want: number | string | undefined): boolean {
  if (want === undefined) return true;
  if (typeof want === 'number') return status === want;
  return Math.floor(status / 100) === Number(want[0]);
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms * 10) / 10}ms` : `${Math.round(ms) / 1000}s`;
}

function whenText(e: Expectation): string {
  return e.when.kind === 'at' ? `at ${formatDuration(e.when.atMs)}` : `from ${formatDuration(e.when.fromMs)} to ${formatDuration(e.when.toMs)}`;
}

function expectedText(e: Expectation): string {
  switch (e.check) {
    case 'readyPods':
    case 'desiredScale':
    case 'coldStarts':
      return e.bound.text;
    case 'panic':
      return e.equals ? 'in panic' : 'not in panic';
    case 'sksMode':
      return e.equals;
    case 'requests':
      return [e.count ? `count ${e.count.text}` : '', e.ratio ? `ratio ${e.ratio.text}` : ''].filter(Boolean).join(', ');
    case 'latency':
      return `p${e.p} ${e.bound.text}`;
    case 'trafficShare':
      return `share ${e.bound.text}`;
  }
}

function describe(e: Expectation): string {
  const when = whenText(e);
  switch (e.check) {
    case 'readyPods':
      return `${e.revision} has ${e.bound.text} ready pods ${when}`;
    case 'desiredScale':
      return `${e.revision} desired scale ${e.bound.text} ${when}`;
    case 'panic':
      return `${e.revision} ${e.equals ? 'is' : 'is not'} in panic ${when}`;
    case 'sksMode':
      return `${e.revision} SKS mode is ${e.equals} ${when}`;
    case 'requests':
      return `requests${e.status === undefined ? '' : ` with status ${e.status}`} ${expectedText(e)} ${when}`;
    case 'latency':
      return `latency p${e.p} ${e.bound.text} ${when}`;
    case 'coldStarts':
      return `cold-start requests ${e.bound.text} ${when}`;
    case 'trafficShare':
      return `${e.revision} gets ${e.bound.text} of traffic ${when}`;
  }
}
