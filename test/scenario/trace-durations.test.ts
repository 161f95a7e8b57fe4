// A trace's durations file gives each selected function its service time (its percentiles as an
// empirical distribution); what cannot is said: no row or a Count of 0 is a warning naming the
// function (its image's serviceTime applies), two rows a warning, decreasing percentiles an error
// at the row's line and column, a malformed file an error where it is wrong.
import { describe, expect, it } from 'vitest';
import { loadScenario, type Diagnostic, type Scenario } from '../../src/scenario/index.js';

const INV = `HashOwner,HashApp,HashFunction,Trigger,1,2,3
o1,a1,f1,http,5,6,7
o2,a2,f2,http,1,1,1
o3,a3,f3,http,2,2,2
`;
const HEAD =
  'HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100';
const F1 = 'o1,a1,f1,100,50,10,900,10,20,50,80,120,400,900';
const F2 = 'o2,a2,f2,30,8,1,90,5,5,10,20,30,60,90';
const F3 = 'o3,a3,f3,7,3,6,8,6,6,7,7,7,8,8';

function load(durations: string, functions = '3'): { scenario: Scenario | undefined; diagnostics: Diagnostic[] } {
  const text = `duration: 3m
timeline:
  - {at: 0s, kn: kn service create s --image=img}
traffic:
  - {trace: {format: azure, invocations: inv.csv, durations: d.csv, functions: ${functions}, targets: s}}
`;
  const files: Record<string, string> = { 'inv.csv': INV, 'd.csv': durations };
  return loadScenario(text, {
    file: 't.yaml',
    readFile: (path: string) => {
      const found = files[path.split('/').at(-1) ?? path];
      if (found === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return found;
    },
  });
}

function serviceTimes(scenario: Scenario | undefined): unknown[] {
  const a = scenario?.traffic[0]?.arrivals;
  if (a?.pattern !== 'trace') throw new Error('a trace workload');
  return a.durations?.serviceTimes ?? [];
}

const located = (d: Diagnostic): unknown[] => [d.severity, d.code, `${d.file}:${d.line}:${d.column}`, d.message];

describe('a trace durations file', () => {
  it("gives each selected function its row's percentiles as an empirical distribution (in selection order)", () => {
    const { scenario, diagnostics } = load(`${HEAD}\n${F3}\n${F1}\n${F2}\n`, '[2, 0]');
    expect(diagnostics).toEqual([]);
    expect(serviceTimes(scenario)).toEqual([
      {
        distribution: 'empirical',
        points: [0, 1, 25, 50, 75, 99, 100].map((p, i) => ({ p, valueMs: [6, 6, 7, 7, 7, 8, 8][i] })),
      },
      {
        distribution: 'empirical',
        points: [0, 1, 25, 50, 75, 99, 100].map((p, i) => ({ p, valueMs: [10, 20, 50, 80, 120, 400, 900][i] })),
      },
    ]);
  });

  it("warns about the selected functions it has no row for, by index and hash, and leaves them to the image's serviceTime", () => {
    const { scenario, diagnostics } = load(`${HEAD}\n${F1}\n`);
    expect(diagnostics.map(located)).toEqual([
      [
        'warning',
        'SCENARIO_BAD_VALUE',
        't.yaml:5:62',
        "traffic[0].trace.durations: 2 of the 3 selected functions have no row in d.csv, so their requests take their target image's serviceTime: function 1 (HashFunction f2), function 2 (HashFunction f3)",
      ],
    ]);
    expect(diagnostics[0]?.hint).toBe('select functions the durations file has, or give their images a serviceTime (apps.<image>.serviceTime)');
    expect(serviceTimes(scenario).map((d) => d === null)).toEqual([false, true, true]);
  });

  it('warns about a row with Count 0 (nothing measured) at its Count field, and about a function with two rows', () => {
    const { scenario, diagnostics } = load(`${HEAD}\n${F1}\no2,a2,f2,0,0,0,0,0,0,0,0,0,0,0\n${F3}\n${F1.replace(',50,10,', ',60,10,')}\n`);
    expect(diagnostics.map(located)).toEqual([
      ['warning', 'SCENARIO_DUPLICATE', 'd.csv:5:7', 'traffic[0].trace.durations: function 0 (HashFunction f1) has 2 rows (lines 2, 5); the first is used'],
      [
        'warning',
        'SCENARIO_BAD_VALUE',
        'd.csv:3:12',
        "traffic[0].trace.durations: function 1 (HashFunction f2) has Count 0: no execution was measured, so its requests take its target image's serviceTime",
      ],
    ]);
    const [first, second, third] = serviceTimes(scenario);
    expect((first as { points: { p: number; valueMs: number }[] }).points).toContainEqual({ p: 50, valueMs: 80 });
    expect(second).toBeNull();
    expect(third).not.toBeNull();
  });

  it("refuses a selected row whose percentiles decrease, at that row's column, and judges no row it does not use", () => {
    const bad = 'o2,a2,f2,30,8,1,90,5,5,10,9,30,60,90';
    const { scenario, diagnostics } = load(`${HEAD}\n${F1}\n${bad}\n${F3}\n`);
    expect(scenario).toBeUndefined();
    expect(diagnostics.map(located)).toEqual([
      [
        'error',
        'SCENARIO_BAD_VALUE',
        'd.csv:3:27',
        'traffic[0].trace.durations: function 1 (HashFunction f2): percentile_Average_50 (9 ms) is below percentile_Average_25 (10 ms); percentiles must not decrease',
      ],
    ]);
    expect(load(`${HEAD}\n${F1}\n${bad}\n${F3}\n`, '[0, 2]').diagnostics).toEqual([]);
  });

  it('refuses a file that is not a durations file, or a bad number, where it is wrong', () => {
    expect(load(INV).diagnostics.map(located)[0]).toEqual([
      'error',
      'SCENARIO_BAD_VALUE',
      'd.csv:1:1',
      'traffic[0].trace.durations: the header has no Average column (is this a durations file?)',
    ]);
    expect(load(`${HEAD}\n${F1.replace(',80,', ',n/a,')}\n`).diagnostics.map(located)).toEqual([
      ['error', 'SCENARIO_BAD_VALUE', 'd.csv:2:33', 'traffic[0].trace.durations: percentile_Average_50: want a number ≥ 0, got "n/a"'],
    ]);
  });

  it('counts its rows against maxTraceRows', () => {
    expect(load(`${HEAD}\n${F1}\n${F2}\n${F3}\n`).diagnostics).toEqual([]);
    const text = `duration: 3m
limits: {maxTraceRows: 3}
timeline:
  - {at: 0s, kn: kn service create s --image=img}
traffic:
  - {trace: {format: azure, invocations: inv.csv, durations: d.csv, functions: 1, targets: s}}
`;
    const files: Record<string, string> = { 'inv.csv': INV, 'd.csv': `${HEAD}\n${F1}\n${F2}\n${F3}\n${F3.replace('o3', 'o4')}\n` };
    const r = loadScenario(text, { file: 't.yaml', readFile: (path: string) => files[path.split('/').at(-1) ?? path] ?? '' });
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['SCENARIO_LIMIT_EXCEEDED', 'traffic[0].trace.durations: d.csv has 4 rows, more than 3 (limits.maxTraceRows)'],
    ]);
  });
});
