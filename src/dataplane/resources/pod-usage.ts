/**
 * CPU and memory of a revision's pod, as the kubelet's cgroup counters would read them: a
 * cumulative CPU time and a working set. The user container idles at `idleCpu` and each
 * request brings `cpuPerRequest` of CPU work; memory is `baseMemory` plus `memoryPerRequest`
 * for each request in the container.
 *
 * - CPU limit (the container's `resources.limits.cpu`): the container works through the CPU
 *   work of its requests at most at the limit (less its idle use). A request ends at the later
 *   of its own service time and the moment the work ahead of it and its own is done at that
 *   rate, so a pod asked for more CPU than its limit slows down, and its counter never runs
 *   faster than the limit. Example: limit 1000m, no idle, requests of 100 ms CPU lasting
 *   100 ms arriving together: the first ends at 100 ms, the second at 200 ms, the tenth at 1 s.
 * - Without a CPU limit a request keeps its service time and its CPU counts at once.
 * - Memory limit (`resources.limits.memory`): a request that takes the working set past it
 *   gets the container OOM killed (queue-proxy asks the kubelet's runtime: exit 137,
 *   OOMKilled, then the restart path and CrashLoopBackOff); what is inside fails with 502.
 * - Nothing is allocated per request: the pod keeps a few numbers, the counter is computed
 *   when read.
 *
 * Fidelity: the container serves CPU work in arrival order (a fluid FIFO at the limit) where
 * the kernel's CFS quota shares it among running threads: the same throughput and CPU use,
 * a different spread of latencies under contention. Work of a request that times out still
 * runs (the handler does not know). The queue-proxy's own CPU and memory are not modelled.
 * Upstream: none (the user's app); the counters stand for cAdvisor's
 * `container_cpu_usage_seconds_total` and `container_memory_working_set_bytes`.
 */
import type { AppModel } from '../app-model.js';

/** The least CPU left for requests when idle use reaches the limit: 1 millicore. */
const MIN_WORK_RATE_MILLIS = 1;

/** One pod's resource counters and limits. */
export class PodUsage {
  /** The user container's name (the one an OOM kill ends). */
  containerName = '';
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
  /** When the container started. */
  startMs = 0;
  /** When it stopped (NaN while running): its counter stops there. */
  stopMs = NaN;
  /** CPU work of every request admitted so far, millicore·ms (1 core for 1 s = 1,000,000). */
  admittedMilliMs = 0;
  /** With a CPU limit: when the work admitted so far is done at the limit. */
  busyUntilMs = 0;
  running = false;
  /** Running and something to model (a limit, or CPU work per request): the request path looks here only when set. */
  modelled = false;

  /** The container starts: idle CPU and memory from the app, limits from the pod spec. */
  start(app: AppModel, limits: { container: string; cpuMillis: number; memoryBytes: number }, nowMs: number): void {
    this.containerName = limits.container;
    this.cpuLimitMillis = limits.cpuMillis;
    this.memoryLimitBytes = limits.memoryBytes;
    this.idleMillis = app.idleCpuMillis;
    this.baseMemoryBytes = app.baseMemoryBytes;
    this.memoryPerRequestBytes = app.memoryPerRequestBytes;
    this.startMs = nowMs;
    this.stopMs = NaN;
    this.busyUntilMs = nowMs;
    this.running = true;
    this.modelled = limits.cpuMillis > 0 || limits.memoryBytes > 0 || app.cpuPerRequestMs > 0;
  }

  stop(nowMs: number): void {
    if (!this.running) return;
    this.stopMs = nowMs;
    this.running = false;
    this.modelled = false;
  }

  /** The rate requests' work runs at under the limit, millicores. */
  private workRateMillis(): number {
    return Math.max(MIN_WORK_RATE_MILLIS, this.cpuLimitMillis - this.idleMillis);
  }

  /** A request enters the container with `cpuMs` of CPU work: its service time, stretched when the CPU limit holds it back. */
  startRequest(cpuMs: number, serviceMs: number, nowMs: number): number {
    if (cpuMs <= 0) return serviceMs;
    const work = cpuMs * 1000;
    this.admittedMilliMs += work;
    if (this.cpuLimitMillis <= 0) return serviceMs;
    this.busyUntilMs = Math.max(nowMs, this.busyUntilMs) + work / this.workRateMillis();
    const cpuBoundMs = this.busyUntilMs - nowMs;
    return cpuBoundMs > serviceMs ? cpuBoundMs : serviceMs;
  }

  /** Cumulative CPU time at `nowMs`, millicore·ms: idle use plus the requests' work done by then. */
  cpuUsedMilliMs(nowMs: number): number {
    const t = Number.isNaN(this.stopMs) ? nowMs : Math.min(nowMs, this.stopMs);
    const idle = this.idleMillis * (t - this.startMs);
    const pending = this.cpuLimitMillis > 0 ? this.workRateMillis() * Math.max(0, this.busyUntilMs - t) : 0;
    return idle + this.admittedMilliMs - pending;
  }

  /** The working set with `inFlight` requests in the container, bytes. */
  memoryBytes(inFlight: number): number {
    return this.baseMemoryBytes + this.memoryPerRequestBytes * inFlight;
  }

  /** The working set with `inFlight` requests passes the memory limit. */
  overMemoryLimit(inFlight: number): boolean {
    return this.memoryLimitBytes > 0 && this.memoryBytes(inFlight) > this.memoryLimitBytes;
  }
}
