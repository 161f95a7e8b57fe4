/**
 * The `config-deployment` ConfigMap (namespace `knative-serving`): the part knsim reads,
 * `progress-deadline` (default 600s, the Kubernetes default), which bounds how long a
 * revision may take to come up and, plus 30s, how long the KPA waits for activation.
 *
 * Fidelity: mirrors knative/serving `pkg/deployment/config.go`; the legacy camelCase key
 * `progressDeadline` is read first and the kebab-case key overrides it, as there. The
 * queue-proxy image, resource and digest-resolution keys are accepted and ignored.
 */
import { formatDuration } from '../../engine/units.js';
import type { FieldError } from '../field-error.js';
import { GoParser } from './autoscaler.js';

export interface DeploymentConfig {
  /** `progress-deadline` in ms (default 600s). */
  progressDeadlineMs: number;
}

const PROGRESS_DEADLINE_DEFAULT_MS = 600_000;

export function defaultDeploymentConfig(): DeploymentConfig {
  return { progressDeadlineMs: PROGRESS_DEADLINE_DEFAULT_MS };
}

/**
 * Parses `config-deployment` data; a missing ConfigMap gives the defaults.
 * Example: `{ 'progress-deadline': '120s' }` → 120000 ms; `'0s'` is rejected as non-positive.
 */
export function parseDeploymentConfig(data: Record<string, string> | undefined): { config: DeploymentConfig } | { errors: FieldError[] } {
  const c = defaultDeploymentConfig();
  const p = new GoParser(data ?? {});
  p.duration('progressDeadline', (v) => (c.progressDeadlineMs = v));
  p.duration('progress-deadline', (v) => (c.progressDeadlineMs = v));
  if (p.error !== undefined) return { errors: [p.error] };
  if (c.progressDeadlineMs <= 0) {
    return {
      errors: [{ path: 'progress-deadline', message: `progress-deadline cannot be a non-positive duration, was ${formatDuration(c.progressDeadlineMs)}` }],
    };
  }
  if (Math.trunc(c.progressDeadlineMs / 1000) * 1000 !== c.progressDeadlineMs) {
    return {
      errors: [{ path: 'progress-deadline', message: `progress-deadline must be rounded to a whole second, was: ${formatDuration(c.progressDeadlineMs)}` }],
    };
  }
  return { config: c };
}
