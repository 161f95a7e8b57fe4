/**
 * CPU and memory of a revision's pod, as the kubelet's cgroup counters would read them:
 * a cumulative CPU time and a working set. The user container idles at `idleCpu` and each
 * request in service burns `cpuPerRequest` of CPU time spread over its service time; memory
 * is `baseMemory` plus `memoryPerRequest` for each request in the container.
 *
 * - CPU limit (the container's `resources.limits.cpu`): when the demand (idle plus every
 *   request's rate) would pass the limit, the request starting is slowed by demand / limit,
 *   as CFS throttling stretches work over the quota; the counter never runs faster than the
 *   limit. Example: limit 1000m, idle 0, requests of 100 ms CPU each lasting 100 ms (1 core
 *   each): the second concurrent request sees a demand of 2000m and takes 200 ms.
 * - Memory limit: the working set is reported (metrics-server, the HPA's memory metric);
 *   the OOM kill is not modelled (see README's fidelity table).
 * - Counters integrate piecewise-constant rates lazily (on each start and end), so the
 *   request path allocates nothing: a request carries its rate in its record.
 *
 * Fidelity: the slowdown is decided once, when a request starts, from the demand at that
 * moment (the kernel keeps re-sharing the quota among running threads; knsim does not re-time
 * requests already running). The queue-proxy's own CPU and memory are not modelled.
 * Upstream: none (the user's app); the counters stand for cAdvisor's
 * `container_cpu_usage_seconds_total` and `container_memory_working_set_bytes`.
 */
import type { AppModel } from '../app-model.js';

/** One pod's resource counters and limits. */
export class PodUsage {
  /** The user container's CPU limit in millicores (0: none). */
  cpuLimitMillis = 0;
  /** The user container's memory limit in bytes (0: none). */
  memoryLimitBytes = 0;
  /** The app's idle CPU in millicores. */
  idleMillis = 0;
  /** The app's base memory in bytes. */
  baseMemoryBytes = 0;
  /** The app's memory per request in the container, bytes. */
  memoryPerRequestBytes = 0;
  /** Current demand in millicores: idle plus each request's rate. */
  demandMillis = 0;
  /** CPU time used, in millicore·ms (1 core for 1 s = 1,000,000). */
  cpuUsedMilliMs = 0;
  /** When cpuUsedMilliMs was last brought up to date. */
  lastMs = 0;
  /** Requests in the user container (their memory). */
  inFlight = 0;
  running = false;

  /** The container starts: idle CPU and base memory from the app, limits from the pod spec. */
  start(app: AppModel, limits: { cpuMillis: number; memoryBytes: number }, nowMs: number): void {
    this.cpuLimitMillis = limits.cpuMillis;
    this.memoryLimitBytes = limits.memoryBytes;
    this.idleMillis = app.idleCpuMillis;
    this.baseMemoryBytes = app.baseMemoryBytes;
    this.memoryPerRequestBytes = app.memoryPerRequestBytes;
    this.demandMillis = this.idleMillis;
    this.lastMs = nowMs;
    this.running = true;
  }

  stop(nowMs: number): void {
    this.advance(nowMs);
    this.running = false;
  }

  /** Brings the CPU counter up to `nowMs` at the current rate, capped at the limit. */
  advance(nowMs: number): void {
    if (!this.running) return;
    const rate = this.cpuLimitMillis > 0 && this.demandMillis > this.cpuLimitMillis ? this.cpuLimitMillis : this.demandMillis;
    this.cpuUsedMilliMs += rate * (nowMs - this.lastMs);
    this.lastMs = nowMs;
  }

  /**
   * A request enters the container with `cpuMs` of CPU work over `serviceMs`: returns its
   * service time, stretched when the demand passes the CPU limit, and its rate (millicores).
   */
  startRequest(cpuMs: number, serviceMs: number, nowMs: number, out: { serviceMs: number; rateMillis: number }): void {
    this.advance(nowMs);
    this.inFlight++;
    let rate = serviceMs > 0 ? (cpuMs * 1000) / serviceMs : 0;
    let ms = serviceMs;
    const demand = this.demandMillis + rate;
    if (this.cpuLimitMillis > 0 && demand > this.cpuLimitMillis && rate > 0) {
      const slowdown = demand / this.cpuLimitMillis;
      ms = serviceMs * slowdown;
      rate = rate / slowdown;
    }
    this.demandMillis += rate;
    out.serviceMs = ms;
    out.rateMillis = rate;
  }

  /** A request leaves the container (served, timed out, or reset). */
  endRequest(rateMillis: number, nowMs: number): void {
    this.advance(nowMs);
    this.inFlight--;
    this.demandMillis -= rateMillis;
    if (this.demandMillis < this.idleMillis) this.demandMillis = this.idleMillis;
  }

  /** The working set now, bytes. */
  memoryBytes(): number {
    return this.baseMemoryBytes + this.memoryPerRequestBytes * this.inFlight;
  }
}
