/**
 * A dry run of the timeline at the object level: no time, no controllers, only the objects
 * each `apply`, `kn` and `delete` creates or changes, in timeline order, each through
 * Knative's defaulting and webhook validation as the API server admits it (on update with the
 * old object, so a bring-your-own revision name that keeps its name while the template changes
 * is refused). kn lines are run through kn's own editing (src/kn/edit.ts, traffic.ts) on the
 * objects the dry run holds, so a kn line is checked exactly as the same object applied.
 *
 * What it learns, for the loader's later checks: the Services and Routes the scenario creates
 * (traffic targets), their tags, the revisions (Knative names them `<configuration>-<00001>`
 * by the Configuration's generation, which moves with each change of the template, or by the
 * template's own name), the images each service runs (the request estimate uses its app
 * model), and the most pods the timeline asks for at once (min-scale and initial-scale).
 *
 * Fidelity: a `kn service update` of a service no earlier action creates fails at run time
 * (`services.serving.knative.dev "x" not found`); the dry run warns, and checks the update's
 * flags on a minimal valid Service so their values still meet the webhook's rules. A `--traffic`
 * or `--tag` that kn would refuse for the revisions known at that point is a warning (kn fails
 * that step at run time). Revision names drawn with `{{.Random n}}` are not known in advance:
 * expectations on that service's revisions are not checked. Garbage collection of revisions is
 * not run: a revision the scenario creates counts as created even if config-gc removes it later.
 * Mirrors no upstream file; the admission is knative/serving's webhook (defaults, validation).
 */
import { parseAutoscalerConfig, type AutoscalerConfig } from '../apis/config/autoscaler.js';
import { parseDefaultsConfig, type DefaultsConfig } from '../apis/config/defaults.js';
import { defaultDomainMapping, validateClusterDomainClaim, validateDomainMapping, type ClusterDomainClaim, type DomainMapping } from '../apis/domainmapping.js';
import { resolveInitialScale, resolveScaleBounds, resolveTargets } from '../apis/autoscaling-annotations.js';
import { TYPE, type ConfigMap } from '../apis/core.js';
import { formatWebhookDenial, type FieldError } from '../apis/field-error.js';
import { deepCopy, deepEqual, type KObject } from '../apis/meta.js';
import { defaultConfiguration, defaultRoute, defaultService } from '../apis/serving-defaults.js';
import type { Configuration, KnService, RevisionTemplateSpec, Route } from '../apis/serving-types.js';
import { validateConfiguration, validateRoute, validateService } from '../apis/serving-validation.js';
import { applyServiceFlags, newService } from '../kn/edit.js';
import { computeTraffic } from '../kn/traffic.js';
import type { SourcePos } from './diagnostics.js';
import type { Reader } from './reader.js';
import type { ApplyAction, DeleteAction, KnAction, ScenarioObject, TimelineAction } from './types.js';

/** Knative's admission of one object: defaults on a copy, then validation (with the old object on update). */
export type AdmitObject = (obj: KObject, type: string, autoscalerConfig: AutoscalerConfig, old: KObject | undefined, defaults: DefaultsConfig) => FieldError[];

/** Where the dry run reports: the reader, and how to find a field of an applied object or a kn line in the file. */
export interface DryRunSources {
  r: Reader;
  /** The position of a field path of an applied object (the manifest's own line). */
  locate: (object: ScenarioObject, path: string) => unknown;
  /** The position of a kn line's value. */
  knPos: (action: KnAction) => SourcePos;
  /** Replaces the built-in admission (LoadOptions.validateObject). */
  admit?: AdmitObject;
}

/** What a Knative Service or Configuration in the dry run holds. */
interface Workload {
  type: string;
  object: KObject;
  /** The Configuration's generation: one more for each change of the template. */
  generation: number;
  template: RevisionTemplateSpec | undefined;
  revisions: string[];
  /** The pods it asks for and holds, worked out for this template and autoscaler config (see `updatePods`). */
  pods?: { template: RevisionTemplateSpec | undefined; config: AutoscalerConfig; asked: number; held: number };
}

/** What the timeline can create, for the loader's checks of traffic targets, expectations and limits. */
export interface DryRunResult {
  /** `namespace/name` of every Knative Service and Route the timeline creates (a host `name.namespace.<domain>` exists). */
  hosts: Set<string>;
  /** `namespace/name` → tags of that Service or Route. */
  tags: Map<string, Set<string>>;
  /** `namespace/name` of every Knative Service. */
  services: Set<string>;
  /** `namespace/name` of every revision the timeline creates. */
  revisions: Set<string>;
  /** `namespace/name` of services whose revision names are drawn at random (`{{.Random n}}`): not checked. */
  randomRevisionNames: Set<string>;
  /** `namespace/name` of each Service, Configuration or Route → images of its revisions (the request estimate's app models). */
  images: Map<string, Set<string>>;
  /** `namespace/name` of each Service or Configuration → how its latest template scales: the autoscaler's per-pod target and the max scale (0: none). */
  scaling: Map<string, { metric: string; targetPerPod: number; maxScale: number }>;
  /** Route `namespace/name` → the services or configurations its traffic names. */
  routeTargets: Map<string, Set<string>>;
  /** The most pods asked for at once through min-scale and initial-scale, the workload that asked the most then, and where. */
  podsAsked: number;
  /** The most pods min-scale keeps at once: pods that run the whole time (initial-scale's go when traffic does not need them). */
  podsHeld: number;
  podsAskedBy: { name: string; pods: number; at: unknown } | undefined;
  /** Objects kn lines create (Services), for the object count. */
  knCreated: number;
}

const key = (namespace: string, name: string): string => `${namespace}/${name}`;

/** Runs the timeline (already sorted by time) at the object level; reports what Knative would refuse. */
export function dryRunTimeline(
  timeline: readonly TimelineAction[],
  initialConfig: AutoscalerConfig,
  initialDefaults: DefaultsConfig,
  src: DryRunSources,
): DryRunResult {
  const run = new DryRun(initialConfig, initialDefaults, src);
  for (const action of timeline) run.action(action);
  return run.result;
}

class DryRun {
  readonly result: DryRunResult = {
    hosts: new Set(),
    tags: new Map(),
    services: new Set(),
    revisions: new Set(),
    randomRevisionNames: new Set(),
    images: new Map(),
    scaling: new Map(),
    routeTargets: new Map(),
    podsAsked: 0,
    podsHeld: 0,
    podsAskedBy: undefined,
    knCreated: 0,
  };
  /** Services and Configurations by type/namespace/name. */
  private readonly workloads = new Map<string, Workload>();
  private readonly routes = new Map<string, KObject>();

  constructor(
    private autoscalerConfig: AutoscalerConfig,
    private defaults: DefaultsConfig,
    private readonly src: DryRunSources,
  ) {}

  /** Where the action being run was written (for the pods limit). */
  private at: unknown;

  action(action: TimelineAction): void {
    this.at = action.action === 'kn' ? this.src.knPos(action) : action.pos;
    switch (action.action) {
      case 'apply':
        return this.apply(action);
      case 'kn':
        return this.kn(action);
      case 'delete':
        return this.delete(action);
      case 'kubectl':
        // kubectl label changes a label of an existing object: nothing Knative's webhook checks.
        return;
    }
  }

  private apply(action: ApplyAction): void {
    for (const item of action.objects) {
      const { object, type } = item;
      const ns = object.metadata.namespace ?? 'default';
      const existing =
        type === TYPE.route ? this.routes.get(key(ns, object.metadata.name)) : this.workloads.get(`${type}/${key(ns, object.metadata.name)}`)?.object;
      // kubectl apply as knsim runs it: create, or replace spec, labels and annotations of the existing object.
      const next = existing === undefined ? deepCopy(object) : { ...deepCopy(existing), spec: deepCopy(object.spec) };
      if (existing !== undefined) {
        next.metadata.labels = deepCopy(object.metadata.labels);
        next.metadata.annotations = deepCopy(object.metadata.annotations);
      }
      if (type === TYPE.configMap) {
        this.configMap(object as ConfigMap);
        continue;
      }
      const errors = this.admitAndStore(type, next, existing);
      for (const e of errors)
        this.src.r.report(
          'SCENARIO_INVALID_MANIFEST',
          this.src.locate(item, e.path),
          `${object.kind} "${object.metadata.name}": ${e.path === '' ? '' : `${e.path}: `}${e.message}`,
        );
    }
  }

  /** A config-autoscaler or config-defaults applied to knative-serving changes what later objects are defaulted and validated against, as the webhook's config store does. */
  private configMap(cm: ConfigMap): void {
    if (cm.metadata.namespace !== 'knative-serving') return;
    if (cm.metadata.name === 'config-autoscaler') {
      const parsed = parseAutoscalerConfig(cm.data ?? {});
      if ('config' in parsed) this.autoscalerConfig = parsed.config;
    } else if (cm.metadata.name === 'config-defaults') {
      const parsed = parseDefaultsConfig(cm.data ?? {});
      if ('config' in parsed) this.defaults = parsed.config;
    }
  }

  private kn(action: KnAction): void {
    const c = action.command;
    const ns = c.namespace;
    const name = c.names[0];
    const at = this.src.knPos(action);
    const warn = (message: string, hint?: string): void =>
      this.src.r.report('SCENARIO_INVALID_KN', at, message, { severity: 'warning', ...(hint !== undefined ? { hint } : {}) });
    const editContext = { nowMs: action.atMs, random: () => 0 };
    if (c.group === 'service' && c.verb === 'delete') {
      for (const n of c.names) this.remove(TYPE.knService, ns, n);
      return;
    }
    if (c.group === 'revision' && c.verb === 'delete') return;
    if (c.group !== 'service' || (c.verb !== 'create' && c.verb !== 'update') || name === undefined) return;
    const id = `${TYPE.knService}/${key(ns, name)}`;
    const existing = this.workloads.get(id)?.object as KnService | undefined;
    if (c.flags.revisionName !== undefined && /\{\{\s*\.Random/.test(c.flags.revisionName)) this.result.randomRevisionNames.add(key(ns, name));
    let edited: KnService;
    let old: KnService | undefined;
    if (c.verb === 'create') {
      if (existing !== undefined && !c.flags.force) {
        warn(
          `kn service create ${name}: service ${name} already exists at this point, so kn fails here at run time ("cannot create service '${name}' in namespace '${ns}' because the service already exists")`,
          'use kn service update, or --force to replace it',
        );
        return;
      }
      const out = applyServiceFlags(newService(name, ns), c.flags, editContext);
      if (!out.ok) return this.knError(action, out.error);
      edited = out.service;
      if (c.flags.tag.length > 0) {
        const traffic = computeTraffic([{ latestRevision: true, percent: 100 }], {
          traffic: [],
          tag: c.flags.tag,
          untag: [],
          revisions: [],
          newRevision: true,
        });
        if (!traffic.ok) return this.knError(action, traffic.error);
        edited.spec.traffic = traffic.traffic;
      }
      old = existing;
      if (existing === undefined) this.result.knCreated++;
    } else if (existing === undefined) {
      warn(
        `kn service update ${name}: no earlier action creates service ${name} in namespace ${ns}, so kn fails here at run time (services.serving.knative.dev "${name}" not found); its flags are checked on a minimal Service`,
      );
      const stub = newService(name, ns);
      const out = applyServiceFlags({ ...stub, spec: { template: { spec: { containers: [{ image: 'knsim-placeholder' }] } } } }, c.flags, editContext);
      if (!out.ok) return this.knError(action, out.error);
      const errors = this.admit(TYPE.knService, out.service, undefined);
      if (errors.length > 0) this.knError(action, formatWebhookDenial(errors));
      return;
    } else {
      const out = applyServiceFlags(existing, c.flags, editContext);
      if (!out.ok) return this.knError(action, out.error);
      edited = out.service;
      if (c.flags.traffic.length > 0 || c.flags.tag.length > 0 || c.flags.untag.length > 0) {
        const traffic = computeTraffic(existing.spec.traffic ?? [], {
          traffic: c.flags.traffic,
          tag: c.flags.tag,
          untag: c.flags.untag,
          revisions: this.workloads.get(id)?.revisions ?? [],
          newRevision: out.revisionChanged,
        });
        if (!traffic.ok) {
          warn(`kn service update ${name}: kn refuses this step at run time for the revisions created by then: ${traffic.error}`);
          return;
        }
        edited.spec.traffic = traffic.traffic;
      }
      old = existing;
    }
    const errors = this.admitAndStore(TYPE.knService, edited, old);
    if (errors.length > 0) this.knError(action, formatWebhookDenial(errors));
  }

  private knError(action: KnAction, message: string): void {
    this.src.r.report('SCENARIO_INVALID_KN', this.src.knPos(action), `timeline[${action.index}].kn: ${message}`);
  }

  private delete(action: DeleteAction): void {
    this.remove(action.type, action.namespace, action.name);
  }

  private remove(type: string, namespace: string, name: string): void {
    if (type === TYPE.route) this.routes.delete(key(namespace, name));
    else this.workloads.delete(`${type}/${key(namespace, name)}`);
    this.updatePods();
  }

  private admit(type: string, obj: KObject, old: KObject | undefined): FieldError[] {
    return (this.src.admit ?? admitKnative)(obj, type, this.autoscalerConfig, old, this.defaults);
  }

  /** Admits an object; when accepted, stores its defaulted form and records what it creates. */
  private admitAndStore(type: string, obj: KObject, old: KObject | undefined): FieldError[] {
    const errors = this.admit(type, obj, old);
    if (errors.length > 0) return errors;
    const stored = defaulted(obj, type, this.defaults);
    const ns = stored.metadata.namespace ?? 'default';
    const name = stored.metadata.name;
    const id = key(ns, name);
    if (type === TYPE.route) {
      this.routes.set(id, stored);
      this.result.hosts.add(id);
      this.recordTraffic(id, (stored as Route).spec?.traffic);
      const targets = new Set<string>();
      for (const t of (stored as Route).spec?.traffic ?? []) {
        if (t.configurationName !== undefined) targets.add(key(ns, t.configurationName));
        if (t.revisionName !== undefined) targets.add(key(ns, t.revisionName.replace(/-\d{5}$/, '')));
      }
      this.result.routeTargets.set(id, targets);
      return [];
    }
    const template = (stored as KnService | Configuration).spec?.template;
    const wid = `${type}/${id}`;
    const prev = this.workloads.get(wid);
    const w: Workload = prev ?? { type, object: stored, generation: 0, template: undefined, revisions: [] };
    w.object = stored;
    if (prev === undefined || !deepEqual(prev.template, template)) {
      w.generation++;
      w.template = deepCopy(template);
      const revision = template?.metadata?.name ?? `${name}-${String(w.generation).padStart(5, '0')}`;
      w.revisions.push(revision);
      this.result.revisions.add(key(ns, revision));
      const image = template?.spec?.containers?.[0]?.image;
      if (image !== undefined) {
        let set = this.result.images.get(id);
        if (set === undefined) this.result.images.set(id, (set = new Set()));
        set.add(image);
      }
    }
    this.workloads.set(wid, w);
    const annotations = template?.metadata?.annotations ?? {};
    const targets = resolveTargets({ annotations, containerConcurrency: template?.spec?.containerConcurrency }, this.autoscalerConfig);
    const bounds = resolveScaleBounds(annotations, 'Reachable', this.autoscalerConfig);
    this.result.scaling.set(id, { metric: targets.metric, targetPerPod: targets.target, maxScale: bounds.maxScale });
    if (type === TYPE.knService) {
      this.result.services.add(id);
      this.result.hosts.add(id);
      this.recordTraffic(id, (stored as KnService).spec?.traffic);
    }
    this.updatePods();
    return [];
  }

  private recordTraffic(id: string, traffic: readonly { tag?: string }[] | undefined): void {
    for (const t of traffic ?? []) {
      if (t.tag === undefined || t.tag === '') continue;
      let set = this.result.tags.get(id);
      if (set === undefined) this.result.tags.set(id, (set = new Set()));
      set.add(t.tag);
    }
  }

  /** Pods the live Services and Configurations ask for now: max(min-scale, initial-scale) each, capped by max-scale. */
  private updatePods(): void {
    let total = 0;
    let held = 0;
    let biggest: { name: string; pods: number; at: unknown } | undefined;
    for (const w of this.workloads.values()) {
      // Worked out again only when its template or the config changed: this runs after every
      // action, over every workload (a timeline creating 1,000 services read 1,000,000 annotations).
      if (w.pods === undefined || w.pods.template !== w.template || w.pods.config !== this.autoscalerConfig) {
        const annotations = w.template?.metadata?.annotations ?? {};
        const bounds = resolveScaleBounds(annotations, 'Reachable', this.autoscalerConfig);
        const cap = (n: number): number => (bounds.maxScale > 0 ? Math.min(n, bounds.maxScale) : n);
        const asked = cap(Math.max(bounds.minScale, resolveInitialScale(annotations, this.autoscalerConfig)));
        w.pods = { template: w.template, config: this.autoscalerConfig, asked, held: cap(bounds.minScale) };
      }
      const pods = w.pods.asked;
      held += w.pods.held;
      total += pods;
      if (biggest === undefined || pods > biggest.pods) biggest = { name: w.object.metadata.name, pods, at: this.at };
    }
    if (total > this.result.podsAsked) {
      this.result.podsAsked = total;
      this.result.podsAskedBy = biggest;
    }
    this.result.podsHeld = Math.max(this.result.podsHeld, held);
  }
}

/** Knative's defaulting on a copy (what the API server stores), with config-defaults. */
function defaulted(obj: KObject, type: string, defaults: DefaultsConfig): KObject {
  const copy = deepCopy(obj);
  if (type === TYPE.knService) defaultService(copy as KnService, defaults);
  else if (type === TYPE.configuration) defaultConfiguration(copy as Configuration, defaults);
  else if (type === TYPE.route) defaultRoute(copy as Route);
  else if (type === TYPE.domainMapping) defaultDomainMapping(copy as DomainMapping);
  return copy;
}

/** Knative's admission on a copy: defaults first, then the webhook's validation, as the API server does (with the old object on update). */
export function admitKnative(obj: KObject, type: string, autoscalerConfig: AutoscalerConfig, old: KObject | undefined, defaults: DefaultsConfig): FieldError[] {
  const copy = defaulted(obj, type, defaults);
  switch (type) {
    case TYPE.knService:
      return validateService(copy as KnService, old as KnService | undefined, { autoscalerConfig, defaults });
    case TYPE.configuration:
      return validateConfiguration(copy as Configuration, old as Configuration | undefined, { autoscalerConfig, defaults });
    case TYPE.route:
      return validateRoute(copy as Route);
    case TYPE.domainMapping:
      return validateDomainMapping(copy as DomainMapping);
    case TYPE.clusterDomainClaim:
      return validateClusterDomainClaim(copy as ClusterDomainClaim);
    default:
      return [];
  }
}
