/**
 * What the activator buffered: for each stretch of time a revision had no ready pod, the
 * requests that arrived and waited in the activator for a pod to start (its cold-start
 * requests), when the first of them arrived and how long it waited, how many waited and the
 * longest wait; and each revision's last request, for "the last request before the scale to
 * zero". Memory follows the scale-to-zero episodes, never the requests.
 *
 * Fidelity: a stretch starts when the revision's ready pods drop to zero (as the recorder counts
 * them from Pod watch events); a request counts when it arrived at the activator while the
 * revision had no routable pod (the data plane's cold-start flag), and is seen when it ends.
 */
import { LABEL } from '../apis/serving-types.js';
import { TYPE, type Pod } from '../apis/core.js';
import type { RequestView } from '../dataplane/index.js';
import type { RevisionSource } from './report-columns.js';
import type { ActivatorBuffer } from './result.js';
import type { World } from './world.js';

interface RevisionBuffers {
  namespace: string;
  revision: string;
  /** Ready pods at the previous pod event. */
  wasReady: boolean;
  /** When each stretch with no ready pod began (the first at 0: a revision starts with none). */
  zeroSinceMs: number[];
  /** The buffer of each stretch, once a cold-start request of it ended. */
  buffers: (ActivatorBuffer | undefined)[];
  /** Arrival of the latest request seen ending (-1 before any). */
  lastArrivalMs: number;
}

export class ActivatorBufferLog {
  private readonly byRevision = new Map<string, RevisionBuffers>();

  constructor(
    world: World,
    private readonly recorder: RevisionSource,
  ) {
    world.api.watch<Pod>(TYPE.pod, (e) => this.onPod(e.object, world.engine.nowMs));
  }

  /** The arrival time of the last request of revision `name` that has ended (the first namespace with one), or undefined. */
  lastRequestMs(name: string): number | undefined {
    for (const r of this.byRevision.values()) if (r.revision === name && r.lastArrivalMs >= 0) return r.lastArrivalMs;
    return undefined;
  }

  /** Feeds one ended request. */
  onRequestEnd(view: RequestView): void {
    if (view.revisionKey === '') return;
    const r = this.state(view.revisionKey);
    if (view.arrivalMs > r.lastArrivalMs) r.lastArrivalMs = view.arrivalMs;
    if (!view.coldStart) return;
    let k = r.zeroSinceMs.length - 1;
    while (k > 0 && (r.zeroSinceMs[k] ?? 0) > view.arrivalMs) k--;
    const wait = view.activatorWaitMs;
    const b = r.buffers[k];
    if (b === undefined) {
      r.buffers[k] = {
        namespace: r.namespace,
        revision: r.revision,
        zeroSinceMs: r.zeroSinceMs[k] ?? 0,
        firstArrivalMs: view.arrivalMs,
        firstWaitMs: wait,
        requests: 1,
        maxWaitMs: wait,
      };
      return;
    }
    b.requests++;
    if (wait > b.maxWaitMs) b.maxWaitMs = wait;
    if (view.arrivalMs < b.firstArrivalMs) {
      b.firstArrivalMs = view.arrivalMs;
      b.firstWaitMs = wait;
    }
  }

  /** Every buffer, by revision then time (copies). */
  buffers(): ActivatorBuffer[] {
    const out: ActivatorBuffer[] = [];
    for (const r of this.byRevision.values()) for (const b of r.buffers) if (b !== undefined) out.push({ ...b });
    return out.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.revision, b.revision) || a.zeroSinceMs - b.zeroSinceMs);
  }

  private onPod(pod: Pod, nowMs: number): void {
    const revision = pod.metadata.labels?.[LABEL.revision];
    if (revision === undefined) return;
    const key = `${pod.metadata.namespace ?? 'default'}/${revision}`;
    const track = this.recorder.revisions.get(key);
    if (track === undefined) return;
    const r = this.state(key);
    const ready = track.readyPods > 0;
    if (r.wasReady && !ready) {
      r.zeroSinceMs.push(nowMs);
      r.buffers.push(undefined);
    }
    r.wasReady = ready;
  }

  private state(key: string): RevisionBuffers {
    let r = this.byRevision.get(key);
    if (r === undefined) {
      const slash = key.indexOf('/');
      r = { namespace: key.slice(0, slash), revision: key.slice(slash + 1), wasReady: false, zeroSinceMs: [0], buffers: [undefined], lastArrivalMs: -1 };
      this.byRevision.set(key, r);
    }
    return r;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
