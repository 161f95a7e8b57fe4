/**
 * autoscaling/v2 HorizontalPodAutoscaler: the fields the HPA controller reads and writes,
 * the API server's defaulting (SetDefaults_HorizontalPodAutoscaler and the behavior
 * defaults) and the validation a user can trip.
 *
 * Fidelity: mirrors kubernetes `pkg/apis/autoscaling/v2/defaults.go` (minReplicas 1, CPU at
 * 80% when no metric is given, scale-up 0 s window with 4 pods or 100% per 15 s, Max;
 * scale-down 100% per 15 s, Max, window left unset for the controller's 300 s) and the
 * checks of `pkg/apis/autoscaling/validation/validation.go` on replicas, metrics and
 * policies. Object, External and ContainerResource metrics are refused (knsim has no
 * object or external metrics API).
 */
import type { Condition, KObject } from './meta.js';
import type { FieldError } from './field-error.js';

export const AUTOSCALING_V2 = 'autoscaling/v2';

export interface CrossVersionObjectReference {
  apiVersion?: string;
  kind: string;
  name: string;
}

/** `Utilization` (percent of the request, resources only), `AverageValue` (per pod) or `Value`. */
export interface MetricTarget {
  type: 'Utilization' | 'AverageValue' | 'Value';
  averageUtilization?: number;
  /** A quantity: `200Mi`, `100`, `500m`. */
  averageValue?: string;
  value?: string;
}

export interface MetricSpec {
  type: 'Resource' | 'Pods' | 'Object' | 'External' | 'ContainerResource';
  resource?: { name: 'cpu' | 'memory'; target: MetricTarget };
  pods?: { metric: { name: string }; target: MetricTarget };
}

export interface HpaScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface HpaScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: HpaScalingPolicy[];
}

export interface HorizontalPodAutoscalerSpec {
  scaleTargetRef: CrossVersionObjectReference;
  minReplicas?: number;
  maxReplicas: number;
  metrics?: MetricSpec[];
  behavior?: { scaleUp?: HpaScalingRules; scaleDown?: HpaScalingRules };
}

export interface MetricStatus {
  type: MetricSpec['type'];
  resource?: { name: string; current: { averageUtilization?: number; averageValue?: string } };
  pods?: { metric: { name: string }; current: { averageValue?: string } };
}

export interface HorizontalPodAutoscalerStatus {
  observedGeneration?: number;
  /** Virtual ms of the last rescale. */
  lastScaleTime?: number;
  currentReplicas: number;
  desiredReplicas: number;
  currentMetrics?: MetricStatus[];
  conditions?: Condition[];
}

export type HorizontalPodAutoscaler = KObject<HorizontalPodAutoscalerSpec, HorizontalPodAutoscalerStatus>;

/** The scale-up rules Kubernetes fills in: no window, +4 pods or +100% per 15 s, the larger. */
export function defaultScaleUpRules(rules: HpaScalingRules | undefined): HpaScalingRules {
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? 0,
    selectPolicy: rules?.selectPolicy ?? 'Max',
    policies: rules?.policies ?? [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/** The scale-down rules Kubernetes fills in: −100% per 15 s; the window stays unset (the controller's 300 s). */
export function defaultScaleDownRules(rules: HpaScalingRules | undefined): HpaScalingRules {
  const out: HpaScalingRules = {
    selectPolicy: rules?.selectPolicy ?? 'Max',
    policies: rules?.policies ?? [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
  if (rules?.stabilizationWindowSeconds !== undefined) out.stabilizationWindowSeconds = rules.stabilizationWindowSeconds;
  return out;
}

/** SetDefaults_HorizontalPodAutoscaler: minReplicas 1, CPU 80% without metrics, behavior's gaps filled when behavior is given. */
export function defaultHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): void {
  const spec = hpa.spec;
  spec.minReplicas ??= 1;
  if (spec.metrics === undefined || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (spec.behavior !== undefined) {
    spec.behavior = { scaleUp: defaultScaleUpRules(spec.behavior.scaleUp), scaleDown: defaultScaleDownRules(spec.behavior.scaleDown) };
  }
}

const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_SECONDS = 3600;

/** The validation rules of autoscaling/v2 a simulated user can trip, with the API server's messages. */
export function validateHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): FieldError[] {
  const errs: FieldError[] = [];
  const spec = hpa.spec;
  const min = spec.minReplicas ?? 1;
  if (!spec.scaleTargetRef?.kind) errs.push({ path: 'spec.scaleTargetRef.kind', message: 'Required value' });
  if (!spec.scaleTargetRef?.name) errs.push({ path: 'spec.scaleTargetRef.name', message: 'Required value' });
  if (min < 1) errs.push({ path: 'spec.minReplicas', message: `Invalid value: ${min}: must be greater than or equal to 1` });
  if (!(spec.maxReplicas >= 1)) errs.push({ path: 'spec.maxReplicas', message: `Invalid value: ${spec.maxReplicas}: must be greater than 0` });
  else if (spec.maxReplicas < min)
    errs.push({ path: 'spec.maxReplicas', message: `Invalid value: ${spec.maxReplicas}: must be greater than or equal to \`minReplicas\`` });
  (spec.metrics ?? []).forEach((m, i) => {
    const at = `spec.metrics[${i}]`;
    if (m.type === 'Resource') {
      const t = m.resource?.target;
      if (m.resource === undefined) errs.push({ path: `${at}.resource`, message: 'Required value: must populate information for the given metric source' });
      else if (m.resource.name !== 'cpu' && m.resource.name !== 'memory')
        errs.push({ path: `${at}.resource.name`, message: `Unsupported value: "${String(m.resource.name)}"` });
      else if (t?.type === 'Utilization' && !((t.averageUtilization ?? 0) >= 1))
        errs.push({ path: `${at}.resource.target.averageUtilization`, message: `Invalid value: ${String(t.averageUtilization)}: must be greater than 0` });
      else if (t?.type === 'AverageValue' && t.averageValue === undefined) errs.push({ path: `${at}.resource.target.averageValue`, message: 'Required value' });
    } else if (m.type === 'Pods') {
      if (m.pods?.metric?.name === undefined || m.pods.metric.name === '')
        errs.push({ path: `${at}.pods.metric.name`, message: 'Required value: must specify a metric name' });
      if (m.pods?.target?.averageValue === undefined)
        errs.push({ path: `${at}.pods.target.averageValue`, message: 'Required value: must specify a positive target averageValue' });
    } else {
      errs.push({ path: `${at}.type`, message: `Unsupported value: "${String(m.type)}": knsim models Resource and Pods metrics` });
    }
  });
  for (const dir of ['scaleUp', 'scaleDown'] as const) {
    const rules = spec.behavior?.[dir];
    if (rules === undefined) continue;
    const at = `spec.behavior.${dir}`;
    const w = rules.stabilizationWindowSeconds;
    if (w !== undefined && (w < 0 || w > MAX_STABILIZATION_SECONDS))
      errs.push({ path: `${at}.stabilizationWindowSeconds`, message: `Invalid value: ${w}: must be less than or equal to ${MAX_STABILIZATION_SECONDS}` });
    (rules.policies ?? []).forEach((p, j) => {
      if (!(p.periodSeconds > 0 && p.periodSeconds <= MAX_PERIOD_SECONDS))
        errs.push({
          path: `${at}.policies[${j}].periodSeconds`,
          message: `Invalid value: ${p.periodSeconds}: must be greater than zero and less than or equal to ${MAX_PERIOD_SECONDS}`,
        });
      if (!(p.value > 0)) errs.push({ path: `${at}.policies[${j}].value`, message: `Invalid value: ${p.value}: must be greater than zero` });
    });
  }
  return errs;
}
