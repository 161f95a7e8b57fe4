import { describe, expect, it } from 'vitest';
import { applyOverrides, formatDiagnostic, loadScenario, parseOverridePath } from '../../src/scenario/index.js';

const BASE =
  'duration: 5m\nseed: 1\nconfig:\n  config-autoscaler:\n    stable-window: 60s\ntraffic:\n  - target: s\n    pattern: constant\n    rate: 5\ntimeline:\n  - {at: 0s, kn: service create s --image=i}\n';

describe('--set overrides', () => {
  it('sets a ConfigMap key, the duration and the seed', () => {
    const { scenario, diagnostics } = loadScenario(BASE, { file: 'demo.yaml', sets: ['config.config-autoscaler.stable-window=30s', 'duration=10m', 'seed=7'] });
    expect(diagnostics).toEqual([]);
    expect(scenario?.config[0]?.data['stable-window']).toBe('30s');
    expect(scenario?.durationMs).toBe(600_000);
    expect(scenario?.seed).toBe(7);
  });

  it('creates a missing ConfigMap and indexes list items', () => {
    const { scenario } = loadScenario(BASE, {
      file: 'demo.yaml',
      sets: ['config.config-gc.min-non-active-revisions=3', 'traffic[0].rate=50', 'traffic.0.pattern=poisson'],
    });
    expect(scenario?.config.find((c) => c.name === 'config-gc')?.data).toEqual({ 'min-non-active-revisions': '3' });
    expect(scenario?.traffic[0]?.arrivals).toEqual({ pattern: 'poisson', rate: 50 });
  });

  it('rejects an unknown path with a did-you-mean and applies the others', () => {
    const r = applyOverrides(BASE, ['duraton=10m', 'seed=9']);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      '--set duraton=10m:1:1: error: unknown path: "duraton" is not a key at the top level [SCENARIO_BAD_OVERRIDE]\n  hint: did you mean "duration"?',
    ]);
    expect(r.text).toContain('seed: 9');
  });

  it('rejects an unknown ConfigMap and a list index past the end', () => {
    const r = applyOverrides(BASE, ['config.config-autoscalr.stable-window=30s', 'traffic[3].rate=1', 'novalue']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['SCENARIO_BAD_OVERRIDE', 'SCENARIO_BAD_OVERRIDE', 'SCENARIO_BAD_OVERRIDE']);
    expect(r.diagnostics[0]?.hint).toBe('did you mean "config-autoscaler"?');
    expect(r.diagnostics[1]?.message).toContain('index 3 does not exist');
  });

  it('reports a bad overridden value at the --set argument', () => {
    const { diagnostics } = loadScenario(BASE, { file: 'demo.yaml', sets: ['duration=-5m'] });
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SCENARIO_BAD_DURATION', file: '--set duration=-5m', line: 1, column: 10 })]);
  });

  it('parses quoted keys that contain dots', () => {
    expect(parseOverridePath('config.config-domain."example.com"')).toEqual({ ok: true, segments: ['config', 'config-domain', 'example.com'] });
    expect(parseOverridePath('traffic[2].spike.at')).toEqual({ ok: true, segments: ['traffic', 2, 'spike', 'at'] });
    expect(parseOverridePath('a..b').ok).toBe(false);
  });
});
