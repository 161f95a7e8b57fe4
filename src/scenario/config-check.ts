/**
 * Checks ConfigMap data written in a scenario with the same parsers the controllers use
 * (src/apis/config/*), so a bad `stable-window` is reported at its line before the run
 * instead of failing inside the autoscaler. Keys Knative does not read are warnings with a
 * did-you-mean, because Knative itself ignores them silently — usually a typo.
 * Fidelity: errors are Knative's own texts (pkg/autoscaler/config/config.go, pkg/gc/config.go,
 * pkg/deployment/config.go, knative/networking pkg/config/config.go, pkg/reconciler/route/config/domain.go).
 */
import type { FieldError } from '../apis/field-error.js';
import { HPA_CLASS, KPA_CLASS, parseAutoscalerConfig } from '../apis/config/autoscaler.js';
import { DEFAULTS_CONFIG_KEYS, MODELLED_DEFAULTS_CONFIG_KEYS, parseDefaultsConfig } from '../apis/config/defaults.js';
import { parseDeploymentConfig } from '../apis/config/deployment.js';
import { parseDomainConfig } from '../apis/config/domain.js';
import { GC_CONFIG_KEYS, parseGcConfig } from '../apis/config/gc.js';
import { MODELLED_NETWORK_CONFIG_KEYS, NETWORK_CONFIG_KEYS, parseNetworkConfig } from '../apis/config/network.js';
import { didYouMean, type DiagnosticCode, type Severity } from './diagnostics.js';
import { CONFIG_MAP_NAMES } from './types.js';

/** Every key `config-autoscaler` has (knative/serving pkg/autoscaler/config/config.go). */
const AUTOSCALER_CONFIG_KEYS = [
  'container-concurrency-target-percentage',
  'container-concurrency-target-default',
  'requests-per-second-target-default',
  'target-burst-capacity',
  'stable-window',
  'panic-window-percentage',
  'panic-threshold-percentage',
  'max-scale-up-rate',
  'max-scale-down-rate',
  'enable-scale-to-zero',
  'scale-to-zero-grace-period',
  'scale-to-zero-pod-retention-period',
  'scale-down-delay',
  'activator-capacity',
  'initial-scale',
  'allow-zero-initial-scale',
  'min-scale',
  'max-scale',
  'max-scale-limit',
  'pod-autoscaler-class',
] as const;

/** Keys that older documentation mentions but current Knative no longer reads. */
const RETIRED_KEYS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  ['config-autoscaler', new Map([['tick-interval', 'the autoscaler tick is fixed at 2s in current Knative; this key is not read']])],
]);

/** Runs the ConfigMap's parser; an empty list means valid. Unknown ConfigMap names give no errors here. */
export function validateConfigData(name: string, data: Record<string, string>): FieldError[] {
  const pick = (r: { errors: FieldError[] } | { config: unknown }): FieldError[] => ('errors' in r ? r.errors : []);
  switch (name) {
    case 'config-autoscaler': {
      const errors = pick(parseAutoscalerConfig(data));
      // knsim runs the two autoscalers Knative ships; a PodAutoscaler of another class would never scale.
      const cls = data['pod-autoscaler-class'];
      if (errors.length === 0 && cls !== undefined && cls !== KPA_CLASS && cls !== HPA_CLASS)
        errors.push({ path: 'pod-autoscaler-class', message: `invalid value: ${cls} (knsim runs ${KPA_CLASS} and ${HPA_CLASS})` });
      return errors;
    }
    case 'config-gc':
      return pick(parseGcConfig(data));
    case 'config-defaults':
      return pick(parseDefaultsConfig(data));
    case 'config-deployment':
      return pick(parseDeploymentConfig(data));
    case 'config-domain':
      return pick(parseDomainConfig(data));
    case 'config-network':
      return pick(parseNetworkConfig(data));
    default:
      return [];
  }
}

/** ConfigMaps whose whole key set knsim knows: every key Knative reads, and those of them knsim models. */
const KNOWN_KEYS: Record<string, { keys: readonly string[]; modelled: readonly string[] }> = {
  'config-autoscaler': { keys: AUTOSCALER_CONFIG_KEYS, modelled: AUTOSCALER_CONFIG_KEYS },
  'config-gc': { keys: GC_CONFIG_KEYS, modelled: GC_CONFIG_KEYS },
  'config-defaults': { keys: DEFAULTS_CONFIG_KEYS, modelled: MODELLED_DEFAULTS_CONFIG_KEYS },
  'config-network': { keys: NETWORK_CONFIG_KEYS, modelled: MODELLED_NETWORK_CONFIG_KEYS },
};

/**
 * A warning text for a key Knative will not read, or one knsim reads but does not model,
 * or undefined. Only ConfigMaps whose key set is closed are checked (config-autoscaler,
 * config-gc, config-defaults, config-network); config-domain keys are domains and
 * config-deployment has many keys knsim does not model.
 * Keys starting with `_` (`_example`) are documentation, as in Knative's shipped ConfigMaps.
 */
export function checkConfigKey(name: string, key: string): { message: string; hint?: string; notModelled?: true } | undefined {
  if (key.startsWith('_')) return undefined;
  const retired = RETIRED_KEYS.get(name)?.get(key);
  if (retired !== undefined) return { message: `${name}: "${key}": ${retired}` };
  const entry = KNOWN_KEYS[name];
  if (entry === undefined) return undefined;
  const known = entry.keys;
  if (known.includes(key)) {
    if (entry.modelled.includes(key)) return undefined;
    return { message: `${name}: "${key}" is accepted but not modelled (knsim runs as if it were left out)`, notModelled: true };
  }
  const guess = didYouMean(key, known);
  const out: { message: string; hint?: string } = { message: `${name}: unknown key "${key}" (Knative ignores it)` };
  if (guess !== undefined) out.hint = `did you mean "${guess}"?`;
  return out;
}

/** One thing to say about a ConfigMap: about a key of its data (`key`) or the whole map. */
export interface ConfigFinding {
  key?: string;
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  hint?: string;
}

/**
 * Everything said about a ConfigMap's data, for `config:` and for an applied ConfigMap alike:
 * keys Knative does not read (warnings with a did-you-mean), keys knsim reads but does not model
 * (SCENARIO_NOT_MODELLED warnings) and values Knative's parsers refuse.
 */
export function checkConfigMapData(name: string, data: Readonly<Record<string, string>>): ConfigFinding[] {
  const out: ConfigFinding[] = [];
  for (const key of Object.keys(data)) {
    const w = checkConfigKey(name, key);
    if (w !== undefined)
      out.push({
        key,
        code: w.notModelled === true ? 'SCENARIO_NOT_MODELLED' : 'SCENARIO_UNKNOWN_KEY',
        severity: 'warning',
        message: w.message,
        ...(w.hint !== undefined ? { hint: w.hint } : {}),
      });
  }
  for (const e of validateConfigData(name, data))
    out.push({ key: e.path, code: 'SCENARIO_INVALID_CONFIG', severity: 'error', message: `${name}: ${e.message}` });
  return out;
}

/** Knative Serving's other ConfigMaps (config/core/configmaps/): Knative reads them, knsim does not. */
const SERVING_CONFIG_MAPS_NOT_READ = [
  'config-certmanager',
  'config-features',
  'config-leader-election',
  'config-logging',
  'config-observability',
  'config-tracing',
] as const;

/**
 * An applied ConfigMap that Knative Serving will not read, or one of Knative's that knsim does not model (a
 * SCENARIO_NOT_MODELLED warning): one of its names in another
 * namespace than knative-serving (a manifest without a namespace lands in `default`), or a
 * name close to one of them (a typo, with a did-you-mean), or any other name in
 * knative-serving. Applying it is legal, so these are warnings; undefined when Knative reads
 * it, or when it is plainly some other ConfigMap of the user's.
 */
export function checkAppliedConfigMap(name: string, namespace: string): ConfigFinding | undefined {
  const known = (CONFIG_MAP_NAMES as readonly string[]).includes(name);
  if (known && namespace === 'knative-serving') return undefined;
  if (namespace === 'knative-serving' && (SERVING_CONFIG_MAPS_NOT_READ as readonly string[]).includes(name))
    return {
      code: 'SCENARIO_NOT_MODELLED',
      severity: 'warning',
      message: `ConfigMap "${name}" is accepted but not read by knsim (it reads ${CONFIG_MAP_NAMES.join(', ')})`,
    };
  if (known)
    return {
      code: 'SCENARIO_BAD_VALUE',
      severity: 'warning',
      message: `ConfigMap ${name} is applied to namespace ${namespace}; Knative Serving reads ${name} from knative-serving only, so this one changes nothing`,
      hint: 'set metadata.namespace: knative-serving',
    };
  const guess = didYouMean(name, CONFIG_MAP_NAMES);
  if (guess === undefined && namespace !== 'knative-serving') return undefined;
  return {
    code: 'SCENARIO_BAD_VALUE',
    severity: 'warning',
    message: `ConfigMap ${name} in namespace ${namespace} is not one Knative Serving reads (knsim reads ${CONFIG_MAP_NAMES.join(', ')} in knative-serving); it changes nothing`,
    ...(guess !== undefined ? { hint: `did you mean "${guess}"${namespace === 'knative-serving' ? '' : ' in namespace knative-serving'}?` } : {}),
  };
}
