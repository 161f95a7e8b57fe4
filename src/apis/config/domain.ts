/**
 * `config-domain` (namespace knative-serving): which domain suffix a Route's host uses.
 * Each key is a domain; its value is empty (the default domain) or a YAML `selector:`
 * of labels that a Route must carry. The most specific matching selector wins.
 * Fidelity: knative/serving pkg/reconciler/route/config/domain.go.
 *
 * Deliberate choice: when the ConfigMap is missing entirely, knsim uses `example.com`.
 * Knative itself falls back to `svc.cluster.local` when no default domain is configured,
 * but real installs configure one and kn prints it, so the simulated URLs look like the
 * ones users see. A ConfigMap that exists without a default entry gives `svc.cluster.local`,
 * as in Knative.
 */
import { parse as parseYaml } from 'yaml';
import type { FieldError } from '../field-error.js';

export const CLUSTER_LOCAL_DOMAIN = 'svc.cluster.local';
export const DEFAULT_DOMAIN_WHEN_UNCONFIGURED = 'example.com';

export interface DomainEntry {
  domain: string;
  /** Labels a Route must carry; empty for the default domain. */
  selector: Record<string, string>;
}

export interface DomainConfig {
  /** Sorted by specificity (most labels first), then domain name, so lookups are deterministic. */
  entries: DomainEntry[];
}

/** Parses `config-domain` data; undefined (no ConfigMap) gives `example.com` as the default. */
export function parseDomainConfig(data: Record<string, string> | undefined): { config: DomainConfig } | { errors: FieldError[] } {
  if (data === undefined) return { config: { entries: [{ domain: DEFAULT_DOMAIN_WHEN_UNCONFIGURED, selector: {} }] } };
  const entries: DomainEntry[] = [];
  const errors: FieldError[] = [];
  for (const domain of Object.keys(data).sort()) {
    const value = data[domain];
    if (value === undefined || domain.startsWith('_')) continue; // `_example` holds documentation, as in Knative's ConfigMap.
    const raw = value.trim();
    if (raw === '') {
      entries.push({ domain, selector: {} });
      continue;
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(raw);
    } catch (err) {
      errors.push({ path: domain, message: `failed to parse the selector of domain "${domain}": ${(err as Error).message}` });
      continue;
    }
    const selector = (parsed as { selector?: unknown } | null)?.selector;
    if (selector === undefined || selector === null) {
      entries.push({ domain, selector: {} });
      continue;
    }
    if (typeof selector !== 'object' || Array.isArray(selector)) {
      errors.push({ path: domain, message: `the selector of domain "${domain}" must be a map of labels` });
      continue;
    }
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(selector as Record<string, unknown>)) labels[k] = String(v);
    entries.push({ domain, selector: labels });
  }
  if (errors.length > 0) return { errors };
  entries.sort((a, b) => Object.keys(b.selector).length - Object.keys(a.selector).length || (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
  return { config: { entries } };
}

/** The domain for a Route with these labels: the most specific matching entry, else svc.cluster.local. */
export function lookupDomain(config: DomainConfig, labels: Record<string, string> | undefined): string {
  const l = labels ?? {};
  for (const entry of config.entries) {
    if (Object.entries(entry.selector).every(([k, v]) => l[k] === v)) return entry.domain;
  }
  return CLUSTER_LOCAL_DOMAIN;
}
