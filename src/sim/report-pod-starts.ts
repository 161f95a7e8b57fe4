/**
 * The report's pod starts: each pod's way from creation to Ready (scheduling, image pull,
 * sandbox and container start, readiness) read from its `status.startup`, and whether it
 * started from zero ready pods.
 *
 * Fidelity: a pod counts as started from zero when its revision had no ready pod as the pod
 * was first seen; its phases are the kubelet's timestamps, the pull cut to the time between
 * scheduling and container start so the phases add up to the total.
 */
import { TYPE, isPodReady, type Pod } from '../apis/core.js';
import { LABEL } from '../apis/serving-types.js';
import { round2, type RevisionSource } from './report-columns.js';
import type { RecordLog } from './record-log.js';
import type { PodStart } from './result.js';
import type { World } from './world.js';

interface LivePod {
  revisionKey: string;
  createdMs: number;
  fromZero: boolean;
  started: boolean;
}

/** The pod starts of a run, from a watch on pods (the counts per revision are the recorder's). */
export class PodStartLog {
  droppedPodStarts = 0;
  private readonly livePods = new Map<string, LivePod>();

  constructor(
    private readonly world: World,
    private readonly recorder: RevisionSource,
    private readonly maxPodStarts: number,
    readonly podStarts: RecordLog<PodStart>,
  ) {
    world.api.watch<Pod>(TYPE.pod, (e) => this.onPod(e.type, e.object));
  }

  private onPod(type: string, pod: Pod): void {
    const namespace = pod.metadata.namespace ?? 'default';
    const key = `${namespace}/${pod.metadata.name}`;
    const revision = pod.metadata.labels?.[LABEL.revision] ?? '';
    const revisionKey = `${namespace}/${revision}`;
    let live = this.livePods.get(key);
    if (type === 'DELETED') {
      this.livePods.delete(key);
      return;
    }
    if (live === undefined) {
      const track = this.recorder.revisions.get(revisionKey);
      live = {
        revisionKey,
        createdMs: pod.metadata.creationTimestamp ?? this.world.engine.nowMs,
        fromZero: (track?.readyPods ?? 0) === 0 && !isPodReady(pod),
        started: false,
      };
      this.livePods.set(key, live);
    }
    const startup = pod.status?.startup;
    if (live.started || !isPodReady(pod) || startup?.readyAt === undefined) return;
    live.started = true;
    if (this.podStarts.length >= this.maxPodStarts) {
      this.droppedPodStarts++;
      return;
    }
    const created = live.createdMs;
    const ready = startup.readyAt;
    const scheduled = startup.scheduledAt ?? startup.syncStartedAt ?? created;
    const started = startup.containersStartedAt ?? ready;
    const pull = Math.min(Math.max(0, started - scheduled), (startup.pullMs ?? 0) + (startup.pullWaitMs ?? 0));
    this.podStarts.push({
      pod: pod.metadata.name,
      namespace,
      revision,
      createdMs: created,
      readyMs: ready,
      totalMs: round2(ready - created),
      schedulingMs: round2(scheduled - created),
      pullMs: round2(pull),
      startMs: round2(started - scheduled - pull),
      readinessMs: round2(ready - started),
      fromZero: live.fromZero,
    });
  }
}
