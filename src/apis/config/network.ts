/**
 * `config-network` (namespace knative-serving): the host name templates of Routes, the
 * cluster-wide gradual rollout duration and whether DomainMappings claim their domains.
 * Fidelity: knative/networking pkg/config/config.go (NewConfigFromMap) — `domain-template`
 * (default `{{.Name}}.{{.Namespace}}.{{.Domain}}`) and `tag-template` (default
 * `{{.Tag}}-{{.Name}}`), validated by a trial expansion as Knative does; `rollout-duration`
 * read as whole seconds with `strconv.ParseInt` (`"120"`, not `"120s"`; negative refused);
 * `autocreate-cluster-domain-claims` as a Go bool (default false). The legacy camelCase
 * keys (`domainTemplate`, `tagTemplate`, `rolloutDuration`, `autocreateClusterDomainClaims`)
 * are read first and the kebab-case keys override them, as there. Only the `{{.Field}}`
 * template actions are understood (no Go template functions). The ingress and certificate
 * classes, TLS and mesh keys are accepted and not modelled (the scenario loader warns).
 */
import type { FieldError } from '../field-error.js';

export interface NetworkConfig {
  domainTemplate: string;
  tagTemplate: string;
  /** `rollout-duration` in whole seconds (0: traffic moves at once). */
  rolloutDurationSecs: number;
  /** `autocreate-cluster-domain-claims`: a DomainMapping creates its ClusterDomainClaim. */
  autocreateClusterDomainClaims: boolean;
}

export const DEFAULT_NETWORK_CONFIG: Readonly<NetworkConfig> = Object.freeze({
  domainTemplate: '{{.Name}}.{{.Namespace}}.{{.Domain}}',
  tagTemplate: '{{.Tag}}-{{.Name}}',
  rolloutDurationSecs: 0,
  autocreateClusterDomainClaims: false,
});

/** Every key knative/networking's NewConfigFromMap reads, with the legacy spellings. */
export const NETWORK_CONFIG_KEYS = [
  'ingress-class',
  'ingress.class',
  'certificate-class',
  'certificate.class',
  'domain-template',
  'domainTemplate',
  'tag-template',
  'tagTemplate',
  'rollout-duration',
  'rolloutDuration',
  'autocreate-cluster-domain-claims',
  'autocreateClusterDomainClaims',
  'enable-mesh-pod-addressability',
  'default-external-scheme',
  'defaultExternalScheme',
  'internal-encryption',
  'mesh-compatibility-mode',
  'namespace-wildcard-cert-selector',
  'auto-tls',
  'autoTLS',
  'external-domain-tls',
  'http-protocol',
  'httpProtocol',
  'system-internal-tls',
  'cluster-local-domain-tls',
] as const;

/** The keys above that knsim models; the rest change nothing in a simulation. */
export const MODELLED_NETWORK_CONFIG_KEYS: readonly string[] = [
  'domain-template',
  'domainTemplate',
  'tag-template',
  'tagTemplate',
  'rollout-duration',
  'rolloutDuration',
  'autocreate-cluster-domain-claims',
  'autocreateClusterDomainClaims',
];

const ACTION = /\{\{\s*\.([A-Za-z]+)\s*\}\}/g;

/** A template cut at its `{{.Field}}` actions: literals[i], fields[i], …, literals[last]. */
interface CompiledTemplate {
  literals: string[];
  fields: string[];
}

/** Templates come from config maps, so there are few; the Route reconciler expands them on every pass. */
const compiledTemplates = new Map<string, CompiledTemplate>();

function compileTemplate(template: string): CompiledTemplate {
  const literals: string[] = [];
  const fields: string[] = [];
  let from = 0;
  for (const m of template.matchAll(ACTION)) {
    literals.push(template.slice(from, m.index));
    fields.push(m[1] ?? '');
    from = m.index + m[0].length;
  }
  literals.push(template.slice(from));
  return { literals, fields };
}

/** Expands `{{.Field}}` actions; unknown fields are an error (as Go's template.Execute on a struct). */
export function expandTemplate(template: string, values: Record<string, string>): { ok: true; text: string } | { ok: false; message: string } {
  let compiled = compiledTemplates.get(template);
  if (compiled === undefined) {
    compiled = compileTemplate(template);
    // A fuzz or a sweep of many configs in one process must not grow the cache without bound.
    if (compiledTemplates.size >= 64) compiledTemplates.clear();
    compiledTemplates.set(template, compiled);
  }
  let bad: string | undefined;
  let text = compiled.literals[0] ?? '';
  for (let i = 0; i < compiled.fields.length; i++) {
    const field = compiled.fields[i] ?? '';
    if (!(field in values)) bad ??= field;
    text += (values[field] ?? '') + (compiled.literals[i + 1] ?? '');
  }
  if (bad !== undefined) return { ok: false, message: `can't evaluate field ${bad}` };
  if (text.includes('{{')) return { ok: false, message: 'unsupported template action' };
  return { ok: true, text };
}

/**
 * `strconv.ParseInt(s, 10, 0)` as configmap.AsInt uses it, with Go's error text.
 * Example: `"120"` → 120; `"120s"` → `strconv.ParseInt: parsing "120s": invalid syntax`.
 */
export function goParseInt(text: string): { ok: true; value: number } | { ok: false; message: string } {
  if (!/^[+-]?\d+$/.test(text)) return { ok: false, message: `strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax` };
  const big = BigInt(text);
  if (big > 9223372036854775807n || big < -9223372036854775808n)
    return { ok: false, message: `strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range` };
  return { ok: true, value: Number(big) };
}

/** `strconv.ParseBool`. */
function goParseBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/** Parses `config-network` data; a missing ConfigMap means all defaults. The first error stops the parse, as cm.Parse does. */
export function parseNetworkConfig(data: Record<string, string> | undefined): { config: NetworkConfig } | { errors: FieldError[] } {
  const config: NetworkConfig = { ...DEFAULT_NETWORK_CONFIG };
  const d = data ?? {};
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(d, key);
  const fail = (key: string, message: string): { errors: FieldError[] } => ({ errors: [{ path: key, message }] });
  // Legacy keys first; the new keys take precedence (configmap.Parse order in NewConfigFromMap).
  for (const [legacy, key] of [
    ['domainTemplate', 'domain-template'],
    ['tagTemplate', 'tag-template'],
  ] as const) {
    for (const k of [legacy, key]) {
      const v = (d[k] ?? '').trim();
      // knsim keeps the default for an empty value (Knative would refuse an empty domain template).
      if (v === '') continue;
      if (key === 'domain-template') config.domainTemplate = v;
      else config.tagTemplate = v;
    }
  }
  for (const key of ['rolloutDuration', 'rollout-duration']) {
    if (!has(key)) continue;
    const parsed = goParseInt(d[key] ?? '');
    if (!parsed.ok) return fail(key, `failed to parse ${JSON.stringify(key)}: ${parsed.message}`);
    config.rolloutDurationSecs = parsed.value;
  }
  for (const key of ['autocreateClusterDomainClaims', 'autocreate-cluster-domain-claims']) {
    if (!has(key)) continue;
    const text = d[key] ?? '';
    const v = goParseBool(text);
    if (v === undefined) return fail(key, `failed to parse ${JSON.stringify(key)}: strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
    config.autocreateClusterDomainClaims = v;
  }
  if (config.rolloutDurationSecs < 0) {
    const key = has('rollout-duration') ? 'rollout-duration' : 'rolloutDuration';
    return fail(key, `rollout-duration must be a positive integer, but was ${config.rolloutDurationSecs}`);
  }
  const domainKey = has('domain-template') ? 'domain-template' : 'domainTemplate';
  const trial = expandTemplate(config.domainTemplate, { Name: 'foo', Namespace: 'bar', Domain: 'baz.com' });
  if (!trial.ok) return fail(domainKey, trial.message);
  if (trial.text === '' || trial.text.startsWith('/')) return fail(domainKey, 'empty hostname');
  if (trial.text.includes('/')) return fail(domainKey, `domain template has url path: ${trial.text.slice(trial.text.indexOf('/'))}`);
  const tagTrial = expandTemplate(config.tagTemplate, { Name: 'foo', Tag: 'v2' });
  if (!tagTrial.ok) return fail(has('tag-template') ? 'tag-template' : 'tagTemplate', tagTrial.message);
  return { config };
}
