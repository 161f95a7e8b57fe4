/**
 * Each ReplicaSet's active pods (controlled by it, not terminating, not finished), grouped by
 * their labels and counted, kept in step with every pod write (a `StoreIndex` of the API
 * server). A ReplicaSet syncs on every event of every one of its pods; re-reading all of them
 * each time made a revision scaled to a few thousand pods cost the square of that (3,715 pods
 * pending on a full cluster: 12 s of a 17 s run). With the groups a sync costs the number of
 * distinct label sets, in practice one.
 *
 * Fidelity: the answers are those of a scan of the pods that match the ReplicaSet's selector
 * and name it as controller (kubernetes' `FilterActivePods` over `claimPods`): a group counts
 * for a ReplicaSet only while its labels match the selector, so a pod relabelled out of it
 * leaves its counts as it would leave a scan.
 */
import { TYPE, isPodReady, type Pod } from '../apis/core.js';
import { selectorMatches, type LabelSelector } from '../apis/meta.js';
import type { ApiServer } from './api-server.js';
import type { StoreIndex } from './store-indexes.js';

/** Pods of one ReplicaSet that carry the same labels. */
interface LabelGroup {
  labels: Record<string, string>;
  /** store key → pod. */
  pods: Map<string, Pod>;
  ready: number;
}

/** What a ReplicaSet's status counts, from the pods its selector still matches. */
export interface ControlledCounts {
  replicas: number;
  fullyLabeled: number;
  ready: number;
}

export class ReplicaSetPods implements StoreIndex<Pod> {
  /** controller uid → labels key → group. */
  private readonly owners = new Map<string, Map<string, LabelGroup>>();

  static attach(api: ApiServer): ReplicaSetPods {
    return api.addStoreIndex(TYPE.pod, new ReplicaSetPods());
  }

  apply(key: string, old: Pod | undefined, next: Pod | undefined): void {
    if (old !== undefined) this.remove(key, old);
    if (next !== undefined) this.add(key, next);
  }

  /** The counts of the active pods controlled by `uid` that `selector` matches. */
  counts(uid: string | undefined, selector: LabelSelector | undefined, templateLabels: Readonly<Record<string, string>>): ControlledCounts {
    const out = { replicas: 0, fullyLabeled: 0, ready: 0 };
    for (const group of this.matching(uid, selector)) {
      out.replicas += group.pods.size;
      out.ready += group.ready;
      if (carries(group.labels, templateLabels)) out.fullyLabeled += group.pods.size;
    }
    return out;
  }

  /** The active pods controlled by `uid` that `selector` matches, in no particular order. */
  pods(uid: string | undefined, selector: LabelSelector | undefined): Pod[] {
    const out: Pod[] = [];
    for (const group of this.matching(uid, selector)) for (const pod of group.pods.values()) out.push(pod);
    return out;
  }

  private *matching(uid: string | undefined, selector: LabelSelector | undefined): Iterable<LabelGroup> {
    const groups = uid === undefined ? undefined : this.owners.get(uid);
    if (groups === undefined) return;
    for (const group of groups.values()) if (selectorMatches(selector, group.labels)) yield group;
  }

  private add(key: string, pod: Pod): void {
    const uid = activeController(pod);
    if (uid === undefined) return;
    let groups = this.owners.get(uid);
    if (groups === undefined) this.owners.set(uid, (groups = new Map<string, LabelGroup>()));
    const labels = pod.metadata.labels ?? {};
    const labelsKey = keyOf(labels);
    let group = groups.get(labelsKey);
    if (group === undefined) groups.set(labelsKey, (group = { labels, pods: new Map(), ready: 0 }));
    group.pods.set(key, pod);
    if (isPodReady(pod)) group.ready++;
  }

  private remove(key: string, pod: Pod): void {
    const uid = activeController(pod);
    if (uid === undefined) return;
    const groups = this.owners.get(uid);
    const labelsKey = keyOf(pod.metadata.labels ?? {});
    const group = groups?.get(labelsKey);
    if (groups === undefined || group === undefined || !group.pods.delete(key)) return;
    if (isPodReady(pod)) group.ready--;
    if (group.pods.size === 0) groups.delete(labelsKey);
    if (groups.size === 0) this.owners.delete(uid);
  }
}

/** The uid of the pod's controller while the pod counts toward it: not terminating, not finished. */
function activeController(pod: Pod): string | undefined {
  const phase = pod.status?.phase;
  if (pod.metadata.deletionTimestamp !== undefined || phase === 'Succeeded' || phase === 'Failed') return undefined;
  return pod.metadata.ownerReferences?.find((o) => o.controller === true)?.uid;
}

function carries(labels: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  for (const k in wanted) if (labels[k] !== wanted[k]) return false;
  return true;
}

/** One string per label set, whatever the order of its keys. */
function keyOf(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}
