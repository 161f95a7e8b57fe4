// A trace replay says what it leaves out: minutes that would start after the end of the replay
// are warned about with their invocations and the ways to keep them (the durations file:
// trace-durations.test.ts).
import { describe, expect, it } from 'vitest';
import { loadScenario, type Diagnostic } from '../../src/scenario/index.js';

const HEAD = 'HashOwner,HashApp,HashFunction,Trigger,1,2,3';
const CSV = `${HEAD}\no1,a1,f1,http,5,6,7\n`;

function load(traffic: string, duration: string): Diagnostic[] {
  const text = `duration: ${duration}\ntimeline:\n  - {at: 0s, kn: kn service create s --image=img}\ntraffic:\n  - ${traffic}\n`;
  const files: Record<string, string> = { 'trace.csv': CSV };
  return loadScenario(text, {
    file: 't.yaml',
    readFile: (path: string) => {
      const name = path.split('/').at(-1) ?? path;
      const found = files[name];
      if (found === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return found;
    },
  }).diagnostics;
}

describe('trace replay window', () => {
  it('warns about the minutes that start after the end, with their invocations and the way round', () => {
    const d = load('{from: 1m, trace: {format: azure, invocations: trace.csv, functions: 1, targets: s}}', '3m');
    expect(d.map((x) => [x.severity, x.code, x.message, x.hint])).toEqual([
      [
        'warning',
        'SCENARIO_OUT_OF_RANGE',
        'traffic[0].trace: trace minute 3 (7 invocations) would start at or after the end of the replay (3m0s) and are not replayed',
        'start the replay earlier (from), replay fewer minutes (minutes: [1, 2]) or lengthen duration',
      ],
    ]);
  });

  it('says nothing when every minute starts inside the run', () => {
    expect(load('{from: 0s, trace: {format: azure, invocations: trace.csv, functions: 1, targets: s}}', '3m')).toEqual([]);
    expect(load('{from: 1m, trace: {format: azure, invocations: trace.csv, functions: 1, targets: s, minutes: [1, 2]}}', '3m')).toEqual([]);
  });
});
