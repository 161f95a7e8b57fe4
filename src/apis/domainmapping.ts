/**
 * `serving.knative.dev/v1beta1` DomainMapping (a custom domain mapped to a Knative Service
 * or Route) and `networking.internal.knative.dev/v1alpha1` ClusterDomainClaim (which
 * namespace may map a domain): types, defaulting, validation and conditions.
 * Fidelity: knative/serving pkg/apis/serving/v1beta1/domainmapping_{types,defaults,
 * validation,lifecycle}.go and knative/networking's ClusterDomainClaim; the KReference rules
 * of knative.dev/pkg apis/duck/v1 (name, kind and apiVersion required, the namespace
 * defaulted to the mapping's and not allowed to differ). Not modelled: TLS secrets (a
 * `spec.tls` only marks the certificate as provided), creator/modifier annotations.
 */
import { makeConditionSet } from './conditions.js';
import { checkDns1123Label, checkDns1123Subdomain, type FieldError } from './field-error.js';
import type { Condition, KObject } from './meta.js';

export const SERVING_V1BETA1 = 'serving.knative.dev/v1beta1';
export const NETWORKING_V1ALPHA1 = 'networking.internal.knative.dev/v1alpha1';

export interface KReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface DomainMappingSpec {
  ref: KReference;
  tls?: { secretName?: string };
}

export interface DomainMappingStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  url?: string;
  address?: { url: string };
}

export type DomainMapping = KObject<DomainMappingSpec, DomainMappingStatus>;

export type ClusterDomainClaim = KObject<{ namespace?: string }, undefined>;

export const DM_COND = {
  domainClaimed: 'DomainClaimed',
  referenceResolved: 'ReferenceResolved',
  ingressReady: 'IngressReady',
  certificateProvisioned: 'CertificateProvisioned',
} as const;

/** Ready = DomainClaimed ∧ ReferenceResolved ∧ IngressReady ∧ CertificateProvisioned. */
export const domainMappingConditionSet = makeConditionSet('Ready', [
  DM_COND.domainClaimed,
  DM_COND.referenceResolved,
  DM_COND.ingressReady,
  DM_COND.certificateProvisioned,
]);

export const DM_MESSAGE = {
  domainAlreadyClaimed: 'The domain name is already in use by another DomainMapping',
  tlsNotEnabled: 'external-domain-tls is not enabled',
  tlsProvidedExternally: 'TLS certificate was provided externally',
} as const;

/** The ref's namespace defaults to the mapping's (KReference.SetDefaults). */
export function defaultDomainMapping(dm: DomainMapping): void {
  const ref = dm.spec?.ref;
  if (typeof ref === 'object' && ref !== null && !ref.namespace) ref.namespace = dm.metadata?.namespace ?? 'default';
}

/** The cluster domain Kubernetes gives Services; a mapping may not claim a name under it. */
const CLUSTER_DOMAIN = 'cluster.local';

/** validation.IsFullyQualifiedDomainName's complaint about `name`, or undefined. */
function fqdnProblem(name: string): string | undefined {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare === '') return 'name: Required value';
  if (!bare.includes('.')) return `name: Invalid value: ${JSON.stringify(name)}: should be a domain with at least two segments separated by dots`;
  for (const label of bare.split('.')) {
    const why = checkDns1123Label(label);
    if (why !== undefined) return `name: Invalid value: ${JSON.stringify(name)}: ${why}`;
  }
  const sub = checkDns1123Subdomain(bare);
  return sub === undefined ? undefined : `name: Invalid value: ${JSON.stringify(name)}: ${sub}`;
}

/** The webhook's checks of a DomainMapping: a fully qualified name outside cluster.local, and a complete ref in the same namespace. */
export function validateDomainMapping(dm: DomainMapping): FieldError[] {
  const errors: FieldError[] = [];
  const name = dm.metadata?.name ?? '';
  if ((dm.metadata as { generateName?: string } | undefined)?.generateName)
    errors.push({ path: 'metadata.generateName', message: 'must not set the field(s)' });
  const fqdn = fqdnProblem(name);
  if (fqdn !== undefined) errors.push({ path: 'metadata.name', message: `invalid name ${JSON.stringify(name)}: ${fqdn}` });
  if (name.endsWith(`.${CLUSTER_DOMAIN}`))
    errors.push({
      path: 'metadata.name',
      message: `invalid name ${JSON.stringify(name)}: must not be a subdomain of cluster local domain "${CLUSTER_DOMAIN}"`,
    });
  const ref = dm.spec?.ref;
  if (typeof ref !== 'object' || ref === null) return [...errors, { path: 'spec.ref.name, spec.ref.apiVersion, spec.ref.kind', message: 'missing field(s)' }];
  const missing = (['name', 'apiVersion', 'kind'] as const).filter((k) => !ref[k]);
  if (missing.length > 0) errors.push({ path: missing.map((k) => `spec.ref.${k}`).join(', '), message: 'missing field(s)' });
  if (ref.namespace && ref.namespace !== dm.metadata?.namespace) errors.push({ path: 'spec.ref.namespace', message: 'mismatched namespaces' });
  return errors;
}

/** A ClusterDomainClaim needs the namespace it delegates the domain to. */
export function validateClusterDomainClaim(cdc: ClusterDomainClaim): FieldError[] {
  const errors: FieldError[] = [];
  const why = checkDns1123Subdomain(cdc.metadata?.name ?? '');
  if (why !== undefined) errors.push({ path: 'metadata.name', message: `Invalid value: ${JSON.stringify(cdc.metadata?.name ?? '')}: ${why}` });
  if (!cdc.spec?.namespace) errors.push({ path: 'spec.namespace', message: 'Required value' });
  return errors;
}
