/**
 * The kubelet's prober: one worker per probe of each container (readiness, liveness,
 * startup), probing on the probe's period and acting on results that reach their
 * threshold.
 *
 * - Ticks run on the grid `admitted + k·periodSeconds` (the worker starts with the pod),
 *   while the container runs; a probe is skipped within `initialDelaySeconds` of the
 *   container's start, while a probe is still awaiting its answer, and — for readiness
 *   and liveness — until the startup probe passed (a startup probe stops once it passed).
 * - When a container has started and its readiness is not yet known, the readiness probe
 *   also runs at once (the status manager's manual trigger), so a container that answers
 *   right away is Ready without waiting for the next tick.
 * - A result counts once it came `successThreshold` (or `failureThreshold`) times in a
 *   row. Readiness sets the container's ready flag; a failed startup or liveness probe
 *   has the container killed and restarted, and its worker holds until the next container.
 * - Readiness starts as failure for every new container; a container that stops is not
 *   ready at once (no probe needed).
 * Example: period 10 s, failureThreshold 3, a process that stops answering at 42 s: the
 * probes at 50, 60, 70 s fail → Unhealthy three times; the third makes it count (liveness:
 * killed at 70 s).
 *
 * Fidelity: a probe's answer is computed when it is sent (runtime.ts); the Go ticker's
 * catch-up after a long probe is not modelled (the next probe waits for the next tick).
 * Probes of a terminating pod: liveness and startup stop; readiness is moot (the
 * kubelet marks a terminating pod not Ready).
 *
 * Mirrors kubernetes pkg/kubelet/prober/{worker.go (run, doProbe), prober_manager.go
 * (AddPod, UpdatePodStatus), prober.go (events)}.
 */
import type { Engine } from '../../engine/index.js';
import type { Container, Probe } from '../../apis/core.js';
import type { ContainerRuntime, ProbeWorker } from './pod-worker.js';
import type { ProbeKind } from './runtime.js';

/** What the prober tells its kubelet. */
export interface ProberEvents {
  /** A container's ready flag may have changed: write status. */
  readinessChanged(c: ContainerRuntime): void;
  /** The startup probe passed: the container counts as started. */
  started(c: ContainerRuntime): void;
  /** A liveness or startup probe failed `failureThreshold` times: kill and restart the container. */
  failed(c: ContainerRuntime, kind: ProbeKind): void;
}

const PROBE_NAMES: Record<ProbeKind, string> = { readiness: 'Readiness', liveness: 'Liveness', startup: 'Startup' };

export class Prober {
  // Bound once: events carry the worker record, not a closure.
  private readonly tickFn = (p: ProbeWorker): void => this.onTick(p);
  private readonly answerFn = (p: ProbeWorker): void => this.onAnswer(p);

  constructor(
    private readonly engine: Engine,
    private readonly nodeName: string,
    private readonly events: ProberEvents,
  ) {}

  /** AddPod: the container's probe workers, from its (defaulted) spec. */
  workersFor(c: ContainerRuntime, spec: Container | undefined): ProbeWorker[] {
    const out: ProbeWorker[] = [];
    const add = (kind: ProbeKind, probe: Probe | undefined): void => {
      if (probe === undefined) return;
      out.push({
        c,
        kind,
        spec: probe,
        periodMs: (probe.periodSeconds || 10) * 1000,
        timeoutMs: (probe.timeoutSeconds || 1) * 1000,
        initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
        successThreshold: probe.successThreshold || 1,
        failureThreshold: probe.failureThreshold || 3,
        tick: null,
        answer: null,
        answerOk: false,
        answerMessage: '',
        lastOk: null,
        run: 0,
        result: kind === 'readiness' ? false : null,
        onHold: false,
      });
    };
    add('startup', spec?.startupProbe);
    add('readiness', spec?.readinessProbe);
    add('liveness', spec?.livenessProbe);
    return out;
  }

  /** A new container runs: every worker resumes with its initial result; readiness is probed at once if it may. */
  containerStarted(c: ContainerRuntime): void {
    for (const p of c.probes) {
      p.onHold = false;
      p.result = p.kind === 'readiness' ? false : null;
      this.scheduleTick(p);
    }
    this.triggerReadiness(c);
  }

  /** The container started (or passed its startup probe): readiness runs at once if it may (UpdatePodStatus's manual trigger). */
  triggerReadiness(c: ContainerRuntime): void {
    const p = c.probes.find((x) => x.kind === 'readiness');
    if (p !== undefined && p.result !== true && c.phase === 'running' && !c.worker.finished) this.maybeProbe(p);
  }

  /** The container stopped: its probes wait for the next one, and it is not ready. */
  containerStopped(c: ContainerRuntime): void {
    for (const p of c.probes) {
      this.cancel(p);
      if (p.kind === 'readiness') p.result = false;
    }
  }

  /** The pod is going away: every probe stops. */
  stopAll(containers: readonly ContainerRuntime[]): void {
    for (const c of containers) for (const p of c.probes) this.cancel(p);
  }

  /** Whether the container counts as ready: running, started, not stopping, and its readiness probe (if any) passed. */
  isReady(c: ContainerRuntime): boolean {
    if (c.phase !== 'running' || !c.started || c.stopping) return false;
    const p = c.probes.find((x) => x.kind === 'readiness');
    return p === undefined || p.result === true;
  }

  private cancel(p: ProbeWorker): void {
    this.engine.cancel(p.tick);
    this.engine.cancel(p.answer);
    p.tick = null;
    p.answer = null;
  }

  /** The next tick strictly after now on the grid `admitted + k·period`. */
  private scheduleTick(p: ProbeWorker): void {
    this.engine.cancel(p.tick);
    const anchor = p.c.worker.syncStartedAtMs;
    const now = this.engine.nowMs;
    const k = Math.floor((now - anchor) / p.periodMs) + 1;
    // Rounding can put anchor + k·period at now itself (fractional anchors): the tick after it then.
    let atMs = anchor + k * p.periodMs;
    if (atMs <= now) atMs = anchor + (k + 1) * p.periodMs;
    p.tick = this.engine.at(atMs, this.tickFn, p);
  }

  private onTick(p: ProbeWorker): void {
    p.tick = null;
    const c = p.c;
    if (c.phase !== 'running' || c.worker.finished) return;
    this.scheduleTick(p);
    this.maybeProbe(p);
  }

  /** doProbe's gates: held, busy, stopping, terminating (liveness and startup), within the initial delay, not yet started (or, for startup, already). */
  private maybeProbe(p: ProbeWorker): void {
    const c = p.c;
    if (p.onHold || p.answer !== null || c.stopping) return;
    if (c.worker.terminating && p.kind !== 'readiness') return;
    if (this.engine.nowMs - (c.startedAtMs ?? this.engine.nowMs) < p.initialDelayMs) return;
    if (p.kind === 'startup' ? c.started : !c.started) return;
    this.probe(p);
  }

  /** Sends one probe: its answer applies now, or when it arrives. */
  private probe(p: ProbeWorker): void {
    const process = p.c.process;
    if (process === null) return;
    const a = process.probe(p.kind, p.spec, p.timeoutMs);
    const afterMs = Math.min(Math.max(0, a.afterMs), p.timeoutMs);
    p.answerOk = a.ok;
    p.answerMessage = a.message ?? '';
    if (afterMs > 0) p.answer = this.engine.after(afterMs, this.answerFn, p);
    else this.apply(p);
  }

  private onAnswer(p: ProbeWorker): void {
    p.answer = null;
    if (p.c.phase !== 'running' || p.c.worker.finished) return;
    this.apply(p);
  }

  /** Counts the outcome; acts once it reached its threshold (doProbe's tail). */
  private apply(p: ProbeWorker): void {
    const ok = p.answerOk;
    const c = p.c;
    if (!ok) {
      const message = p.answerMessage === '' ? 'probe failed' : p.answerMessage;
      this.engine.trace('kubelet', `pod/${c.worker.name}`, `${PROBE_NAMES[p.kind]} probe failed: ${message}`, {
        reason: 'Unhealthy',
        node: this.nodeName,
        container: c.name,
        probe: p.kind,
      });
    }
    if (p.lastOk === ok) p.run++;
    else {
      p.lastOk = ok;
      p.run = 1;
    }
    if (p.run < (ok ? p.successThreshold : p.failureThreshold)) return;
    const changed = p.result !== ok;
    p.result = ok;
    switch (p.kind) {
      case 'readiness':
        if (changed) this.events.readinessChanged(c);
        return;
      case 'startup':
        if (ok) {
          if (changed) this.events.started(c);
          return;
        }
        break;
      case 'liveness':
        if (ok) return;
        break;
    }
    // A failed liveness or startup probe: hold until the next container, and restart this one.
    p.onHold = true;
    p.run = 0;
    this.events.failed(c, p.kind);
  }
}
