/**
 * Defaulting of the Knative Serving kinds, as the defaulting webhook applies it on
 * create and update. Fidelity: knative/serving pkg/apis/serving/v1/*_defaults.go with
 * pkg/apis/config/defaults.go values (revision-timeout-seconds 300,
 * container-concurrency 0, container name `user-container`). Not modelled: the creator
 * and lastModifier annotations (knsim has no users) and per-namespace config-defaults.
 * The probe defaults live in probes.ts.
 */
import type { Container } from './core.js';
import { defaultContainerProbes } from './probes.js';
import type { Configuration, Revision, RevisionSpec, RevisionTemplateSpec, Route, KnService, TrafficTarget } from './serving-types.js';

export const DEFAULT_REVISION_TIMEOUT_SECONDS = 300;
export const MAX_REVISION_TIMEOUT_SECONDS = 600;
const DEFAULT_CONTAINER_CONCURRENCY = 0;
/** config-defaults `container-concurrency-max-limit`. */
export const CONTAINER_CONCURRENCY_MAX_LIMIT = 1000;
const USER_CONTAINER_NAME = 'user-container';

/**
 * Defaulting runs before validation (in the scenario loader and the API server), so it must
 * not throw on malformed input: whatever is not the mapping or list it expects
 * (`containers: ["image: x"]`, `traffic: [~]`, `spec: 3`) is left as is for validation to report.
 */
function isMapping(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Fills a revision spec in place: container names, timeoutSeconds and containerConcurrency. */
function defaultRevisionSpec(spec: RevisionSpec): void {
  const containers: unknown = spec.containers;
  if (!Array.isArray(containers)) return;
  const single = containers.length === 1;
  containers.forEach((c: Container, i) => {
    if (!isMapping(c)) return;
    if (!c.name) c.name = single ? USER_CONTAINER_NAME : `${USER_CONTAINER_NAME}-${i}`;
  });
  defaultContainerProbes(containers as Container[]);
  spec.timeoutSeconds ??= DEFAULT_REVISION_TIMEOUT_SECONDS;
  spec.containerConcurrency ??= DEFAULT_CONTAINER_CONCURRENCY;
}

function defaultRevisionTemplate(template: RevisionTemplateSpec | undefined): void {
  if (isMapping(template) && isMapping(template.spec)) defaultRevisionSpec(template.spec);
}

/** latestRevision defaults to `revisionName == ""` (route_defaults.go). */
function defaultTrafficTargets(traffic: TrafficTarget[] | undefined): void {
  if (!Array.isArray(traffic)) return;
  for (const t of traffic) if (isMapping(t)) t.latestRevision ??= !t.revisionName;
}

/** A Service without traffic sends 100% to its latest ready revision. */
export function defaultService(obj: KnService): void {
  obj.spec ??= {} as KnService['spec'];
  if (!isMapping(obj.spec)) return;
  defaultRevisionTemplate(obj.spec.template);
  if (obj.spec.traffic == null || obj.spec.traffic.length === 0) obj.spec.traffic = [{ latestRevision: true, percent: 100 }];
  defaultTrafficTargets(obj.spec.traffic);
}

export function defaultConfiguration(obj: Configuration): void {
  obj.spec ??= {} as Configuration['spec'];
  if (isMapping(obj.spec)) defaultRevisionTemplate(obj.spec.template);
}

export function defaultRevision(obj: Revision): void {
  if (isMapping(obj.spec)) defaultRevisionSpec(obj.spec);
}

export function defaultRoute(obj: Route): void {
  obj.spec ??= {};
  if (isMapping(obj.spec)) defaultTrafficTargets(obj.spec.traffic);
}
