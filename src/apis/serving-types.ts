/**
 * Knative Serving types: serving.knative.dev/v1 Service, Configuration, Revision and
 * Route; autoscaling.internal.knative.dev/v1alpha1 PodAutoscaler;
 * networking.internal.knative.dev/v1alpha1 ServerlessService and Ingress (here a
 * plain routing table that the router reads).
 * Field names are Knative's (knative/serving pkg/apis/serving/v1/*_types.go) so real
 * manifests load unchanged.
 */
import type { Condition, KObject } from './meta.js';
import type { Container } from './core.js';

export const SERVING_API_VERSION = 'serving.knative.dev/v1';
export const AUTOSCALING_API_VERSION = 'autoscaling.internal.knative.dev/v1alpha1';
export const NETWORKING_API_VERSION = 'networking.internal.knative.dev/v1alpha1';

export interface RevisionSpec {
  containers: Container[];
  containerConcurrency?: number;
  timeoutSeconds?: number;
  responseStartTimeoutSeconds?: number;
  idleTimeoutSeconds?: number;
  serviceAccountName?: string;
}

export interface RevisionTemplateSpec {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: RevisionSpec;
}

export interface TrafficTarget {
  tag?: string;
  revisionName?: string;
  configurationName?: string;
  latestRevision?: boolean;
  percent?: number;
  /** Status only. */
  url?: string;
}

/** Fields shared by every Knative status (duckv1.Status). */
interface KnativeStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  annotations?: Record<string, string>;
}

export interface ServiceSpec {
  template: RevisionTemplateSpec;
  traffic?: TrafficTarget[];
}

export interface ServiceStatus extends KnativeStatus {
  url?: string;
  address?: { url: string };
  latestCreatedRevisionName?: string;
  latestReadyRevisionName?: string;
  traffic?: TrafficTarget[];
}

export type KnService = KObject<ServiceSpec, ServiceStatus>;

export interface ConfigurationSpec {
  template: RevisionTemplateSpec;
}

export interface ConfigurationStatus extends KnativeStatus {
  latestCreatedRevisionName?: string;
  latestReadyRevisionName?: string;
}

export type Configuration = KObject<ConfigurationSpec, ConfigurationStatus>;

export interface RevisionStatus extends KnativeStatus {
  serviceName?: string;
  logUrl?: string;
  /** The image actually deployed (Knative resolves digests; knsim keeps the tag). */
  containerStatuses?: { name: string; imageDigest?: string }[];
  actualReplicas?: number;
  desiredReplicas?: number;
}

export type Revision = KObject<RevisionSpec, RevisionStatus>;

export interface RouteSpec {
  traffic?: TrafficTarget[];
}

export interface RouteStatus extends KnativeStatus {
  url?: string;
  address?: { url: string };
  traffic?: TrafficTarget[];
}

export type Route = KObject<RouteSpec, RouteStatus>;

export type PodAutoscalerReachability = 'Reachable' | 'Unreachable' | '';

export interface PodAutoscalerSpec {
  /** The revision's containerConcurrency. */
  containerConcurrency?: number;
  scaleTargetRef: { apiVersion: string; kind: string; name: string };
  protocolType?: string;
  reachability?: PodAutoscalerReachability;
}

export interface PodAutoscalerStatus extends KnativeStatus {
  serviceName?: string;
  metricsServiceName?: string;
  desiredScale?: number;
  actualScale?: number;
}

/** The PA carries the revision's autoscaling annotations on its own metadata, as Knative does. */
export type PodAutoscaler = KObject<PodAutoscalerSpec, PodAutoscalerStatus>;

export type ServerlessServiceMode = 'Serve' | 'Proxy';

export interface ServerlessServiceSpec {
  mode: ServerlessServiceMode;
  /** Selects the revision's pods. */
  objectRef: { apiVersion: string; kind: string; name: string };
  protocolType?: string;
  /** How many activators to put in the path in Proxy mode. */
  numActivators?: number;
}

export interface ServerlessServiceStatus extends KnativeStatus {
  serviceName?: string;
  privateServiceName?: string;
}

export type ServerlessService = KObject<ServerlessServiceSpec, ServerlessServiceStatus>;

/** One backend of a host rule: a revision with its share of that host's traffic. */
export interface IngressSplit {
  revisionName: string;
  /** Knative service namespace of the revision. */
  serviceNamespace: string;
  percent: number;
}

/** A host rule: the hosts that reach a set of weighted revisions. */
export interface IngressRule {
  hosts: string[];
  /** `ExternalIP` (reachable from outside) or `ClusterLocal` (only from inside the cluster). */
  visibility: 'ExternalIP' | 'ClusterLocal';
  splits: IngressSplit[];
  /** A DomainMapping's rule: requests go on as if sent to this (cluster-local) host, whose splits apply (HTTPIngressPath.RewriteHost). */
  rewriteHost?: string;
}

export interface IngressSpec {
  rules: IngressRule[];
}

export type IngressStatus = KnativeStatus;

/** knsim's ingress: the Route's programmed routing table (knative/networking Ingress, simplified to what routing needs). */
export type Ingress = KObject<IngressSpec, IngressStatus>;

/** Well-known label and annotation keys. */
export const LABEL = {
  service: 'serving.knative.dev/service',
  serviceUID: 'serving.knative.dev/serviceUID',
  configuration: 'serving.knative.dev/configuration',
  configurationUID: 'serving.knative.dev/configurationUID',
  configurationGeneration: 'serving.knative.dev/configurationGeneration',
  revision: 'serving.knative.dev/revision',
  revisionUID: 'serving.knative.dev/revisionUID',
  route: 'serving.knative.dev/route',
  routingState: 'serving.knative.dev/routingState',
  visibility: 'networking.knative.dev/visibility',
  podAutoscalerClass: 'autoscaling.knative.dev/class',
} as const;

export const ANNOTATION = {
  routingStateModified: 'serving.knative.dev/routingStateModified',
  progressDeadline: 'serving.knative.dev/progress-deadline',
  noGC: 'serving.knative.dev/no-gc',
  creator: 'serving.knative.dev/creator',
  lastModifier: 'serving.knative.dev/lastModifier',
  routes: 'serving.knative.dev/routes',
  userImage: 'client.knative.dev/user-image',
  updateTimestamp: 'client.knative.dev/updateTimestamp',
} as const;
