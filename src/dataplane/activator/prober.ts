/**
 * The activator's probe of pods through their queue-proxy (which probes the user
 * container, app-process.ts): every 200 ms from when the activator saw the pod, until
 * it passes. A pod that passed takes requests from the activator ahead of its Ready
 * condition (which waits for the kubelet's own probes), and stays healthy for the
 * activator until Kubernetes moves it from ready to not ready — then it is probed again
 * (revision-backends.ts). A pod that is Ready needs no probe.
 *
 * Fidelity: the probe is not simulated tick by tick: the first tick at or after the moment
 * the user container would answer queue-proxy's probe (from its scheduled start-up or
 * the end of a readiness flap) is scheduled once, and checked again when it comes; when
 * nothing is scheduled that would make it pass, probing waits until the user container's
 * answers change. The probe's 300 ms timeout is not modelled.
 *
 * Upstream: knative/serving pkg/activator/net/revision_backends.go (revisionWatcher
 * probePodIPs, checkDests: healthy pods, re-probing pods that became non-ready,
 * probeFrequency 200 ms).
 */
import type { Engine } from '../../engine/index.js';
import type { DataplanePorts } from '../ports.js';
import type { PodState } from '../records.js';

/** The activator probes new pods through queue-proxy every 200 ms (pkg/activator/net/revision_backends.go probeFrequency). */
const ACTIVATOR_PROBE_PERIOD_MS = 200;

/** When a pod would first pass the probe, looking from now (Infinity: not without a change): app-process.ts. */
export type PassesFrom = (pod: PodState, nowMs: number) => number;

export class Prober {
  /** Bound once: the probe event carries the pod, not a closure. */
  private readonly passedFn = (pod: PodState): void => this.passed(pod);

  constructor(
    private readonly engine: Engine,
    private readonly ports: DataplanePorts,
    private readonly passesFrom: PassesFrom,
  ) {}

  /**
   * Schedules the first passing probe, if it is not yet scheduled and still matters: the
   * first 200 ms tick (counted from when the activator saw the pod) at or after the
   * moment the user container answers queue-proxy's probe.
   * Example: seen at 1000 ms, answers at 1450 ms → ticks 1200, 1400, 1600: passes at 1600 ms.
   */
  schedule(pod: PodState): void {
    if (pod.probed || pod.probeTimer !== null || pod.ready || pod.gone || pod.draining) return;
    const nowMs = this.engine.nowMs;
    const answersAtMs = this.passesFrom(pod, nowMs);
    if (answersAtMs === Infinity) return;
    const ticks = Math.max(0, Math.ceil((answersAtMs - pod.seenAtMs) / ACTIVATOR_PROBE_PERIOD_MS));
    let atMs = pod.seenAtMs + ticks * ACTIVATOR_PROBE_PERIOD_MS;
    // Rounding can put that tick a hair before the answer: the next one then.
    if (atMs < answersAtMs) atMs += ACTIVATOR_PROBE_PERIOD_MS;
    pod.probeTimer = this.engine.at(Math.max(nowMs, atMs), this.passedFn, pod);
  }

  /** No probe is pending any more (the pod is gone, or Kubernetes says it is Ready). */
  cancel(pod: PodState): void {
    this.engine.cancel(pod.probeTimer);
    pod.probeTimer = null;
  }

  /** Kubernetes moved the pod from ready to not ready: it is no longer healthy for the activator until a probe passes. */
  becameNotReady(pod: PodState): void {
    this.cancel(pod);
    pod.probed = false;
    this.schedule(pod);
  }

  private passed(pod: PodState): void {
    pod.probeTimer = null;
    if (pod.gone || pod.draining || pod.probed) return;
    if (this.passesFrom(pod, this.engine.nowMs) > this.engine.nowMs) {
      // The user container's schedule changed since: probe on.
      this.schedule(pod);
      return;
    }
    pod.probed = true;
    this.engine.trace('activator', `pod/${pod.name}`, 'Probe through queue-proxy passed: sending requests ahead of the Ready condition');
    this.ports.refreshRoutable(pod.rev);
  }
}
