/**
 * The multiscaler: one decider and one metric collection per revision, a 1s scrape and a
 * 2s decision tick, the "watcher" notification to the PodAutoscaler reconciler, and the poke
 * that scales from zero as soon as the activator reports a request.
 *
 * Fidelity: mirrors knative/serving `pkg/autoscaler/scaling/multiscaler.go` and
 * `pkg/autoscaler/metrics/collector.go`. Differences, for determinism: one engine ticker drives
 * every revision, aligned to whole virtual seconds (scrapes each second, decisions on even
 * seconds, scrapes before decisions, revisions in (namespace, name) order), where Knative runs a
 * free-running goroutine ticker per revision. The ticker exists only while revisions do, so an
 * idle world can drain.
 */
import type { Pod } from '../apis/core.js';
import { deepEqual } from '../apis/meta.js';
import { NamespacedMap } from '../apis/namespaced-map.js';
import { must } from '../engine/assert.js';
import type { Engine, Ticker } from '../engine/index.js';
import { formatDuration } from '../engine/units.js';
import type { ApiServer } from '../k8s/api-server.js';
import type { ActivatorStat, ActivatorStatHandle, PodStatHandle, PodStatSource } from './stats.js';
import { copyExplanation, createAutoscaler, TICK_INTERVAL_MS, type Autoscaler, type DeciderSpec, type ScaleExplanation, type ScaleInput } from './decider.js';
import { ReadyPods, RevisionMetrics, scrapeRevision, type MetricSpec, type RecordedStat } from './metrics/collector.js';

const SCRAPE_INTERVAL_MS = 1000;

/** The decider's published status (Knative's DeciderStatus). */
interface DeciderStatus {
  /** -1 until the first valid decision. */
  desiredScale: number;
  excessBurstCapacity: number;
}

/** The latest decision for a revision, for recorders and views. */
export interface DecisionRecord {
  namespace: string;
  revision: string;
  nowMs: number;
  readyPods: number;
  observedStable: number;
  observedPanic: number;
  targetValue: number;
  inPanic: boolean;
  /** The decider's desired count (before min/max and scale-to-zero timing). */
  desiredScale: number;
  excessBurstCapacity: number;
  /** True when the last tick had no data (the decision stands). */
  noData: boolean;
  explanation: ScaleExplanation;
}

interface Entry {
  key: string;
  namespace: string;
  name: string;
  revision: string;
  /** `namespace/revision`: the key of its ready pods. */
  readyKey: string;
  /** Its ready pods as of the pods' version `readyAtPods` (-1: not read yet); no pod write since means the same list. */
  readyList: readonly Pod[];
  readyAtPods: number;
  autoscaler: Autoscaler;
  metrics: RevisionMetrics;
  status: DeciderStatus;
  /** Overwritten by each decision (the ticker decides every revision every 2s); handed out as copies. */
  latest: DecisionRecord | undefined;
  lastMessage: string;
  rng: () => number;
  /**
   * The pods' version (ApiServer.typeVersion) at which this revision went dormant: its last
   * decision had no data and no ready pod, and nothing was recorded since; -1 when awake.
   */
  dormantAtPods: number;
  /** The last decision tick while dormant (-1: none): `latest` is as if it had been decided then. */
  dormantTickMs: number;
  /** Forgotten (its PodAutoscaler is gone): a tick already under way passes it by. */
  deleted: boolean;
  /** Its one ready pod as opened (`PodStatSource.open`), for the pod object and source version it was opened at. */
  onlyHandle: PodStatHandle | undefined;
  onlyPod: Pod | undefined;
  onlyVersion: number;
}

export class MultiScaler {
  /** By (namespace, name): the activator's stats and the recorders look revisions up every second without building a key. */
  private readonly entries = new NamespacedMap<Entry>();
  /** The entries in key order, as the ticker visits them. */
  private sorted: Entry[] = [];
  /** Bumped whenever a revision's entry is made or forgotten (what `openActivatorStats` finds). */
  private entriesChanged = 0;
  /** One scrape's result, recorded at once and reused by the next. */
  private readonly scratch: RecordedStat = { averageConcurrency: 0, averageProxiedConcurrency: 0, requestCount: 0, proxiedRequestCount: 0 };
  /** One activator stat as recorded (nothing proxied), reused: the activator reports on every poke. */
  private readonly activatorScratch: RecordedStat = { averageConcurrency: 0, averageProxiedConcurrency: 0, requestCount: 0, proxiedRequestCount: 0 };
  /** One decision's input and the averages it reads, reused by the next decision. */
  private readonly input: ScaleInput = { nowMs: 0, readyPods: 0, metrics: null };
  private readonly averages = { stable: 0, panic: 0 };
  private ticker: Ticker | null = null;
  private readonly readyPods: ReadyPods;

  constructor(
    private readonly engine: Engine,
    api: ApiServer,
    private readonly podStats: PodStatSource,
    /** Called when a revision's desired scale or EBC sign changed (Knative's Inform → PA enqueue). */
    private readonly inform: (key: string) => void,
  ) {
    this.readyPods = new ReadyPods(api);
  }

  /**
   * Creates or updates the decider of a revision and returns its status. A new decider starts
   * at desired -1 with EBC from the initial scale: trunc(initialScale × total − TBC), or the
   * TBC itself when it is 0 or -1. Example: initial 2, total 25, TBC 42 → 8.
   */
  reconcile(namespace: string, name: string, revision: string, spec: DeciderSpec, metricSpec: MetricSpec, initialScale: number): DeciderStatus {
    const key = `${namespace}/${name}`;
    let entry = this.entries.get(namespace, name);
    const now = this.engine.nowMs;
    if (entry === undefined) {
      const tbc = spec.targetBurstCapacity;
      entry = {
        key,
        namespace,
        name,
        revision,
        readyKey: `${namespace}/${revision}`,
        readyList: [],
        readyAtPods: -1,
        autoscaler: createAutoscaler(spec, { nowMs: now, readyPods: this.readyPodCount(namespace, revision) }),
        metrics: new RevisionMetrics(metricSpec),
        status: { desiredScale: -1, excessBurstCapacity: tbc === -1 || tbc === 0 ? tbc : Math.trunc(initialScale * spec.totalValue - tbc) },
        latest: undefined,
        lastMessage: '',
        rng: this.engine.rng(`autoscaler/scraper/${key}`),
        dormantAtPods: -1,
        dormantTickMs: -1,
        deleted: false,
        onlyHandle: undefined,
        onlyPod: undefined,
        onlyVersion: -1,
      };
      this.entries.set(namespace, name, entry);
      this.entriesChanged++;
      this.insertSorted(entry);
      this.ensureTicker();
    } else {
      if (entry.autoscaler.spec !== spec && !sameSpec(entry.autoscaler.spec, spec)) {
        this.wake(entry);
        entry.autoscaler.update(spec);
      }
      const m = entry.metrics.spec;
      if (m.stableWindowMs !== metricSpec.stableWindowMs || m.panicWindowMs !== metricSpec.panicWindowMs || m.scrape !== metricSpec.scrape) {
        this.wake(entry);
        entry.metrics.update(metricSpec, now);
      }
    }
    return { ...entry.status };
  }

  /** Puts a new entry into the ticker's key order (a binary search: 1,000 revisions created at once would re-sort 1,000 times). */
  private insertSorted(entry: Entry): void {
    const sorted = this.sorted;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (must(sorted[mid], 'mid in range').key < entry.key) lo = mid + 1;
      else hi = mid;
    }
    this.sorted = [...sorted.slice(0, lo), entry, ...sorted.slice(lo)];
  }

  /** Forgets a revision (its PodAutoscaler is gone). */
  delete(namespace: string, name: string): void {
    const entry = this.entries.get(namespace, name);
    if (entry === undefined) return;
    this.entries.delete(namespace, name);
    this.entriesChanged++;
    entry.deleted = true;
    this.sorted = this.sorted.filter((e) => e !== entry);
    if (this.entries.size === 0 && this.ticker !== null) {
      this.ticker.cancel();
      this.ticker = null;
    }
  }

  /** The number of a revision's ready pods (Running, Ready, not terminating), from the index the ticker reads. */
  readyPodCount(namespace: string, revision: string): number {
    return this.readyPods.of(`${namespace}/${revision}`).length;
  }

  has(namespace: string, name: string): boolean {
    return this.entries.has(namespace, name);
  }

  status(namespace: string, name: string): DeciderStatus | undefined {
    const e = this.entries.get(namespace, name);
    return e === undefined ? undefined : { ...e.status };
  }

  latest(namespace: string, name: string): DecisionRecord | undefined {
    const e = this.entries.get(namespace, name);
    if (e === undefined) return undefined;
    this.settleDormantTick(e);
    const last = e.latest;
    return last === undefined ? undefined : { ...last, explanation: copyExplanation(last.explanation) };
  }

  /**
   * What the revision's latest decision observed, read every second by the recorders: the
   * record itself (do not modify it), without the time it was made, so nothing is built.
   */
  observed(namespace: string, name: string): Pick<DecisionRecord, 'observedStable' | 'observedPanic' | 'inPanic'> | undefined {
    return this.entries.get(namespace, name)?.latest;
  }

  /** The decider spec in force for a revision (for views); undefined if unknown. */
  spec(namespace: string, name: string): DeciderSpec | undefined {
    return this.entries.get(namespace, name)?.autoscaler.spec;
  }

  /**
   * Records an activator stat into the revision's windows (additive with scrapes), then pokes:
   * if the last desired scale is 0 and the stat shows concurrency, decide at once.
   */
  recordActivatorStat(stat: ActivatorStat): void {
    const entry = this.entries.get(stat.namespace, stat.revision);
    if (entry !== undefined) this.recordActivator(entry, stat.averageConcurrency, stat.requestCount);
  }

  /**
   * A revision's destination for activator stats, found once: the activator reports each of its
   * revisions every second (three stats for a request that comes alone). Undefined for a
   * revision without a decider; valid while `entriesVersion` is unchanged.
   */
  openActivatorStats(namespace: string, revision: string): ActivatorStatHandle | undefined {
    const entry = this.entries.get(namespace, revision);
    return entry === undefined ? undefined : { report: (averageConcurrency, requestCount) => this.recordActivator(entry, averageConcurrency, requestCount) };
  }

  /** Changes whenever a revision's entry is made or forgotten: a handle from `openActivatorStats` holds while it does not. */
  get entriesVersion(): number {
    return this.entriesChanged;
  }

  private recordActivator(entry: Entry, averageConcurrency: number, requestCount: number): void {
    this.wake(entry);
    const recorded = this.activatorScratch;
    recorded.averageConcurrency = averageConcurrency;
    recorded.requestCount = requestCount;
    entry.metrics.record(this.engine.nowMs, recorded);
    if (entry.status.desiredScale === 0 && averageConcurrency !== 0) this.tick(entry, this.engine.nowMs, true);
  }

  private ensureTicker(): void {
    if (this.ticker !== null) return;
    const firstAt = Math.floor(this.engine.nowMs / SCRAPE_INTERVAL_MS) * SCRAPE_INTERVAL_MS + SCRAPE_INTERVAL_MS;
    this.ticker = this.engine.every(SCRAPE_INTERVAL_MS, (now) => this.onSecond(now), firstAt);
  }

  /**
   * Every second: scrape each revision; on even seconds also decide. Scrapes change no pod,
   * so one list of ready pods per revision serves both (revisions in name order).
   */
  private onSecond(now: number): void {
    const decide = now % TICK_INTERVAL_MS === 0;
    const podsVersion = this.readyPods.version();
    for (const e of this.sorted) {
      if (e.deleted || !(decide || e.metrics.spec.scrape)) continue;
      // A dormant revision while no pod changed: its scrape finds no pod and its decision no
      // data, as a second ago; skipping them changes nothing but when `latest` was decided.
      if (e.dormantAtPods === podsVersion) {
        if (decide) e.dormantTickMs = now;
        continue;
      }
      const ready = this.readyOf(e, podsVersion);
      if (e.dormantAtPods >= 0) {
        if (ready.length === 0) {
          e.dormantAtPods = podsVersion;
          if (decide) e.dormantTickMs = now;
          continue;
        }
        this.wake(e);
      }
      if (e.metrics.spec.scrape) {
        const stat = scrapeRevision(this.podStats, e.namespace, ready, e.metrics.spec.stableWindowMs, now, e.rng, this.scratch, this.onlyHandle(e, ready));
        if (stat !== undefined) e.metrics.record(now, stat);
      }
      if (decide) {
        this.tick(e, now, false, ready.length);
        // No data and no pod: nothing changes until a pod, a stat or a new spec arrives.
        if (ready.length === 0 && e.latest?.explanation.invalidReason === 'no-data') e.dormantAtPods = podsVersion;
      }
    }
  }

  /** The revision's ready pods: looked up again only after some pod changed. */
  private readyOf(e: Entry, podsVersion: number): readonly Pod[] {
    if (e.readyAtPods !== podsVersion) {
      e.readyList = this.readyPods.of(e.readyKey);
      e.readyAtPods = podsVersion;
    }
    return e.readyList;
  }

  /**
   * The opened stat source of a revision's one ready pod, opened again only when that pod's
   * object or the source's pods changed: a scrape by name reads the pod's name and looks it up,
   * and with 1,000 one-pod revisions every second that is most of the scrape's time.
   */
  private onlyHandle(e: Entry, ready: readonly Pod[]): PodStatHandle | undefined {
    const podStats = this.podStats;
    const pod = ready[0];
    if (ready.length !== 1 || pod === undefined || podStats.open === undefined || podStats.version === undefined) return undefined;
    const version = podStats.version();
    if (pod !== e.onlyPod || version !== e.onlyVersion) {
      e.onlyPod = pod;
      e.onlyVersion = version;
      e.onlyHandle = podStats.open(e.namespace, pod.metadata.name);
    }
    return e.onlyHandle;
  }

  /** Brings a dormant revision back to a full tick each second. */
  private wake(e: Entry): void {
    if (e.dormantAtPods < 0) return;
    this.settleDormantTick(e);
    e.dormantAtPods = -1;
  }

  /** The decision a dormant revision skipped at its last tick: the same no-data record, at that time. */
  private settleDormantTick(e: Entry): void {
    const at = e.dormantTickMs;
    if (at < 0) return;
    e.dormantTickMs = -1;
    const last = e.latest;
    if (last === undefined) return;
    last.nowMs = at;
    last.explanation.nowMs = at;
  }

  private tick(e: Entry, now: number, poked: boolean, readyCount?: number): void {
    const spec = e.autoscaler.spec;
    const ready = readyCount ?? this.readyOf(e, this.readyPods.version()).length;
    const input = this.input;
    input.nowMs = now;
    input.readyPods = ready;
    input.metrics = e.metrics.stableAndPanic(spec.scalingMetric, now, this.averages);
    let record = e.latest;
    if (record === undefined) {
      record = {
        namespace: e.namespace,
        revision: e.name,
        nowMs: now,
        readyPods: ready,
        observedStable: 0,
        observedPanic: 0,
        targetValue: 0,
        inPanic: false,
        desiredScale: 0,
        excessBurstCapacity: 0,
        noData: false,
        explanation: {} as ScaleExplanation,
      };
      e.latest = record;
    }
    const explanation = record.explanation;
    const result = e.autoscaler.scaleInto(input, explanation);
    input.metrics = null;
    record.nowMs = now;
    record.readyPods = ready;
    record.observedStable = explanation.observedStable;
    record.observedPanic = explanation.observedPanic;
    record.targetValue = spec.targetValue;
    record.inPanic = explanation.inPanic;
    record.desiredScale = result.scaleValid ? result.desiredPodCount : e.status.desiredScale;
    record.excessBurstCapacity = result.scaleValid ? result.excessBurstCapacity : e.status.excessBurstCapacity;
    record.noData = !result.scaleValid;
    if (!result.scaleValid) return;
    let changed = false;
    if (e.status.desiredScale !== result.desiredPodCount) {
      e.status.desiredScale = result.desiredPodCount;
      changed = true;
    }
    // Zero counts as positive: only a crossing between negative and non-negative notifies.
    if (e.status.excessBurstCapacity < 0 !== result.excessBurstCapacity < 0) changed = true;
    e.status.excessBurstCapacity = result.excessBurstCapacity;
    if (changed || explanation.panicTransition === 'enter' || explanation.panicTransition === 'exit') this.narrate(e, explanation, e.metrics.spec, poked);
    if (changed) this.inform(e.key);
  }

  /** One readable line per change of decision, with the numbers behind it as data. */
  private narrate(e: Entry, x: ScaleExplanation, m: MetricSpec, poked: boolean): void {
    const spec = e.autoscaler.spec;
    const unit = spec.scalingMetric === 'rps' ? 'requests/s' : 'concurrent';
    const num = (v: number): string => String(Math.round(v * 1000) / 1000);
    const pods = (n: number): string => `${n} pod${n === 1 ? '' : 's'}`;
    let message: string;
    if (x.panicTransition === 'enter' || (x.inPanic && x.overPanicThreshold)) {
      message = `panic: observed ${num(x.observedPanic)} ${unit} over ${formatDuration(m.panicWindowMs)} ≥ ${spec.panicThreshold.toFixed(1)} × ${pods(x.readyPodsForRates)} capacity (target ${num(spec.targetValue)} per pod); desired ${x.desiredPodCount}`;
    } else if (x.panicTransition === 'exit') {
      message = `panic over: no burst for the ${formatDuration(spec.stableWindowMs)} stable window; observed ${num(x.observedStable)} ${unit}; desired ${x.desiredPodCount}`;
    } else if (x.desiredPodCount === 0 && x.observedStable === 0) {
      message = `no requests in the ${formatDuration(m.stableWindowMs)} stable window: desired 0`;
    } else {
      message = `${poked ? 'poked by the activator: ' : ''}observed ${num(x.observedStable)} ${unit} over the ${formatDuration(m.stableWindowMs)} stable window, target ${num(spec.targetValue)} per pod: desired ${x.desiredPodCount}`;
    }
    const notes: string[] = [];
    if (x.inPanic && x.panicTransition !== 'enter' && x.desiredPodCount > Math.max(x.boundedStable, x.boundedPanic))
      notes.push(`in panic, not scaling below ${x.maxPanicPods}`);
    if (x.desiredStablePodCount > x.maxScaleUp && x.boundedStable === x.maxScaleUp) notes.push(`limited by max-scale-up-rate to ${x.maxScaleUp}`);
    if (x.desiredStablePodCount < x.maxScaleDown && !x.inPanic) notes.push(`limited by max-scale-down-rate to ${x.maxScaleDown}`);
    if (x.activationScaleApplied) notes.push(`raised to activation-scale ${spec.activationScale}`);
    if (x.delayedTo !== undefined && x.delayedTo !== x.desiredBeforeDelay)
      notes.push(`held at ${x.delayedTo} by the ${formatDuration(spec.scaleDownDelayMs)} scale-down delay (wants ${x.desiredBeforeDelay})`);
    if (notes.length > 0) message += ` (${notes.join('; ')})`;
    if (message === e.lastMessage) return;
    e.lastMessage = message;
    this.engine.trace('autoscaler', e.name, message, {
      ...copyExplanation(x),
      panicWindowMs: m.panicWindowMs,
      stableWindowMs: m.stableWindowMs,
      panicThreshold: spec.panicThreshold,
      // The spec behind the numbers, for explain: target = total × utilization, EBC, the rates.
      scalingMetric: spec.scalingMetric,
      totalValue: spec.totalValue,
      targetBurstCapacity: spec.targetBurstCapacity,
      maxScaleUpRate: spec.maxScaleUpRate,
      maxScaleDownRate: spec.maxScaleDownRate,
      activationScale: spec.activationScale,
      scaleDownDelayMs: spec.scaleDownDelayMs,
      poked,
    });
  }
}

function sameSpec(a: DeciderSpec, b: DeciderSpec): boolean {
  return deepEqual(a, b);
}
