/**
 * Helpers shared by the serving reconcilers: the knative-serving ConfigMaps they read
 * (parsed once per resourceVersion), Knative-style condition marking, and small
 * object utilities.
 * Fidelity: Knative's config stores watch the ConfigMaps and hand every reconcile a
 * snapshot; here a reconcile reads the current ConfigMap and reuses the parse while
 * its resourceVersion is unchanged. An invalid ConfigMap keeps the defaults (Knative
 * would keep the last valid one; the scenario loader rejects invalid ones up front).
 */
import type { Engine } from '../engine/index.js';
import { TYPE, type ConfigMap } from '../apis/core.js';
import type { Condition, ConditionStatus, KObject } from '../apis/meta.js';
import { setCondition, type ConditionSet } from '../apis/conditions.js';
import type { ApiServer } from '../k8s/api-server.js';
import { parseGcConfig, DEFAULT_GC_CONFIG, type GcConfig } from '../apis/config/gc.js';
import { parseDomainConfig, DEFAULT_DOMAIN_WHEN_UNCONFIGURED, type DomainConfig } from '../apis/config/domain.js';
import { parseNetworkConfig, DEFAULT_NETWORK_CONFIG, type NetworkConfig } from '../apis/config/network.js';
import { parseAutoscalerConfig, type AutoscalerConfig } from '../apis/config/autoscaler.js';
import { parseDeploymentConfig, type DeploymentConfig } from '../apis/config/deployment.js';

export const SYSTEM_NAMESPACE = 'knative-serving';

export interface ServingContext {
  engine: Engine;
  api: ApiServer;
  configs: ConfigReader;
}

type Parsed<T> = { config: T } | { errors: unknown[] };

/** Reads and caches the parsed knative-serving ConfigMaps. */
export class ConfigReader {
  private readonly cache = new Map<string, { rv: string | undefined; value: unknown }>();
  constructor(private readonly api: ApiServer) {}

  private read<T>(name: string, parse: (data: Record<string, string> | undefined) => Parsed<T>, fallback: () => T): T {
    const cm = this.api.get<ConfigMap>(TYPE.configMap, SYSTEM_NAMESPACE, name);
    const rv = cm?.metadata.resourceVersion;
    const hit = this.cache.get(name);
    if (hit !== undefined && hit.rv === rv) return hit.value as T;
    const parsed = parse(cm === undefined ? undefined : (cm.data ?? {}));
    const value = 'config' in parsed ? parsed.config : fallback();
    this.cache.set(name, { rv, value });
    return value;
  }

  gc(): GcConfig {
    return this.read('config-gc', parseGcConfig, () => ({ ...DEFAULT_GC_CONFIG }));
  }
  domain(): DomainConfig {
    return this.read('config-domain', parseDomainConfig, () => ({ entries: [{ domain: DEFAULT_DOMAIN_WHEN_UNCONFIGURED, selector: {} }] }));
  }
  network(): NetworkConfig {
    return this.read('config-network', parseNetworkConfig, () => ({ ...DEFAULT_NETWORK_CONFIG }));
  }
  autoscaler(): AutoscalerConfig {
    return this.read('config-autoscaler', parseAutoscalerConfig as (d: Record<string, string> | undefined) => Parsed<AutoscalerConfig>, () => mustDefaults(parseAutoscalerConfig(undefined) as Parsed<AutoscalerConfig>));
  }
  deployment(): DeploymentConfig {
    return this.read('config-deployment', parseDeploymentConfig as (d: Record<string, string> | undefined) => Parsed<DeploymentConfig>, () => mustDefaults(parseDeploymentConfig(undefined) as Parsed<DeploymentConfig>));
  }
}

function mustDefaults<T>(parsed: Parsed<T>): T {
  if (!('config' in parsed)) throw new Error('serving: default configuration failed to parse');
  return parsed.config;
}

/**
 * Marks a dependent condition the way knative.dev/pkg's condition manager does: a
 * dependent marked Unknown or False also stamps its reason and message on Ready
 * (unless another dependent is already False), so the most recent cause is what
 * `kn` prints. Marking True recomputes Ready from all dependents.
 */
export function mark(set: ConditionSet, conditions: Condition[], type: string, status: ConditionStatus, nowMs: number, reason?: string, message?: string): void {
  setCondition(set, conditions, type, status, nowMs, reason, message);
  if (status === 'True' || !set.dependents.includes(type)) return;
  const otherFalse = set.dependents.some((d) => d !== type && conditions.find((c) => c.type === d)?.status === 'False');
  if (status === 'Unknown' && otherFalse) return;
  setCondition(set, conditions, set.happy, status, nowMs, reason, message);
}

/** True when the object is controlled by `owner` (same uid). */
export function isControlledBy(obj: KObject, owner: KObject): boolean {
  return obj.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === owner.metadata.uid) ?? false;
}

/** A copy of a string map without some keys. */
export function withoutKeys(map: Record<string, string> | undefined, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(map ?? {}).sort()) if (!keys.includes(k)) out[k] = (map as Record<string, string>)[k];
  return out;
}

/** Sorted comma list helpers for the `serving.knative.dev/routes` annotation. */
export function listAnnotation(value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : value.split(',').filter((s) => s !== '');
}
