/**
 * Knative's rules for the probes of a revision's containers: the defaults its webhook
 * writes and the validation it applies.
 *
 * Defaults (revision_defaults.go): the serving container (the only container, or the
 * one with a port) always has a readiness probe — a TCP probe of its port when none is
 * given; a readiness probe gets successThreshold 1, and, when it sets periodSeconds,
 * Kubernetes' failureThreshold 3 and timeoutSeconds 1. A periodSeconds of 0 (the
 * default) asks for queue-proxy's aggressive probing: every 50 ms until it passes.
 *
 * Validation (k8s_validation.go validateProbe, validateReadinessProbe): exactly one
 * handler (httpGet, tcpSocket, exec, grpc); a named port of the serving container must
 * be its port's name; readiness: periodSeconds, initialDelaySeconds ≥ 0,
 * successThreshold ≥ 1, and with periodSeconds 0 neither failureThreshold nor
 * timeoutSeconds; with periodSeconds > 0 both ≥ 1. Messages as knative.dev/pkg words them.
 *
 * Mirrors knative/serving pkg/apis/serving/v1/revision_defaults.go
 * (applyUserContainerDefaultReadinessProbe, applyReadinessProbeDefaults) and
 * pkg/apis/serving/k8s_validation.go.
 */
import type { Container, Probe } from './core.js';
import type { FieldError } from './field-error.js';

const MAX_INT32 = 2147483647;

/** Defaults the probes of a revision's containers in place (the serving container gets a readiness probe). */
export function defaultContainerProbes(containers: Container[]): void {
  const single = containers.length === 1;
  for (const c of containers) {
    if (typeof c !== 'object' || c === null) continue;
    if (single || (c.ports?.length ?? 0) > 0) {
      const p: Probe = (c.readinessProbe ??= {});
      if (typeof p !== 'object' || p === null) continue;
      if (p.tcpSocket === undefined && p.httpGet === undefined && p.exec === undefined && p.grpc === undefined) p.tcpSocket = { port: 0 };
    }
    const p = c.readinessProbe;
    if (typeof p !== 'object' || p === null) continue;
    if (!p.successThreshold) p.successThreshold = 1;
    if (p.periodSeconds) {
      if (!p.failureThreshold) p.failureThreshold = 3;
      if (!p.timeoutSeconds) p.timeoutSeconds = 1;
    }
  }
}

/** The probe errors of one container of a revision (`path` is the container's path). */
export function validateContainerProbes(c: Container, path: string, serving: boolean): FieldError[] {
  const portName = serving ? (c.ports?.[0]?.name ?? '') : undefined;
  const errors: FieldError[] = [];
  errors.push(...validateProbe(c.livenessProbe, `${path}.livenessProbe`, portName));
  errors.push(...validateReadinessProbe(c.readinessProbe, `${path}.readinessProbe`, portName));
  errors.push(...validateProbe(c.startupProbe, `${path}.startupProbe`, portName));
  return errors;
}

function validateReadinessProbe(p: Probe | undefined, path: string, portName: string | undefined): FieldError[] {
  if (typeof p !== 'object' || p === null) return [];
  const errors = validateProbe(p, path, portName);
  const outOfBounds = (field: 'periodSeconds' | 'initialDelaySeconds' | 'successThreshold' | 'timeoutSeconds' | 'failureThreshold', min: number): void => {
    errors.push({ path: `${path}.${field}`, message: `expected ${min} <= ${p[field] ?? 0} <= ${MAX_INT32}` });
  };
  const period = p.periodSeconds ?? 0;
  if (period < 0) outOfBounds('periodSeconds', 0);
  if ((p.initialDelaySeconds ?? 0) < 0) outOfBounds('initialDelaySeconds', 0);
  if ((p.successThreshold ?? 0) < 1) outOfBounds('successThreshold', 1);
  if (period === 0) {
    if ((p.failureThreshold ?? 0) !== 0)
      errors.push({ path: `${path}.failureThreshold`, message: 'failureThreshold is disallowed when periodSeconds is zero' });
    if ((p.timeoutSeconds ?? 0) !== 0) errors.push({ path: `${path}.timeoutSeconds`, message: 'timeoutSeconds is disallowed when periodSeconds is zero' });
  } else {
    if ((p.timeoutSeconds ?? 0) < 1) outOfBounds('timeoutSeconds', 1);
    if ((p.failureThreshold ?? 0) < 1) outOfBounds('failureThreshold', 1);
  }
  return errors;
}

/** One handler, and a named port only where it names the serving container's port (`portName` undefined: not the serving container). */
function validateProbe(p: Probe | undefined, path: string, portName: string | undefined): FieldError[] {
  if (typeof p !== 'object' || p === null) return [];
  const errors: FieldError[] = [];
  const handlers: string[] = [];
  const checkPort = (port: number | string | undefined, field: string): void => {
    if (portName !== undefined) {
      if (typeof port === 'string' && port !== '' && port !== portName)
        errors.push({ path: `${path}.${field}`, message: `invalid value: ${port}: Probe port must match container port` });
    } else if (port === undefined || port === '' || port === 0)
      errors.push({ path: `${path}.${field}`, message: `invalid value: ${port ?? 0}: Probe port must be specified` });
  };
  if (p.httpGet !== undefined) {
    handlers.push('httpGet');
    checkPort(p.httpGet?.port, 'httpGet.port');
  }
  if (p.tcpSocket !== undefined) {
    handlers.push('tcpSocket');
    checkPort(p.tcpSocket?.port, 'tcpSocket.port');
  }
  if (p.exec !== undefined) handlers.push('exec');
  if (p.grpc !== undefined) handlers.push('gRPC');
  if (handlers.length === 0)
    errors.push({ path: `${path}.httpGet, ${path}.tcpSocket, ${path}.exec, ${path}.grpc`, message: 'expected exactly one, got neither' });
  else if (handlers.length > 1) errors.push({ path: handlers.map((h) => `${path}.${h}`).join(', '), message: 'expected exactly one, got both' });
  return errors;
}
