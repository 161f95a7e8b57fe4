/**
 * The arbitraries of knsim/testing generate only what the scenario loader (`knsim validate`)
 * accepts: each one embedded in a scenario and loaded, and whole scenarios 1,000 times. Also:
 * shrinking reaches the smallest failing case, and kn sequences run without a kn error.
 */
import { describe, expect, it } from 'vitest';
import {
  autoscalerConfigArb,
  autoscalingAnnotationsArb,
  clusterArb,
  eventsOf,
  fc,
  knSequenceArb,
  knServiceArb,
  loadDocument,
  manifestsYaml,
  parseAutoscalerConfig,
  run,
  scenarioArb,
  service,
  toYaml,
  trafficMixArb,
  trafficPatternArb,
  type ScenarioDocument,
} from 'knsim/testing';
import { validateAutoscalingAnnotations } from '../../src/apis/autoscaling-annotations.js';

/** The loader's errors for a document, formatted (empty when it loads). */
function errorsOf(doc: ScenarioDocument): string[] {
  return loadDocument(doc)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.message} [${d.code}]\n${toYaml(doc)}`);
}

const base = (extra: Partial<ScenarioDocument>): ScenarioDocument => ({
  duration: '2m',
  timeline: [{ at: '0s', kn: 'kn service create sunshine --image=rainbows' }],
  ...extra,
});

describe('knsim/testing arbitraries', () => {
  it('draw whole scenarios that the loader accepts (1,000 cases)', () => {
    fc.assert(
      fc.property(scenarioArb(), (doc) => {
        expect(errorsOf(doc)).toEqual([]);
      }),
      { numRuns: 1000, seed: 15 },
    );
  });

  it('draw config-autoscaler data that Knative parses, and annotations its webhook accepts under that config', () => {
    fc.assert(
      fc.property(
        autoscalerConfigArb().chain((config) => fc.tuple(fc.constant(config), autoscalingAnnotationsArb(config))),
        ([config, annotations]) => {
          const parsed = parseAutoscalerConfig(config);
          expect('config' in parsed ? [] : parsed.errors).toEqual([]);
          if ('config' in parsed) expect(validateAutoscalingAnnotations(annotations, parsed.config)).toEqual([]);
          const manifest = manifestsYaml([service('sunshine', { image: 'rainbows', annotations })]);
          expect(errorsOf(base({ config: { 'config-autoscaler': config }, timeline: [{ at: '0s', apply: manifest }] }))).toEqual([]);
        },
      ),
      { numRuns: 200, seed: 15 },
    );
  });

  it('draw Knative Service manifests with traffic blocks and tags that the loader accepts', () => {
    fc.assert(
      fc.property(knServiceArb({ images: ['rainbows', 'rainbows:v2'] }), (svc) => {
        expect(errorsOf(base({ timeline: [{ at: '0s', apply: manifestsYaml([svc]) }] }))).toEqual([]);
      }),
      { numRuns: 200, seed: 15 },
    );
  });

  it('draw traffic patterns, mixes, kn sequences and clusters that the loader accepts', () => {
    fc.assert(
      fc.property(
        trafficMixArb({ targets: ['sunshine', { service: 'sunshine', tag: 'candidate' }, { host: 'x.example.com' }], toMs: 120_000 }),
        knSequenceArb({ images: ['rainbows', 'rainbows:v2'], maxCommands: 3 }),
        clusterArb(),
        (traffic, timeline, cluster) => {
          expect(errorsOf(base({ traffic, timeline, cluster }))).toEqual([]);
        },
      ),
      { numRuns: 200, seed: 15 },
    );
  });

  it('draw kn sequences a user could type: run, none of their commands fails', () => {
    fc.assert(
      fc.property(knSequenceArb({ images: ['rainbows', 'rainbows:v2'], maxCommands: 5 }), (timeline) => {
        const result = run(base({ duration: '3m', timeline }));
        expect(
          eventsOf(result, 'command')
            .filter((e) => e.data.line === 'error')
            .map((e) => e.message),
        ).toEqual([]);
      }),
      { numRuns: 15, seed: 15 },
    );
  });

  it('shrink toward the smallest case: a rate above 5/s to 5.1/s in the first second, a config with keys to one drawn key', () => {
    const rate = fc.check(
      fc.property(trafficPatternArb({ target: 'sunshine', toMs: 60_000 }), (w) => !('rate' in w && w.rate !== undefined && w.rate > 5)),
      { seed: 3 },
    );
    expect(rate.failed).toBe(true);
    expect(rate.counterexample?.[0]).toMatchObject({ from: '0s', to: '1s', rate: 5.1 });
    const config = fc.check(
      fc.property(autoscalerConfigArb(), (c) => Object.keys(c).length === 0),
      { seed: 3 },
    );
    // A key drawn with its partner by a cross-key rule (initial-scale with allow-zero-initial-scale) stays a pair.
    expect(Object.keys(config.counterexample?.[0] ?? {}).length).toBeGreaterThan(0);
    expect(Object.keys(config.counterexample?.[0] ?? {}).length).toBeLessThanOrEqual(2);
  });
});
