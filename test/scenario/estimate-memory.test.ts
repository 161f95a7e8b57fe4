// The memory estimate's parts: what the loader counts into the budget (a trace's busy and cold
// minutes, a workload's busy seconds, the trace's rows) and how the output form changes the peak.
import { describe, expect, it } from 'vitest';
import { estimatePeakMemory, loadScenario, MEMORY, type MemoryOutput, type Scenario } from '../../src/scenario/index.js';

const INV = `HashOwner,HashApp,HashFunction,Trigger,1,2,3,4,5,6,7
o1,a1,f1,http,3,0,5,5,0,0,1
o2,a2,f2,http,0,0,0,0,0,0,0
`;

function load(text: string): Scenario {
  const r = loadScenario(text, { file: 't.yaml', readFile: () => INV });
  if (r.scenario === undefined) throw new Error(JSON.stringify(r.diagnostics));
  return r.scenario;
}

const TEXT: MemoryOutput = { series: { stepMs: 1000, changesOnly: true }, report: false, json: false, csv: false };

describe('the memory work the loader counts', () => {
  it("counts a trace's busy minutes (45 s each) and its cold minutes (after an idle one) as pod starts", () => {
    const s = load(`duration: 10m
timeline:
  - {at: 0s, kn: kn service create s --image=img}
traffic:
  - {trace: {format: azure, invocations: inv.csv, functions: 2, targets: s}}
`);
    // f1: 3, 0, 5, 5, 0, 0, 1 → 4 busy minutes, 3 cold; f2 never busy. One revision settling in: 60 s.
    expect(s.budget.memory).toEqual({
      revisions: 1,
      revisionSeconds: 600,
      busyRevisionSeconds: 4 * 45 + 60,
      podStarts: 1 + 3,
      traceBytes: 2 * (7 * 4 + 300),
      traceParseBytes: INV.length + 2 * 7 * 4,
    });
  });

  it("counts a workload's window and a stable window after it, never more than the revisions' seconds", () => {
    const text = (to: string): string => `duration: 10m
timeline:
  - {at: 0s, kn: kn service create s --image=img}
traffic:
  - {target: s, pattern: poisson, rate: 5, from: 1m, to: ${to}}
`;
    expect(load(text('3m')).budget.memory.busyRevisionSeconds).toBe(120 + 60 + 60);
    expect(load(text('10m')).budget.memory.busyRevisionSeconds).toBe(600);
  });
});

describe('estimatePeakMemory', () => {
  const budget = {
    expectedRunSeconds: 60,
    memory: { revisions: 100, revisionSeconds: 360_000, busyRevisionSeconds: 40_000, podStarts: 400, traceBytes: 0, traceParseBytes: 0 },
  };

  it('adds the runtime, the young generation and the grown live heap: revisions, samples, events', () => {
    const e = estimatePeakMemory(budget, TEXT);
    expect(e.seriesSamples).toBe(40_000);
    expect(e.events).toBe(20 * 100 + 20 * 400);
    expect(e.liveHeapBytes).toBe(100 * 90e3 + 40_000 * 180 + 10_000 * 510);
    // The live heap (21.3 MB) and the garbage the heap keeper lets pile up: its live size, at least 32 MB.
    expect(e.peakBytes).toBeCloseTo(65e6 + 30e6 + e.liveHeapBytes + 32e6, 0);
    const big = estimatePeakMemory({ ...budget, memory: { ...budget.memory, revisions: 1000 } }, TEXT);
    expect(big.peakBytes).toBeCloseTo(65e6 + 30e6 + 2 * big.liveHeapBytes, 0);
  });

  it('keeps a sample per revision-second over the step, none without a series; events stop at the cap', () => {
    expect(estimatePeakMemory(budget, { ...TEXT, series: { stepMs: 10_000 } }).seriesSamples).toBe(36_000);
    expect(estimatePeakMemory(budget, { ...TEXT, series: false }).seriesSamples).toBe(0);
    const busy = { ...budget, memory: { ...budget.memory, podStarts: 1_000_000 } };
    expect(estimatePeakMemory(busy, TEXT).events).toBe(MEMORY.maxEvents);
  });

  it('with --json adds the report and what writing it leaves behind; a short run fills less of the young generation', () => {
    const text = estimatePeakMemory(budget, TEXT);
    const json = estimatePeakMemory(budget, { ...TEXT, report: true, json: true });
    expect(json.writtenBytes).toBe(40_000 * 350 + 10_000 * 300 + (25 * 100 + 15 * 400) * 600);
    expect(json.peakBytes).toBeGreaterThan(text.peakBytes + 1.2 * json.writtenBytes);
    const quick = estimatePeakMemory({ ...budget, expectedRunSeconds: 0.5 }, TEXT);
    // A tenth of the 5 s it takes to fill the young generation (30 MB), and short of the heap
    // keeper's 32 MB of slack: garbage up to the live heap's size (21.3 MB) only.
    expect(text.peakBytes - quick.peakBytes).toBeCloseTo(0.9 * 30e6 + (32e6 - text.liveHeapBytes), -3);
  });

  it("counts a big trace's parsing when it outweighs the run", () => {
    const parsing = { ...budget, memory: { ...budget.memory, traceParseBytes: 500e6 } };
    expect(estimatePeakMemory(parsing, TEXT).peakBytes).toBeCloseTo(65e6 + 30e6 + 1.45 * 500e6, 0);
  });
});
