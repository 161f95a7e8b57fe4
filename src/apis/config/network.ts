/**
 * `config-network` (namespace knative-serving): the host name templates of Routes.
 * Fidelity: knative/networking pkg/config/config.go — `domain-template` (default
 * `{{.Name}}.{{.Namespace}}.{{.Domain}}`) and `tag-template` (default `{{.Tag}}-{{.Name}}`),
 * validated by a trial expansion as Knative does. Only the `{{.Field}}` actions are
 * understood (no Go template functions); `rollout-duration` is parsed but knsim moves
 * traffic at once (gradual rollout is not modelled). Other keys are accepted and ignored.
 */
import { parseDuration } from '../../engine/units.js';
import type { FieldError } from '../field-error.js';

export interface NetworkConfig {
  domainTemplate: string;
  tagTemplate: string;
  /** Knative's gradual rollout duration; knsim parses it but shifts traffic at once. */
  rolloutDurationMs: number;
}

export const DEFAULT_NETWORK_CONFIG: Readonly<NetworkConfig> = Object.freeze({
  domainTemplate: '{{.Name}}.{{.Namespace}}.{{.Domain}}',
  tagTemplate: '{{.Tag}}-{{.Name}}',
  rolloutDurationMs: 0,
});

const ACTION = /\{\{\s*\.([A-Za-z]+)\s*\}\}/g;

/** Expands `{{.Field}}` actions; unknown fields are an error (as Go's template.Execute on a struct). */
export function expandTemplate(template: string, values: Record<string, string>): { ok: true; text: string } | { ok: false; message: string } {
  let bad: string | undefined;
  const text = template.replace(ACTION, (_all, field: string) => {
    if (!(field in values)) bad ??= field;
    return values[field] ?? '';
  });
  if (bad !== undefined) return { ok: false, message: `can't evaluate field ${bad}` };
  if (text.includes('{{')) return { ok: false, message: 'unsupported template action' };
  return { ok: true, text };
}

/** Parses `config-network` data; a missing ConfigMap means all defaults. */
export function parseNetworkConfig(data: Record<string, string> | undefined): { config: NetworkConfig } | { errors: FieldError[] } {
  const config: NetworkConfig = { ...DEFAULT_NETWORK_CONFIG };
  const errors: FieldError[] = [];
  const d = data ?? {};
  if (d['domain-template'] !== undefined && d['domain-template'] !== '') {
    const t = d['domain-template'];
    const trial = expandTemplate(t, { Name: 'foo', Namespace: 'bar', Domain: 'baz.com' });
    if (!trial.ok) errors.push({ path: 'domain-template', message: trial.message });
    else if (trial.text === '' || trial.text.startsWith('/')) errors.push({ path: 'domain-template', message: 'empty hostname' });
    else if (trial.text.includes('/'))
      errors.push({ path: 'domain-template', message: `domain template has url path: ${trial.text.slice(trial.text.indexOf('/'))}` });
    else config.domainTemplate = t;
  }
  if (d['tag-template'] !== undefined && d['tag-template'] !== '') {
    const trial = expandTemplate(d['tag-template'], { Name: 'foo', Tag: 'v2' });
    if (!trial.ok) errors.push({ path: 'tag-template', message: trial.message });
    else config.tagTemplate = d['tag-template'];
  }
  const rollout = d['rollout-duration'];
  if (rollout !== undefined && rollout !== '') {
    const parsed = parseDuration(rollout);
    if (!parsed.ok || parsed.ms < 0) errors.push({ path: 'rollout-duration', message: `rollout-duration=${rollout} must be a non-negative duration` });
    else config.rolloutDurationMs = parsed.ms;
  }
  return errors.length > 0 ? { errors } : { config };
}
