/**
 * What knsim accepts in a Knative manifest but does not model: each field, annotation or
 * label Knative reads (or Kubernetes would act on) that changes nothing in a simulation.
 * The scenario loader reports every one of them as a `SCENARIO_NOT_MODELLED` warning
 * naming the field (`spec.template.spec.containers[0].volumeMounts is accepted but not
 * modelled`), so a pasted production manifest never gets a confident answer that quietly
 * left something out. README.md's fidelity table lists the same things.
 *
 * Fidelity: the field sets are Knative's own (knative/serving pkg/apis/serving/fieldmask.go
 * PodSpecMask and ContainerMask, pkg/apis/config/features.go for the fields behind a
 * config-features flag, pkg/apis/serving/register.go and pkg/apis/autoscaling/register.go
 * for annotations). Fields Knative refuses outright are refused by validation
 * (serving-validation.ts), not listed here; probes are modelled by the kubelet.
 */
import { didYouMean } from './did-you-mean.js';
import { TYPE } from './core.js';
import type { KObject } from './meta.js';

export interface NotModelled {
  /** Field path as validation errors write it: `spec.template.spec.containers[0].env`. */
  path: string;
  /** `<path> is accepted but not modelled` and why it matters, if it does. */
  message: string;
  hint?: string;
}

/** PodSpec fields Knative admits by default that knsim does not model. */
const POD_FIELDS: Record<string, string> = {
  volumes: '',
  serviceAccountName: '',
  imagePullSecrets: ' (pulls need no credentials here)',
  enableServiceLinks: '',
  automountServiceAccountToken: '',
};

/** PodSpec fields Knative admits only behind a config-features flag (default disabled); knsim does not read config-features. */
const FEATURE_POD_FIELDS: Record<string, string> = {
  affinity: 'kubernetes.podspec-affinity',
  topologySpreadConstraints: 'kubernetes.podspec-topologyspreadconstraints',
  hostAliases: 'kubernetes.podspec-hostaliases',
  nodeSelector: 'kubernetes.podspec-nodeselector',
  runtimeClassName: 'kubernetes.podspec-runtimeclassname',
  tolerations: 'kubernetes.podspec-tolerations',
  securityContext: 'kubernetes.podspec-securitycontext',
  shareProcessNamespace: 'kubernetes.podspec-shareprocessnamespace',
  priorityClassName: 'kubernetes.podspec-priorityclassname',
  schedulerName: 'kubernetes.podspec-schedulername',
  initContainers: 'kubernetes.podspec-init-containers',
  dnsPolicy: 'kubernetes.podspec-dnspolicy',
  dnsConfig: 'kubernetes.podspec-dnsconfig',
  hostIPC: 'kubernetes.podspec-hostipc',
  hostPID: 'kubernetes.podspec-hostpid',
  hostNetwork: 'kubernetes.podspec-hostnetwork',
};

/** Why some of them matter: a scaling or scheduling effect knsim leaves out. */
const CONSEQUENCE: Record<string, string> = {
  affinity: ': pods are placed without it',
  topologySpreadConstraints: ': pods are placed without it',
  nodeSelector: ': pods may land on any node',
  tolerations: ': node taints are not modelled either',
  initContainers: ': they add no time to a cold start',
  priorityClassName: ': no preemption',
};

/**
 * Container fields Knative admits (ContainerMask) that knsim does not model; name, image,
 * ports, cpu/memory requests and probes are. `args`, `command`, `env`, `envFrom` and
 * `workingDir` are not listed: Knative only hands them to the program, which the app model
 * (per image) stands in for; they stay on the revision and its pods, and changing them
 * makes a new revision, as in Knative.
 */
const CONTAINER_FIELDS = ['imagePullPolicy', 'securityContext', 'terminationMessagePath', 'terminationMessagePolicy', 'volumeMounts'];
const CONTAINER_CONSEQUENCE: Record<string, string> = {
  imagePullPolicy: ': images are pulled once per node, as IfNotPresent',
  volumeMounts: ': the volume and its source are not checked',
};

/** Annotations knsim reads, by where they are read. */
const AUTOSCALING_KEYS = [
  'class',
  'metric',
  'target',
  'target-utilization-percentage',
  'targetUtilizationPercentage',
  'min-scale',
  'minScale',
  'max-scale',
  'maxScale',
  'initial-scale',
  'initialScale',
  'activation-scale',
  'window',
  'panic-window-percentage',
  'panicWindowPercentage',
  'panic-threshold-percentage',
  'panicThresholdPercentage',
  'target-burst-capacity',
  'targetBurstCapacity',
  'scale-down-delay',
  'scaleDownDelay',
  'scale-to-zero-pod-retention-period',
  'scaleToZeroPodRetentionPeriod',
  'metric-aggregation-algorithm',
  'metricAggregationAlgorithm',
].map((k) => `autoscaling.knative.dev/${k}`);
const ROLLOUT_KEYS = ['serving.knative.dev/rollout-duration', 'serving.knative.dev/rolloutDuration'];
const TEMPLATE_KEYS = [...AUTOSCALING_KEYS, 'serving.knative.dev/progress-deadline'];
/** Annotations kn writes for its own bookkeeping; carried, with no effect in Knative either. */
const CLIENT_PREFIX = 'client.knative.dev/';

/** Where an annotation sits. */
type AnnotationPlace = 'service' | 'configuration' | 'route' | 'template' | 'domainmapping';

/**
 * The warning for one annotation, or undefined when knsim models it (or it is not a
 * Knative annotation: those are carried to the children as Knative carries them).
 * Example: `queue.sidecar.serving.knative.dev/cpu-resource-request` on a template → warned.
 */
export function annotationNotModelled(key: string, value: string, place: AnnotationPlace): { message: string; hint?: string } | undefined {
  if (!/(^|\.)knative\.dev\//.test(key) || key.startsWith(CLIENT_PREFIX)) return undefined;
  const known = place === 'template' ? TEMPLATE_KEYS : place === 'service' || place === 'route' ? ROLLOUT_KEYS : [];
  if (known.includes(key)) {
    // The HPA class scales on cpu and memory from metrics-server; any other metric is a Pods
    // metric, which needs a custom metrics adapter the simulated cluster does not run.
    if (key === 'autoscaling.knative.dev/metric' && !['concurrency', 'rps', 'cpu', 'memory'].includes(value))
      return { message: `is "${value}" (a custom metric), which is accepted but not modelled: no custom metrics adapter runs, so the HPA cannot read it` };
    return undefined;
  }
  if (ROLLOUT_KEYS.includes(key)) return { message: 'is read only on a Service or Route (Knative ignores it here)' };
  if (key.startsWith('queue.sidecar.serving.knative.dev/')) return { message: "is accepted but not modelled: the queue-proxy's resources change nothing here" };
  if (key.startsWith('autoscaling.knative.dev/') && place === 'template') {
    const guess = didYouMean(key, AUTOSCALING_KEYS);
    return { message: 'is not an annotation Knative reads (it ignores it)', ...(guess !== undefined ? { hint: `did you mean "${guess}"?` } : {}) };
  }
  return { message: 'is accepted but not modelled' };
}

/** Labels Knative reads on a Service, Route or template that knsim models. */
const MODELLED_LABELS = ['networking.knative.dev/visibility'];

function labelNotModelled(key: string): { message: string; hint?: string } | undefined {
  if (!/(^|\.)knative\.dev\//.test(key) || MODELLED_LABELS.includes(key)) return undefined;
  // Set by the controllers themselves (service, configuration, route names, routing state…).
  if (key.startsWith('serving.knative.dev/') && key !== 'serving.knative.dev/visibility') return undefined;
  if (key === 'serving.knative.dev/visibility')
    return { message: 'is accepted but not modelled', hint: 'the visibility label Knative reads is "networking.knative.dev/visibility"' };
  const guess = didYouMean(key, MODELLED_LABELS);
  return { message: 'is accepted but not modelled', ...(guess !== undefined ? { hint: `did you mean "${guess}"?` } : {}) };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function metadataNotModelled(meta: unknown, path: string, place: AnnotationPlace, out: NotModelled[]): void {
  if (!isMap(meta)) return;
  for (const field of ['ownerReferences', 'finalizers'])
    if (meta[field] !== undefined) out.push({ path: `${path}.${field}`, message: `${path}.${field} is accepted but not modelled` });
  const annotations = meta.annotations;
  if (isMap(annotations)) {
    for (const key of Object.keys(annotations).sort()) {
      const w = annotationNotModelled(key, String(annotations[key]), place);
      if (w !== undefined)
        out.push({ path: `${path}.annotations.${key}`, message: `${path}.annotations.${key} ${w.message}`, ...(w.hint !== undefined ? { hint: w.hint } : {}) });
    }
  }
  const labels = meta.labels;
  if (isMap(labels)) {
    for (const key of Object.keys(labels).sort()) {
      const w = labelNotModelled(key);
      if (w !== undefined)
        out.push({ path: `${path}.labels.${key}`, message: `${path}.labels.${key} ${w.message}`, ...(w.hint !== undefined ? { hint: w.hint } : {}) });
    }
  }
}

function containerNotModelled(c: unknown, path: string, out: NotModelled[]): void {
  if (!isMap(c)) return;
  for (const field of CONTAINER_FIELDS)
    if (c[field] !== undefined)
      out.push({ path: `${path}.${field}`, message: `${path}.${field} is accepted but not modelled${CONTAINER_CONSEQUENCE[field] ?? ''}` });
  const resources = c.resources;
  if (!isMap(resources)) return;
  // cpu and memory limits are modelled (throttling, the OOM kill: dataplane/resources/pod-usage.ts).
  const limits = resources.limits;
  if (isMap(limits)) {
    for (const key of Object.keys(limits).sort())
      if (key !== 'cpu' && key !== 'memory')
        out.push({ path: `${path}.resources.limits.${key}`, message: `${path}.resources.limits.${key} is accepted but not modelled` });
  }
  const requests = resources.requests;
  if (isMap(requests)) {
    for (const key of Object.keys(requests).sort())
      if (key !== 'cpu' && key !== 'memory')
        out.push({ path: `${path}.resources.requests.${key}`, message: `${path}.resources.requests.${key} is accepted but not modelled` });
  }
}

/** The unmodelled parts of a revision template (`spec.template`) or a Revision (`spec`, metadata at `metadata`). */
function templateNotModelled(template: unknown, path: string, out: NotModelled[]): void {
  if (!isMap(template)) return;
  metadataNotModelled(template.metadata, `${path}.metadata`, 'template', out);
  const spec = template.spec;
  if (!isMap(spec)) return;
  const at = `${path}.spec`;
  for (const [field, why] of Object.entries(POD_FIELDS))
    if (spec[field] !== undefined) out.push({ path: `${at}.${field}`, message: `${at}.${field} is accepted but not modelled${why}` });
  for (const [field, flag] of Object.entries(FEATURE_POD_FIELDS)) {
    if (spec[field] === undefined) continue;
    out.push({
      path: `${at}.${field}`,
      message: `${at}.${field} is accepted but not modelled${CONSEQUENCE[field] ?? ''}`,
      hint: `Knative admits it only with config-features ${flag} enabled; knsim does not read config-features`,
    });
  }
  const containers = spec.containers;
  if (Array.isArray(containers)) containers.forEach((c, i) => containerNotModelled(c, `${at}.containers[${i}]`, out));
}

/**
 * Every part of an applied object knsim accepts without modelling it, in field order.
 * `type` is the API type key (TYPE.knService, …); other kinds give nothing.
 */
export function notModelled(obj: KObject, type: string): NotModelled[] {
  const out: NotModelled[] = [];
  const spec = obj.spec;
  switch (type) {
    case TYPE.knService:
      metadataNotModelled(obj.metadata, 'metadata', 'service', out);
      if (isMap(spec)) templateNotModelled(spec.template, 'spec.template', out);
      break;
    case TYPE.configuration:
      metadataNotModelled(obj.metadata, 'metadata', 'configuration', out);
      if (isMap(spec)) templateNotModelled(spec.template, 'spec.template', out);
      break;
    case TYPE.route:
      metadataNotModelled(obj.metadata, 'metadata', 'route', out);
      break;
    case TYPE.domainMapping:
      metadataNotModelled(obj.metadata, 'metadata', 'domainmapping', out);
      if (isMap(spec) && spec.tls !== undefined)
        out.push({ path: 'spec.tls', message: 'spec.tls is accepted but not modelled: the URL is https and the certificate counts as provided' });
      if (isMap(spec) && isMap(spec.ref) && !(spec.ref.apiVersion === 'serving.knative.dev/v1' && (spec.ref.kind === 'Service' || spec.ref.kind === 'Route')))
        out.push({
          path: 'spec.ref',
          message: 'spec.ref to an Addressable other than a Knative Service or Route is accepted but not modelled: the mapping never resolves',
        });
      break;
    default:
      break;
  }
  return out;
}

/** The field names warned about, for the README's fidelity table (a test keeps the two in step). */
export const WARNED_FIELDS: { pod: readonly string[]; podBehindFeatureFlag: readonly string[]; container: readonly string[] } = {
  pod: Object.keys(POD_FIELDS),
  podBehindFeatureFlag: Object.keys(FEATURE_POD_FIELDS),
  container: CONTAINER_FIELDS,
};
