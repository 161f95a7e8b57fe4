/**
 * queue-proxy, the sidecar in every pod of a revision: stats In event, then the breaker
 * (containerConcurrency slots and a queue of 10 × CC) serves, queues or refuses; the
 * user container serves for a sampled time; queue-proxy's timeout wraps the breaker, so
 * time queued counts toward it. The per-pod state lives in PodState (records.ts); this
 * class holds the behaviour for every pod.
 *
 * Fidelity: the user container is the revision's app model (app-model.ts): a service
 * time and an error rate per request, independent of load. timeoutSeconds ≤ 0 means no
 * timeout; responseStartTimeoutSeconds and idleTimeoutSeconds are not modelled (a
 * response is one piece). A request that times out leaves the container at once. A pod
 * that disappears fails what is inside with 503 (the connection is reset).
 *
 * Upstream: knative/serving pkg/queue/breaker.go (Breaker), pkg/queue/handler.go
 * (ProxyHandler: stats events around the breaker), pkg/queue/sharedmain/handlers.go
 * (the timeout handler around the breaker), pkg/queue/sharedmain/main.go (settings).
 */
import type { Engine } from '../../engine/index.js';
import type { PodStat } from '../../autoscaler/stats.js';
import { STATUS } from '../measurements.js';
import type { DataplanePorts } from '../ports.js';
import { PHASE, takeFirst, type PodState, type Req } from '../records.js';
import type { Drainer } from './drain.js';

/** Queue depth of queue-proxy's breaker per unit of containerConcurrency (pkg/queue/sharedmain: queueDepth = 10 × CC). */
const QUEUE_PROXY_QUEUE_DEPTH_PER_CC = 10;

export class QueueProxy {
  // Event handlers, bound once: events carry the request record, not a closure.
  private readonly serviceDoneFn = (req: Req): void => this.serviceDone(req);
  private readonly queueTimeoutFn = (req: Req): void => this.queueTimeout(req);

  constructor(
    private readonly engine: Engine,
    private readonly ports: DataplanePorts,
    private readonly drainer: Drainer,
  ) {}

  /** Reads the settings queue-proxy takes from its environment; they never change once it runs. */
  configure(pod: PodState, containerConcurrency: number, timeoutMs: number): void {
    pod.cc = containerConcurrency;
    pod.queueDepth = QUEUE_PROXY_QUEUE_DEPTH_PER_CC * containerConcurrency;
    pod.timeoutMs = timeoutMs;
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
    // queue-proxy's own timeout wraps its breaker, so queueing counts toward it (handlers.go).
    const podDeadlineMs = nowMs + pod.timeoutMs;
    if (podDeadlineMs < req.deadlineMs) req.deadlineMs = podDeadlineMs;
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

  /** What a scrape of :9090 reads: the last published report. Undefined unless queue-proxy runs. */
  scrape(pod: PodState | undefined): PodStat | undefined {
    if (pod === undefined || !pod.running) return undefined;
    const nowMs = this.engine.nowMs;
    const stats = pod.stats;
    stats.touch(nowMs);
    return {
      podName: pod.name,
      averageConcurrency: stats.reportedConcurrency,
      averageProxiedConcurrency: stats.reportedProxiedConcurrency,
      requestCount: stats.reportedRequestCount,
      proxiedRequestCount: stats.reportedProxiedCount,
      processUptimeSeconds: (nowMs - stats.startMs) / 1000,
    };
  }

  /** The pod is gone: whatever is still inside fails, queued first, as its connections are reset. */
  resetConnections(pod: PodState, nowMs: number): void {
    for (let req = takeFirst(this.engine, pod.queue); req !== null; req = takeFirst(this.engine, pod.queue)) {
      this.leave(pod, req, nowMs);
      this.ports.finish(req, STATUS.unavailable, nowMs);
    }
    for (let req = takeFirst(this.engine, pod.serving); req !== null; req = takeFirst(this.engine, pod.serving)) {
      pod.active--;
      this.leaveContainer(pod);
      this.leave(pod, req, nowMs);
      this.ports.finish(req, STATUS.unavailable, nowMs);
    }
  }

  /** The user container takes the request: its end (and outcome) is decided now. */
  private startService(pod: PodState, req: Req, nowMs: number): void {
    pod.active++;
    pod.serving.push(req);
    req.phase = PHASE.serving;
    req.serviceStartMs = nowMs;
    const rev = pod.rev;
    const app = rev.app;
    let serviceMs = app.sampleServiceMs(rev.appRng);
    // The container's CPU limit may hold the request back (resources/pod-usage.ts).
    if (pod.usage.running) serviceMs = pod.usage.startRequest(app.cpuPerRequestMs, serviceMs, nowMs);
    let endMs = nowMs + serviceMs;
    let outcome: number = STATUS.ok;
    if (app.errorRate > 0 && rev.appRng() < app.errorRate) outcome = STATUS.appError;
    if (endMs > req.deadlineMs) {
      endMs = req.deadlineMs;
      outcome = STATUS.timeout;
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
    this.leaveContainer(pod);
    this.leave(pod, req, nowMs);
    this.ports.finish(req, req.outcome, nowMs);
    this.pump(pod, nowMs);
    if (pod.drainDone !== null) this.drainer.check(pod);
  }

  /** queue-proxy's timeout fires while the request waits in the breaker queue: 504. */
  private queueTimeout(req: Req): void {
    if (req.phase !== PHASE.podQueued) throw new Error(`dataplane: queue-proxy timeout for request ${req.id} in phase ${req.phase}`);
    const nowMs = this.engine.nowMs;
    req.timer = null;
    const pod = req.pod as PodState;
    pod.queue.remove(req);
    this.leave(pod, req, nowMs);
    this.ports.finish(req, STATUS.timeout, nowMs);
    if (pod.drainDone !== null) this.drainer.check(pod);
  }

  /** A slot freed: queued requests enter the container in arrival order. */
  private pump(pod: PodState, nowMs: number): void {
    while (pod.queue.length > 0 && (pod.cc === 0 || pod.active < pod.cc)) this.startService(pod, takeFirst(this.engine, pod.queue) as Req, nowMs);
  }

  /** The request's memory leaves the container's counters. */
  private leaveContainer(pod: PodState): void {
    if (pod.usage.running) pod.usage.endRequest();
  }

  /** queue-proxy's stats Out event. */
  private leave(pod: PodState, req: Req, nowMs: number): void {
    pod.stats.requestOut(nowMs, req.viaActivator);
  }
}
