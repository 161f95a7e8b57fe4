/**
 * The typed scenario builder of knsim/testing: what it writes is what the loader reads. A
 * property compares, for whole generated scenarios, the Scenario loaded from `toYaml` with the
 * one loaded from the same document as JSON (a YAML the writer had no hand in), positions aside.
 */
import { describe, expect, it } from 'vitest';
import { fc, loadDocument, scenario, scenarioArb, ScenarioError, service, toYaml, type ScenarioDocument } from 'knsim/testing';
import { loadScenarioText } from 'knsim';

/** A loaded scenario without where things were written. */
function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'pos' && k !== 'keyPos') out[k] = withoutPositions(v);
  return out;
}

describe('scenario builder', () => {
  it('writes YAML that loads to the same Scenario as the document itself (JSON), positions aside', () => {
    fc.assert(
      fc.property(scenarioArb({ invariants: ['conservation'] }), (doc: ScenarioDocument) => {
        const fromYaml = loadScenarioText(toYaml(doc), { file: 'x.yaml' });
        const fromJson = loadScenarioText(JSON.stringify(doc, null, 2), { file: 'x.yaml' });
        expect(fromYaml.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(withoutPositions(fromYaml.scenario)).toEqual(withoutPositions(fromJson.scenario));
      }),
      { numRuns: 200, seed: 15 },
    );
  });

  it('keeps strings strings and numbers numbers: ConfigMap values, seeds and kn lines YAML would misread', () => {
    const s = scenario('tricky')
      .seed('007')
      .duration(90_000)
      .config('config-autoscaler', { 'container-concurrency-target-percentage': '1.0', 'enable-scale-to-zero': 'true' })
      .config('config-autoscaler', { 'stable-window': '30s' })
      .kn(0, 'kn service create sunshine --image=rainbows')
      .kn('40s', 'kn service update sunshine --env A=2 --traffic @latest=10,sunshine-00001=90')
      .invariants('conservation', 'conservation', 'deterministic');
    const built = s.build();
    expect(built.seed).toBe('007');
    expect(built.durationMs).toBe(90_000);
    expect(built.config[0]?.data).toEqual({ 'container-concurrency-target-percentage': '1.0', 'enable-scale-to-zero': 'true', 'stable-window': '30s' });
    expect(built.timeline.map((a) => (a.action === 'kn' ? a.commandLine : ''))).toEqual([
      'service create sunshine --image=rainbows',
      'service update sunshine --env A=2 --traffic @latest=10,sunshine-00001=90',
    ]);
    expect(built.invariants.map((i) => i.name)).toEqual(['conservation', 'deterministic']);
    expect(s.toYaml()).toBe(
      [
        'name: tricky',
        'seed: "007"',
        'duration: 1m30s',
        'config:',
        '  config-autoscaler: {container-concurrency-target-percentage: "1.0", enable-scale-to-zero: "true", stable-window: 30s}',
        'timeline:',
        '  - {at: 0s, kn: kn service create sunshine --image=rainbows}',
        '  - {at: 40s, kn: "kn service update sunshine --env A=2 --traffic @latest=10,sunshine-00001=90"}',
        'invariants: [conservation, deterministic]',
        '',
      ].join('\n'),
    );
  });

  it('writes manifests as literal blocks the loader validates with Knative’s rules', () => {
    const s = scenario('manifest')
      .duration('1m')
      .apply('0s', service('sunshine', { image: 'rainbows', containerConcurrency: 10, annotations: { 'autoscaling.knative.dev/window': '20s' } }));
    expect(s.toYaml()).toContain('    apply: |\n      apiVersion: serving.knative.dev/v1\n      kind: Service\n');
    const built = s.build();
    expect(built.timeline[0]?.action === 'apply' ? built.timeline[0].objects[0]?.object.metadata.name : undefined).toBe('sunshine');
  });

  it('refuses what the loader refuses, with every located diagnostic', () => {
    const bad = scenario('bad')
      .duration('1m')
      .apply('0s', service('sunshine', { image: 'rainbows', annotations: { 'autoscaling.knative.dev/window': '5s' } }))
      .traffic({ target: 'sunshine', pattern: 'poisson', rate: -1 });
    expect(() => bad.build()).toThrow(ScenarioError);
    try {
      bad.build();
    } catch (err) {
      const e = err as ScenarioError;
      expect(e.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['SCENARIO_INVALID_MANIFEST', 'SCENARIO_OUT_OF_RANGE']);
      expect(e.message).toMatch(/^the scenario does not load:\nbad\.yaml:\d+:\d+: error: /);
    }
    expect(loadDocument(bad.document).scenario).toBeUndefined();
  });
});
