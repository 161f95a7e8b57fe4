/**
 * The Knative Serving control plane: registers the serving.knative.dev kinds (and
 * knsim's Ingress, the DomainMapping and ClusterDomainClaim kinds) with their defaulting
 * and validating webhooks, and starts the Service, Configuration, Revision, Route,
 * Ingress, revision-GC and DomainMapping reconcilers.
 * Fidelity: knative/serving cmd/controller and cmd/webhook, in one process.
 * The PodAutoscaler and ServerlessService kinds are registered by the autoscaler.
 */
import type { Engine } from '../engine/index.js';
import type { ApiServer } from '../k8s/api-server.js';
import type { Controller } from '../k8s/controller.js';
import { TYPE } from '../apis/core.js';
import { defaultConfiguration, defaultRevision, defaultRoute, defaultService } from '../apis/serving-defaults.js';
import { validateConfiguration, validateRevision, validateRoute, validateService } from '../apis/serving-validation.js';
import type { Configuration, KnService, Revision, Route } from '../apis/serving-types.js';
import { ConfigStore } from '../k8s/config-store.js';
import type { ServingContext } from './shared.js';
import { startServiceReconciler } from './service/reconciler.js';
import { startConfigurationReconciler } from './configuration/reconciler.js';
import { startRevisionReconciler } from './revision/reconciler.js';
import { startIngressReconciler, startRouteReconciler } from './route/reconciler.js';
import { startRevisionGc } from './gc/reconciler.js';
import { startDomainMappingReconciler } from './domainmapping/reconciler.js';
import { defaultDomainMapping, validateClusterDomainClaim, validateDomainMapping, type ClusterDomainClaim, type DomainMapping } from '../apis/domainmapping.js';
import type { ImageRegistry } from './revision/digests.js';

interface ServingOptions {
  engine: Engine;
  api: ApiServer;
  /** What the image registries hold, for the revision controller's digest resolution; default: every image. */
  registry?: ImageRegistry;
}

interface Serving {
  context: ServingContext;
  controllers: Controller[];
}

/** Registers the Knative kinds and starts every serving reconciler. */
export function startServing(options: ServingOptions): Serving {
  const { engine, api } = options;
  const configs = new ConfigStore(engine, api, 'serving-controller');
  const context: ServingContext = { engine, api, configs, registry: options.registry ?? { has: () => true } };
  const validation = () => ({ autoscalerConfig: configs.autoscaler(), defaults: configs.defaults() });
  api.registerKind<KnService>(TYPE.knService, {
    namespaced: true,
    errorStyle: 'knative',
    defaulter: (o) => defaultService(o, configs.defaults()),
    validator: (o, old) => validateService(o, old, validation()),
  });
  api.registerKind<Configuration>(TYPE.configuration, {
    namespaced: true,
    errorStyle: 'knative',
    defaulter: (o) => defaultConfiguration(o, configs.defaults()),
    validator: (o, old) => validateConfiguration(o, old, validation()),
  });
  api.registerKind<Revision>(TYPE.revision, {
    namespaced: true,
    errorStyle: 'knative',
    defaulter: (o, old) => defaultRevision(o, configs.defaults(), old),
    validator: (o, old) => validateRevision(o, old, validation()),
  });
  api.registerKind<Route>(TYPE.route, { namespaced: true, errorStyle: 'knative', defaulter: (o) => defaultRoute(o), validator: (o) => validateRoute(o) });
  api.registerKind(TYPE.ingress, { namespaced: true });
  api.registerKind<DomainMapping>(TYPE.domainMapping, {
    namespaced: true,
    errorStyle: 'knative',
    defaulter: (o) => defaultDomainMapping(o),
    validator: (o) => validateDomainMapping(o),
  });
  api.registerKind<ClusterDomainClaim>(TYPE.clusterDomainClaim, {
    namespaced: false,
    errorStyle: 'kubernetes',
    validator: (o) => validateClusterDomainClaim(o),
  });
  const controllers = [
    startServiceReconciler(context),
    startConfigurationReconciler(context),
    startRevisionReconciler(context),
    startRouteReconciler(context),
    startIngressReconciler(context),
    startRevisionGc(context),
    startDomainMappingReconciler(context),
  ];
  return { context, controllers };
}

export { QUEUE_SIDECAR_IMAGE } from './revision/resources/deploy.js';
