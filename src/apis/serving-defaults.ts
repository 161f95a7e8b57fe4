/**
 * Defaulting of the Knative Serving kinds, as the defaulting webhook applies it on
 * create and update. Fidelity: knative/serving pkg/apis/serving/v1/*_defaults.go with
 * pkg/apis/config/defaults.go values (revision-timeout-seconds 300,
 * container-concurrency 0, container name `user-container`). Not modelled: the creator
 * and lastModifier annotations (knsim has no users), the default readiness probe (the
 * kubelet model decides readiness itself) and per-namespace config-defaults.
 */
import type { Configuration, Revision, RevisionSpec, RevisionTemplateSpec, Route, KnService, TrafficTarget } from './serving-types.js';

export const DEFAULT_REVISION_TIMEOUT_SECONDS = 300;
export const MAX_REVISION_TIMEOUT_SECONDS = 600;
export const DEFAULT_CONTAINER_CONCURRENCY = 0;
/** config-defaults `container-concurrency-max-limit`. */
export const CONTAINER_CONCURRENCY_MAX_LIMIT = 1000;
export const USER_CONTAINER_NAME = 'user-container';

/** Fills a revision spec in place: container names, timeoutSeconds and containerConcurrency. */
export function defaultRevisionSpec(spec: RevisionSpec): void {
  if (!Array.isArray(spec.containers)) return;
  if (spec.containers.length === 1) {
    if (!spec.containers[0].name) spec.containers[0].name = USER_CONTAINER_NAME;
  } else {
    spec.containers.forEach((c, i) => {
      if (!c.name) c.name = `${USER_CONTAINER_NAME}-${i}`;
    });
  }
  spec.timeoutSeconds ??= DEFAULT_REVISION_TIMEOUT_SECONDS;
  spec.containerConcurrency ??= DEFAULT_CONTAINER_CONCURRENCY;
}

export function defaultRevisionTemplate(template: RevisionTemplateSpec | undefined): void {
  if (template?.spec !== undefined) defaultRevisionSpec(template.spec);
}

/** latestRevision defaults to `revisionName == ""` (route_defaults.go). */
export function defaultTrafficTargets(traffic: TrafficTarget[] | undefined): void {
  for (const t of traffic ?? []) t.latestRevision ??= !t.revisionName;
}

/** A Service without traffic sends 100% to its latest ready revision. */
export function defaultService(obj: KnService): void {
  obj.spec ??= {} as KnService['spec'];
  defaultRevisionTemplate(obj.spec.template);
  if (obj.spec.traffic === undefined || obj.spec.traffic.length === 0) obj.spec.traffic = [{ latestRevision: true, percent: 100 }];
  defaultTrafficTargets(obj.spec.traffic);
}

export function defaultConfiguration(obj: Configuration): void {
  obj.spec ??= {} as Configuration['spec'];
  defaultRevisionTemplate(obj.spec.template);
}

export function defaultRevision(obj: Revision): void {
  if (obj.spec !== undefined) defaultRevisionSpec(obj.spec);
}

export function defaultRoute(obj: Route): void {
  obj.spec ??= {};
  defaultTrafficTargets(obj.spec.traffic);
}
