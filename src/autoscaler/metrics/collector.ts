/**
 * Per-revision metric collection: four windows (concurrency and RPS, stable and panic) fed
 * by a 1s scrape of the revision's ready pods through `PodStatSource` and by the activator's
 * pushed stats, and read by the decider as revision-wide totals.
 *
 * Fidelity: mirrors knative/serving `pkg/autoscaler/metrics/collector.go` (record: proxied
 * values subtracted; StableAndPanic*: ErrNoData when the stable window saw no write and a scrape
 * target exists), `stats_scraper.go` (`scrapePods`: pods split by age at the stable window, older
 * pods preferred, shuffled with a seeded stream instead of math/rand, sum / sample × population)
 * and `sample_size.go`. Simplified: no HTTP, no mesh fallback to service scraping; a pod without
 * a stat is skipped, and if too few pods answer nothing is recorded (Knative: errPodsExhausted).
 */
import { isPodReady, TYPE, type Pod } from '../../apis/core.js';
import { LABEL } from '../../apis/serving-types.js';
import type { ApiServer } from '../../k8s/api-server.js';
import type { CustomIndex } from '../../k8s/store-indexes.js';
import type { PodStatHandle, PodStatSource } from '../stats.js';
import { TimedFloat64Buckets, WeightedFloat64Buckets, type WindowAverager } from '../aggregation/bucketing.js';
import { must } from '../../engine/assert.js';

/** What a revision's windows look like (Knative's Metric spec). */
export interface MetricSpec {
  stableWindowMs: number;
  panicWindowMs: number;
  /** False when TBC = -1: no pod scraping, only activator stats, and no ErrNoData. */
  scrape: boolean;
  aggregation: 'linear' | 'weighted-exponential';
}

/** A stat as the collector records it (a scrape result or an activator report). */
export interface RecordedStat {
  averageConcurrency: number;
  averageProxiedConcurrency: number;
  requestCount: number;
  proxiedRequestCount: number;
}

/** Knative's metric buckets are one second wide (`BucketSize`). */
const BUCKET_MS = 1000;

/** 1.96² × 100 / 5²: the sample size for an unbounded population (95% confidence, ±5 margin). */
const UNBOUNDED_SAMPLE_SIZE = (1.96 * 1.96 * 100) / (5 * 5);

/**
 * How many of N ready pods to scrape: N when N ≤ 3, else ceil(N·X / (N + X − 1)) with X = 15.3664.
 * Examples: 10 → 7, 100 → 14.
 */
function populationMeanSampleSize(population: number): number {
  if (population <= 3) return Math.max(population, 0);
  return Math.ceil((population * UNBOUNDED_SAMPLE_SIZE) / (population + UNBOUNDED_SAMPLE_SIZE - 1));
}

/**
 * The four windows of one revision (concurrency and RPS, stable and panic). Both metrics are
 * always recorded together, so each window length is one two-lane window: lane 0 concurrency,
 * lane 1 RPS (bucketing.ts), each lane what Knative's window of that metric holds.
 */
export class RevisionMetrics {
  private stable: WindowAverager;
  private panic: WindowAverager;

  constructor(public spec: MetricSpec) {
    const make = (w: number): WindowAverager =>
      spec.aggregation === 'weighted-exponential' ? new WeightedFloat64Buckets(w, BUCKET_MS, 2) : new TimedFloat64Buckets(w, BUCKET_MS, 2);
    this.stable = make(spec.stableWindowMs);
    this.panic = make(spec.panicWindowMs);
  }

  /** Applies a changed spec: windows are resized in place (the aggregation algorithm is fixed at creation, as in Knative). */
  update(spec: MetricSpec, nowMs: number): void {
    this.spec = { ...spec, aggregation: this.spec.aggregation };
    this.stable.resizeWindow(spec.stableWindowMs, nowMs);
    this.panic.resizeWindow(spec.panicWindowMs, nowMs);
  }

  /** Records a stat; proxied traffic is subtracted because the activator reports it itself. */
  record(nowMs: number, stat: RecordedStat): void {
    const concurrency = stat.averageConcurrency - stat.averageProxiedConcurrency;
    const rps = stat.requestCount - stat.proxiedRequestCount;
    this.stable.record(nowMs, concurrency, rps);
    this.panic.record(nowMs, concurrency, rps);
  }

  /** Stable and panic averages of a metric (written into `into` when given), or null for Knative's ErrNoData. */
  stableAndPanic(
    metric: 'concurrency' | 'rps',
    nowMs: number,
    into: { stable: number; panic: number } = { stable: 0, panic: 0 },
  ): { stable: number; panic: number } | null {
    const lane = metric === 'rps' ? 1 : 0;
    if (this.stable.isEmpty(nowMs) && this.spec.scrape) return null;
    into.stable = this.stable.windowAverage(nowMs, lane);
    into.panic = this.panic.windowAverage(nowMs, lane);
    return into;
  }
}

/**
 * The ready pods of every revision at once, for the per-second ticker: the ready pods of
 * each revision under `namespace/revision`, kept in step with every pod write by an index of
 * the API server, in (namespace, name) order: what a sorted list of them would answer.
 */
export class ReadyPods {
  private readonly index: CustomIndex<Pod>;

  constructor(private readonly api: ApiServer) {
    this.index = api.addIndex<Pod>(TYPE.pod, (pod) => {
      const revision = pod.metadata.labels?.[LABEL.revision];
      return revision === undefined || !isPodReady(pod) ? NO_KEYS : [`${pod.metadata.namespace ?? ''}/${revision}`];
    });
  }

  /** A number that changes whenever any pod does: the answers of `of` stay the same while it does not. */
  version(): number {
    return this.api.typeVersion(TYPE.pod);
  }

  /** The ready pods of the revision `namespace/revision` (do not modify the array). */
  of(key: string): readonly Pod[] {
    return this.index.get(key);
  }
}

const NO_KEYS: readonly string[] = [];

/**
 * One scrape of a revision: the sampled pods' stats summed, divided by the sample size and
 * multiplied by the ready-pod count (an estimate of the revision total), written into `into`.
 * Returns undefined when there are no ready pods or too few pods answered (nothing is recorded then).
 * Example: 10 ready pods → 7 sampled; their concurrency sums to 14 → 14 / 7 × 10 = 20.
 * `only`, when given, is the one ready pod opened (`PodStatSource.open`): it is read instead of
 * the pod found by name.
 */
export function scrapeRevision(
  podStats: PodStatSource,
  namespace: string,
  ready: readonly Pod[],
  stableWindowMs: number,
  nowMs: number,
  rng: () => number,
  into: RecordedStat = { averageConcurrency: 0, averageProxiedConcurrency: 0, requestCount: 0, proxiedRequestCount: 0 },
  only?: PodStatHandle,
): RecordedStat | undefined {
  if (ready.length === 0) return undefined;
  if (ready.length === 1) {
    // One pod is the whole sample (a shuffle of one draws nothing; x / 1 × 1 is x).
    const stat = only !== undefined ? only.scrape() : podStats.scrape(namespace, must(ready[0], 'one ready pod').metadata.name);
    if (stat === undefined) return undefined;
    // 0 + x as the sum below starts (a -0 reads as 0).
    into.averageConcurrency = 0 + stat.averageConcurrency;
    into.averageProxiedConcurrency = 0 + stat.averageProxiedConcurrency;
    into.requestCount = 0 + stat.requestCount;
    into.proxiedRequestCount = 0 + stat.proxiedRequestCount;
    return into;
  }
  const older: string[] = [];
  const younger: string[] = [];
  for (const pod of ready) {
    const startedMs = pod.status?.startTime ?? pod.metadata.creationTimestamp ?? 0;
    (nowMs - startedMs >= stableWindowMs ? older : younger).push(pod.metadata.name);
  }
  const sampleSize = populationMeanSampleSize(ready.length);
  // Old pods are preferred; young ones fill in only when there are not enough old ones.
  if (older.length < sampleSize) shuffle(younger, rng);
  else shuffle(older, rng);
  into.averageConcurrency = 0;
  into.averageProxiedConcurrency = 0;
  into.requestCount = 0;
  into.proxiedRequestCount = 0;
  let got = 0;
  for (let i = 0; i < ready.length && got < sampleSize; i++) {
    const name = must(i < older.length ? older[i] : younger[i - older.length], 'candidate in range');
    const stat = podStats.scrape(namespace, name);
    if (stat === undefined) continue;
    into.averageConcurrency += stat.averageConcurrency;
    into.averageProxiedConcurrency += stat.averageProxiedConcurrency;
    into.requestCount += stat.requestCount;
    into.proxiedRequestCount += stat.proxiedRequestCount;
    got++;
  }
  if (got < sampleSize) return undefined;
  into.averageConcurrency = (into.averageConcurrency / sampleSize) * ready.length;
  into.averageProxiedConcurrency = (into.averageProxiedConcurrency / sampleSize) * ready.length;
  into.requestCount = (into.requestCount / sampleSize) * ready.length;
  into.proxiedRequestCount = (into.proxiedRequestCount / sampleSize) * ready.length;
  return into;
}

/** Fisher–Yates with a seeded stream (Go's rand.Shuffle draws differ; only the sample choice depends on it). */
function shuffle<T>(list: T[], rng: () => number): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = must(list[i], 'shuffle index in range');
    list[i] = must(list[j], 'shuffle index in range');
    list[j] = t;
  }
}
