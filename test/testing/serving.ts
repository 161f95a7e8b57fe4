/**
 * Builders of Knative objects with functional options, as knative/serving's
 * pkg/testing/v1 (`Revision(ns, name, WithRevisionLabel(...), MarkRevisionReady)`), for table
 * rows. Children are made with knsim's own resource builders, as Knative's rows use
 * `resources.MakeDeployment` and friends.
 */
import type { Deployment } from '../../src/apis/core.js';
import type { Condition, KObject } from '../../src/apis/meta.js';
import {
  LABEL,
  SERVING_API_VERSION,
  type Configuration,
  type KnService,
  type PodAutoscaler,
  type Revision,
  type Route,
  type TrafficTarget,
} from '../../src/apis/serving-types.js';
import { makeDeployment } from '../../src/serving/revision/resources/deploy.js';
import { makePodAutoscaler } from '../../src/serving/revision/resources/pa.js';

export type Option<T> = (obj: T) => void;
export const NS = 'default';

function apply<T>(obj: T, options: Option<T>[]): T {
  for (const o of options) o(obj);
  return obj;
}

export function revision(name: string, ...options: Option<Revision>[]): Revision {
  return apply<Revision>(
    {
      apiVersion: SERVING_API_VERSION,
      kind: 'Revision',
      metadata: { name, namespace: NS, labels: { [LABEL.configuration]: name.replace(/-\d+$/, ''), [LABEL.routingState]: 'active' }, annotations: {} },
      spec: { containers: [{ image: 'busybox' }], containerConcurrency: 0, timeoutSeconds: 300 },
    },
    options,
  );
}

export const withContainerConcurrency =
  (cc: number): Option<Revision> =>
  (r) =>
    void (r.spec.containerConcurrency = cc);
export const withRoutingState =
  (state: 'active' | 'reserve' | 'pending'): Option<Revision> =>
  (r) =>
    void ((r.metadata.labels ??= {})[LABEL.routingState] = state);

/** The Deployment the revision reconciler makes (initial scale 1, progress deadline 600 s). */
export function deploymentOf(rev: Revision, ...options: Option<Deployment>[]): Deployment {
  return apply(makeDeployment(rev, { initialScale: 1, progressDeadlineSeconds: 600 }), options);
}

export const withImage =
  (image: string): Option<Deployment> =>
  (d) =>
    void ((d.spec.template.spec.containers[0] as { image?: string }).image = image);
export const withoutOwner: Option<KObject> = (o) => void (o.metadata.ownerReferences = []);

/** Deployment status: `ready` of `replicas` pods ready and available, Progressing True. */
export const withDeploymentReady =
  (replicas = 1): Option<Deployment> =>
  (d) => {
    d.spec.replicas = replicas;
    d.status = {
      replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    };
  };
export const withProgressDeadlineExceeded: Option<Deployment> = (d) => {
  d.status = {
    replicas: 1,
    readyReplicas: 0,
    availableReplicas: 0,
    conditions: [
      { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${d.metadata.name}-abc" has timed out progressing.` },
    ],
  };
};

export function podAutoscalerOf(rev: Revision, deployment: Deployment | undefined, ...options: Option<PodAutoscaler>[]): PodAutoscaler {
  return apply(makePodAutoscaler(rev, deployment), options);
}

const cond = (type: string, status: Condition['status'], reason?: string, message?: string): Condition => ({
  type,
  status,
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
  lastTransitionTime: 0,
});

/** PA status as the KPA writes it once the target is up: all conditions True. */
export const paReady =
  (ready = 1): Option<PodAutoscaler> =>
  (pa) =>
    void (pa.status = {
      serviceName: pa.metadata.name,
      desiredScale: ready,
      actualScale: ready,
      conditions: [cond('Active', 'True'), cond('Ready', 'True'), cond('SKSReady', 'True'), cond('ScaleTargetInitialized', 'True')],
    });
/** PA status once scaled to zero: Active False NoTraffic (so Ready False), the target initialized. */
export const paInactive: Option<PodAutoscaler> = (pa) =>
  void (pa.status = {
    serviceName: pa.metadata.name,
    desiredScale: 0,
    actualScale: 0,
    conditions: [
      cond('Active', 'False', 'NoTraffic', 'The target is not receiving traffic.'),
      cond('Ready', 'False', 'NoTraffic', 'The target is not receiving traffic.'),
      cond('SKSReady', 'True'),
      cond('ScaleTargetInitialized', 'True'),
    ],
  });

export function configuration(name: string, ...options: Option<Configuration>[]): Configuration {
  return apply<Configuration>(
    {
      apiVersion: SERVING_API_VERSION,
      kind: 'Configuration',
      metadata: { name, namespace: NS },
      spec: { template: { spec: { containers: [{ image: 'busybox' }] } } },
    },
    options,
  );
}

export const withLatestRevisions =
  (created: string, ready?: string): Option<Configuration> =>
  (c) =>
    void (c.status = {
      observedGeneration: 1,
      latestCreatedRevisionName: created,
      ...(ready !== undefined ? { latestReadyRevisionName: ready } : {}),
      conditions: [cond('Ready', ready === created ? 'True' : 'Unknown')],
    });

export function route(name: string, traffic: TrafficTarget[], ...options: Option<Route>[]): Route {
  return apply<Route>({ apiVersion: SERVING_API_VERSION, kind: 'Route', metadata: { name, namespace: NS }, spec: { traffic } }, options);
}

export function service(name: string, ...options: Option<KnService>[]): KnService {
  return apply<KnService>(
    {
      apiVersion: SERVING_API_VERSION,
      kind: 'Service',
      metadata: { name, namespace: NS },
      spec: { template: { spec: { containers: [{ image: 'busybox' }] } }, traffic: [{ latestRevision: true, percent: 100 }] },
    },
    options,
  );
}

/** A condition as written by the reconciler (time 0 unless given). */
export function condition(type: string, status: Condition['status'], reason?: string, message?: string, severity?: string): Condition {
  return { type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}), ...(severity ? { severity } : {}) };
}
