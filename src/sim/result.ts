/**
 * The result of a run: the JSON contract of `knsim run --json` (documented in the
 * README). Field order here is the order in the JSON. The same scenario and seed give
 * a byte-identical result.
 */

export interface RequestSummary {
  /** Requests that arrived; total = succeeded + failed + inFlight. */
  total: number;
  succeeded: number;
  failed: number;
  inFlight: number;
  /** Ended requests by HTTP status, e.g. `{ "200": 1190, "503": 10 }`. */
  byStatus: Record<string, number>;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface RunSummary {
  requests: RequestSummary;
  /** End-to-end latency of ended requests, in ms (≤ 1% relative error). */
  latencyMs: LatencySummary;
  /** Requests that waited for a pod to start because their revision had no ready pod. */
  coldStarts: number;
  /** Sum over pods of the seconds each existed (scheduled or not): the bill. */
  podSeconds: number;
}

export interface RevisionSummary {
  name: string;
  service: string;
  /** Requests routed to this revision. */
  requests: number;
  /** requests / all routed requests (0 when nothing was routed); shares sum to 1. */
  trafficShare: number;
  maxReadyPods: number;
}

/** One sample per revision per second. */
export interface SeriesSample {
  /** Virtual time in ms. */
  t: number;
  revision: string;
  /** The Deployment's spec.replicas. */
  desiredReplicas: number;
  readyPods: number;
  /** Pods that exist, including starting and terminating ones. */
  pods: number;
  /** Requests of this revision in the activator, queue-proxies or containers. */
  inFlight: number;
  stableConcurrency: number;
  panicConcurrency: number;
  panic: boolean;
  sksMode: 'Serve' | 'Proxy' | '';
  /** Requests routed to this revision that arrived during the second ending at `t`. */
  requests: number;
}

export interface RunEvent {
  t: number;
  component: string;
  object: string;
  message: string;
}

export interface ExpectationResult {
  description: string;
  passed: boolean;
  expected: string;
  actual: string;
  /** `file:line:col` of the expectation in the scenario. */
  at?: string;
}

export interface RunResult {
  scenario: string;
  seed: string | number;
  durationMs: number;
  fingerprint: string;
  summary: RunSummary;
  revisions: RevisionSummary[];
  series: SeriesSample[];
  events: RunEvent[];
  expectations: ExpectationResult[];
}
