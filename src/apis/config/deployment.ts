/**
 * The `config-deployment` ConfigMap (namespace `knative-serving`): the part knsim reads,
 * `progress-deadline` (default 600s, the Kubernetes default), which bounds how long a
 * revision may take to come up and, plus 30s, how long the KPA waits for activation.
 *
 * and `registries-skipping-tag-resolving` (default `kind.local,ko.local,dev.local`): images
 * from these registries are not resolved to digests by the revision controller.
 *
 * Fidelity: mirrors knative/serving `pkg/deployment/config.go`; the legacy camelCase keys
 * (`progressDeadline`, `registriesSkippingTagResolving`) are read first and the kebab-case
 * keys override them, as there. The queue-proxy image and resource keys and
 * `digest-resolution-timeout` are accepted and ignored (knsim's registry answers at once).
 */
import { formatDuration } from '../../engine/units.js';
import type { FieldError } from '../field-error.js';
import { GoParser } from './autoscaler.js';

export interface DeploymentConfig {
  /** `progress-deadline` in ms (default 600s). */
  progressDeadlineMs: number;
  /** `registries-skipping-tag-resolving`: registries whose images keep their tags. */
  registriesSkippingTagResolving: string[];
}

const PROGRESS_DEADLINE_DEFAULT_MS = 600_000;

export function defaultDeploymentConfig(): DeploymentConfig {
  return { progressDeadlineMs: PROGRESS_DEADLINE_DEFAULT_MS, registriesSkippingTagResolving: ['kind.local', 'ko.local', 'dev.local'] };
}

/** configmap.AsStringSet: comma-separated, each item trimmed (empty items kept, as there). */
function stringSet(text: string): string[] {
  return [...new Set(text.split(',').map((v) => v.trim()))].sort();
}

/**
 * Parses `config-deployment` data; a missing ConfigMap gives the defaults.
 * Example: `{ 'progress-deadline': '120s' }` → 120000 ms; `'0s'` is rejected as non-positive.
 */
export function parseDeploymentConfig(data: Record<string, string> | undefined): { config: DeploymentConfig } | { errors: FieldError[] } {
  const c = defaultDeploymentConfig();
  const p = new GoParser(data ?? {});
  p.duration('progressDeadline', (v) => (c.progressDeadlineMs = v));
  p.str('registriesSkippingTagResolving', (v) => (c.registriesSkippingTagResolving = stringSet(v)));
  p.duration('progress-deadline', (v) => (c.progressDeadlineMs = v));
  p.str('registries-skipping-tag-resolving', (v) => (c.registriesSkippingTagResolving = stringSet(v)));
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
