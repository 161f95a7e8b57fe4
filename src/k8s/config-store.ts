/**
 * The knative-serving ConfigMaps as each Knative process sees them: parsed once per
 * resourceVersion and handed to every reconcile as a snapshot.
 *
 * Fidelity: knative.dev/pkg `configmap.UntypedStore` with serving's typed constructors
 * (pkg/reconciler/configstore, pkg/autoscaler/config): a missing ConfigMap means all
 * defaults; an invalid update is rejected and the last valid configuration stays in force
 * (knsim traces the rejection once, as Knative logs it). Serving's controller and the
 * autoscaler each run their own store, as they are separate processes upstream.
 */
import type { Engine } from '../engine/index.js';
import { parseAutoscalerConfig, type AutoscalerConfig } from '../apis/config/autoscaler.js';
import { parseDefaultsConfig, type DefaultsConfig } from '../apis/config/defaults.js';
import { parseDeploymentConfig, type DeploymentConfig } from '../apis/config/deployment.js';
import { parseDomainConfig, type DomainConfig } from '../apis/config/domain.js';
import { parseGcConfig, type GcConfig } from '../apis/config/gc.js';
import { parseNetworkConfig, type NetworkConfig } from '../apis/config/network.js';
import { TYPE, type ConfigMap } from '../apis/core.js';
import { formatFieldErrors, type FieldError } from '../apis/field-error.js';
import type { ApiServer } from './api-server.js';

/** Where Knative Serving keeps its configuration. */
export const SYSTEM_NAMESPACE = 'knative-serving';

type Parse<T> = (data: Record<string, string> | undefined) => { config: T } | { errors: FieldError[] };

interface Cached {
  /** resourceVersion of the ConfigMap parsed last; undefined when it did not exist. */
  version: string | undefined;
  value: unknown;
}

export class ConfigStore {
  private readonly cache = new Map<string, Cached>();

  /** `component` names the process in the trace (e.g. `autoscaler`, `serving`). */
  constructor(
    private readonly engine: Engine,
    private readonly api: ApiServer,
    private readonly component: string,
  ) {}

  autoscaler(): AutoscalerConfig {
    return this.read('config-autoscaler', parseAutoscalerConfig);
  }
  defaults(): DefaultsConfig {
    return this.read('config-defaults', parseDefaultsConfig);
  }
  deployment(): DeploymentConfig {
    return this.read('config-deployment', parseDeploymentConfig);
  }
  gc(): GcConfig {
    return this.read('config-gc', parseGcConfig);
  }
  domain(): DomainConfig {
    return this.read('config-domain', parseDomainConfig);
  }
  network(): NetworkConfig {
    return this.read('config-network', parseNetworkConfig);
  }

  private read<T>(name: string, parse: Parse<T>): T {
    const cm = this.api.get<ConfigMap>(TYPE.configMap, SYSTEM_NAMESPACE, name);
    const version = cm === undefined ? undefined : (cm.metadata.resourceVersion ?? '');
    const hit = this.cache.get(name);
    if (hit !== undefined && hit.version === version) return hit.value as T;
    // A ConfigMap without data is a ConfigMap with every key left out; no ConfigMap is all defaults.
    const parsed = parse(cm === undefined ? undefined : (cm.data ?? {}));
    let value: T;
    if ('config' in parsed) value = parsed.config;
    else {
      const fallback = hit !== undefined ? (hit.value as T) : defaultsOf(parse, name);
      this.engine.trace(
        this.component,
        `configmap/${name}`,
        `ignoring invalid ${name}, keeping the previous configuration: ${formatFieldErrors(parsed.errors)}`,
      );
      value = fallback;
    }
    this.cache.set(name, { version, value });
    return value;
  }
}

function defaultsOf<T>(parse: Parse<T>, name: string): T {
  const parsed = parse(undefined);
  if (!('config' in parsed)) throw new Error(`${name}: the defaults do not parse`);
  return parsed.config;
}
