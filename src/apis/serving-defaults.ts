/**
 * Defaulting of the Knative Serving kinds, as the defaulting webhook applies it on
 * create and update. Fidelity: knative/serving pkg/apis/serving/v1/*_defaults.go with the
 * config-defaults values (pkg/apis/config/defaults.go, src/apis/config/defaults.ts):
 * timeoutSeconds absent or 0 → `revision-timeout-seconds` (300); responseStartTimeoutSeconds
 * and idleTimeoutSeconds → their config defaults only when those are non-zero and below the
 * revision's timeout (so `timeoutSeconds: 600` gets a 300 s response-start timeout);
 * containerConcurrency → `container-concurrency` (0); container names `user-container`;
 * cpu and memory requests from `revision-cpu-request`/`revision-memory-request`. Not
 * modelled: the creator and lastModifier annotations (knsim has no users), container name
 * templates and per-namespace config-defaults. The probe defaults live in probes.ts.
 */
import type { Container } from './core.js';
import { defaultContainerProbes } from './probes.js';
import type { Configuration, Revision, RevisionSpec, RevisionTemplateSpec, Route, KnService, TrafficTarget } from './serving-types.js';
import { defaultDefaultsConfig, DEFAULT_REVISION_TIMEOUT_SECONDS, type DefaultsConfig } from './config/defaults.js';

export { DEFAULT_REVISION_TIMEOUT_SECONDS };
const USER_CONTAINER_NAME = 'user-container';
const BUILT_IN_DEFAULTS: Readonly<DefaultsConfig> = Object.freeze(defaultDefaultsConfig());

/**
 * Defaulting runs before validation (in the scenario loader and the API server), so it must
 * not throw on malformed input: whatever is not the mapping or list it expects
 * (`containers: ["image: x"]`, `traffic: [~]`, `spec: 3`) is left as is for validation to report.
 */
function isMapping(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Fills a revision spec in place: container names and requests, the three timeouts and containerConcurrency. */
function defaultRevisionSpec(spec: RevisionSpec, cfg: Readonly<DefaultsConfig>): void {
  const containers: unknown = spec.containers;
  if (!Array.isArray(containers)) return;
  const single = containers.length === 1;
  containers.forEach((c: Container, i) => {
    if (!isMapping(c)) return;
    if (!c.name) c.name = single ? USER_CONTAINER_NAME : `${USER_CONTAINER_NAME}-${i}`;
    if (cfg.revisionCpuRequest !== undefined || cfg.revisionMemoryRequest !== undefined) {
      const resources = isMapping(c.resources) ? c.resources : (c.resources = {});
      const requests = isMapping(resources.requests) ? resources.requests : (resources.requests = {});
      if (cfg.revisionCpuRequest !== undefined) requests.cpu ??= cfg.revisionCpuRequest;
      if (cfg.revisionMemoryRequest !== undefined) requests.memory ??= cfg.revisionMemoryRequest;
    }
  });
  defaultContainerProbes(containers as Container[]);
  // 0 means "the default", not "no timeout" (revision_defaults.go).
  if (spec.timeoutSeconds === undefined || spec.timeoutSeconds === null || spec.timeoutSeconds === 0) spec.timeoutSeconds = cfg.revisionTimeoutSeconds;
  const timeout = spec.timeoutSeconds;
  if (spec.idleTimeoutSeconds === undefined && cfg.revisionIdleTimeoutSeconds !== 0 && cfg.revisionIdleTimeoutSeconds < timeout)
    spec.idleTimeoutSeconds = cfg.revisionIdleTimeoutSeconds;
  if (spec.responseStartTimeoutSeconds === undefined && cfg.revisionResponseStartTimeoutSeconds !== 0 && cfg.revisionResponseStartTimeoutSeconds < timeout)
    spec.responseStartTimeoutSeconds = cfg.revisionResponseStartTimeoutSeconds;
  spec.containerConcurrency ??= cfg.containerConcurrency;
}

function defaultRevisionTemplate(template: RevisionTemplateSpec | undefined, cfg: Readonly<DefaultsConfig>): void {
  if (isMapping(template) && isMapping(template.spec)) defaultRevisionSpec(template.spec, cfg);
}

/** latestRevision defaults to `revisionName == ""` (route_defaults.go). */
function defaultTrafficTargets(traffic: TrafficTarget[] | undefined): void {
  if (!Array.isArray(traffic)) return;
  for (const t of traffic) if (isMapping(t)) t.latestRevision ??= !t.revisionName;
}

/** A Service without traffic sends 100% to its latest ready revision. */
export function defaultService(obj: KnService, cfg: Readonly<DefaultsConfig> = BUILT_IN_DEFAULTS): void {
  obj.spec ??= {} as KnService['spec'];
  if (!isMapping(obj.spec)) return;
  defaultRevisionTemplate(obj.spec.template, cfg);
  if (obj.spec.traffic == null || obj.spec.traffic.length === 0) obj.spec.traffic = [{ latestRevision: true, percent: 100 }];
  defaultTrafficTargets(obj.spec.traffic);
}

export function defaultConfiguration(obj: Configuration, cfg: Readonly<DefaultsConfig> = BUILT_IN_DEFAULTS): void {
  obj.spec ??= {} as Configuration['spec'];
  if (isMapping(obj.spec)) defaultRevisionTemplate(obj.spec.template, cfg);
}

/** A Revision is defaulted on create only: its spec is immutable (revision_defaults.go skips updates). */
export function defaultRevision(obj: Revision, cfg: Readonly<DefaultsConfig> = BUILT_IN_DEFAULTS, old?: Revision): void {
  if (old === undefined && isMapping(obj.spec)) defaultRevisionSpec(obj.spec, cfg);
}

export function defaultRoute(obj: Route): void {
  obj.spec ??= {};
  if (isMapping(obj.spec)) defaultTrafficTargets(obj.spec.traffic);
}
