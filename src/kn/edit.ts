/**
 * Applies `kn service create|update` flags to a Service object (pure).
 * Fidelity: knative/client pkg/commands/service/configuration_edit_flags.go and
 * pkg/serving/config_changes.go: env/port/image on the first container, autoscaling
 * annotations on the revision template only, other annotations and labels on both the
 * Service and the template (or one side with the -service/-revision variants), the
 * `client.knative.dev/updateTimestamp` template annotation on every revision-affecting
 * change (virtual time), `client.knative.dev/user-image` with the image as typed, BYO
 * revision names from a Go-like template, and the cluster-local visibility label.
 */
import { ANNOTATION, LABEL, SERVING_API_VERSION, type KnService, type RevisionTemplateSpec } from '../apis/serving-types.js';
import type { EnvVar, ResourceList } from '../apis/core.js';
import { deepCopy } from '../apis/meta.js';
import { formatTimestamp } from '../engine/units.js';
import { parsePort, parseScale, type ServiceFlags } from './parse.js';

const AUTOSCALING_PREFIX = 'autoscaling.knative.dev/';

type EditResult = { ok: true; service: KnService; revisionChanged: boolean } | { ok: false; error: string };

interface EditContext {
  nowMs: number;
  /** Random source for `{{.Random n}}` in --revision-name. */
  random: () => number;
}

/** A new Service named `name` with one container, ready for `applyServiceFlags`. */
export function newService(name: string, namespace: string): KnService {
  return { apiVersion: SERVING_API_VERSION, kind: 'Service', metadata: { name, namespace }, spec: { template: { spec: { containers: [{}] } } } };
}

function applyKeyValues(target: Record<string, string>, items: readonly string[]): void {
  for (const item of items) {
    if (item.endsWith('-') && !item.includes('=')) delete target[item.slice(0, -1)];
    else target[item.slice(0, item.indexOf('='))] = item.slice(item.indexOf('=') + 1);
  }
}

/** Applies the flags; `revisionChanged` tells whether the template (and so a new revision) changed. */
export function applyServiceFlags(input: KnService, flags: ServiceFlags, ctx: EditContext): EditResult {
  const service = deepCopy(input);
  const template: RevisionTemplateSpec = (service.spec.template ??= { spec: { containers: [{}] } });
  template.metadata ??= {};
  const tAnn = (template.metadata.annotations ??= {});
  const tLabels = (template.metadata.labels ??= {});
  const sAnn = (service.metadata.annotations ??= {});
  const sLabels = (service.metadata.labels ??= {});
  template.spec.containers ??= [{}];
  let container = template.spec.containers[0];
  if (container === undefined) {
    container = {};
    template.spec.containers.push(container);
  }
  let revisionChanged = false;

  if (flags.image !== undefined) {
    container.image = flags.image;
    tAnn[ANNOTATION.userImage] = flags.image;
    revisionChanged = true;
  }
  if (flags.env.length > 0) {
    const env: EnvVar[] = container.env ?? [];
    for (const item of flags.env) {
      if (item.endsWith('-') && !item.includes('=')) {
        const name = item.slice(0, -1);
        const i = env.findIndex((e) => e.name === name);
        if (i >= 0) env.splice(i, 1);
        continue;
      }
      const name = item.slice(0, item.indexOf('='));
      const value = item.slice(item.indexOf('=') + 1);
      const existing = env.find((e) => e.name === name);
      if (existing !== undefined) existing.value = value;
      else env.push({ name, value });
    }
    container.env = env;
    revisionChanged = true;
  }
  for (const [items, part] of [
    [flags.request, 'requests'],
    [flags.limit, 'limits'],
  ] as const) {
    if (items.length === 0) continue;
    const list: ResourceList = { ...(container.resources?.[part] ?? {}) };
    for (const item of items) {
      const eq = item.indexOf('=');
      const name = eq < 0 ? item.replace(/-$/, '') : item.slice(0, eq);
      if (name !== 'cpu' && name !== 'memory')
        return { ok: false, error: `invalid --${part === 'requests' ? 'request' : 'limit'} "${item}": knsim models cpu and memory` };
      if (eq < 0 && item.endsWith('-')) delete list[name];
      else if (eq < 0) return { ok: false, error: `invalid --${part === 'requests' ? 'request' : 'limit'} "${item}": expected NAME=QUANTITY` };
      else list[name] = item.slice(eq + 1);
    }
    container.resources = { ...(container.resources ?? {}), [part]: list };
    revisionChanged = true;
  }
  if (flags.port !== undefined) {
    const p = parsePort(flags.port);
    if (p === undefined) return { ok: false, error: `invalid --port "${flags.port}"` };
    container.ports = [p.name === undefined ? { containerPort: p.port } : { name: p.name, containerPort: p.port }];
    revisionChanged = true;
  }
  for (const item of flags.annotationService) {
    if (item.startsWith(AUTOSCALING_PREFIX))
      return {
        ok: false,
        error: `service can not have auto-scaling related annotation: ${item.slice(0, item.indexOf('=') < 0 ? undefined : item.indexOf('='))}`,
      };
  }
  if (flags.annotation.length > 0) {
    applyKeyValues(tAnn, flags.annotation);
    applyKeyValues(
      sAnn,
      flags.annotation.filter((a) => !a.startsWith(AUTOSCALING_PREFIX)),
    );
    revisionChanged = true;
  }
  if (flags.annotationRevision.length > 0) {
    applyKeyValues(tAnn, flags.annotationRevision);
    revisionChanged = true;
  }
  applyKeyValues(sAnn, flags.annotationService);
  if (flags.label.length > 0) {
    applyKeyValues(tLabels, flags.label);
    applyKeyValues(sLabels, flags.label);
    revisionChanged = true;
  }
  if (flags.labelRevision.length > 0) {
    applyKeyValues(tLabels, flags.labelRevision);
    revisionChanged = true;
  }
  applyKeyValues(sLabels, flags.labelService);

  const setAnn = (key: string, value: number | string | undefined): void => {
    if (value === undefined) return;
    tAnn[AUTOSCALING_PREFIX + key] = String(value);
    revisionChanged = true;
  };
  if (flags.scale !== undefined) {
    const s = parseScale(flags.scale);
    if (s === undefined) return { ok: false, error: `invalid --scale "${flags.scale}"` };
    setAnn('min-scale', s.min);
    setAnn('max-scale', s.max);
  }
  setAnn('min-scale', flags.scaleMin);
  setAnn('max-scale', flags.scaleMax);
  setAnn('initial-scale', flags.scaleInit);
  setAnn('target', flags.scaleTarget);
  setAnn('target-utilization-percentage', flags.scaleUtilization);
  setAnn('window', flags.scaleWindow);
  setAnn('activation-scale', flags.scaleActivation);
  setAnn('metric', flags.scaleMetric);
  if (flags.concurrencyLimit !== undefined) {
    template.spec.containerConcurrency = flags.concurrencyLimit;
    revisionChanged = true;
  }
  if (flags.timeout !== undefined) {
    template.spec.timeoutSeconds = flags.timeout;
    revisionChanged = true;
  }
  if (flags.clusterLocal === true) sLabels[LABEL.visibility] = 'cluster-local';
  if (flags.clusterLocal === false) delete sLabels[LABEL.visibility];

  if (flags.revisionName !== undefined) {
    const generation = (input.metadata.generation ?? 0) + 1;
    const name = expandRevisionName(flags.revisionName, service.metadata.name, generation, ctx.random);
    if (name === '') delete template.metadata.name;
    else template.metadata.name = name.startsWith(`${service.metadata.name}-`) ? name : `${service.metadata.name}-${name}`;
    revisionChanged = true;
  } else if (revisionChanged) {
    // A BYO name would now clash with the changed template; kn clears it unless a new one is given.
    delete template.metadata.name;
  }
  if (revisionChanged) tAnn[ANNOTATION.updateTimestamp] = formatTimestamp(ctx.nowMs);
  if (Object.keys(tAnn).length === 0) delete template.metadata.annotations;
  if (Object.keys(tLabels).length === 0) delete template.metadata.labels;
  if (Object.keys(sAnn).length === 0) delete service.metadata.annotations;
  if (Object.keys(sLabels).length === 0) delete service.metadata.labels;
  return { ok: true, service, revisionChanged };
}

/** `{{.Service}}`, `{{.Generation}}` and `{{.Random n}}` (n lowercase letters and digits). */
function expandRevisionName(template: string, service: string, generation: number, random: () => number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return template
    .replace(/\{\{\s*\.Service\s*\}\}/g, service)
    .replace(/\{\{\s*\.Generation\s*\}\}/g, String(generation))
    .replace(/\{\{\s*\.Random\s+(\d+)\s*\}\}/g, (_m, n: string) => {
      let out = '';
      for (let i = 0; i < Number(n); i++) out += alphabet[Math.floor(random() * alphabet.length)];
      return out;
    });
}
