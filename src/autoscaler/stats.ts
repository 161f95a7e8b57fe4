/**
 * The small interface between the data plane and the autoscaler (design.md: the
 * dataplane imports only these types). queue-proxies publish a stat per pod every
 * second that the autoscaler scrapes; the activator pushes its stats, and its first
 * request to a revision at zero pokes the autoscaler at once.
 * Fidelity: knative/serving pkg/autoscaler/metrics/stat.go, pkg/queue/protobuf_stats_reporter.go,
 * pkg/activator/handler/concurrency_reporter.go.
 */

/** One queue-proxy's published stat for the last 1s report period. */
export interface PodStat {
  podName: string;
  /** Time-weighted average of requests in flight or queued in the pod over the period. */
  averageConcurrency: number;
  /** The part of averageConcurrency that came through the activator. */
  averageProxiedConcurrency: number;
  /** Requests that arrived during the period, per second. */
  requestCount: number;
  /** The part of requestCount that came through the activator, per second. */
  proxiedRequestCount: number;
  /** Seconds since the queue-proxy started. */
  processUptimeSeconds: number;
}

/** Where the autoscaler's scraper reads pods' stats (the queue-proxies' :9090/metrics). */
export interface PodStatSource {
  /**
   * The pod's last published stat, or undefined if the pod has no queue-proxy serving stats.
   * The object may be reused by the next scrape: read it before scraping again.
   */
  scrape(namespace: string, podName: string): PodStat | undefined;
  /**
   * Optional: the pod found once, for a scraper that reads it every second. `handle.scrape()`
   * answers what `scrape(namespace, podName)` would, as long as `version()` is unchanged;
   * undefined when the source knows no such pod now.
   */
  open?(namespace: string, podName: string): PodStatHandle | undefined;
  /** Changes whenever the pods that `open` finds change (with `open`). */
  version?(): number;
}

/** One pod's stat source, from `PodStatSource.open`. */
export interface PodStatHandle {
  /** As `PodStatSource.scrape` of the pod (the object may be reused by the next scrape). */
  scrape(): PodStat | undefined;
}

/** A stat the activator sends for one revision. */
export interface ActivatorStat {
  namespace: string;
  revision: string;
  averageConcurrency: number;
  requestCount: number;
}

/** Where the activator sends its stats; each one is recorded and then pokes the revision's autoscaler. */
export interface ActivatorStatSink {
  /** Takes the stat's values during the call: the activator reuses the object for its next stat. */
  reportActivatorStat(stat: ActivatorStat): void;
  /**
   * Optional: a revision's destination found once, for a reporter that sends to it every
   * second. `handle.report(c, n)` does what `reportActivatorStat` of that revision's stat would,
   * as long as `version()` is unchanged; undefined when the sink knows no such revision now.
   */
  open?(namespace: string, revision: string): ActivatorStatHandle | undefined;
  /** Changes whenever the revisions that `open` finds change (with `open`). */
  version?(): number;
}

/** One revision's destination for activator stats, from `ActivatorStatSink.open`. */
export interface ActivatorStatHandle {
  report(averageConcurrency: number, requestCount: number): void;
}
