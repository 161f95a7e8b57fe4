/**
 * `kubectl get hpa` as kubectl prints it: NAME, REFERENCE (Kind/name), TARGETS, MINPODS,
 * MAXPODS, REPLICAS, AGE. TARGETS lists at most two metrics then "+ N more...": a resource
 * metric as `cpu: 45%/70%` (utilization) or `memory: 100Mi/200Mi` (average value), a Pods
 * metric as `current/target`, `<unknown>` before the controller has a value.
 *
 * Fidelity: mirrors kubernetes `pkg/printers/internalversion/printers.go`
 * (printHorizontalPodAutoscaler, formatHPAMetrics) of the kubectl matching the cluster
 * profile (v1.33: the resource name prefixes a resource target).
 */
import { formatAge } from '../../engine/index.js';
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from '../../apis/autoscaling-v2.js';

function formatTarget(spec: MetricSpec, status: MetricStatus | undefined): string {
  if (spec.type === 'Pods') {
    const target = spec.pods?.target.averageValue ?? '';
    return `${status?.pods?.current.averageValue ?? '<unknown>'}/${target}`;
  }
  const r = spec.resource;
  if (r === undefined) return '<unknown>';
  if (r.target.averageValue !== undefined) return `${r.name}: ${status?.resource?.current.averageValue ?? '<unknown>'}/${r.target.averageValue}`;
  const current = status?.resource?.current.averageUtilization;
  const target = r.target.averageUtilization !== undefined ? `${r.target.averageUtilization}%` : '<auto>';
  return `${r.name}: ${current !== undefined ? `${current}%` : '<unknown>'}/${target}`;
}

/** formatHPAMetrics: the first two metrics, then how many more. */
export function formatHpaMetrics(specs: readonly MetricSpec[] | undefined, statuses: readonly MetricStatus[] | undefined): string {
  if (specs === undefined || specs.length === 0) return '<none>';
  const list = specs.map((spec, i) => formatTarget(spec, statuses?.[i]));
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

export function hpaRow(hpa: HorizontalPodAutoscaler, nowMs: number): string[] {
  const ref = hpa.spec.scaleTargetRef;
  return [
    hpa.metadata.name,
    `${ref.kind}/${ref.name}`,
    formatHpaMetrics(hpa.spec.metrics, hpa.status?.currentMetrics),
    hpa.spec.minReplicas !== undefined ? String(hpa.spec.minReplicas) : '<unset>',
    String(hpa.spec.maxReplicas),
    String(hpa.status?.currentReplicas ?? 0),
    hpa.metadata.creationTimestamp === undefined ? '<unknown>' : formatAge(nowMs - hpa.metadata.creationTimestamp),
  ];
}
