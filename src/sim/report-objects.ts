/**
 * The report's change log of objects: for each Service, Configuration, Route, Revision,
 * PodAutoscaler, ServerlessService, Deployment and Pod, one entry per change of the few fields
 * the time cursor shows (readiness and its reason, URLs, latest revisions, traffic, scales, SKS
 * mode, replicas, a pod's phase as kubectl words it), and one at its deletion.
 *
 * Fidelity: object states are seen at watch delivery, a few ms (the API latency) after the write.
 */
import { TYPE, isPodReady, type Deployment, type Pod } from '../apis/core.js';
import { getCondition } from '../apis/conditions.js';
import type { KObject } from '../apis/meta.js';
import { LABEL, type Configuration, type KnService, type PodAutoscaler, type Revision, type Route, type ServerlessService } from '../apis/serving-types.js';
import type { RecordLog } from './record-log.js';
import type { CursorKind, ObjectChange, TrafficShare } from './result.js';
import type { World } from './world.js';

/** The object changes of a run, from watches on kinds that controllers already watch. */
export class ObjectChangeLog {
  droppedObjectChanges = 0;
  private readonly lastState = new Map<string, string>();

  constructor(
    private readonly world: World,
    private readonly maxObjectChanges: number,
    readonly objects: RecordLog<ObjectChange>,
  ) {
    const { api } = world;
    const watch = <T extends KObject>(type: string, kind: CursorKind, stateOf: (o: T) => ObjectChange['state'], ownerOf: (o: T) => string): void => {
      api.watch<T>(type, (e) => this.onObject(kind, e.type === 'DELETED' ? null : stateOf(e.object), e.object, ownerOf(e.object)));
    };
    const label = (key: string) => (o: KObject) => o.metadata.labels?.[key] ?? '';
    watch<KnService>(TYPE.knService, 'Service', serviceState, () => '');
    watch<Configuration>(TYPE.configuration, 'Configuration', configurationState, label(LABEL.service));
    watch<Route>(TYPE.route, 'Route', routeState, label(LABEL.service));
    watch<Revision>(TYPE.revision, 'Revision', revisionState, label(LABEL.configuration));
    watch<PodAutoscaler>(TYPE.podAutoscaler, 'PodAutoscaler', podAutoscalerState, (o) => o.metadata.name);
    watch<ServerlessService>(
      TYPE.serverlessService,
      'ServerlessService',
      (o) => ({ mode: o.spec.mode }),
      (o) => o.metadata.name,
    );
    watch<Deployment>(TYPE.deployment, 'Deployment', deploymentState, label(LABEL.revision));
    watch<Pod>(TYPE.pod, 'Pod', podState, label(LABEL.revision));
  }

  private onObject(kind: CursorKind, state: ObjectChange['state'], obj: KObject, owner: string): void {
    const namespace = obj.metadata.namespace ?? '';
    const key = `${kind}/${namespace}/${obj.metadata.name}`;
    const text = state === null ? '' : JSON.stringify(state);
    if (state === null) {
      if (!this.lastState.has(key)) return;
      this.lastState.delete(key);
    } else {
      if (this.lastState.get(key) === text) return;
      this.lastState.set(key, text);
    }
    if (this.objects.length >= this.maxObjectChanges) {
      this.droppedObjectChanges++;
      return;
    }
    this.objects.push({ t: this.world.engine.nowMs, kind, namespace, name: obj.metadata.name, owner, state });
  }
}

function ready(o: KObject): string {
  const c = getCondition((o.status as { conditions?: never[] } | undefined)?.conditions, 'Ready');
  return c?.status ?? 'Unknown';
}

function reason(o: KObject): string {
  const c = getCondition((o.status as { conditions?: never[] } | undefined)?.conditions, 'Ready');
  return c?.status === 'True' ? '' : (c?.reason ?? '');
}

function withReason(state: Record<string, string | number | boolean | TrafficShare[]>, o: KObject): Record<string, string | number | boolean | TrafficShare[]> {
  const why = reason(o);
  if (why !== '') state.reason = why;
  return state;
}

function serviceState(o: KnService): ObjectChange['state'] {
  const s = o.status;
  return withReason(
    { ready: ready(o), url: s?.url ?? '', latestCreated: s?.latestCreatedRevisionName ?? '', latestReady: s?.latestReadyRevisionName ?? '' },
    o,
  );
}

function configurationState(o: Configuration): ObjectChange['state'] {
  const s = o.status;
  return withReason({ ready: ready(o), latestCreated: s?.latestCreatedRevisionName ?? '', latestReady: s?.latestReadyRevisionName ?? '' }, o);
}

function routeState(o: Route): ObjectChange['state'] {
  const traffic: TrafficShare[] = (o.status?.traffic ?? []).map((t) => {
    const share: TrafficShare = { revision: t.revisionName ?? '', percent: t.percent ?? 0 };
    if (t.tag !== undefined) share.tag = t.tag;
    if (t.latestRevision === true) share.latest = true;
    return share;
  });
  return withReason({ ready: ready(o), url: o.status?.url ?? '', traffic }, o);
}

function revisionState(o: Revision): ObjectChange['state'] {
  const active = getCondition(o.status?.conditions, 'Active');
  const state = withReason({ ready: ready(o) }, o);
  if (active !== undefined) state.active = active.status;
  return state;
}

function podAutoscalerState(o: PodAutoscaler): ObjectChange['state'] {
  const active = getCondition(o.status?.conditions, 'Active');
  return { desiredScale: o.status?.desiredScale ?? -1, actualScale: o.status?.actualScale ?? 0, active: active?.status ?? 'Unknown' };
}

function deploymentState(o: Deployment): ObjectChange['state'] {
  return { replicas: o.spec.replicas ?? 0, readyReplicas: o.status?.readyReplicas ?? 0 };
}

/** A pod's phase as `kubectl get pods` words it: Pending, ContainerCreating, ErrImagePull, Running, Ready, Terminating. */
function podState(o: Pod): ObjectChange['state'] {
  const node = o.spec.nodeName ?? '';
  let phase: string;
  if (o.metadata.deletionTimestamp !== undefined) phase = 'Terminating';
  else if (isPodReady(o)) phase = 'Ready';
  else if (node === '') phase = 'Pending';
  else {
    const waiting = o.status?.containerStatuses?.find((c) => c.state.waiting !== undefined)?.state.waiting?.reason;
    phase = waiting ?? (o.status?.phase === 'Running' ? 'Running' : 'ContainerCreating');
  }
  return node === '' ? { phase } : { phase, node };
}
