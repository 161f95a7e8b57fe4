/**
 * The kubelet's container restart back-off (CrashLoopBackOff) and its restart policy.
 *
 * Back-off, per container of a pod (keyed by pod uid and container name), as client-go's
 * flowcontrol.Backoff with the kubelet's settings (initial 10 s, at most 5 min):
 * - a container that exits while no back-off entry exists (or one older than twice the
 *   maximum, i.e. it ran for 10 min since the back-off last grew) restarts at once and
 *   the entry starts at 10 s;
 * - otherwise, until `back-off` has passed since it finished, it waits in
 *   CrashLoopBackOff; when a pod sync finds the back-off over, the entry doubles
 *   (10 s, 20 s, 40 s, 80 s, 160 s, 300 s, 300 s…) and the container starts again.
 * Example: exits at 0 s (restart at once, back-off 10 s), exits again at 5 s → waits;
 * the sync at 15 s finds 10 s passed → back-off 20 s, restart; exits at 17 s → waits
 * until a sync at or after 37 s.
 *
 * Fidelity: no jitter on the back-off itself (newer kubelets may add some); the kubelet's
 * pod syncs that look at it are jittered by the caller.
 *
 * Mirrors kubernetes pkg/kubelet/kuberuntime/kuberuntime_manager.go (doBackOff,
 * computePodActions: ShouldContainerBeRestarted), pkg/kubelet/kubelet.go (backOffPeriod,
 * MaxContainerBackOff) and client-go util/flowcontrol/backoff.go (Next, IsInBackOffSince,
 * hasExpired).
 */

/** The kubelet's initial container restart back-off (pkg/kubelet/kubelet.go backOffPeriod). */
export const CRASH_BACKOFF_INITIAL_MS = 10_000;
/** The kubelet's maximum container restart back-off (pkg/kubelet/kubelet.go MaxContainerBackOff). */
export const CRASH_BACKOFF_MAX_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

export class ContainerBackOff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs = CRASH_BACKOFF_INITIAL_MS,
    private readonly maxMs = CRASH_BACKOFF_MAX_MS,
  ) {}

  /** The current back-off of a container (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** True while less than the back-off has passed since `finishedAtMs` (an entry 10 min stale does not count). */
  inBackOffSince(key: string, finishedAtMs: number, nowMs: number): boolean {
    const e = this.entries.get(key);
    if (e === undefined || this.expired(finishedAtMs, e)) return false;
    return nowMs - finishedAtMs < e.backoffMs;
  }

  /** The container restarts now: the back-off starts at its initial value (new or stale entry) or doubles, capped. */
  next(key: string, finishedAtMs: number, nowMs: number): void {
    const e = this.entries.get(key);
    if (e === undefined || this.expired(finishedAtMs, e)) this.entries.set(key, { backoffMs: this.initialMs, lastUpdateMs: nowMs });
    else {
      e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
      e.lastUpdateMs = nowMs;
    }
  }

  /** Forgets a container (its pod is gone), so memory follows live pods. */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** After twice the maximum since the back-off last grew, the container counts as having run well. */
  private expired(eventMs: number, e: Entry): boolean {
    return eventMs - e.lastUpdateMs > 2 * this.maxMs;
  }
}

/**
 * ShouldContainerBeRestarted for a container that exited: `Always` restarts it, `OnFailure`
 * only after a non-zero exit, `Never` never.
 */
export function restartPolicyAllows(policy: 'Always' | 'OnFailure' | 'Never' | undefined, exitCode: number): boolean {
  switch (policy ?? 'Always') {
    case 'Always':
      return true;
    case 'OnFailure':
      return exitCode !== 0;
    case 'Never':
      return false;
  }
}

/** The kubelet's CrashLoopBackOff message: `back-off 20s restarting failed container=user-container pod=hello-xyz_default(uid)`. */
export function backOffMessage(backoffMs: number, container: string, pod: { namespace: string; name: string; uid: string }): string {
  return `back-off ${formatGoDuration(backoffMs)} restarting failed container=${container} pod=${pod.name}_${pod.namespace}(${pod.uid})`;
}

/** Go's time.Duration String for whole seconds: 10s, 1m20s, 5m0s. */
function formatGoDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}m${s % 60}s`;
}
