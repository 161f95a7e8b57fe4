/**
 * fast-check arbitraries of whole scenarios, composed of the others: a seed and a duration,
 * maybe a cluster profile and a config-autoscaler, app models for two images, one service
 * deployed by a kn command sequence or by a Knative Service manifest (with annotations valid
 * under that config), a traffic mix to it, and the invariants asked for. Sizes stay small by
 * default (a few minutes, tens of requests per second) so a run takes milliseconds; every
 * part shrinks toward less: no config, no cluster, fewer commands and workloads, lower rates.
 *
 * Fidelity: documents of the scenario format, checked by its loader (`loadDocument`).
 */
import fc from 'fast-check';
import type { InvariantName } from '../../scenario/index.js';
import { manifestsYaml } from '../builder.js';
import type { ActionDocument, DistributionDocument, ScenarioDocument } from '../document.js';
import { autoscalerConfigArb, type AutoscalingLimits } from './autoscaling.js';
import { clusterArb } from './cluster.js';
import { knSequenceArb } from './kn.js';
import { knServiceArb } from './manifests.js';
import { trafficMixArb } from './traffic.js';

export interface ScenarioArbOptions extends AutoscalingLimits {
  /** Longest simulated time (default 4m); the shortest is 1m. */
  maxDurationMs?: number;
  /** Highest request rate of a workload (default 20/s). */
  maxRate?: number;
  /** How the service is deployed: a kn command sequence, a manifest, or either (default). */
  deploy?: 'kn' | 'manifest' | 'any';
  /** Invariants the document lists (default none). */
  invariants?: readonly InvariantName[];
  /** Draw a cluster profile and a config-autoscaler too (default true). */
  cluster?: boolean;
  config?: boolean;
}

const IMAGES = ['rainbows', 'rainbows:v2'] as const;
const SERVICE = 'sunshine';

/** A service time: constant, exponential, lognormal or uniform, from a few ms to a second. */
export const serviceTimeArb: fc.Arbitrary<DistributionDocument> = fc.oneof(
  fc.integer({ min: 1, max: 500 }).map((n) => `${n}ms`),
  fc.integer({ min: 1, max: 500 }).map((n): DistributionDocument => ({ distribution: 'exponential', mean: `${n}ms` })),
  fc
    .tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 10 }))
    .map(([median, f]): DistributionDocument => ({ distribution: 'lognormal', median: `${median}ms`, p99: `${median * (f + 1)}ms` })),
  fc
    .tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 500 }))
    .map(([min, extra]): DistributionDocument => ({ distribution: 'uniform', min: `${min}ms`, max: `${min + extra}ms` })),
);

/** A scenario document the loader accepts. */
export function scenarioArb(options: ScenarioArbOptions = {}): fc.Arbitrary<ScenarioDocument> {
  const maxDurationS = Math.max(60, Math.floor((options.maxDurationMs ?? 240_000) / 1000));
  const deploy = options.deploy ?? 'any';
  const apps = fc.record({ rainbows: fc.record({ serviceTime: serviceTimeArb }), 'rainbows:v2': fc.record({ serviceTime: serviceTimeArb }) });
  const head = fc.record(
    {
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      durationS: fc.integer({ min: 60, max: maxDurationS }),
      apps,
      cluster: options.cluster === false ? fc.constant(undefined) : fc.option(clusterArb(), { nil: undefined }),
      config: options.config === false ? fc.constant(undefined) : fc.option(autoscalerConfigArb(options), { nil: undefined }),
      byKn: deploy === 'any' ? fc.boolean() : fc.constant(deploy === 'kn'),
    },
    { requiredKeys: ['seed', 'durationS', 'apps', 'cluster', 'config', 'byKn'] },
  );
  return head.chain((h) => {
    const durationMs = h.durationS * 1000;
    const timeline: fc.Arbitrary<ActionDocument[]> = h.byKn
      ? knSequenceArb({ service: SERVICE, images: IMAGES, maxCommands: Math.max(0, Math.floor((durationMs - 30_000) / 30_000)) })
      : knServiceArb({ ...options, name: SERVICE, images: IMAGES, config: h.config }).map((svc): ActionDocument[] => [
          { at: '0s', apply: manifestsYaml([svc]) },
        ]);
    const traffic = trafficMixArb({ targets: [SERVICE], fromMs: 0, toMs: durationMs, maxRate: options.maxRate ?? 20 });
    return fc.record({ timeline, traffic }).map(({ timeline: t, traffic: w }): ScenarioDocument => {
      const doc: ScenarioDocument = { name: 'generated', seed: h.seed, duration: `${h.durationS}s` };
      if (h.cluster !== undefined) doc.cluster = h.cluster;
      if (h.config !== undefined) doc.config = { 'config-autoscaler': h.config };
      doc.apps = h.apps;
      doc.timeline = t;
      doc.traffic = w;
      if (options.invariants !== undefined && options.invariants.length > 0) doc.invariants = [...options.invariants];
      return doc;
    });
  });
}
