/**
 * The autoscaler's view of `config-autoscaler` and `config-deployment` (namespace
 * `knative-serving`), parsed once per ConfigMap resourceVersion.
 *
 * Fidelity: as Knative's config store, an invalid update is rejected and the last valid
 * configuration stays in force (traced once); a missing ConfigMap means all defaults.
 */
import type { Engine } from '../engine/index.js';
import { defaultAutoscalerConfig, parseAutoscalerConfig, type AutoscalerConfig } from '../apis/config/autoscaler.js';
import { defaultDeploymentConfig, parseDeploymentConfig, type DeploymentConfig } from '../apis/config/deployment.js';
import { TYPE, type ConfigMap } from '../apis/core.js';
import { formatFieldErrors, type FieldError } from '../apis/field-error.js';
import type { ApiServer } from '../k8s/api-server.js';

export const SYSTEM_NAMESPACE = 'knative-serving';
export const AUTOSCALER_CONFIG_NAME = 'config-autoscaler';
export const DEPLOYMENT_CONFIG_NAME = 'config-deployment';

interface Cached<T> {
  version: string | undefined;
  value: T;
}

export class ConfigStore {
  private autoscalerCache: Cached<AutoscalerConfig> = { version: undefined, value: defaultAutoscalerConfig() };
  private deploymentCache: Cached<DeploymentConfig> = { version: undefined, value: defaultDeploymentConfig() };

  constructor(
    private readonly engine: Engine,
    private readonly api: ApiServer,
  ) {}

  autoscaler(): AutoscalerConfig {
    this.autoscalerCache = this.refresh(AUTOSCALER_CONFIG_NAME, this.autoscalerCache, parseAutoscalerConfig, defaultAutoscalerConfig);
    return this.autoscalerCache.value;
  }

  deployment(): DeploymentConfig {
    this.deploymentCache = this.refresh(DEPLOYMENT_CONFIG_NAME, this.deploymentCache, parseDeploymentConfig, defaultDeploymentConfig);
    return this.deploymentCache.value;
  }

  private refresh<T>(name: string, cache: Cached<T>, parse: (d: Record<string, string> | undefined) => { config: T } | { errors: FieldError[] }, defaults: () => T): Cached<T> {
    const cm = this.api.get<ConfigMap>(TYPE.configMap, SYSTEM_NAMESPACE, name);
    const version = cm === undefined ? undefined : (cm.metadata.resourceVersion ?? '');
    if (version === cache.version) return cache;
    if (cm === undefined) return { version, value: defaults() };
    const parsed = parse(cm.data);
    if ('config' in parsed) return { version, value: parsed.config };
    this.engine.trace('autoscaler', `configmap/${name}`, `ignoring invalid ${name}, keeping the previous configuration: ${formatFieldErrors(parsed.errors)}`);
    return { version, value: cache.value };
  }
}
