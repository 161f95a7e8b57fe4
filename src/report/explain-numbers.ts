/**
 * The arithmetic `explain` prints under a line: for an autoscaler decision, the effective
 * target (total × utilization), the window averages and the pods they ask for, panic entry and
 * exit against the threshold, every clamp that bound the result (rate limits, activation scale,
 * panic, scale-down delay, min/max scale) and the excess burst capacity that keeps the
 * activator in the path or lets it leave; for an image pull, the cluster profile's formula
 * (base + size / bandwidth + size / unpack rate, times the jitter); for a pod that became Ready,
 * its cold start in phases that add up.
 *
 * Mirrors knative/serving pkg/autoscaler/scaling/autoscaler.go (Scale) and
 * pkg/reconciler/autoscaling/kpa/scaler.go (applyBounds) in words; the numbers are the trace's.
 */
import { formatDuration } from '../engine/index.js';
import type { PodStart } from '../sim/result.js';

type Data = Record<string, unknown>;

const num = (d: Data, key: string): number => {
  const v = d[key];
  return typeof v === 'number' ? v : NaN;
};

/** Up to three decimals, no trailing zeros: 0.025, 28, 2.5. */
export function fmt(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

const pods = (n: number): string => `${fmt(n)} pod${n === 1 ? '' : 's'}`;

/** The PodAutoscaler's bounds for a revision, as its reconciler last reported them. */
export interface ScaleBounds {
  minScale: number;
  maxScale: number;
}

/** The lines under a decider decision (`data` has `observedStable`). */
export function deciderLines(d: Data, bounds: ScaleBounds | undefined): string[] {
  const unit = d.scalingMetric === 'rps' ? 'requests/s' : 'concurrent requests';
  const target = num(d, 'targetValue');
  const total = num(d, 'totalValue');
  const ready = num(d, 'readyPods');
  const readyF = num(d, 'readyPodsForRates');
  const lines: string[] = [];
  if (Number.isFinite(total) && total > 0) {
    const utilization = (target / total) * 100;
    lines.push(`target: ${fmt(total)} × ${fmt(utilization)}% utilization = ${fmt(target)} ${unit} per pod`);
  }
  const stable = num(d, 'observedStable');
  const panic = num(d, 'observedPanic');
  const dspc = num(d, 'desiredStablePodCount');
  const dppc = num(d, 'desiredPanicPodCount');
  lines.push(
    `stable window ${formatDuration(num(d, 'stableWindowMs'))}: average ${fmt(stable)} → ceil(${fmt(stable)} / ${fmt(target)} per pod) = ${pods(dspc)}`,
  );
  const threshold = num(d, 'panicThreshold');
  const ratio = dppc / readyF;
  const over = d.overPanicThreshold === true;
  let panicLine = `panic window ${formatDuration(num(d, 'panicWindowMs'))}: average ${fmt(panic)} → ceil(${fmt(panic)} / ${fmt(target)}) = ${pods(dppc)}; ${fmt(dppc)} / ${pods(readyF)} = ${fmt(ratio)} ${over ? '≥' : '<'} panic threshold ${fmt(threshold)}`;
  switch (d.panicTransition) {
    case 'enter':
      panicLine += ': enters panic';
      break;
    case 'extend':
      panicLine += ': stays in panic';
      break;
    case 'exit':
      panicLine += `: leaves panic (no burst for the ${formatDuration(num(d, 'stableWindowMs'))} stable window)`;
      break;
    default:
      if (d.inPanic === true) panicLine += `: still in panic until a stable window passes without a burst`;
  }
  lines.push(panicLine);
  lines.push(...clampLines(d, dspc, dppc, readyF));
  const desired = num(d, 'desiredPodCount');
  if (bounds !== undefined) {
    if (bounds.maxScale > 0 && desired > bounds.maxScale)
      lines.push(`max-scale ${bounds.maxScale}: desired ${fmt(desired)} capped at max-scale ${bounds.maxScale}`);
    else if (desired < bounds.minScale) lines.push(`min-scale ${bounds.minScale}: desired ${fmt(desired)} raised to min-scale ${bounds.minScale}`);
  }
  lines.push(ebcLine(d, ready, total, panic));
  return lines;
}

/** Each bound that changed the count, only when it did. */
function clampLines(d: Data, dspc: number, dppc: number, readyF: number): string[] {
  const out: string[] = [];
  const maxUp = num(d, 'maxScaleUp');
  const maxDown = num(d, 'maxScaleDown');
  if (Math.max(dspc, dppc) > maxUp)
    out.push(`max-scale-up-rate ${fmt(num(d, 'maxScaleUpRate'))}: at most ceil(${fmt(num(d, 'maxScaleUpRate'))} × ${pods(readyF)}) = ${pods(maxUp)}`);
  if (dspc < maxDown && d.inPanic !== true)
    out.push(`max-scale-down-rate ${fmt(num(d, 'maxScaleDownRate'))}: at least floor(${pods(readyF)} / ${fmt(num(d, 'maxScaleDownRate'))}) = ${pods(maxDown)}`);
  if (d.activationScaleApplied === true) out.push(`activation-scale ${fmt(num(d, 'activationScale'))}: raised to ${pods(num(d, 'activationScale'))}`);
  const desired = num(d, 'desiredPodCount');
  if (d.inPanic === true && num(d, 'maxPanicPods') > Math.max(num(d, 'boundedStable'), num(d, 'boundedPanic')))
    out.push(`in panic: never below the ${pods(num(d, 'maxPanicPods'))} decided since panic began`);
  const delayedTo = d.delayedTo;
  if (typeof delayedTo === 'number' && delayedTo !== num(d, 'desiredBeforeDelay'))
    out.push(
      `scale-down-delay ${formatDuration(num(d, 'scaleDownDelayMs'))}: held at ${pods(delayedTo)} (the most wanted within the delay), not ${fmt(num(d, 'desiredBeforeDelay'))}`,
    );
  if (out.length > 0) out.push(`→ desired ${pods(desired)}`);
  return out;
}

function ebcLine(d: Data, ready: number, total: number, panic: number): string {
  const ebc = num(d, 'excessBurstCapacity');
  const tbc = num(d, 'targetBurstCapacity');
  if (tbc < 0) return 'excess burst capacity -1 (target-burst-capacity -1): the activator stays in the request path';
  if (tbc === 0) return 'excess burst capacity 0 (target-burst-capacity 0): the activator is in the path only at zero pods';
  const how = Number.isFinite(tbc)
    ? `floor(${pods(ready)} × ${fmt(total)} − target-burst-capacity ${fmt(tbc)} − panic average ${fmt(panic)}) = ${fmt(ebc)}`
    : fmt(ebc);
  return `excess burst capacity ${how}: ${ebc < 0 ? 'negative, so the activator stays in (or enters) the request path' : 'not negative, so the activator can leave the request path'}`;
}

/** `41.9 MB` (decimal megabytes, as registries and the bandwidth speak). */
function megabytes(bytes: number): string {
  return `${fmt(Math.round(bytes / 100_000) / 10)} MB`;
}

/** The pull's formula with the cluster profile's numbers, under a kubelet "Successfully pulled" line. */
export function pullLine(d: Data): string | undefined {
  const pullMs = num(d, 'pullMs');
  if (!Number.isFinite(pullMs)) return undefined;
  const jitter = num(d, 'jitterFactor');
  const times = Number.isFinite(jitter) && Math.abs(jitter - 1) > 0.0005 ? ` × jitter ${fmt(jitter)}` : '';
  const waited = num(d, 'waitedMs');
  const after = waited > 0 ? `, after waiting ${formatDuration(Math.round(waited))} for the pulls ahead of it (pulls are serialized)` : '';
  const fixed = num(d, 'fixedMs');
  if (Number.isFinite(fixed))
    return `image pull ${formatDuration(Math.round(pullMs))} = the image's pull time ${formatDuration(Math.round(fixed))}${times}${after}`;
  const size = num(d, 'sizeBytes');
  const parts = [
    `base ${formatDuration(Math.round(num(d, 'baseMs')))}`,
    `transfer ${megabytes(size)} / ${megabytes(num(d, 'bandwidthBytesPerSecond'))}/s = ${formatDuration(Math.round(num(d, 'transferMs')))}`,
    `unpack ${megabytes(size)} / ${megabytes(num(d, 'unpackBytesPerSecond'))}/s = ${formatDuration(Math.round(num(d, 'unpackMs')))}`,
  ];
  return `image pull ${formatDuration(Math.round(pullMs))} = (${parts.join(' + ')})${times}${after}`;
}

/** A pod's cold start in phases that add up to its total, under its "Pod is Ready" line. */
export function coldStartLine(p: PodStart): string {
  const d = (ms: number): string => formatDuration(Math.round(ms));
  const parts = [`scheduling ${d(p.schedulingMs)}`];
  parts.push(p.pullMs > 0 ? `image pulls ${d(p.pullMs)}` : 'image pulls (images already on the node) 0s');
  parts.push(`pod sandbox and container starts ${d(p.startMs)}`, `readiness ${d(p.readinessMs)}`);
  return `cold start ${d(p.totalMs)} from pod creation to Ready: ${parts.join(', ')}${p.fromZero ? '; the revision had no ready pod' : ''}`;
}
