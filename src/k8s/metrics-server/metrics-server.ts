/**
 * metrics-server: every `metric-resolution` (15 s) it scrapes each running pod's cumulative
 * CPU time and memory working set from the kubelet, and serves the resource metrics API
 * (`metrics.k8s.io` PodMetrics) from the last two scrapes: CPU as the rate between them
 * (window = the time between them), memory as the last working set. A pod appears only
 * once it has two scrapes, so a new pod has no metric for 15–30 s (the HPA's "missing" pods).
 * Example: scrapes at 30 s (cpu 1,200,000 m·ms) and 45 s (cpu 4,200,000 m·ms) → 200m,
 * timestamp 45 s, window 15 s.
 *
 * Fidelity: mirrors kubernetes-sigs/metrics-server `pkg/storage` (rate of the cumulative
 * counter between two points, at the later one's timestamp) with the default
 * `--metric-resolution=15s`; the kubelet's summary is read at the scrape instant (no
 * cAdvisor housekeeping delay). One value per pod (the user container's; the queue-proxy's
 * own usage is not modelled). Memory: one entry per running pod, dropped when it goes.
 */
import type { Engine } from '../../engine/index.js';
import { TYPE, type Pod } from '../../apis/core.js';
import type { ApiServer } from '../api-server.js';

/** What the kubelet reports for a pod's user container. */
export interface PodUsageReading {
  /** Cumulative CPU time, millicore·ms. */
  cpuUsedMilliMs: number;
  memoryBytes: number;
}

/** Where metrics-server reads pod usage (the data plane's containers). */
export interface PodUsageSource {
  read(namespace: string, podName: string): PodUsageReading | undefined;
}

/** A PodMetrics entry: CPU in millicores, memory in bytes, at `timestampMs` over `windowMs`. */
export interface PodMetrics {
  cpuMillis: number;
  memoryBytes: number;
  timestampMs: number;
  windowMs: number;
}

interface Samples {
  prevMs: number;
  prevCpu: number;
  lastMs: number;
  lastCpu: number;
  memoryBytes: number;
  scrapes: number;
}

/** metrics-server's default `--metric-resolution`. */
export const METRIC_RESOLUTION_MS = 15_000;

export class MetricsServer {
  private samples = new Map<string, Samples>();
  private readonly tickFn = (): void => this.scrape();

  constructor(
    private readonly engine: Engine,
    private readonly api: ApiServer,
    private readonly source: PodUsageSource,
    private readonly resolutionMs = METRIC_RESOLUTION_MS,
  ) {}

  private started = false;

  /** Starts scraping (at the next multiple of the resolution); later calls do nothing. */
  ensureStarted(): void {
    if (this.started) return;
    this.started = true;
    const nowMs = this.engine.nowMs;
    this.engine.at((Math.floor(nowMs / this.resolutionMs) + 1) * this.resolutionMs, this.tickFn);
  }

  /** The PodMetrics of a pod, or undefined before its second scrape. */
  podMetrics(namespace: string, name: string): PodMetrics | undefined {
    const s = this.samples.get(`${namespace}/${name}`);
    if (s === undefined || s.scrapes < 2 || s.lastMs <= s.prevMs) return undefined;
    return {
      cpuMillis: Math.round((s.lastCpu - s.prevCpu) / (s.lastMs - s.prevMs)),
      memoryBytes: s.memoryBytes,
      timestampMs: s.lastMs,
      windowMs: s.lastMs - s.prevMs,
    };
  }

  /** One scrape of every running pod (in key order), forgetting pods that are gone. */
  private scrape(): void {
    const nowMs = this.engine.nowMs;
    const next = new Map<string, Samples>();
    for (const pod of this.api.list<Pod>(TYPE.pod)) {
      if (pod.status?.phase !== 'Running') continue;
      const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
      const reading = this.source.read(pod.metadata.namespace ?? '', pod.metadata.name);
      if (reading === undefined) continue;
      const s = this.samples.get(key);
      next.set(
        key,
        s === undefined
          ? { prevMs: nowMs, prevCpu: reading.cpuUsedMilliMs, lastMs: nowMs, lastCpu: reading.cpuUsedMilliMs, memoryBytes: reading.memoryBytes, scrapes: 1 }
          : { prevMs: s.lastMs, prevCpu: s.lastCpu, lastMs: nowMs, lastCpu: reading.cpuUsedMilliMs, memoryBytes: reading.memoryBytes, scrapes: s.scrapes + 1 },
      );
    }
    this.samples = next;
    this.engine.at(nowMs + this.resolutionMs, this.tickFn);
  }
}
