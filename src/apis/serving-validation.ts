/**
 * Validation of the Knative Serving kinds as the validating webhook reports it: each
 * error names its field path (`spec.template.spec.timeoutSeconds`) and is worded like
 * knative.dev/pkg `apis.FieldError` (`expected 0 <= 900 <= 600`, `missing field(s)`,
 * `must not set the field(s)`, `expected exactly one, got both`). The API server prints
 * them as `<message>: <path>` when a kind is registered with errorStyle 'knative'.
 *
 * These functions are pure so the scenario loader can check manifests before a run.
 * Fidelity: knative/serving pkg/apis/serving/v1/{service,configuration,revision,route}_validation.go,
 * pkg/apis/serving/k8s_validation.go (only image, container count and names), metadata
 * name rules of pkg/apis/serving/metadata_validation.go, the PodSpec and container fields
 * Knative never admits (fieldmask.go), autoscaling annotations outside the template. Not
 * modelled: the feature-flagged PodSpec fields are admitted (apis/fidelity.ts warns about
 * them), queue-sidecar resource annotations are not validated, no creator/modifier checks.
 */
import { checkDns1035Label, type FieldError } from './field-error.js';
import { type KObject, deepEqual } from './meta.js';
import {
  ANNOTATION,
  LABEL,
  type Configuration,
  type KnService,
  type Revision,
  type RevisionSpec,
  type RevisionTemplateSpec,
  type Route,
  type TrafficTarget,
} from './serving-types.js';
import { defaultDefaultsConfig, type DefaultsConfig } from './config/defaults.js';
import { parseDuration } from '../engine/units.js';
import { validateAutoscalingAnnotations } from './autoscaling-annotations.js';
import { validateContainerProbes } from './probes.js';
import { defaultAutoscalerConfig, goParseDuration, type AutoscalerConfig } from './config/autoscaler.js';

interface ServingValidationOptions {
  /** config-autoscaler in force (for the autoscaling annotations); defaults when omitted. */
  autoscalerConfig?: AutoscalerConfig;
  /** config-defaults in force (timeout and containerConcurrency bounds); defaults when omitted. */
  defaults?: DefaultsConfig;
}

const MAX_NAME_LENGTH = 63;

/** Knative's metadata.name rule for its kinds (metadata_validation.go). */
function validateKnativeObjectName(name: string | undefined): FieldError[] {
  if (!name) return [{ path: 'metadata.name', message: 'missing field(s)' }];
  if (name.includes('.')) return [{ path: 'metadata.name', message: 'Invalid resource name: special character . must not be present' }];
  if (name.length > MAX_NAME_LENGTH)
    return [{ path: 'metadata.name', message: `Invalid resource name: length must be no more than ${MAX_NAME_LENGTH} characters` }];
  const dns = checkDns1035Label(name);
  if (dns !== undefined) return [{ path: 'metadata.name', message: `not a DNS 1035 label: [${dns}]` }];
  return [];
}

/** PodSpec fields Knative never admits (fieldmask.go PodSpecMask's "disallowed fields"). */
export const DISALLOWED_POD_FIELDS = [
  'restartPolicy',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'nodeName',
  'hostname',
  'subdomain',
  'priority',
  'readinessGates',
];
/** Container fields Knative never admits (ContainerMask). */
export const DISALLOWED_CONTAINER_FIELDS = ['lifecycle', 'stdin', 'stdinOnce', 'tty', 'volumeDevices'];

/** Fields the webhook's field masks drop, reported as `must not set the field(s)` (apis.CheckDisallowedFields). */
function disallowedFields(spec: RevisionSpec, path: string): FieldError[] {
  const raw = spec as unknown as Record<string, unknown>;
  const errors: FieldError[] = [];
  const pod = DISALLOWED_POD_FIELDS.filter((f) => raw[f] !== undefined && raw[f] !== null);
  // automountServiceAccountToken may only be set to false.
  if (raw.automountServiceAccountToken === true) pod.push('automountServiceAccountToken');
  if (pod.length > 0) errors.push({ path: pod.map((f) => `${path}.${f}`).join(', '), message: 'must not set the field(s)' });
  (Array.isArray(spec.containers) ? spec.containers : []).forEach((c, i) => {
    const fields = DISALLOWED_CONTAINER_FIELDS.filter((f) => (c as unknown as Record<string, unknown>)[f] !== undefined);
    if (fields.length > 0) errors.push({ path: fields.map((f) => `${path}.containers[${i}].${f}`).join(', '), message: 'must not set the field(s)' });
  });
  return errors;
}

/** Autoscaling annotations belong on the revision template, not on a Service, Configuration or Route (ValidateHasNoAutoscalingAnnotation). */
function validateNoAutoscalingAnnotation(obj: KObject): FieldError[] {
  return Object.keys(obj.metadata?.annotations ?? {})
    .filter((k) => k.startsWith('autoscaling.knative.dev'))
    .sort()
    .map((k) => ({
      path: `metadata.annotations.${k}`,
      message: `invalid key name ${JSON.stringify(k)}: autoscaling annotations must be put under "spec.template.metadata.annotations" to work`,
    }));
}

/** RevisionSpec rules: at least one container, each with an image; timeout and concurrency bounds; no disallowed PodSpec fields. */
function validateRevisionSpec(spec: RevisionSpec | undefined, path: string, options: ServingValidationOptions = {}): FieldError[] {
  const errors: FieldError[] = [];
  if (spec === undefined || spec === null) return [{ path, message: 'missing field(s)' }];
  errors.push(...disallowedFields(spec, path));
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) errors.push({ path: `${path}.containers`, message: 'missing field(s)' });
  else {
    const names = new Set<string>();
    containers.forEach((c, i) => {
      if (!c.image) errors.push({ path: `${path}.containers[${i}].image`, message: 'missing field(s)' });
      if (c.name) {
        if (names.has(c.name)) errors.push({ path: `${path}.containers[${i}].name`, message: `duplicate container name "${c.name}"` });
        names.add(c.name);
      }
      (c.ports ?? []).forEach((p, j) => {
        if (!Number.isInteger(p.containerPort) || p.containerPort < 0 || p.containerPort > 65535) {
          errors.push({ path: `${path}.containers[${i}].ports[${j}].containerPort`, message: `expected 0 <= ${p.containerPort} <= 65535` });
        }
      });
      errors.push(...validateContainerProbes(c, `${path}.containers[${i}]`, containers.length === 1 || (c.ports?.length ?? 0) > 0));
    });
    const withPorts = containers.filter((c) => (c.ports?.length ?? 0) > 0).length;
    if (containers.length > 1 && withPorts !== 1)
      errors.push({ path: `${path}.containers`, message: 'exactly one container must have a port (the serving container) when there are several' });
  }
  const defaults = options.defaults ?? defaultDefaultsConfig();
  const maxTimeout = defaults.maxRevisionTimeoutSeconds;
  const timeout = spec.timeoutSeconds;
  if (timeout !== undefined && timeout !== 0 && (timeout < 0 || timeout > maxTimeout || !Number.isInteger(timeout))) {
    errors.push({ path: `${path}.timeoutSeconds`, message: `expected 0 <= ${timeout} <= ${maxTimeout}` });
  }
  // responseStartTimeoutSeconds and idleTimeoutSeconds have no webhook bounds (≤ 0 means no timer); only integers decode.
  for (const key of ['responseStartTimeoutSeconds', 'idleTimeoutSeconds'] as const) {
    const v = spec[key];
    if (v !== undefined && !Number.isInteger(v)) errors.push({ path: `${path}.${key}`, message: `invalid value: ${String(v)}` });
  }
  const cc = spec.containerConcurrency;
  const ccMin = defaults.allowContainerConcurrencyZero ? 0 : 1;
  const ccMax = defaults.containerConcurrencyMaxLimit;
  if (cc !== undefined && (cc < ccMin || cc > ccMax || !Number.isInteger(cc))) {
    errors.push({ path: `${path}.containerConcurrency`, message: `expected ${ccMin} <= ${cc} <= ${ccMax}` });
  }
  return errors;
}

/**
 * A revision template: its spec, the autoscaling annotations, the progress-deadline
 * annotation and a bring-your-own name, which must be a DNS-1035 label prefixed `<parent>-`.
 */
function validateRevisionTemplate(
  template: RevisionTemplateSpec | undefined,
  parentName: string,
  path = 'spec.template',
  options: ServingValidationOptions = {},
): FieldError[] {
  if (template === undefined || template === null) return [{ path, message: 'missing field(s)' }];
  const errors = validateRevisionSpec(template.spec, `${path}.spec`, options);
  const annotations = template.metadata?.annotations ?? {};
  const config = options.autoscalerConfig ?? defaultAutoscalerConfig();
  errors.push(...validateAutoscalingAnnotations(annotations, config, `${path}.metadata.annotations`));
  const deadline = annotations[ANNOTATION.progressDeadline];
  if (deadline !== undefined) {
    const key = `${path}.metadata.annotations.${ANNOTATION.progressDeadline}`;
    const parsed = parseDuration(deadline);
    if (!parsed.ok) errors.push({ path: key, message: `invalid value: ${deadline}` });
    else if (parsed.ms % 1000 !== 0) errors.push({ path: key, message: `progress-deadline=${deadline} is not at second precision` });
    else if (parsed.ms <= 0) errors.push({ path: key, message: `progress-deadline=${deadline} must be positive` });
  }
  const name = template.metadata?.name;
  if (name) {
    const dns = checkDns1035Label(name);
    if (dns !== undefined) errors.push({ path: `${path}.metadata.name`, message: `invalid value: not a DNS 1035 label: [${dns}]` });
    else if (!name.startsWith(`${parentName}-`))
      errors.push({ path: `${path}.metadata.name`, message: `invalid value: "${name}" must have prefix "${parentName}-"` });
  }
  return errors;
}

/** Traffic list rules (route_validation.go). `inService`: configurationName is implied and disallowed. */
export function validateTraffic(traffic: readonly TrafficTarget[] | undefined, path: string, inService: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const list = traffic ?? [];
  const tags = new Map<string, number>();
  let sum = 0;
  list.forEach((t, i) => {
    const at = `${path}[${i}]`;
    if (t.latestRevision !== undefined) {
      const pinned = !!t.revisionName;
      if (pinned === t.latestRevision)
        errors.push({ path: `${at}.latestRevision`, message: `may not set revisionName "${t.revisionName ?? ''}" when latestRevision is ${t.latestRevision}` });
    }
    if (inService && t.configurationName) errors.push({ path: `${at}.configurationName`, message: 'must not set the field(s)' });
    else if (t.revisionName && t.configurationName)
      errors.push({ path: `${at}.configurationName, ${at}.revisionName`, message: 'expected exactly one, got both' });
    else if (!inService && !t.revisionName && !t.configurationName)
      errors.push({ path: `${at}.configurationName, ${at}.revisionName`, message: 'expected exactly one, got neither' });
    if (t.percent !== undefined && t.percent !== null) {
      if (!Number.isInteger(t.percent) || t.percent < 0 || t.percent > 100)
        errors.push({ path: `${at}.percent`, message: `expected 0 <= ${t.percent} <= 100` });
      sum += t.percent;
    }
    if (t.url !== undefined) errors.push({ path: `${at}.url`, message: 'must not set the field(s)' });
    if (t.tag) {
      const dns = checkDns1035Label(t.tag);
      if (dns !== undefined) errors.push({ path: `${path}.tag[${i}]`, message: `invalid value: not a DNS 1035 label: [${dns}]` });
      const first = tags.get(t.tag);
      if (first !== undefined) errors.push({ path: `${path}[${first}].tag, ${at}.tag`, message: `Multiple definitions for "${t.tag}"` });
      else tags.set(t.tag, i);
    }
  });
  if (sum !== 100) errors.push({ path, message: `Traffic targets sum to ${sum}, want 100` });
  return errors;
}

/** A Service: name, template, traffic, and on update the BYO-name change rule. */
export function validateService(obj: KnService, old?: KnService, options: ServingValidationOptions = {}): FieldError[] {
  const errors = validateKnativeObjectName(obj.metadata?.name);
  const name = obj.metadata?.name ?? '';
  errors.push(...validateVisibilityLabel(obj));
  errors.push(...validateRolloutDurationAnnotation(obj.metadata?.annotations));
  errors.push(...validateNoAutoscalingAnnotation(obj));
  if (obj.spec === undefined || obj.spec === null) return [...errors, { path: 'spec', message: 'missing field(s)' }];
  errors.push(...validateRevisionTemplate(obj.spec.template, name, 'spec.template', options));
  errors.push(...validateTraffic(obj.spec.traffic, 'spec.traffic', true));
  if (old !== undefined) errors.push(...verifyNameChange(obj.spec.template, old.spec.template, 'spec.template'));
  return errors;
}

export function validateConfiguration(obj: Configuration, old?: Configuration, options: ServingValidationOptions = {}): FieldError[] {
  const errors = validateKnativeObjectName(obj.metadata?.name);
  errors.push(...validateNoAutoscalingAnnotation(obj));
  if (obj.spec === undefined || obj.spec === null) return [...errors, { path: 'spec', message: 'missing field(s)' }];
  errors.push(...validateRevisionTemplate(obj.spec.template, obj.metadata?.name ?? '', 'spec.template', options));
  if (old !== undefined) errors.push(...verifyNameChange(obj.spec.template, old.spec.template, 'spec.template'));
  return errors;
}

/** A Revision: its spec on create; on update, the spec must not change at all. */
export function validateRevision(obj: Revision, old?: Revision, options: ServingValidationOptions = {}): FieldError[] {
  if (old !== undefined) {
    if (!deepEqual(old.spec, obj.spec)) return [{ path: 'spec', message: `Immutable fields changed (-old +new)\n${shortDiff(old.spec, obj.spec)}` }];
    return [];
  }
  const errors = validateKnativeObjectName(obj.metadata?.name);
  errors.push(...validateRevisionSpec(obj.spec, 'spec', options));
  const config = options.autoscalerConfig ?? defaultAutoscalerConfig();
  for (const e of validateAutoscalingAnnotations(obj.metadata?.annotations ?? {}, config)) errors.push(e);
  return errors;
}

export function validateRoute(obj: Route): FieldError[] {
  const errors = validateKnativeObjectName(obj.metadata?.name);
  errors.push(...validateVisibilityLabel(obj));
  errors.push(...validateRolloutDurationAnnotation(obj.metadata?.annotations));
  errors.push(...validateNoAutoscalingAnnotation(obj));
  // A Service-owned Route carries configurationName targets written by the Service reconciler, so they are allowed here.
  errors.push(...validateTraffic(obj.spec?.traffic, 'spec.traffic', false));
  return errors;
}

/**
 * `serving.knative.dev/rollout-duration` (or its alias `rolloutDuration`) on a Service or
 * Route: a Go duration at whole-second precision, not negative
 * (pkg/apis/serving/metadata_validation.go ValidateRolloutDurationAnnotation).
 * Example: `380s` passes; `1500ms` → `rollout-duration=1500ms is not at second precision`.
 */
export function validateRolloutDurationAnnotation(annotations: Record<string, string> | undefined): FieldError[] {
  const found = readRolloutDurationAnnotation(annotations);
  if (found === undefined || found.value === '') return [];
  const path = `metadata.annotations.${found.key}`;
  const parsed = goParseDuration(found.value);
  if (!parsed.ok) return [{ path, message: `invalid value: ${found.value}` }];
  if (Math.abs(parsed.value % 1000) > 1e-9) return [{ path, message: `rollout-duration=${found.value} is not at second precision` }];
  if (parsed.value < 0) return [{ path, message: `rollout-duration=${found.value} must be positive` }];
  return [];
}

/** The rollout-duration annotation by key priority (`rollout-duration`, then `rolloutDuration`), as kmap.KeyPriority.Get. */
export function readRolloutDurationAnnotation(annotations: Record<string, string> | undefined): { key: string; value: string } | undefined {
  for (const key of ROLLOUT_DURATION_KEYS) {
    const value = annotations?.[key];
    if (value !== undefined) return { key, value };
  }
  return undefined;
}

/** serving.RolloutDurationAnnotation: the key and its legacy alias, in priority order. */
export const ROLLOUT_DURATION_KEYS = ['serving.knative.dev/rollout-duration', 'serving.knative.dev/rolloutDuration'] as const;

/** networking.knative.dev/visibility accepts only `cluster-local`. */
function validateVisibilityLabel(obj: KObject): FieldError[] {
  const v = obj.metadata?.labels?.[LABEL.visibility];
  if (v === undefined || v === 'cluster-local') return [];
  return [{ path: `metadata.labels.${LABEL.visibility}`, message: `invalid value: ${v}` }];
}

/** A BYO revision name that stays the same while the template changes would reuse an immutable revision's name. */
function verifyNameChange(next: RevisionTemplateSpec | undefined, prev: RevisionTemplateSpec | undefined, path: string): FieldError[] {
  const name = next?.metadata?.name;
  if (!name || prev === undefined || name !== prev.metadata?.name) return [];
  if (deepEqual(next, prev)) return [];
  return [{ path: `${path}.metadata.name`, message: `Saw the following changes without a name change (-old +new)\n${shortDiff(prev, next)}` }];
}

/** A compact `-old +new` listing of the leaf fields that differ, like kmp.ShortDiff. */
function shortDiff(a: unknown, b: unknown): string {
  const lines: string[] = [];
  const walk = (x: unknown, y: unknown, at: string): void => {
    if (deepEqual(x, y)) return;
    const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
    if (isObj(x) && isObj(y) && Array.isArray(x) === Array.isArray(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
      for (const k of keys) walk(x[k], y[k], Array.isArray(x) ? `${at}[${k}]` : at === '' ? k : `${at}.${k}`);
      return;
    }
    lines.push(`{${at}}:`, `\t-: ${x === undefined ? '<none>' : JSON.stringify(x)}`, `\t+: ${y === undefined ? '<none>' : JSON.stringify(y)}`);
  };
  walk(a, b, '');
  return lines.join('\n');
}
