/**
 * `kn domain create|update|delete|describe|list`: DomainMappings of a custom domain to a
 * Knative Service (`--ref hello`, `--ref ksvc:hello`) or Route (`--ref kroute:hello`).
 * kn does not wait: create prints one line once the API server took the object, whether or
 * not the mapping becomes Ready.
 * Fidelity: knative/client pkg/commands/domain/{create,update,delete,describe,list,domain,
 * human_readable_flags}.go: the ref prefixes and their error, the secret-name check of
 * `--tls`, the output lines, the list columns (NAME URL READY KSVC, NAMESPACE first with
 * -A) and "No domain mapping found."; describe through kn's prefix writer (metadata, URL, the
 * Reference block, conditions; `-v` adds the metadata details and condition messages).
 */
import type { ApiServer } from '../k8s/api-server.js';
import { TYPE } from '../apis/core.js';
import { checkDns1123Subdomain } from '../apis/field-error.js';
import { SERVING_API_VERSION } from '../apis/serving-types.js';
import { SERVING_V1BETA1, type DomainMapping, type KReference } from '../apis/domainmapping.js';
import { listed, table, type ListOptions } from './list.js';
import { PrefixWriter, readyCondition, writeConditions, writeMetadata } from './printers.js';
import type { KnCommand } from './parse.js';

type DomainOutcome = { ok: true; output: string } | { ok: false; error: string };

/** Runs one `kn domain` command against the API server. */
export function runDomain(api: ApiServer, nowMs: number, c: KnCommand): DomainOutcome {
  const ns = c.namespace;
  const name = c.names[0];
  switch (c.verb) {
    case 'create': {
      if (name === undefined || c.flags.ref === undefined) return { ok: false, error: "'kn domain create' requires the domain name given as single argument" };
      const ref = resolveRef(api, c.flags.ref, ns);
      if (!ref.ok) return ref;
      const tls = c.flags.tls ?? '';
      const bad = tls === '' ? undefined : checkDns1123Subdomain(tls);
      if (bad !== undefined) return { ok: false, error: `invalid secret name ${JSON.stringify(tls)}: ${bad}` };
      const dm: DomainMapping = { apiVersion: SERVING_V1BETA1, kind: 'DomainMapping', metadata: { name, namespace: ns }, spec: { ref: ref.ref } };
      if (tls !== '') dm.spec.tls = { secretName: tls };
      api.create(dm);
      return { ok: true, output: `Domain mapping '${name}' created in namespace '${ns}'.` };
    }
    case 'update': {
      if (name === undefined || c.flags.ref === undefined) return { ok: false, error: "'kn domain create' requires the domain name given as single argument" };
      const existing = api.get<DomainMapping>(TYPE.domainMapping, ns, name);
      if (existing === undefined) return { ok: false, error: `domainmappings.serving.knative.dev "${name}" not found` };
      if (existing.metadata.deletionTimestamp !== undefined)
        return { ok: false, error: `can't update domain mapping '${name}' because it has been marked for deletion` };
      const ref = resolveRef(api, c.flags.ref, ns);
      if (!ref.ok) return ref;
      api.update({ ...existing, spec: { ...existing.spec, ref: ref.ref } });
      return { ok: true, output: `Domain mapping '${name}' updated in namespace '${ns}'.` };
    }
    case 'delete': {
      if (name === undefined) return { ok: false, error: "'kn domain delete' requires the domain name given as single argument" };
      if (api.get(TYPE.domainMapping, ns, name) === undefined) return { ok: false, error: `domainmappings.serving.knative.dev "${name}" not found` };
      api.delete(TYPE.domainMapping, ns, name);
      return { ok: true, output: `Domain mapping '${name}' deleted in namespace '${ns}'.` };
    }
    case 'describe': {
      if (name === undefined) return { ok: false, error: "'kn domain describe' requires name of the domain mapping as single argument" };
      const dm = api.get<DomainMapping>(TYPE.domainMapping, ns, name);
      if (dm === undefined) return { ok: false, error: `domainmappings.serving.knative.dev "${name}" not found` };
      return { ok: true, output: describe(dm, nowMs, c.verbose) };
    }
    case 'list':
      return { ok: true, output: list(api, { namespace: c.allNamespaces ? undefined : ns, noHeaders: c.noHeaders }) };
    default:
      return { ok: false, error: `unknown command "${String(c.verb)}" for "kn domain"` };
  }
}

/** `--ref`: `NAME` (a Service here), `ksvc:NAME`, `kroute:NAME`, each with an optional `:NAMESPACE` (domain.go parseType, Resolve). */
function resolveRef(api: ApiServer, text: string, namespace: string): { ok: true; ref: KReference } | { ok: false; error: string } {
  const parts = text.split(':');
  const [prefix, name, refNamespace] = parts.length === 1 ? ['ksvc', parts[0] ?? '', ''] : [parts[0] ?? '', parts[1] ?? '', parts.slice(2).join(':')];
  const kinds: Record<string, { kind: string; type: string; resource: string }> = {
    ksvc: { kind: 'Service', type: TYPE.knService, resource: 'services.serving.knative.dev' },
    kroute: { kind: 'Route', type: TYPE.route, resource: 'routes.serving.knative.dev' },
  };
  const k = kinds[prefix];
  if (k === undefined) return { ok: false, error: `unsupported sink prefix: '${prefix}'` };
  const ns = refNamespace === '' ? namespace : refNamespace;
  if (api.get(k.type, ns, name) === undefined) return { ok: false, error: `${k.resource} "${name}" not found` };
  return { ok: true, ref: { kind: k.kind, apiVersion: SERVING_API_VERSION, name, namespace: ns } };
}

function describe(dm: DomainMapping, nowMs: number, details: boolean): string {
  const dw = PrefixWriter.describe();
  writeMetadata(dw, dm.metadata, nowMs, details);
  dw.writeLine();
  dw.writeAttribute('URL', dm.status?.url ?? '');
  dw.writeLine();
  const ref = dw.writeAttribute('Reference', '');
  ref.writeAttribute('APIVersion', dm.spec.ref.apiVersion ?? '');
  ref.writeAttribute('Kind', dm.spec.ref.kind ?? '');
  ref.writeAttribute('Name', dm.spec.ref.name ?? '');
  // kn compares the namespaces as strings: a ref without one prints an empty Namespace line.
  if (dm.spec.ref.namespace !== dm.metadata.namespace) ref.writeAttribute('Namespace', dm.spec.ref.namespace ?? '');
  dw.writeLine();
  writeConditions(dw, dm.status?.conditions, nowMs, details);
  return dw.text();
}

function list(api: ApiServer, opts: ListOptions): string {
  const mappings = listed<DomainMapping>(api, TYPE.domainMapping, opts);
  if (mappings.length === 0) return 'No domain mapping found.';
  const all = opts.namespace === undefined;
  const rows = mappings.map((dm) => {
    const row = [dm.metadata.name, dm.status?.url ?? '', readyCondition(dm.status?.conditions), dm.spec.ref.name ?? ''];
    return all ? [dm.metadata.namespace ?? '', ...row] : row;
  });
  return table(['NAME', 'URL', 'READY', 'KSVC'], rows, opts, all);
}
