/**
 * Condition sets, condition types, reasons and messages of the Knative Serving kinds,
 * in Knative's own words, so `kn` and `kubectl describe` views read like the real thing.
 * Fidelity: knative/serving pkg/apis/serving/v1/{service,configuration,revision,route}_lifecycle.go
 * and pkg/apis/serving/k8s_lifecycle.go. Knative's "living" condition sets derive Ready
 * from the dependents; `mark` in conditions.ts does the same.
 */
import { makeConditionSet } from './conditions.js';
import { MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, SIMULATION_EPOCH_MS } from '../engine/units.js';

export const COND = {
  ready: 'Ready',
  configurationsReady: 'ConfigurationsReady',
  routesReady: 'RoutesReady',
  resourcesAvailable: 'ResourcesAvailable',
  containerHealthy: 'ContainerHealthy',
  active: 'Active',
  allTrafficAssigned: 'AllTrafficAssigned',
  ingressReady: 'IngressReady',
  certificateProvisioned: 'CertificateProvisioned',
  /** PodAutoscaler conditions the Revision reads. */
  scaleTargetInitialized: 'ScaleTargetInitialized',
} as const;

/** Service Ready = ConfigurationsReady ∧ RoutesReady. */
export const serviceConditionSet = makeConditionSet(COND.ready, [COND.configurationsReady, COND.routesReady]);
/** Configuration has only Ready, set directly from its latest revisions. */
export const configurationConditionSet = makeConditionSet(COND.ready, []);
/** Revision Ready = ResourcesAvailable ∧ ContainerHealthy; Active is informational (not a dependent). */
export const revisionConditionSet = makeConditionSet(COND.ready, [COND.resourcesAvailable, COND.containerHealthy]);
/** Route Ready = AllTrafficAssigned ∧ IngressReady ∧ CertificateProvisioned. */
export const routeConditionSet = makeConditionSet(COND.ready, [COND.allTrafficAssigned, COND.ingressReady, COND.certificateProvisioned]);
/** knsim's Ingress has only Ready: it is programmed the moment it is written. */
export const ingressConditionSet = makeConditionSet(COND.ready, []);

export const REASON = {
  deploying: 'Deploying',
  containerMissing: 'ContainerMissing',
  progressDeadlineExceeded: 'ProgressDeadlineExceeded',
  notOwned: 'NotOwned',
  noTraffic: 'NoTraffic',
  revisionFailed: 'RevisionFailed',
  revisionDeleted: 'RevisionDeleted',
  revisionMissing: 'RevisionMissing',
  configurationMissing: 'ConfigurationMissing',
  revisionNotOwned: 'RevisionNotOwned',
  ingressNotConfigured: 'IngressNotConfigured',
  tlsNotEnabled: 'TLSNotEnabled',
  outOfDate: 'OutOfDate',
  trafficNotMigrated: 'TrafficNotMigrated',
  revisionNameTaken: 'RevisionNameTaken',
  rolloutInProgress: 'RolloutInProgress',
} as const;

export const MESSAGE = {
  configurationOutOfDate: 'The Configuration is still working to reflect the latest desired specification.',
  routeOutOfDate: 'The Route is still working to reflect the latest desired specification.',
  trafficNotMigrated: 'Traffic is not yet migrated to the latest revision.',
  ingressNotConfigured: 'Ingress has not yet been reconciled.',
  externalDomainTlsNotEnabled: 'external-domain-tls is not enabled',
  tlsNotEnabledForClusterLocal: 'TLS is not enabled for cluster-local',
  initialScaleNeverAchieved: 'Initial scale was never achieved',
  rolloutInProgress: 'A gradual rollout of the latest revision(s) is in progress.',
  configurationNotReady: (config: string) => `Configuration "${config}" is waiting for a Revision to become ready.`,
  configurationFailed: (config: string) => `Configuration "${config}" does not have any ready Revision.`,
  revisionNotReady: (revision: string) => `Revision "${revision}" is not yet ready.`,
  revisionFailedToBecomeReady: (revision: string) => `Revision "${revision}" failed to become ready.`,
  missingTarget: (kind: 'Configuration' | 'Revision', name: string) => `${kind} "${name}" referenced in traffic not found.`,
  revisionNotOwned: (revision: string, expected: string, actual: string) =>
    actual === ''
      ? `Revision "${revision}" does not belong to Service "${expected}".`
      : `Revision "${revision}" belongs to Service "${actual}", not Service "${expected}".`,
  latestCreatedFailed: (revision: string, message: string) => `Revision "${revision}" failed with message: ${message}.`,
  latestReadyDeleted: (revision: string) => `Revision "${revision}" was deleted.`,
  notOwned: (kind: string, name: string) => `There is an existing ${kind} "${name}" that we do not own.`,
  placeholderServiceNotOwned: (name: string) => `There is an existing placeholder Service "${name}" that we do not own.`,
  revisionNameTaken: (name: string) => `The revision name "${name}" is taken by a conflicting Revision, so traffic will not be migrated`,
} as const;

/**
 * Parses the RFC 3339 text that `formatTimestamp` writes (`2026-01-01T00:00:05Z`) back to
 * virtual ms, so annotations such as routingStateModified can be compared with `nowMs`.
 * Example: `2026-01-01T00:01:30Z` → 90,000. Returns undefined for other shapes.
 */
export function parseTimestamp(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  // Days-from-civil (Howard Hinnant), the inverse of formatTimestamp's civil-from-days.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  const wallMs = days * 86_400_000 + Number(m[4]) * MS_PER_HOUR + Number(m[5]) * MS_PER_MINUTE + Number(m[6]) * MS_PER_SECOND;
  return wallMs - SIMULATION_EPOCH_MS;
}
