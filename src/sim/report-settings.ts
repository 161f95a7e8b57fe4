/**
 * The report's record of each revision's autoscaling settings and image, resolved when the
 * revision is created, the way Knative resolves them: the revision's annotations over the
 * `config-autoscaler` in force (decider spec, bounds, initial scale, scale-to-zero timing).
 * Invariants read them (a revision's stable window, its min-scale, its grace period).
 *
 * Fidelity: resolved once per revision, at creation: a later change of config-autoscaler is not
 * reflected (the ConfigMap changes are events of their own; invariants skip what they cover).
 * The image is the user container's: the first container, as the data plane picks it.
 */
import { TYPE } from '../apis/core.js';
import { resolveInitialScale, resolvePanicWindowMs, resolvePodRetentionMs, resolveScaleBounds } from '../apis/autoscaling-annotations.js';
import type { Revision } from '../apis/serving-types.js';
import { makeDeciderSpec } from '../autoscaler/decider-inputs.js';
import type { RevisionAutoscaling } from './result.js';
import type { World } from './world.js';

/** Settings and image of every revision seen, by `namespace/name`. */
export class RevisionSettingsLog {
  private readonly settings = new Map<string, { image: string; autoscaling: RevisionAutoscaling }>();

  constructor(private readonly world: World) {
    world.api.watch<Revision>(TYPE.revision, (e) => {
      if (e.type !== 'ADDED') return;
      const key = `${e.object.metadata.namespace ?? 'default'}/${e.object.metadata.name}`;
      if (!this.settings.has(key)) this.settings.set(key, this.resolve(e.object));
    });
  }

  get(key: string): { image: string; autoscaling: RevisionAutoscaling } | undefined {
    return this.settings.get(key);
  }

  private resolve(rev: Revision): { image: string; autoscaling: RevisionAutoscaling } {
    const config = this.world.autoscaler.autoscalerConfig();
    const annotations = rev.metadata.annotations ?? {};
    const cc = rev.spec.containerConcurrency;
    const spec = makeDeciderSpec(config, annotations, cc !== undefined ? { containerConcurrency: cc } : {});
    const bounds = resolveScaleBounds(annotations, 'Reachable', config);
    return {
      image: rev.spec.containers?.find((c) => c.name !== 'queue-proxy')?.image ?? '',
      autoscaling: {
        atMs: this.world.engine.nowMs,
        scalingMetric: spec.scalingMetric,
        targetValue: spec.targetValue,
        totalValue: spec.totalValue,
        targetBurstCapacity: spec.targetBurstCapacity,
        stableWindowMs: spec.stableWindowMs,
        panicWindowMs: resolvePanicWindowMs(annotations, config),
        panicThreshold: spec.panicThreshold,
        scaleDownDelayMs: spec.scaleDownDelayMs,
        minScale: bounds.minScale,
        maxScale: bounds.maxScale,
        initialScale: resolveInitialScale(annotations, config),
        activationScale: spec.activationScale,
        scaleToZeroEnabled: config.enableScaleToZero,
        scaleToZeroGracePeriodMs: config.scaleToZeroGracePeriodMs,
        scaleToZeroPodRetentionMs: resolvePodRetentionMs(annotations, 'Reachable', config),
      },
    };
  }
}
