/**
 * The activator's probe of new pods through their queue-proxy: every 200 ms from when
 * the activator saw the pod, until queue-proxy answers, i.e. once the containers have
 * started and the app listens. A pod that passes takes requests from the activator ahead
 * of its Ready condition (which waits for the kubelet's own readiness probe).
 *
 * Fidelity: the probe is not simulated tick by tick: the first passing tick is computed
 * from the pod's `status.startup` (containersStartedAt + appStartupMs) and scheduled
 * once. A probe never fails after passing; a pod that is Ready, draining or being
 * deleted is not probed.
 *
 * Upstream: knative/serving pkg/activator/net/revision_backends.go (revisionWatcher
 * probePodIPs, probeFrequency 200 ms).
 */
import type { Engine } from '../../engine/index.js';
import type { Pod } from '../../apis/core.js';
import type { DataplanePorts } from '../ports.js';
import type { PodState } from '../records.js';

/** The activator probes new pods through queue-proxy every 200 ms (pkg/activator/net/revision_backends.go probeFrequency). */
const ACTIVATOR_PROBE_PERIOD_MS = 200;

export class Prober {
  /** Bound once: the probe event carries the pod, not a closure. */
  private readonly passedFn = (pod: PodState): void => this.passed(pod);

  constructor(
    private readonly engine: Engine,
    private readonly ports: DataplanePorts,
  ) {}

  /**
   * Schedules the first passing probe, if it is not yet scheduled and still matters: the
   * first 200 ms tick (counted from when the activator saw the pod) at or after the
   * moment the app listens behind queue-proxy.
   * Example: seen at 1000 ms, listens at 1450 ms → ticks 1200, 1400, 1600: passes at 1600 ms.
   */
  schedule(pod: PodState, object: Pod): void {
    if (pod.probed || pod.probeTimer !== null || pod.ready || object.metadata.deletionTimestamp !== undefined) return;
    const startup = object.status?.startup;
    if (object.status?.phase !== 'Running' || startup?.containersStartedAt === undefined) return;
    const listensAtMs = startup.containersStartedAt + (startup.appStartupMs ?? 0);
    const ticks = Math.max(0, Math.ceil((listensAtMs - pod.seenAtMs) / ACTIVATOR_PROBE_PERIOD_MS));
    pod.probeTimer = this.engine.at(Math.max(this.engine.nowMs, pod.seenAtMs + ticks * ACTIVATOR_PROBE_PERIOD_MS), this.passedFn, pod);
  }

  /** The pod is gone: no probe is pending any more. */
  cancel(pod: PodState): void {
    this.engine.cancel(pod.probeTimer);
    pod.probeTimer = null;
  }

  private passed(pod: PodState): void {
    pod.probeTimer = null;
    if (pod.gone || pod.draining) return;
    pod.probed = true;
    this.engine.trace('activator', `pod/${pod.name}`, 'Probe through queue-proxy passed: sending requests ahead of the Ready condition');
    this.ports.refreshRoutable(pod.rev);
  }
}
