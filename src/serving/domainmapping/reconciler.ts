/**
 * The DomainMapping reconciler: claims the domain (a cluster-wide ClusterDomainClaim named
 * after it, which it creates itself only when config-network
 * `autocreate-cluster-domain-claims` is true), resolves the ref (a Knative Service or
 * Route) to its cluster-local address, and programs an Ingress whose one rule sends the
 * mapped host on to that address (RewriteHost). Until the mapping is Ready nothing routes
 * the host: a request to it gets 404 from the gateway; afterwards it reaches the
 * Service's revisions by the Route's split.
 *
 * Fidelity: knative/serving pkg/reconciler/domainmapping/reconciler.go (ReconcileKind,
 * reconcileDomainClaim, resolveRef, FinalizeKind: the claim it made is deleted with the
 * mapping) and resources/{ingress,domainclaim}.go; a failed step is requeued with the
 * controller's back-off, as the error return does there. Refs to other Addressables and TLS
 * certificates are not modelled (spec.tls marks the certificate as provided externally).
 */
import type { Controller, ReconcileResult } from '../../k8s/controller.js';
import { TYPE } from '../../apis/core.js';
import { getCondition, mark } from '../../apis/conditions.js';
import { makeControllerRef, type Condition } from '../../apis/meta.js';
import { convergeParts, ensureChild, startKindController, type KindReconciler } from '../../k8s/reconcile-kind.js';
import { COND, MESSAGE, REASON } from '../../apis/serving-lifecycle.js';
import { NETWORKING_API_VERSION, SERVING_API_VERSION, type Ingress, type KnService, type Route } from '../../apis/serving-types.js';
import {
  DM_COND,
  DM_MESSAGE,
  NETWORKING_V1ALPHA1,
  domainMappingConditionSet,
  type ClusterDomainClaim,
  type DomainMapping,
  type DomainMappingStatus,
} from '../../apis/domainmapping.js';
import { CLUSTER_LOCAL_DOMAIN } from '../../apis/config/domain.js';
import type { ServingContext } from '../shared.js';

const set = domainMappingConditionSet;
const RETRY: ReconcileResult = { requeueRateLimited: true };

export function startDomainMappingReconciler(ctx: ServingContext): Controller {
  const r = domainMappingReconciler(ctx);
  const controller = startKindController('domainmapping-controller', ctx.engine, ctx.api, r);
  controller.watchControlled(ctx.api, TYPE.ingress, 'DomainMapping');
  // The ref's Service or Route changing (its address) is tracked, as the URI resolver's tracker does.
  const enqueueReferring = (kind: string, namespace: string, name: string): void => {
    for (const dm of ctx.api.list<DomainMapping>(TYPE.domainMapping, { namespace })) {
      if (dm.spec?.ref?.kind === kind && dm.spec.ref.name === name) controller.enqueue(`${namespace}/${dm.metadata.name}`);
    }
  };
  ctx.api.watch(TYPE.knService, (e) => enqueueReferring('Service', e.object.metadata.namespace ?? '', e.object.metadata.name));
  ctx.api.watch(TYPE.route, (e) => enqueueReferring('Route', e.object.metadata.namespace ?? '', e.object.metadata.name));
  ctx.api.watch(TYPE.configMap, (e) => {
    if (e.object.metadata.namespace !== 'knative-serving' || e.object.metadata.name !== 'config-network') return;
    for (const dm of ctx.api.list<DomainMapping>(TYPE.domainMapping)) controller.enqueue(`${dm.metadata.namespace ?? ''}/${dm.metadata.name}`);
  });
  return controller;
}

function domainMappingReconciler(ctx: ServingContext): KindReconciler<DomainMapping, DomainMappingStatus> {
  return {
    type: TYPE.domainMapping,
    conditions: set,
    reconcile: (dm, status, nowMs) => reconcileDomainMapping(ctx, dm, status, nowMs),
    deleted: (namespace, name) => releaseClaim(ctx, namespace, name),
    statusWritten: (before, status) => {
      const was = getCondition(before.status?.conditions, COND.ready);
      const now = getCondition(status.conditions, COND.ready);
      if (was?.status !== now?.status)
        ctx.engine.trace('domainmapping-controller', before.metadata.name, `Ready=${now?.status}${now?.reason ? ` (${now.reason})` : ''}`);
    },
  };
}

function reconcileDomainMapping(ctx: ServingContext, dm: DomainMapping, status: DomainMappingStatus, nowMs: number): ReconcileResult {
  const { api, engine } = ctx;
  const conditions = status.conditions as Condition[];
  const namespace = dm.metadata.namespace ?? '';
  const name = dm.metadata.name;
  if (dm.metadata.generation !== status.observedGeneration)
    mark(set, conditions, DM_COND.ingressReady, 'Unknown', nowMs, REASON.ingressNotConfigured, MESSAGE.ingressNotConfigured);
  const url = `${dm.spec.tls !== undefined ? 'https' : 'http'}://${name}`;
  status.url = url;
  status.address = { url };

  // The domain is this namespace's only through a ClusterDomainClaim.
  const claim = api.get<ClusterDomainClaim>(TYPE.clusterDomainClaim, '', name);
  if (claim === undefined) {
    if (!ctx.configs.network().autocreateClusterDomainClaims) {
      mark(set, conditions, DM_COND.domainClaimed, 'False', nowMs, 'DomainAlreadyClaimed', DM_MESSAGE.domainAlreadyClaimed);
      return RETRY;
    }
    api.create<ClusterDomainClaim>({ apiVersion: NETWORKING_V1ALPHA1, kind: 'ClusterDomainClaim', metadata: { name }, spec: { namespace } });
    engine.trace('domainmapping-controller', name, `Created ClusterDomainClaim "${name}" for namespace "${namespace}"`);
  } else if (claim.spec?.namespace !== namespace) {
    mark(set, conditions, DM_COND.domainClaimed, 'False', nowMs, 'DomainAlreadyClaimed', DM_MESSAGE.domainAlreadyClaimed);
    return RETRY;
  }
  mark(set, conditions, DM_COND.domainClaimed, 'True', nowMs);

  if (dm.spec.tls !== undefined)
    mark(set, conditions, DM_COND.certificateProvisioned, 'True', nowMs, 'CertificateExternallyProvided', DM_MESSAGE.tlsProvidedExternally);
  else mark(set, conditions, DM_COND.certificateProvisioned, 'True', nowMs, REASON.tlsNotEnabled, DM_MESSAGE.tlsNotEnabled);

  const target = resolveRef(ctx, dm);
  if (!target.ok) {
    mark(set, conditions, DM_COND.referenceResolved, 'False', nowMs, 'ResolveFailed', target.message);
    return RETRY;
  }
  mark(set, conditions, DM_COND.referenceResolved, 'True', nowMs);

  const outcome = ensureChild(api, dm, api.get<Ingress>(TYPE.ingress, namespace, name), makeDomainMappingIngress(dm, target.host), CONVERGE_INGRESS);
  if (outcome.state === 'created') engine.trace('domainmapping-controller', name, `Created Ingress "${name}"`);
  if (outcome.state === 'notOwned') {
    mark(set, conditions, DM_COND.ingressReady, 'False', nowMs, REASON.notOwned, MESSAGE.notOwned('Ingress', name));
    return undefined;
  }
  const ingress = outcome.child;
  const ready = getCondition(ingress.status?.conditions, COND.ready);
  if (ingress.status?.observedGeneration !== ingress.metadata.generation || ready === undefined)
    mark(set, conditions, DM_COND.ingressReady, 'Unknown', nowMs, REASON.ingressNotConfigured, MESSAGE.ingressNotConfigured);
  else mark(set, conditions, DM_COND.ingressReady, ready.status, nowMs, ready.reason, ready.message);
  return undefined;
}

/** The ref's cluster-local host (`<name>.<ns>.svc.cluster.local`), from its status address as the URI resolver reads it. */
function resolveRef(ctx: ServingContext, dm: DomainMapping): { ok: true; host: string } | { ok: false; message: string } {
  const ref = dm.spec.ref;
  const namespace = ref.namespace ?? dm.metadata.namespace ?? '';
  const name = ref.name ?? '';
  const describe = `&{Kind:${ref.kind ?? ''} Namespace:${namespace} Name:${name} APIVersion:${ref.apiVersion ?? ''} Group:}`;
  let address: string | undefined;
  if (ref.apiVersion === SERVING_API_VERSION && ref.kind === 'Service') {
    const svc = ctx.api.get<KnService>(TYPE.knService, namespace, name);
    if (svc === undefined) return { ok: false, message: `services.serving.knative.dev "${name}" not found` };
    address = svc.status?.address?.url;
  } else if (ref.apiVersion === SERVING_API_VERSION && ref.kind === 'Route') {
    const route = ctx.api.get<Route>(TYPE.route, namespace, name);
    if (route === undefined) return { ok: false, message: `routes.serving.knative.dev "${name}" not found` };
    address = route.status?.address?.url;
  } else {
    return { ok: false, message: `failed to get lister for ${ref.apiVersion ?? ''}, Kind=${ref.kind ?? ''}: knsim resolves Knative Services and Routes` };
  }
  if (address === undefined) return { ok: false, message: `address not set for ${describe}` };
  const host = address.replace(/^[a-z]+:\/\//, '');
  const suffix = `.${CLUSTER_LOCAL_DOMAIN}`;
  const parts = host.slice(0, -suffix.length).split('.');
  if (!host.endsWith(suffix) || parts.length !== 2) return { ok: false, message: `resolved URI "${address}" must be of the form {name}.{namespace}${suffix}` };
  if (parts[1] !== dm.metadata.namespace) return { ok: false, message: `resolved URI "${address}" must be in same namespace as DomainMapping` };
  return { ok: true, host };
}

/** The mapping's Ingress: its host, public, rewritten to the target's cluster-local host (resources/ingress.go). */
function makeDomainMappingIngress(dm: DomainMapping, targetHost: string): Ingress {
  return {
    apiVersion: NETWORKING_API_VERSION,
    kind: 'Ingress',
    metadata: {
      name: dm.metadata.name,
      namespace: dm.metadata.namespace,
      labels: {
        ...(dm.metadata.labels ?? {}),
        'serving.knative.dev/domainMappingUID': dm.metadata.uid ?? '',
        'serving.knative.dev/domainMappingNamespace': dm.metadata.namespace ?? '',
      },
      ownerReferences: [makeControllerRef(dm)],
    },
    spec: { rules: [{ hosts: [dm.metadata.name], visibility: 'ExternalIP', splits: [], rewriteHost: targetHost }] },
  };
}

const CONVERGE_INGRESS = convergeParts<Ingress>(['spec', 'labels']);

/** The mapping is gone: the claim it created goes too, if config-network says it creates them (FinalizeKind). */
function releaseClaim(ctx: ServingContext, namespace: string, name: string): void {
  if (!ctx.configs.network().autocreateClusterDomainClaims) return;
  const claim = ctx.api.get<ClusterDomainClaim>(TYPE.clusterDomainClaim, '', name);
  if (claim === undefined || claim.spec?.namespace !== namespace) return;
  ctx.api.delete(TYPE.clusterDomainClaim, '', name);
  ctx.engine.trace('domainmapping-controller', name, `Deleted ClusterDomainClaim "${name}"`);
}
