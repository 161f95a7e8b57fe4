/**
 * Every event of the JSON contract carries typed data beside its narration (sim/event-data.ts):
 * what it is about, its revision when it concerns one (a pod's, a Deployment's or a
 * ReplicaSet's looked up), and the numbers behind the message. Read from 02-scale-to-zero.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioText, runScenario, type EventData } from '../../src/index.js';

const file = 'scenarios/02-scale-to-zero.yaml';
const scenario = loadScenarioText(readFileSync(file, 'utf8'), { file }).scenario;
if (scenario === undefined) throw new Error('02-scale-to-zero does not load');
const result = runScenario({ ...scenario, invariants: [] });
const kinds = (kind: EventData['kind']): EventData[] => result.events.filter((e) => e.data.kind === kind).map((e) => e.data);

describe('events[].data', () => {
  it('gives every event a kind', () => {
    const counts: Record<string, number> = {};
    for (const e of result.events) counts[e.data.kind] = (counts[e.data.kind] ?? 0) + 1;
    expect(counts).toEqual({ command: 10, decision: 4, narration: 20, pod: 22, replicas: 3, scale: 5 });
  });

  it("carries the decider's numbers and the PodAutoscaler's phases with their revision", () => {
    expect(kinds('decision').map((d) => (d.kind === 'decision' ? [d.revision, d.desiredPodCount, d.observedStable] : []))).toEqual([
      ['sunshine-00001', 0, 0],
      ['sunshine-00001', 1, 0.022727],
      ['sunshine-00001', 0, 0],
      ['sunshine-00001', 1, 1],
    ]);
    expect(kinds('scale').map((d) => (d.kind === 'scale' ? `${d.phase}:${d.replicasFrom ?? ''}→${d.replicasTo ?? ''}` : ''))).toEqual([
      'activating-wait:→',
      'active-hold:→',
      'deactivate:→',
      'scale-to-zero:1→0',
      'scale:0→1',
    ]);
  });

  it("names a pod's revision and the kubelet's reasons; kn's command, its output and the Deployment's scaling", () => {
    const pods = kinds('pod');
    expect(pods.every((d) => d.revision === 'sunshine-00001')).toBe(true);
    expect(pods.filter((d) => d.kind === 'pod' && d.reason === 'Ready').map((d) => (d.kind === 'pod' ? d.startupMs : 0))).toEqual([16_868, 2_334]);
    expect(result.events.filter((e) => e.data.kind === 'command').map((e) => (e.data.kind === 'command' ? e.data.line : ''))).toEqual([
      'command',
      'output',
      'output',
      'output',
      'output',
      'output',
      'output',
      'output',
      'output',
      'output',
    ]);
    expect(kinds('replicas').map((d) => (d.kind === 'replicas' ? [d.revision, d.from, d.to] : []))).toEqual([
      ['sunshine-00001', 0, 1],
      ['sunshine-00001', 1, 0],
      ['sunshine-00001', 0, 1],
    ]);
  });
});
