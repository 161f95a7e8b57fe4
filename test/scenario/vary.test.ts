/**
 * `invariants:` and `vary:` in the scenario format: names checked with a did-you-mean, vary
 * paths checked as `--set` checks them, ranges of numbers or durations and choices read into
 * values `knsim fuzz` draws by index (index 0 is where shrinking goes).
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadScenario, varyCount, varyValueText, type VaryValues } from '../../src/scenario/index.js';

const load = (text: string): ReturnType<typeof loadScenario> => loadScenario(`duration: 1m\n${text}`, { file: 'demo.yaml' });
const problems = (text: string): string[] => load(text).diagnostics.map(formatDiagnostic);

describe('invariants:', () => {
  it('reads names in file order, once each', () => {
    const r = load('invariants: [conservation, zeroAfterStableWindow, conservation]\n');
    expect(r.scenario?.invariants.map((i) => `${i.name}@${i.pos.line}:${i.pos.column}`)).toEqual(['conservation@2:14', 'zeroAfterStableWindow@2:28']);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'demo.yaml:2:51: warning: invariants[2]: invariant "conservation" is listed twice [SCENARIO_DUPLICATE]',
    ]);
  });

  it('refuses an unknown name with a did-you-mean', () => {
    expect(problems('invariants: [conservaton]\n')).toEqual([
      'demo.yaml:2:14: error: invariants[0]: unknown invariant "conservaton" [SCENARIO_BAD_VALUE]\n  hint: did you mean "conservation"?',
    ]);
  });
});

describe('vary:', () => {
  it('reads ranges of numbers and durations and choices, keyed by --set paths', () => {
    const r = load(
      [
        'traffic: [{target: a, pattern: constant, rate: 5}]',
        'vary:',
        '  traffic[0].rate: {min: 1, max: 2, step: 0.25}',
        '  config.config-autoscaler.stable-window: {min: 6s, max: 2m}',
        '  "timeline[0].apply.spec.template.metadata.annotations.\\"autoscaling.knative.dev/window\\"": {choices: [20s, 1m]}',
        '  seed: {choices: [1, blue]}',
        '',
      ].join('\n'),
    );
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    const vary = r.scenario?.vary ?? [];
    expect(vary.map((v) => [v.path, v.values])).toEqual([
      ['traffic[0].rate', { kind: 'range', unit: 'number', min: 1, max: 2, step: 0.25 }],
      ['config.config-autoscaler.stable-window', { kind: 'range', unit: 'duration', min: 6000, max: 120_000, step: 1000 }],
      ['timeline[0].apply.spec.template.metadata.annotations."autoscaling.knative.dev/window"', { kind: 'choices', choices: ['20s', '1m'] }],
      ['seed', { kind: 'choices', choices: [1, 'blue'] }],
    ]);
  });

  it('refuses a path that is not one, both forms at once, an empty list, a reversed range and a zero step', () => {
    expect(
      problems(
        [
          'vary:',
          '  trafic[0].rate: {min: 1, max: 2}',
          '  seed: {min: 1, max: 2, choices: [3]}',
          '  duration: {choices: []}',
          '  traffic[0].rate: {min: 5, max: 2}',
          '  config.config-autoscaler.scale-down-delay: {min: 0s, max: 10s, step: 0s}',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'demo.yaml:3:3: error: vary."trafic[0].rate": "trafic[0].rate" is not a path of the scenario: "trafic" is not a key at the top level [SCENARIO_BAD_VALUE]\n  hint: did you mean "traffic"?',
      'demo.yaml:4:26: error: vary."seed": give either choices or min/max, not both [SCENARIO_CONFLICTING_KEYS]',
      'demo.yaml:5:23: error: vary."duration".choices: must list at least one value [SCENARIO_BAD_VALUE]',
      'demo.yaml:6:34: error: vary."traffic[0].rate": max is below min [SCENARIO_BAD_VALUE]',
      'demo.yaml:7:72: error: vary."config.config-autoscaler.scale-down-delay".step: must be greater than 0 [SCENARIO_BAD_VALUE]',
    ]);
  });

  it('gives each value by index: from min in steps to max, durations as Go durations', () => {
    const rate: VaryValues = { kind: 'range', unit: 'number', min: 0.1, max: 1, step: 0.1 };
    expect(varyCount(rate)).toBe(10);
    expect([0, 2, 9, 10].map((i) => varyValueText(rate, i))).toEqual(['0.1', '0.3', '1', '1']);
    const window: VaryValues = { kind: 'range', unit: 'duration', min: 6000, max: 120_000, step: 1000 };
    expect([varyCount(window), varyValueText(window, 0), varyValueText(window, 54)]).toEqual([115, '6s', '1m0s']);
    const choices: VaryValues = { kind: 'choices', choices: ['30s', 7, true] };
    expect([0, 1, 2].map((i) => varyValueText(choices, i))).toEqual(['"30s"', '7', 'true']);
  });
});
