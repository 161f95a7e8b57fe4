/**
 * queue-proxy's drain on shutdown. The user container's pre-stop hook calls
 * queue-proxy's /wait-for-drain: the pod leaves routing at once, in-flight requests
 * finish, and the hook returns once the quiet period (30 s) has passed without a new
 * request and nothing is in flight; the kubelet then sends SIGTERM.
 *
 * Fidelity: the pod leaves routing the moment the hook runs (upstream, when its
 * readiness probe starts failing and the endpoints follow), so no new request should
 * reach it; one that does still restarts the quiet period, as drain.go's does. A pod
 * whose queue-proxy never started has nothing to drain.
 *
 * Upstream: knative/pkg network/handlers/drain.go (Drainer),
 * knative/serving pkg/queue/sharedmain/main.go (drainSleepDuration, /wait-for-drain).
 */
import type { Engine } from '../../engine/index.js';
import type { DataplanePorts } from '../ports.js';
import type { PodState } from '../records.js';

/** queue-proxy's drain quiet period: 30s without a new request (pkg/queue/sharedmain/main.go drainSleepDuration). */
export const DRAIN_QUIET_MS = 30_000;

export class Drainer {
  /** Bound once: the quiet-period timer carries the pod, not a closure. */
  private readonly timerFn = (pod: PodState): void => this.timer(pod);

  constructor(
    private readonly engine: Engine,
    private readonly ports: DataplanePorts,
    readonly quietMs: number,
  ) {}

  /** The pre-stop hook reached the pod's queue-proxy (`pod` undefined: the data plane never saw it). */
  preStop(pod: PodState | undefined, done: () => void): void {
    if (pod === undefined || !pod.running || pod.gone) {
      done();
      return;
    }
    const nowMs = this.engine.nowMs;
    if (pod.drainDone !== null) {
      // A second call chains onto the drain already running.
      const first = pod.drainDone;
      pod.drainDone = () => {
        first();
        done();
      };
      return;
    }
    pod.draining = true;
    pod.drainDone = done;
    pod.quietUntilMs = nowMs + this.quietMs;
    this.engine.trace('queue-proxy', `pod/${pod.name}`, `Draining: ${pod.stats.concurrency} request(s) in flight, quiet period ${this.quietMs / 1000}s`, {
      reason: 'Draining',
      inFlight: pod.stats.concurrency,
    });
    this.ports.refreshRoutable(pod.rev);
    pod.drainTimer = this.engine.at(pod.quietUntilMs, this.timerFn, pod);
  }

  /** A request reached a draining queue-proxy: the quiet period starts again. */
  requestArrived(pod: PodState, nowMs: number): void {
    pod.quietUntilMs = nowMs + this.quietMs;
  }

  /** Ends the drain if it is due: quiet period over, timer fired, nothing in flight. */
  check(pod: PodState): void {
    if (pod.drainDone === null || pod.drainTimer !== null || pod.stats.concurrency > 0 || this.engine.nowMs < pod.quietUntilMs) return;
    const done = pod.drainDone;
    pod.drainDone = null;
    this.engine.trace('queue-proxy', `pod/${pod.name}`, 'Drained', { reason: 'Drained' });
    done();
  }

  /** The pod is gone: its drain ends without calling back (the kubelet no longer waits). */
  cancel(pod: PodState): void {
    this.engine.cancel(pod.drainTimer);
    pod.drainTimer = null;
    pod.drainDone = null;
  }

  private timer(pod: PodState): void {
    pod.drainTimer = null;
    if (pod.gone || pod.drainDone === null) return;
    if (this.engine.nowMs < pod.quietUntilMs) {
      pod.drainTimer = this.engine.at(pod.quietUntilMs, this.timerFn, pod);
      return;
    }
    this.check(pod);
  }
}
