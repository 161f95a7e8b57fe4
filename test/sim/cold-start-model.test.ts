// The cold-start model as a scenario sets it: every term of the image pull (base, bandwidth,
// unpack rate, default size, serialization) and the sandbox reach the kubelet (readinessProbePeriod is
// warned and has no effect: the manifest's probes decide readiness), and the trace carries the formula's terms that explain prints.
import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../../src/engine/index.js';
import { simulationOf } from './helpers.js';

function run(coldStart: string): {
  pulls: Record<string, unknown>[];
  starts: { pullMs: number; startMs: number; readinessMs: number; schedulingMs: number }[];
} {
  const sim = simulationOf(
    `
name: cold
duration: 1m
cluster:
  nodes: 1
  coldStart:
${coldStart}
    jitter: 0
timeline:
  - {at: 0s, kn: kn service create hello --image=hello}
  - {at: 0s, kn: kn service create other --image=other}
`,
    { record: { report: true } },
  );
  const pulls: Record<string, unknown>[] = [];
  sim.world.engine.onTrace((e: TraceEntry) => {
    if (e.component === 'kubelet' && e.data?.reason === 'Pulled' && typeof e.data.pullMs === 'number') pulls.push(e.data);
  });
  sim.runTo(60_000);
  return { pulls, starts: sim.result().podStarts ?? [] };
}

describe('cluster.coldStart', () => {
  it('pull = base + size / bandwidth + size / unpackRate, with the default size for an image with none', () => {
    const { pulls } = run(`    imagePull: {base: 2s, bandwidth: 10M, unpackRate: 5M, defaultSize: 30M, serialize: true}`);
    const queue = pulls.find((p) => String(p.image).includes('/queue'));
    const hello = pulls.find((p) => p.image === 'hello');
    // 2 s + 30 MB / 10 MB/s + 30 MB / 5 MB/s = 2 + 3 + 6 = 11 s
    expect(hello).toMatchObject({ sizeBytes: 30_000_000, baseMs: 2000, transferMs: 3000, unpackMs: 6000, pullMs: 11_000, jitterFactor: 1 });
    // The queue-proxy image is 20 MB.
    expect(queue).toMatchObject({ sizeBytes: 20_000_000, pullMs: 2000 + 2000 + 4000 });
  });

  it('serialize: false lets two pods on a node pull at once; readiness follows the manifest probes, not readinessProbePeriod', () => {
    const serial = run(`    imagePull: {defaultSize: 30M}\n    readinessProbePeriod: 10s`);
    const parallel = run(`    imagePull: {defaultSize: 30M, serialize: false}\n    readinessProbePeriod: 1s`);
    // Serialized, one of the two first pulls waits for the other; in parallel none waits.
    expect(serial.pulls.some((p) => (p.waitedMs as number) > 0)).toBe(true);
    expect(parallel.pulls.every((p) => p.waitedMs === 0)).toBe(true);
    // Knative's default probe (periodSeconds 0): queue-proxy probes the user container every 50 ms, so
    // each pod is ready within a second of its containers' start, whatever readinessProbePeriod says.
    expect(parallel.starts).toHaveLength(2);
    for (const p of [...parallel.starts, ...serial.starts]) expect(p.readinessMs).toBeLessThan(1000);
  });

  it('refuses a zero rate where it is read', async () => {
    const { loadScenarioText } = await import('../../src/sim/index.js');
    const loaded = loadScenarioText('name: x\nduration: 1m\ncluster:\n  coldStart:\n    imagePull: {unpackRate: 0}\n', { file: 'x.yaml' });
    expect(loaded.diagnostics.map((d) => d.code)).toContain('SCENARIO_OUT_OF_RANGE');
    expect(loaded.diagnostics.map((d) => d.message).join('\n')).toContain('cluster.coldStart.imagePull.unpackRate: must be greater than 0');
  });
});
