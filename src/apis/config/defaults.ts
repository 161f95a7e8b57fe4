/**
 * The `config-defaults` ConfigMap (namespace knative-serving): what the defaulting webhook
 * fills into a revision template and the bounds validation holds it to.
 *
 * Fidelity: knative/serving pkg/apis/config/defaults.go (NewDefaultsConfigFromMap), keys
 * and error texts as there: `revision-timeout-seconds` (300), `max-revision-timeout-seconds`
 * (600), `revision-response-start-timeout-seconds` (defaults to the revision timeout),
 * `revision-idle-timeout-seconds` (0), `container-concurrency` (0),
 * `container-concurrency-max-limit` (1000), `allow-container-concurrency-zero` (true),
 * `revision-cpu-request` and `revision-memory-request` (the scheduler reads requests). The
 * container name templates, `enable-service-links`, the resource limits and the
 * ephemeral-storage quantities are parsed (so a bad value is refused as Knative refuses
 * it) but change nothing in a simulation; the scenario loader warns about them.
 */
import type { FieldError } from '../field-error.js';
import { goParseInt } from './network.js';

export interface DefaultsConfig {
  revisionTimeoutSeconds: number;
  maxRevisionTimeoutSeconds: number;
  /** Defaults to revisionTimeoutSeconds unless the key is given. */
  revisionResponseStartTimeoutSeconds: number;
  revisionIdleTimeoutSeconds: number;
  containerConcurrency: number;
  containerConcurrencyMaxLimit: number;
  allowContainerConcurrencyZero: boolean;
  /** Quantities as written (`100m`, `128Mi`), or undefined when not configured. */
  revisionCpuRequest?: string;
  revisionMemoryRequest?: string;
}

export const DEFAULT_REVISION_TIMEOUT_SECONDS = 300;
export const DEFAULT_MAX_REVISION_TIMEOUT_SECONDS = 600;
export const DEFAULT_CONTAINER_CONCURRENCY_MAX_LIMIT = 1000;

export function defaultDefaultsConfig(): DefaultsConfig {
  return {
    revisionTimeoutSeconds: DEFAULT_REVISION_TIMEOUT_SECONDS,
    maxRevisionTimeoutSeconds: DEFAULT_MAX_REVISION_TIMEOUT_SECONDS,
    revisionResponseStartTimeoutSeconds: DEFAULT_REVISION_TIMEOUT_SECONDS,
    revisionIdleTimeoutSeconds: 0,
    containerConcurrency: 0,
    containerConcurrencyMaxLimit: DEFAULT_CONTAINER_CONCURRENCY_MAX_LIMIT,
    allowContainerConcurrencyZero: true,
  };
}

/** Every key NewDefaultsConfigFromMap reads. */
export const DEFAULTS_CONFIG_KEYS = [
  'revision-timeout-seconds',
  'max-revision-timeout-seconds',
  'revision-response-start-timeout-seconds',
  'revision-idle-timeout-seconds',
  'container-concurrency',
  'container-concurrency-max-limit',
  'allow-container-concurrency-zero',
  'revision-cpu-request',
  'revision-memory-request',
  'revision-ephemeral-storage-request',
  'revision-cpu-limit',
  'revision-memory-limit',
  'revision-ephemeral-storage-limit',
  'container-name-template',
  'init-container-name-template',
  'enable-service-links',
] as const;

/** The keys above whose values change a simulation. */
export const MODELLED_DEFAULTS_CONFIG_KEYS: readonly string[] = DEFAULTS_CONFIG_KEYS.slice(0, 9);

/** resource.ParseQuantity's shape check (a number and an optional suffix). */
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_KEYS = [
  'revision-cpu-request',
  'revision-memory-request',
  'revision-ephemeral-storage-request',
  'revision-cpu-limit',
  'revision-memory-limit',
  'revision-ephemeral-storage-limit',
];

/**
 * Parses `config-defaults` data; a missing ConfigMap gives the defaults. The first failing
 * key stops the parse, as configmap.Parse does.
 * Example: `{ 'revision-timeout-seconds': '700' }` → refused, 700 is above the 600 maximum.
 */
export function parseDefaultsConfig(data: Record<string, string> | undefined): { config: DefaultsConfig } | { errors: FieldError[] } {
  const c = defaultDefaultsConfig();
  const d = data ?? {};
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(d, key);
  const fail = (path: string, message: string): { errors: FieldError[] } => ({ errors: [{ path, message }] });
  const int = (key: string, set: (v: number) => void): string | undefined => {
    if (!has(key)) return undefined;
    const r = goParseInt(d[key] ?? '');
    if (!r.ok) return `failed to parse ${JSON.stringify(key)}: ${r.message}`;
    set(r.value);
    return undefined;
  };
  if (has('allow-container-concurrency-zero')) {
    const text = d['allow-container-concurrency-zero'] ?? '';
    const v = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text) ? true : ['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text) ? false : undefined;
    if (v === undefined)
      return fail(
        'allow-container-concurrency-zero',
        `failed to parse "allow-container-concurrency-zero": strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`,
      );
    c.allowContainerConcurrencyZero = v;
  }
  const steps: [string, (v: number) => void][] = [
    ['revision-timeout-seconds', (v) => (c.revisionTimeoutSeconds = v)],
    ['max-revision-timeout-seconds', (v) => (c.maxRevisionTimeoutSeconds = v)],
    ['revision-idle-timeout-seconds', (v) => (c.revisionIdleTimeoutSeconds = v)],
    ['container-concurrency', (v) => (c.containerConcurrency = v)],
    ['container-concurrency-max-limit', (v) => (c.containerConcurrencyMaxLimit = v)],
  ];
  for (const [key, set] of steps) {
    const error = int(key, set);
    if (error !== undefined) return fail(key, error);
  }
  for (const key of QUANTITY_KEYS) {
    if (!has(key)) continue;
    const text = d[key] ?? '';
    if (!QUANTITY.test(text.trim()))
      return fail(key, `failed to parse ${JSON.stringify(key)}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
    if (key === 'revision-cpu-request') c.revisionCpuRequest = text.trim();
    if (key === 'revision-memory-request') c.revisionMemoryRequest = text.trim();
  }
  // The response-start default follows the revision timeout unless given (defaults.go).
  c.revisionResponseStartTimeoutSeconds = c.revisionTimeoutSeconds;
  const rst = int('revision-response-start-timeout-seconds', (v) => (c.revisionResponseStartTimeoutSeconds = v));
  if (rst !== undefined) return fail('revision-response-start-timeout-seconds', rst);

  if (c.revisionTimeoutSeconds > c.maxRevisionTimeoutSeconds) {
    return fail(
      'revision-timeout-seconds',
      `revision-timeout-seconds (${c.revisionTimeoutSeconds}) cannot be greater than max-revision-timeout-seconds (${c.maxRevisionTimeoutSeconds})`,
    );
  }
  if (c.revisionResponseStartTimeoutSeconds > 0 && c.revisionResponseStartTimeoutSeconds > c.revisionTimeoutSeconds) {
    return fail(
      'revision-response-start-timeout-seconds',
      `revision-response-start-timeout-seconds (${c.revisionResponseStartTimeoutSeconds}) cannot be greater than revision-timeout-seconds (${c.revisionTimeoutSeconds})`,
    );
  }
  if (c.revisionIdleTimeoutSeconds > 0 && c.revisionIdleTimeoutSeconds > c.revisionTimeoutSeconds) {
    return fail(
      'revision-idle-timeout-seconds',
      `revision-idle-timeout-seconds (${c.revisionIdleTimeoutSeconds}) cannot be greater than revision-timeout-seconds (${c.revisionTimeoutSeconds})`,
    );
  }
  if (c.containerConcurrencyMaxLimit < 1) {
    return fail('container-concurrency-max-limit', `expected 1 <= ${c.containerConcurrencyMaxLimit} <= 2147483647: container-concurrency-max-limit`);
  }
  if (c.containerConcurrency < 0 || c.containerConcurrency > c.containerConcurrencyMaxLimit) {
    return fail('container-concurrency', `expected 0 <= ${c.containerConcurrency} <= ${c.containerConcurrencyMaxLimit}: container-concurrency`);
  }
  return { config: c };
}
