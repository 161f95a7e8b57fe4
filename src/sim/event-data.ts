/**
 * The typed `data` of every event in the JSON contract (`events[].data`): what the event is
 * about (`kind`), the revision it concerns when there is one, and the numbers behind its
 * narration, so tests and tools read facts instead of English sentences. Built from the trace
 * entry's own structured detail (`TraceEntry.data`, set where the event is traced), its
 * component and the object it names; the revision of a pod, Deployment or ReplicaSet is
 * looked up from the pods and revisions the recorder follows.
 *
 * The fingerprint mixes the messages, never the data, so adding data changes no pin.
 * Fidelity: knsim's own contract; the reasons of pod events are the kubelet's and the
 * scheduler's (`Scheduled`, `Pulling`, `Pulled`, `Created`, `Started`, `Killing`, …).
 */
import type { TraceEntry } from '../engine/index.js';

/** The autoscaler's decider decided (pkg/autoscaler/scaling/autoscaler.go): the numbers `explain` prints. */
export interface DecisionEventData {
  kind: 'decision';
  revision: string;
  readyPods: number;
  observedStable: number;
  observedPanic: number;
  targetValue: number;
  desiredStablePodCount: number;
  desiredPanicPodCount: number;
  desiredPodCount: number;
  excessBurstCapacity: number;
  inPanic: boolean;
  panicTransition: 'enter' | 'extend' | 'exit' | 'none';
  maxPanicPods: number;
  stableWindowMs: number;
  panicWindowMs: number;
  panicThreshold: number;
}

/** The PodAutoscaler reconciler's step (kpa/scaler.go): its phase, bounds, and the replicas it wrote. */
export interface ScaleEventData {
  kind: 'scale';
  revision: string;
  /** `scale`, `active-hold`, `deactivate`, `grace-hold`, `retention-hold`, `probe-wait`, `scale-to-zero`, `activating-wait`, `activation-timeout`, `scale-to-zero-disabled`. */
  phase: string;
  /** The scale the PA wants (-1 before the first decision). */
  want: number;
  minScale: number;
  maxScale: number;
  /** The Deployment's replicas before and after, when this step wrote them. */
  replicasFrom?: number;
  replicasTo?: number;
  /** How long the phase has lasted and the limit that applies (ms). */
  forMs?: number;
  limitMs?: number;
}

/** A pod's lifecycle as the scheduler, kubelet, activator and queue-proxy report it. */
export interface PodEventData {
  kind: 'pod';
  revision?: string;
  pod: string;
  /** `Scheduled`, `FailedScheduling`, `Pulling`, `Pulled`, `Failed`, `BackOff`, `Created`, `Started`, `Ready`, `Killing`, `Probed`, `Draining`, `Drained`, … */
  reason: string;
  node?: string;
  /** For `Ready`: from the start of the pod's sync to Ready. For a pull: its duration. */
  startupMs?: number;
  pullMs?: number;
}

/** The Deployment controller scaled a ReplicaSet. */
export interface ReplicasEventData {
  kind: 'replicas';
  revision?: string;
  replicaSet: string;
  from: number;
  to: number;
}

/** A timeline action (`kn`, `kubectl`) or its output. */
export interface CommandEventData {
  kind: 'command';
  revision?: string;
  tool: 'kn' | 'kubectl';
  /** `command` (the line as typed), `output` (what it printed) or `error`. */
  line: 'command' | 'output' | 'error';
}

/** Anything else a controller narrates (created a child, a Ready condition, routing, a scenario note). */
export interface NarrationEventData {
  kind: 'narration';
  revision?: string;
  /** Where the narration came from: the controller's component, e.g. `revision-controller`, `router`, `scenario`. */
  source: string;
}

export type EventData = DecisionEventData | ScaleEventData | PodEventData | ReplicasEventData | CommandEventData | NarrationEventData;

/** What the classifier needs to know about the world: which revision a pod or a revision-named object belongs to. */
export interface RevisionLookup {
  /** The revision of a pod by its name, when the pod was seen. */
  revisionOfPod(podName: string): string | undefined;
  /** Whether a revision of this name was seen. */
  isRevision(name: string): boolean;
}

const DECISION_NUMBERS = [
  'readyPods',
  'observedStable',
  'observedPanic',
  'targetValue',
  'desiredStablePodCount',
  'desiredPanicPodCount',
  'desiredPodCount',
  'excessBurstCapacity',
  'maxPanicPods',
  'stableWindowMs',
  'panicWindowMs',
  'panicThreshold',
] as const;

/** The typed data of one trace entry. */
export function eventDataOf(entry: TraceEntry, lookup: RevisionLookup): EventData {
  const d = entry.data ?? {};
  const slash = entry.object.indexOf('/');
  const objectKind = slash < 0 ? '' : entry.object.slice(0, slash);
  const objectName = slash < 0 ? entry.object : entry.object.slice(slash + 1);
  const revision = revisionOf(entry.component, objectKind, objectName, lookup);
  const withRevision = <T extends object>(o: T): T & { revision?: string } => (revision === undefined ? o : { ...o, revision });

  if (entry.component === 'autoscaler' && typeof d.desiredPodCount === 'number') {
    const out = { kind: 'decision', revision: entry.object, inPanic: d.inPanic === true, panicTransition: transition(d.panicTransition) } as DecisionEventData;
    for (const k of DECISION_NUMBERS) out[k] = num(d[k]);
    return out;
  }
  if (entry.component === 'autoscaler' && typeof d.phase === 'string') {
    const out: ScaleEventData = {
      kind: 'scale',
      revision: entry.object,
      phase: d.phase,
      want: num(d.want),
      minScale: num(d.minScale),
      maxScale: num(d.maxScale),
    };
    for (const k of ['replicasFrom', 'replicasTo', 'forMs', 'limitMs'] as const) if (typeof d[k] === 'number') out[k] = d[k];
    return out;
  }
  if (objectKind === 'pod') {
    const out: PodEventData = withRevision({ kind: 'pod' as const, pod: objectName, reason: podReason(entry, d) });
    if (typeof d.node === 'string') out.node = d.node;
    if (typeof d.startupMs === 'number') out.startupMs = d.startupMs;
    if (typeof d.pullMs === 'number') out.pullMs = d.pullMs;
    return out;
  }
  if (entry.component === 'deployment-controller' && typeof d.replicaSet === 'string' && typeof d.from === 'number' && typeof d.to === 'number')
    return withRevision({ kind: 'replicas' as const, replicaSet: d.replicaSet, from: d.from, to: d.to });
  if (entry.component === 'kn' || entry.component === 'kubectl') {
    const line = d.line === 'command' || d.line === 'error' ? d.line : 'output';
    return withRevision({ kind: 'command' as const, tool: entry.component, line });
  }
  return withRevision({ kind: 'narration' as const, source: entry.component });
}

/** The revision an event concerns: the object itself, or the revision of its pod, Deployment or ReplicaSet. */
function revisionOf(component: string, objectKind: string, name: string, lookup: RevisionLookup): string | undefined {
  if (objectKind === 'pod') return lookup.revisionOfPod(name);
  if (objectKind === 'deployment' || objectKind === 'replicaset') {
    // Knative names a revision's Deployment `<revision>-deployment`; its ReplicaSets add `-<hash>`.
    const m = /^(.*)-deployment(?:-[^-]+)?$/.exec(name);
    return m?.[1] !== undefined && lookup.isRevision(m[1]) ? m[1] : undefined;
  }
  if (objectKind === '' && (component === 'autoscaler' || component === 'revision-controller' || component === 'labeler' || component === 'revision-gc'))
    return lookup.isRevision(name) ? name : undefined;
  return undefined;
}

function podReason(entry: TraceEntry, d: Record<string, unknown>): string {
  if (typeof d.reason === 'string') return d.reason;
  // The kubelet's readiness line carries its start-up time; the activator's probe line has no reason of its own.
  if (typeof d.startupMs === 'number') return 'Ready';
  if (entry.component === 'activator') return 'Probed';
  return entry.component;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function transition(v: unknown): DecisionEventData['panicTransition'] {
  return v === 'enter' || v === 'extend' || v === 'exit' ? v : 'none';
}
