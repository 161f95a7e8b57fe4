/**
 * The scheduler: binds each pending pod to a node that fits its requests, or leaves
 * it Pending with PodScheduled=False / Unschedulable and the scheduler's own message
 * (`0/3 nodes are available: 3 Insufficient cpu.`). Unschedulable pods are retried
 * when capacity may have appeared: a pod deleted, a node added or changed.
 *
 * Mirrors kube-scheduler's NodeResourcesFit filter (cpu, memory, pod count; requests
 * summed over containers, none = 0) and its LeastAllocated score, which uses the
 * non-zero defaults for pods without requests (100m CPU, 200Mi memory, as
 * pkg/scheduler/util GetNonzeroRequests) so that request-less pods still spread.
 * Fidelity: ties go to the node name that sorts first, not to a random choice; one
 * pod per scheduling cycle, each cycle `schedulingLatencyMs` long; no affinity,
 * taints, topology spread or preemption; the FailedScheduling message omits the
 * preemption suffix.
 */
import type { Engine } from '../engine/index.js';
import { TYPE, parseCpuMillis, parseMemoryBytes, type Node, type Pod } from '../apis/core.js';
import { deepCopy, objectKey, type Condition } from '../apis/meta.js';
import type { ApiServer } from './api-server.js';
import { DEFAULT_MAX_PODS, type ClusterProfile } from './profile.js';

/** Requests of a pod as the scheduler counts them. */
interface PodRequests {
  cpuMillis: number;
  memoryBytes: number;
}

/** Defaults used for scoring only, for containers that request nothing (GetNonzeroRequests). */
const NONZERO_CPU_MILLIS = 100;
const NONZERO_MEMORY_BYTES = 200 * 2 ** 20;

/** The scheduler's cached view of one node: allocatable and what its pods request. */
interface SchedulerNode {
  name: string;
  cpuMillis: number;
  memoryBytes: number;
  pods: number;
  unschedulable: boolean;
  requestedCpuMillis: number;
  requestedMemoryBytes: number;
  /** Scoring view: requests with non-zero defaults. */
  nonzeroCpuMillis: number;
  nonzeroMemoryBytes: number;
  podCount: number;
}

interface AssignedPod {
  node: string;
  req: PodRequests;
  nonzero: PodRequests;
}

/** Sums container requests; a container with no requests counts 0 (and `nonzero` applies the scoring defaults per container). */
export function computePodRequests(pod: Pod): { req: PodRequests; nonzero: PodRequests } {
  const req = { cpuMillis: 0, memoryBytes: 0 };
  const nonzero = { cpuMillis: 0, memoryBytes: 0 };
  for (const c of pod.spec.containers ?? []) {
    const cpu = c.resources?.requests?.cpu;
    const mem = c.resources?.requests?.memory;
    const cpuMillis = parseCpuMillis(cpu) || 0;
    const memoryBytes = parseMemoryBytes(mem) || 0;
    req.cpuMillis += cpuMillis;
    req.memoryBytes += memoryBytes;
    nonzero.cpuMillis += cpu === undefined ? NONZERO_CPU_MILLIS : cpuMillis;
    nonzero.memoryBytes += mem === undefined ? NONZERO_MEMORY_BYTES : memoryBytes;
  }
  return { req, nonzero };
}

export interface SchedulerHandle {
  /** The scheduler's view of a node's requested resources (for views and tests). */
  nodeUsage(name: string): { cpuMillis: number; memoryBytes: number; pods: number } | undefined;
}

export function startScheduler(engine: Engine, api: ApiServer, profile: ClusterProfile): SchedulerHandle {
  return new Scheduler(engine, api, profile);
}

class Scheduler implements SchedulerHandle {
  private readonly nodes = new Map<string, SchedulerNode>();
  /** Pods bound to nodes and still holding resources (until deleted), by `ns/name`. */
  private readonly assigned = new Map<string, AssignedPod>();
  /**
   * Pods waiting for a scheduling cycle (the active queue), by key, in queue order: a key joins
   * at the end, and only when it is in neither queue, so the first one is the next to schedule.
   */
  private readonly active = new Set<string>();
  /** Pods that did not fit; moved back to the active queue when the cluster changes. */
  private readonly unschedulable = new Set<string>();
  private cycleScheduled = false;
  private readonly runCycleFn = (): void => this.runCycle();

  constructor(
    private readonly engine: Engine,
    private readonly api: ApiServer,
    private readonly profile: ClusterProfile,
  ) {
    for (const node of api.list<Node>(TYPE.node)) this.upsertNode(node);
    for (const pod of api.list<Pod>(TYPE.pod)) this.observePod(pod);
    api.watch<Node>(TYPE.node, (e) => {
      if (e.type === 'DELETED') this.nodes.delete(e.object.metadata.name);
      else this.upsertNode(e.object);
      this.moveAllToActive();
    });
    api.watch<Pod>(TYPE.pod, (e) => {
      if (e.type === 'DELETED') this.forgetPod(e.object);
      else this.observePod(e.object);
    });
  }

  nodeUsage(name: string): { cpuMillis: number; memoryBytes: number; pods: number } | undefined {
    const n = this.nodes.get(name);
    return n === undefined ? undefined : { cpuMillis: n.requestedCpuMillis, memoryBytes: n.requestedMemoryBytes, pods: n.podCount };
  }

  private upsertNode(node: Node): void {
    const name = node.metadata.name;
    const existing = this.nodes.get(name);
    const alloc = node.status?.allocatable;
    const info: SchedulerNode = {
      name,
      cpuMillis: parseCpuMillis(alloc?.cpu) || 0,
      memoryBytes: parseMemoryBytes(alloc?.memory) || 0,
      pods: alloc?.pods !== undefined ? Number(alloc.pods) : DEFAULT_MAX_PODS,
      unschedulable: node.spec?.unschedulable === true,
      requestedCpuMillis: existing?.requestedCpuMillis ?? 0,
      requestedMemoryBytes: existing?.requestedMemoryBytes ?? 0,
      nonzeroCpuMillis: existing?.nonzeroCpuMillis ?? 0,
      nonzeroMemoryBytes: existing?.nonzeroMemoryBytes ?? 0,
      podCount: existing?.podCount ?? 0,
    };
    this.nodes.set(name, info);
  }

  private observePod(pod: Pod): void {
    const key = objectKey(pod);
    const node = pod.spec.nodeName;
    if (node) {
      this.active.delete(key);
      this.unschedulable.delete(key);
      if (!this.assigned.has(key)) this.assume(key, node, pod);
      return;
    }
    if (pod.metadata.deletionTimestamp !== undefined) return;
    if (this.active.has(key) || this.unschedulable.has(key)) return;
    this.active.add(key);
    this.scheduleCycle();
  }

  private forgetPod(pod: Pod): void {
    const key = objectKey(pod);
    this.active.delete(key);
    this.unschedulable.delete(key);
    const held = this.assigned.get(key);
    if (held === undefined) return;
    this.assigned.delete(key);
    const n = this.nodes.get(held.node);
    if (n !== undefined) {
      n.requestedCpuMillis -= held.req.cpuMillis;
      n.requestedMemoryBytes -= held.req.memoryBytes;
      n.nonzeroCpuMillis -= held.nonzero.cpuMillis;
      n.nonzeroMemoryBytes -= held.nonzero.memoryBytes;
      n.podCount--;
    }
    // Capacity freed: pods that did not fit may fit now.
    this.moveAllToActive();
  }

  private assume(key: string, node: string, pod: Pod): void {
    const { req, nonzero } = computePodRequests(pod);
    this.assigned.set(key, { node, req, nonzero });
    const n = this.nodes.get(node);
    if (n === undefined) return;
    n.requestedCpuMillis += req.cpuMillis;
    n.requestedMemoryBytes += req.memoryBytes;
    n.nonzeroCpuMillis += nonzero.cpuMillis;
    n.nonzeroMemoryBytes += nonzero.memoryBytes;
    n.podCount++;
  }

  private moveAllToActive(): void {
    if (this.unschedulable.size === 0) return;
    for (const key of [...this.unschedulable].sort()) this.active.add(key);
    this.unschedulable.clear();
    this.scheduleCycle();
  }

  private scheduleCycle(): void {
    if (this.cycleScheduled || this.active.size === 0) return;
    this.cycleScheduled = true;
    this.engine.after(this.profile.schedulingLatencyMs, this.runCycleFn);
  }

  /** One scheduling cycle: the pod first in queue order is filtered, scored and bound (or marked unschedulable). */
  private runCycle(): void {
    this.cycleScheduled = false;
    // The first in queue order, without a scan: 1,000 pods queued at once made bring-up quadratic.
    const nextKey = this.active.values().next().value;
    if (nextKey === undefined) return;
    this.active.delete(nextKey);
    const slash = nextKey.indexOf('/');
    const pod = this.api.get<Pod>(TYPE.pod, nextKey.slice(0, slash), nextKey.slice(slash + 1));
    if (pod !== undefined && !pod.spec.nodeName && pod.metadata.deletionTimestamp === undefined) this.schedulePod(nextKey, pod);
    this.scheduleCycle();
  }

  private schedulePod(key: string, pod: Pod): void {
    const { req, nonzero } = computePodRequests(pod);
    const nodes = [...this.nodes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const decision = chooseNode(nodes, req, nonzero);
    const nowMs = this.engine.nowMs;
    if (decision.node === undefined) {
      this.unschedulable.add(key);
      const message = decision.message;
      this.setScheduledCondition(pod, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }, nowMs);
      this.engine.trace('default-scheduler', `pod/${pod.metadata.name}`, message, { reason: 'FailedScheduling' });
      return;
    }
    const stored = this.api.update({ ...pod, spec: { ...pod.spec, nodeName: decision.node } });
    this.assume(key, decision.node, stored);
    this.setScheduledCondition(stored, { type: 'PodScheduled', status: 'True' }, nowMs);
    this.engine.trace('default-scheduler', `pod/${pod.metadata.name}`, `Successfully assigned ${key} to ${decision.node}`, {
      reason: 'Scheduled',
      node: decision.node,
    });
  }

  private setScheduledCondition(pod: Pod, cond: Condition, nowMs: number): void {
    const status = deepCopy(pod.status ?? { phase: 'Pending' as const });
    const conditions = status.conditions ?? [];
    const i = conditions.findIndex((c) => c.type === 'PodScheduled');
    const old = i >= 0 ? conditions[i] : undefined;
    const next: Condition = { ...cond, lastTransitionTime: old !== undefined && old.status === cond.status ? old.lastTransitionTime : nowMs };
    if (i >= 0) conditions[i] = next;
    else conditions.push(next);
    status.conditions = conditions;
    if (cond.status === 'True') status.startup = { ...(status.startup ?? {}), scheduledAt: nowMs };
    this.api.updateStatus({ ...pod, status });
  }
}

/**
 * Filter and score (pure): nodes where the pod fits, scored by LeastAllocated
 * (mean over cpu and memory of free fraction after placing the pod, ×100, floored
 * as the scheduler's integer scores are); the best score wins, ties by name.
 * Example: pod 500m/512Mi (non-zero view) on node A 4 CPU/16Gi with 1 CPU/4Gi requested
 * → cpu (4000−1500)/4000 = 62.5, memory (16384−4608)/16384 = 71.9 → score floor(67.2) = 67.
 * When nothing fits, the message counts each reason over nodes as kube-scheduler does.
 */
export function chooseNode(nodes: readonly SchedulerNode[], req: PodRequests, nonzero: PodRequests): { node?: string; message: string } {
  const reasons = new Map<string, number>();
  let best: string | undefined;
  let bestScore = -1;
  for (const n of nodes) {
    const why: string[] = [];
    if (n.unschedulable) why.push('node(s) were unschedulable');
    else {
      if (n.podCount + 1 > n.pods) why.push('Too many pods');
      if (n.requestedCpuMillis + req.cpuMillis > n.cpuMillis) why.push('Insufficient cpu');
      if (n.requestedMemoryBytes + req.memoryBytes > n.memoryBytes) why.push('Insufficient memory');
    }
    if (why.length > 0) {
      for (const w of why) reasons.set(w, (reasons.get(w) ?? 0) + 1);
      continue;
    }
    const cpuFree = n.cpuMillis > 0 ? Math.max(0, n.cpuMillis - n.nonzeroCpuMillis - nonzero.cpuMillis) / n.cpuMillis : 0;
    const memFree = n.memoryBytes > 0 ? Math.max(0, n.memoryBytes - n.nonzeroMemoryBytes - nonzero.memoryBytes) / n.memoryBytes : 0;
    const score = Math.floor(((cpuFree + memFree) / 2) * 100);
    if (score > bestScore) {
      bestScore = score;
      best = n.name;
    }
  }
  if (best !== undefined) return { node: best, message: '' };
  if (nodes.length === 0) return { message: 'no nodes available to schedule pods' };
  const parts = [...reasons].map(([reason, count]) => `${count} ${reason}`).sort();
  const detail = parts.length > 0 ? `: ${parts.join(', ')}` : '';
  return { message: `0/${nodes.length} nodes are available${detail}.` };
}
