/**
 * Admission for the core and apps kinds knsim's Kubernetes layer owns: defaulting as
 * the API server's SetDefaults_* functions do and validation with the API server's own
 * messages, so `Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be
 * greater than or equal to 0` reads exactly as kubectl prints it.
 *
 * Mirrors kubernetes pkg/apis/apps/v1/defaults.go, pkg/apis/core/v1/defaults.go,
 * pkg/apis/apps/validation/validation.go and pkg/apis/core/validation/validation.go.
 * Fidelity: the checks a simulated user can trip (names, required fields, replica counts,
 * selector/template agreement, rolling-update bounds, resource quantities); not every rule
 * of the real validators. Pod templates inside Deployments and ReplicaSets are not defaulted
 * (the pods created from them are), which keeps controllers that compare templates stable.
 */
import {
  TYPE,
  parseCpuMillis,
  parseMemoryBytes,
  type Container,
  type Deployment,
  type Node,
  type Pod,
  type PodSpec,
  type Probe,
  type PodTemplateSpec,
  type ReplicaSet,
  type K8sService,
  type Endpoints,
} from '../apis/core.js';
import { checkDns1035Label, checkDns1123Label, checkDns1123Subdomain, invalidValue, requiredValue, type FieldError } from '../apis/field-error.js';
import { selectorMatches, type KObject, type LabelSelector, deepEqual } from '../apis/meta.js';
import type { ApiServer } from './api-server.js';
import { scaleIntOrPercent } from './rolling.js';

/** Registers Pod, Node, Service, Endpoints, Deployment and ReplicaSet with their defaulters and validators. */
export function registerCoreKinds(api: ApiServer): void {
  api.registerKind<Pod>(TYPE.pod, { namespaced: true, defaulter: defaultPod, constantDefaults: true, validator: validatePod, errorStyle: 'kubernetes' });
  api.registerKind<Node>(TYPE.node, { namespaced: false, validator: (n) => validateObjectName(n), errorStyle: 'kubernetes' });
  api.registerKind<K8sService>(TYPE.service, { namespaced: true, validator: validateService, errorStyle: 'kubernetes' });
  api.registerKind<Endpoints>(TYPE.endpoints, { namespaced: true, validator: (e) => validateObjectName(e), errorStyle: 'kubernetes' });
  api.registerKind<Deployment>(TYPE.deployment, {
    namespaced: true,
    defaulter: defaultDeployment,
    constantDefaults: true,
    validator: validateDeployment,
    errorStyle: 'kubernetes',
  });
  api.registerKind<ReplicaSet>(TYPE.replicaSet, {
    namespaced: true,
    defaulter: defaultReplicaSet,
    constantDefaults: true,
    validator: validateReplicaSet,
    errorStyle: 'kubernetes',
  });
}

/** apps/v1 defaults: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600. */
export function defaultDeployment(d: Deployment): void {
  const spec = d.spec;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
}

function defaultReplicaSet(rs: ReplicaSet): void {
  rs.spec.replicas ??= 1;
}

/** core/v1 pod defaults the simulation reads: grace period 30 s, restart policy Always, probe timings, status Pending. */
function defaultPod(pod: Pod): void {
  pod.spec.terminationGracePeriodSeconds ??= 30;
  pod.spec.restartPolicy ??= 'Always';
  for (const c of pod.spec.containers ?? []) {
    for (const p of [c.readinessProbe, c.livenessProbe, c.startupProbe]) if (p !== undefined) defaultProbe(p);
  }
  pod.status ??= { phase: 'Pending' };
}

/**
 * SetDefaults_Probe: a zero (or missing) field gets Kubernetes' default — period 10 s,
 * timeout 1 s, success 1, failure 3. Knative writes a period of 0 on queue-proxy's probe
 * (its "aggressive" probing of the user container happens inside queue-proxy); the API
 * server stores 10 for the kubelet.
 */
function defaultProbe(p: Probe): void {
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
}

function validateObjectName(obj: KObject): FieldError[] {
  const why = checkDns1123Subdomain(obj.metadata.name);
  return why === undefined ? [] : [invalidValue('metadata.name', obj.metadata.name, why)];
}

function validateService(svc: K8sService): FieldError[] {
  const why = checkDns1035Label(svc.metadata.name);
  return why === undefined ? [] : [invalidValue('metadata.name', svc.metadata.name, why)];
}

function validatePod(pod: Pod, old: Pod | undefined): FieldError[] {
  const errors = validateObjectName(pod);
  if (pod.spec === undefined) return [...errors, requiredValue('spec')];
  errors.push(...validatePodSpec(pod.spec, 'spec'));
  if (old !== undefined && old.spec.nodeName && pod.spec.nodeName !== old.spec.nodeName) {
    errors.push({ path: 'spec.nodeName', message: 'Forbidden: pod updates may not change the node a pod is bound to' });
  }
  return errors;
}

function validatePodSpec(spec: PodSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const containers: Container[] = spec.containers ?? [];
  if (containers.length === 0) return [requiredValue(`${path}.containers`)];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const at = `${path}.containers[${i}]`;
    if (!c.name) errors.push(requiredValue(`${at}.name`));
    else {
      const why = checkDns1123Label(c.name);
      if (why !== undefined) errors.push(invalidValue(`${at}.name`, c.name, why));
      else if (names.has(c.name)) errors.push({ path: `${at}.name`, message: `Duplicate value: ${JSON.stringify(c.name)}` });
      names.add(c.name);
    }
    if (!c.image) errors.push(requiredValue(`${at}.image`));
    for (const kind of ['requests', 'limits'] as const) {
      const list = c.resources?.[kind];
      if (list?.cpu !== undefined && !(parseCpuMillis(list.cpu) >= 0))
        errors.push(
          invalidValue(`${at}.resources.${kind}.cpu`, list.cpu, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        );
      if (list?.memory !== undefined && !(parseMemoryBytes(list.memory) >= 0))
        errors.push(
          invalidValue(
            `${at}.resources.${kind}.memory`,
            list.memory,
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
          ),
        );
    }
  });
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds < 0) {
    errors.push(invalidValue(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  }
  return errors;
}

function validateNonNegative(path: string, value: number | undefined): FieldError[] {
  if (value === undefined) return [];
  if (!Number.isInteger(value) || value < 0) return [invalidValue(path, value, 'must be greater than or equal to 0')];
  return [];
}

/** Selector present, non-empty, matching the template's labels; the template has containers. */
function validateSelectorAndTemplate(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined, kind: string): FieldError[] {
  const errors: FieldError[] = [];
  if (selector === undefined) errors.push(requiredValue('spec.selector'));
  else if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
    errors.push(invalidValue('spec.selector', selector, `empty selector is invalid for ${kind}`));
  }
  if (template === undefined) return [...errors, requiredValue('spec.template')];
  const labels = template.metadata?.labels;
  if (selector !== undefined && errors.length === 0 && !selectorMatches(selector, labels)) {
    errors.push(invalidValue('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
  }
  if (template.spec === undefined) errors.push(requiredValue('spec.template.spec'));
  else errors.push(...validatePodSpec(template.spec, 'spec.template.spec'));
  return errors;
}

function validateImmutableSelector(obj: { spec: { selector: LabelSelector } }, old: { spec: { selector: LabelSelector } } | undefined): FieldError[] {
  if (old === undefined || deepEqual(obj.spec.selector, old.spec.selector)) return [];
  return [invalidValue('spec.selector', obj.spec.selector, 'field is immutable')];
}

function validateDeployment(d: Deployment, old: Deployment | undefined): FieldError[] {
  const errors = validateObjectName(d);
  if (d.spec === undefined) return [...errors, requiredValue('spec')];
  const spec = d.spec;
  errors.push(...validateNonNegative('spec.replicas', spec.replicas));
  errors.push(...validateSelectorAndTemplate(spec.selector, spec.template, 'deployment'));
  const strategy = spec.strategy;
  if (strategy?.type !== undefined && strategy.type !== 'RollingUpdate' && strategy.type !== 'Recreate') {
    errors.push({ path: 'spec.strategy.type', message: `Unsupported value: ${JSON.stringify(strategy.type)}: supported values: "Recreate", "RollingUpdate"` });
  }
  if (strategy?.type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    errors.push({ path: 'spec.strategy.rollingUpdate', message: "Forbidden: may not be specified when strategy `type` is 'Recreate'" });
  }
  if (strategy?.type === 'RollingUpdate' && strategy.rollingUpdate !== undefined) {
    errors.push(...validateRollingUpdate(strategy.rollingUpdate));
  }
  errors.push(...validateNonNegative('spec.minReadySeconds', spec.minReadySeconds));
  errors.push(...validateNonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  if (spec.progressDeadlineSeconds !== undefined) {
    errors.push(...validateNonNegative('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errors.push(invalidValue('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (errors.length === 0) errors.push(...validateImmutableSelector(d, old));
  return errors;
}

function validateRollingUpdate(ru: { maxSurge?: number | string; maxUnavailable?: number | string }): FieldError[] {
  const errors: FieldError[] = [];
  const check = (field: 'maxSurge' | 'maxUnavailable'): number | undefined => {
    const value = ru[field];
    const path = `spec.strategy.rollingUpdate.${field}`;
    if (value === undefined) return undefined;
    const asPercentOf100 = scaleIntOrPercent(value, 100, false);
    if (asPercentOf100 === undefined) {
      errors.push(
        invalidValue(
          path,
          value,
          "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        ),
      );
      return undefined;
    }
    if (asPercentOf100 < 0) errors.push(invalidValue(path, value, 'must be greater than or equal to 0'));
    if (field === 'maxUnavailable' && typeof value === 'string' && asPercentOf100 > 100)
      errors.push(invalidValue(path, value, 'must not be greater than 100%'));
    return asPercentOf100;
  };
  const surge = check('maxSurge');
  const unavailable = check('maxUnavailable');
  if (surge === 0 && unavailable === 0)
    errors.push(invalidValue('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  return errors;
}

function validateReplicaSet(rs: ReplicaSet, old: ReplicaSet | undefined): FieldError[] {
  const errors = validateObjectName(rs);
  if (rs.spec === undefined) return [...errors, requiredValue('spec')];
  errors.push(...validateNonNegative('spec.replicas', rs.spec.replicas));
  errors.push(...validateNonNegative('spec.minReadySeconds', rs.spec.minReadySeconds));
  errors.push(...validateSelectorAndTemplate(rs.spec.selector, rs.spec.template, 'replicaset'));
  if (errors.length === 0) errors.push(...validateImmutableSelector(rs, old));
  return errors;
}
