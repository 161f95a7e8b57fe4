/**
 * queue-proxy, the sidecar in every pod of a revision: stats In event, then the breaker
 * (containerConcurrency slots and a queue of 10 × CC) serves, queues or refuses; the
 * user container serves for a sampled time; queue-proxy's timeout wraps the breaker, so
 * time queued counts toward it. The per-pod state lives in PodState (records.ts); this
 * class holds the behaviour for every pod.
 *
 * Fidelity: the user container is the revision's app model (app-model.ts): a service
 * time, an error rate, a time to first byte and an optional stream per request,
 * independent of load. A request may bring its own service time (a replayed trace
 * function's, `Req.ownServiceMs`); the app model then decides everything else. queue-proxy's timeout handler (timeouts.ts) enforces
 * timeoutSeconds, responseStartTimeoutSeconds and idleTimeoutSeconds, as does the
 * activator's for proxied requests; whichever fires first ends the request (504, or the
 * status already sent when the response had started). A request that times out leaves
 * the container at once. A pod that disappears fails what is inside with 503 (the
 * connection is reset). The user container's process (app-process.ts): while it does not
 * listen (starting, exited, restarting) queue-proxy's proxy answers 502 at once; when it
 * dies, what it was serving fails with 502; a hung process writes nothing more, so its
 * requests end at the first timer (504; a response that had started before the hang counts
 * as unstarted) or stay in flight when no timer fires.
 *
 * Upstream: knative/serving pkg/queue/breaker.go (Breaker), pkg/queue/handler.go
 * (ProxyHandler: stats events around the breaker), pkg/queue/sharedmain/handlers.go
 * (the timeout handler around the breaker), pkg/queue/sharedmain/main.go (settings).
 */
import type { Engine } from '../../engine/index.js';
import type { PodStat, PodStatHandle } from '../../autoscaler/stats.js';
import { STATUS } from '../measurements.js';
import type { DataplanePorts } from '../ports.js';
import { PHASE, PROCESS, takeFirst, type PodState, type Req } from '../records.js';
import { expiry, NO_TIMEOUT, TIMER_COMPONENT, timeoutReason, type Expiry, type TimerSettings } from '../timeouts.js';
import type { Drainer } from './drain.js';

/** Queue depth of queue-proxy's breaker per unit of containerConcurrency (pkg/queue/sharedmain: queueDepth = 10 × CC). */
const QUEUE_PROXY_QUEUE_DEPTH_PER_CC = 10;

export class QueueProxy {
  // Event handlers, bound once: events carry the request record, not a closure.
  private readonly serviceDoneFn = (req: Req): void => this.serviceDone(req);
  private readonly queueTimeoutFn = (req: Req): void => this.queueTimeout(req);
  /** Scratch for the timer arithmetic: nothing allocated per request. */
  private readonly activatorExpiry: Expiry = { atMs: Infinity, kind: 0 };
  private readonly podExpiry: Expiry = { atMs: Infinity, kind: 0 };
  /** What `scrape` returns, overwritten by each scrape. */
  private readonly scraped: PodStat = {
    podName: '',
    averageConcurrency: 0,
    averageProxiedConcurrency: 0,
    requestCount: 0,
    proxiedRequestCount: 0,
    processUptimeSeconds: 0,
  };
  // The earliest timer found by earliestTimer (scratch: nothing allocated per request).
  private timerAtMs = Infinity;
  private timerKind = 0;
  private timerComponent = 0;

  constructor(
    private readonly engine: Engine,
    private readonly ports: DataplanePorts,
    private readonly drainer: Drainer,
  ) {}

  /** Reads the settings queue-proxy takes from its environment; they never change once it runs. */
  configure(pod: PodState, containerConcurrency: number, timers: TimerSettings): void {
    pod.cc = containerConcurrency;
    pod.queueDepth = QUEUE_PROXY_QUEUE_DEPTH_PER_CC * containerConcurrency;
    pod.timeoutMs = timers.timeoutMs;
    pod.responseStartMs = timers.responseStartMs;
    pod.idleMs = timers.idleMs;
  }

  /** The pod is Running: queue-proxy is up and its stats clock starts. */
  start(pod: PodState, nowMs: number): void {
    pod.running = true;
    pod.stats.start(nowMs);
  }

  /** A request reaches the pod: stats In event, then the breaker: serve, queue, or refuse. */
  admit(pod: PodState, req: Req, nowMs: number): void {
    pod.stats.requestIn(nowMs, req.viaActivator);
    req.pod = pod;
    req.podArrivalMs = nowMs;
    // queue-proxy's own timeout handler wraps its breaker, so queueing counts toward it
    // (handlers.go); while waiting nothing is written. A tie keeps the activator's.
    const own = expiry(this.podExpiry, nowMs, pod, Infinity, 0, Infinity);
    if (own.atMs < req.deadlineMs) {
      req.deadlineMs = own.atMs;
      req.deadlineReason = timeoutReason(TIMER_COMPONENT.queueProxy, own.kind, false);
    }
    if (pod.draining) this.drainer.requestArrived(pod, nowMs);
    if (pod.cc === 0 || pod.active < pod.cc) {
      this.startService(pod, req, nowMs);
    } else if (pod.queue.length < pod.queueDepth) {
      req.phase = PHASE.podQueued;
      pod.queue.push(req);
      if (req.deadlineMs !== Infinity) req.timer = this.engine.at(req.deadlineMs, this.queueTimeoutFn, req);
    } else {
      this.leave(pod, req, nowMs);
      this.ports.finish(req, STATUS.unavailable, nowMs);
    }
  }

  /**
   * What a scrape of :9090 reads: the last published report. Undefined unless queue-proxy runs.
   * The stat is this queue-proxy model's own, overwritten by the next scrape (the autoscaler
   * scrapes every ready pod every second and sums at once): read it before scraping again.
   */
  scrape(pod: PodState | undefined): PodStat | undefined {
    if (pod === undefined || !pod.running) return undefined;
    const nowMs = this.engine.nowMs;
    const stats = pod.stats;
    stats.touch(nowMs);
    const out = this.scraped;
    out.podName = pod.name;
    out.averageConcurrency = stats.reportedConcurrency;
    out.averageProxiedConcurrency = stats.reportedProxiedConcurrency;
    out.requestCount = stats.reportedRequestCount;
    out.proxiedRequestCount = stats.reportedProxiedCount;
    out.processUptimeSeconds = (nowMs - stats.startMs) / 1000;
    return out;
  }

  /** What scrapes one pod's stat every second without finding it again (PodStatSource.open). */
  statHandle(pod: PodState): PodStatHandle {
    return { scrape: () => this.scrape(pod) };
  }

  /** The pod is gone: whatever is still inside fails, queued first, as its connections are reset. */
  resetConnections(pod: PodState, nowMs: number): void {
    for (let req = takeFirst(this.engine, pod.queue); req !== null; req = takeFirst(this.engine, pod.queue)) {
      this.leave(pod, req, nowMs);
      this.ports.finish(req, STATUS.unavailable, nowMs);
    }
    for (let req = takeFirst(this.engine, pod.serving); req !== null; req = takeFirst(this.engine, pod.serving)) {
      pod.active--;
      this.leave(pod, req, nowMs);
      // A timer due later never fires: the reset ends it first.
      req.timeoutReason = NO_TIMEOUT;
      this.ports.finish(req, STATUS.unavailable, nowMs);
    }
  }

  /** The user container died: what it was serving fails with 502, and the queued requests go to it (and fail at once). */
  failServing(pod: PodState, nowMs: number): void {
    for (let req = takeFirst(this.engine, pod.serving); req !== null; req = takeFirst(this.engine, pod.serving)) {
      pod.active--;
      this.leave(pod, req, nowMs);
      this.ports.finish(req, STATUS.badGateway, nowMs);
    }
    this.pump(pod, nowMs);
    if (pod.drainDone !== null) this.drainer.check(pod);
  }

  /** The user container stopped answering: what it serves writes nothing more and ends at its first timer. */
  stall(pod: PodState): void {
    for (let req = pod.serving.head; req !== null; req = req.next) {
      this.engine.cancel(req.timer);
      this.hang(pod, req);
    }
  }

  /** A request inside a hung container: 504 at the earliest timer of the activator's and queue-proxy's handlers, or never. */
  private hang(pod: PodState, req: Req): void {
    this.earliestTimer(pod, req, Infinity, 0, Infinity);
    req.outcome = STATUS.timeout;
    const atMs = this.timerAtMs;
    req.timeoutReason = atMs === Infinity ? NO_TIMEOUT : timeoutReason(this.timerComponent, this.timerKind, false);
    req.timer = atMs === Infinity ? null : this.engine.at(atMs, this.serviceDoneFn, req);
  }

  /**
   * The earliest timer of the activator's handler (for a proxied request) and queue-proxy's,
   * given the app's writes, into timerAtMs/timerKind/timerComponent (no allocation). The
   * activator's timers started first, so at equal times they fire first.
   */
  private earliestTimer(pod: PodState, req: Req, firstByteMs: number, streamMs: number, endMs: number): void {
    let atMs = Infinity;
    let kind = 0;
    let component: number = TIMER_COMPONENT.queueProxy;
    if (req.viaActivator) {
      const a = expiry(this.activatorExpiry, req.activatorStartMs, pod.rev, firstByteMs, streamMs, endMs);
      atMs = a.atMs;
      kind = a.kind;
      component = TIMER_COMPONENT.activator;
    }
    const own = expiry(this.podExpiry, req.podArrivalMs, pod, firstByteMs, streamMs, endMs);
    if (own.atMs < atMs) {
      atMs = own.atMs;
      kind = own.kind;
      component = TIMER_COMPONENT.queueProxy;
    }
    this.timerAtMs = atMs;
    this.timerKind = kind;
    this.timerComponent = component;
  }

  /**
   * The user container takes the request: its writes are drawn now (first byte, stream,
   * end), so its end, its status and the timer that may cut it short are decided at once.
   */
  private startService(pod: PodState, req: Req, nowMs: number): void {
    const user = pod.user;
    if (user !== null && user.state !== PROCESS.listening && user.state !== PROCESS.hung) {
      // Nothing listens on the user port: the reverse proxy fails at once (502).
      this.leave(pod, req, nowMs);
      this.ports.finish(req, STATUS.badGateway, nowMs);
      return;
    }
    pod.active++;
    pod.serving.push(req);
    req.phase = PHASE.serving;
    req.serviceStartMs = nowMs;
    if (user !== null) {
      if (user.state === PROCESS.hung) {
        this.hang(pod, req);
        return;
      }
      if (++user.requests >= user.crashAfterRequests) {
        // This request brings the process down, with everything inside it.
        user.crash();
        return;
      }
    }
    const usage = pod.usage;
    // Its memory takes the container past its limit: the runtime kills it, and this request with what is inside (502).
    if (usage.modelled && usage.overMemoryLimit(pod.active) && this.ports.oomKill(pod, usage.memoryBytes(pod.active))) return;
    const rev = pod.rev;
    const app = rev.app;
    // A request that brings its own service time (a trace function's durations) keeps it; the app draws none for it.
    let serviceMs = req.ownServiceMs;
    if (Number.isNaN(serviceMs)) serviceMs = app.sampleServiceMs(rev.appRng);
    // The container's CPU limit may hold the request back (resources/pod-usage.ts).
    if (usage.modelled) serviceMs = usage.startRequest(app.cpuPerRequestMs, serviceMs, nowMs);
    let endMs = nowMs + serviceMs;
    let outcome: number = STATUS.ok;
    if (app.errorRate > 0 && rev.appRng() < app.errorRate) outcome = STATUS.appError;
    const firstByteMs = nowMs + app.sampleFirstByteMs(rev.appRng, serviceMs);
    const streamMs = app.streamIntervalMs;
    this.earliestTimer(pod, req, firstByteMs, streamMs, endMs);
    req.timeoutReason = NO_TIMEOUT;
    if (this.timerAtMs < endMs) {
      endMs = this.timerAtMs;
      const started = firstByteMs <= endMs;
      // A 504 needs an unwritten response; once the status went out it stays, and the response is cut off.
      if (!started) outcome = STATUS.timeout;
      req.timeoutReason = timeoutReason(this.timerComponent, this.timerKind, started);
    }
    req.outcome = outcome;
    req.timer = this.engine.at(endMs, this.serviceDoneFn, req);
  }

  private serviceDone(req: Req): void {
    if (req.phase !== PHASE.serving) throw new Error(`dataplane: request ${req.id} finished service in phase ${req.phase}`);
    const nowMs = this.engine.nowMs;
    const pod = req.pod as PodState;
    req.timer = null;
    pod.serving.remove(req);
    pod.active--;
    this.leave(pod, req, nowMs);
    this.ports.finish(req, req.outcome, nowMs);
    this.pump(pod, nowMs);
    if (pod.drainDone !== null) this.drainer.check(pod);
  }

  /** A timer (queue-proxy's or the activator's) fires while the request waits in the breaker queue: 504. */
  private queueTimeout(req: Req): void {
    if (req.phase !== PHASE.podQueued) throw new Error(`dataplane: queue-proxy timeout for request ${req.id} in phase ${req.phase}`);
    const nowMs = this.engine.nowMs;
    req.timer = null;
    const pod = req.pod as PodState;
    pod.queue.remove(req);
    this.leave(pod, req, nowMs);
    req.timeoutReason = req.deadlineReason;
    this.ports.finish(req, STATUS.timeout, nowMs);
    if (pod.drainDone !== null) this.drainer.check(pod);
  }

  /** A slot freed: queued requests enter the container in arrival order. */
  private pump(pod: PodState, nowMs: number): void {
    while (pod.queue.length > 0 && (pod.cc === 0 || pod.active < pod.cc)) this.startService(pod, takeFirst(this.engine, pod.queue) as Req, nowMs);
  }

  /** queue-proxy's stats Out event. */
  private leave(pod: PodState, req: Req, nowMs: number): void {
    pod.stats.requestOut(nowMs, req.viaActivator);
  }
}
