// The run's recordings kept in logs: arrays by default, or spooled to disk (the CLI's `run
// --json`): read back, written as JSON and checked by the invariants exactly as the arrays are.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Spool } from '../../src/cli/spool.js';
import { writeJson } from '../../src/cli/stream-out.js';
import { formatDiagnostic, type Scenario } from '../../src/scenario/index.js';
import { RunData } from '../../src/sim/invariant-data.js';
import { ArrayLog, RecordView, Simulation, loadScenarioText, type RecordLogFactory, type RunResult } from '../../src/sim/index.js';
import { tempDirs } from '../temp-dirs.js';

const ROOT = resolve(import.meta.dirname, '../..');

function load(path: string, sets: string[] = []): Scenario {
  const loaded = loadScenarioText(readFileSync(resolve(ROOT, path), 'utf8'), { file: path, sets, readFile: (p) => readFileSync(resolve(ROOT, p), 'utf8') });
  if (loaded.scenario === undefined) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.scenario;
}

function json(value: unknown): string {
  const parts: string[] = [];
  writeJson({ write: (chunk) => parts.push(chunk) }, value);
  return parts.join('');
}

const freshDir = tempDirs('knsim-spool-test-');

/** What `knsim run --json` records. */
const CLI_RECORD = { series: { stepMs: 1000, changesOnly: true }, report: true } as const;

/** The run of `scenario` with `logs`: its recorded result written as `--json` writes it, and its in-memory result. */
function runWith(scenario: Scenario, logs?: RecordLogFactory): { text: string; sim: Simulation } {
  const sim = new Simulation(scenario, { record: { ...CLI_RECORD, ...(logs !== undefined ? { logs } : {}) } });
  sim.runTo(scenario.durationMs);
  return { text: json(sim.recordedResult()), sim };
}

describe('a spooled log', () => {
  const item = fc.record({
    t: fc.nat(),
    name: fc.string({ unit: 'binary', maxLength: 40 }),
    data: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.double(), fc.boolean(), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constant(null))),
  });

  it('reads back what was pushed, in order, as JSON gives it back, however the items fall across its buffers', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 300 }), fc.nat({ max: 300 }), (items, cut) => {
        const spool = new Spool({ dir: freshDir() });
        try {
          const log = spool.factory<(typeof items)[number]>('events');
          items.forEach((x) => log.push(x));
          const view = new RecordView(log, Math.min(cut, items.length));
          log.push({ t: 1, name: 'after the view', data: {} });
          const want = items.slice(0, Math.min(cut, items.length));
          expect([...view]).toEqual(JSON.parse(JSON.stringify(want)));
          // A second pass reads the same; the JSON is the array's, byte for byte.
          expect([...view]).toEqual([...view]);
          expect(json({ list: view })).toBe(JSON.stringify({ list: want }, null, 2));
          expect(JSON.stringify(view)).toBe(JSON.stringify(want));
        } finally {
          spool.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('holds items larger than a read and a long log', () => {
    const spool = new Spool({ dir: freshDir() });
    try {
      const log = spool.factory<{ i: number; s: string }>('series');
      const big = 'é'.repeat(1_500_000);
      log.push({ i: -1, s: big });
      for (let i = 0; i < 50_000; i++) log.push({ i, s: `sample ${i} ✓` });
      let n = 0;
      for (const x of new RecordView(log)) {
        expect(x.i).toBe(n - 1);
        if (n === 0) expect(x.s).toBe(big);
        n++;
      }
      expect(n).toBe(50_001);
      expect(spool.bytes).toBeGreaterThan(3_000_000);
    } finally {
      spool.close();
    }
  });

  it('leaves no file behind: unlinked as soon as it is open, or removed by close()', () => {
    const dir = freshDir();
    const early = new Spool({ dir });
    const a = early.factory<number>('series');
    a.push(1);
    expect(readdirSync(dir)).toEqual([]);
    expect([...new RecordView(a)]).toEqual([1]);
    early.close();
    const late = new Spool({ dir, unlinkOpen: false });
    const b = late.factory<number>('events');
    b.push(2);
    expect(readdirSync(dir)).toHaveLength(1);
    late.close();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('recordings in logs', () => {
  it.each([
    ['02-scale-to-zero', []],
    ['07-azure-trace', ['duration=2h']],
  ] as const)('give %s the same --json bytes spooled to disk as in memory, its invariants included', (name, sets) => {
    const scenario = load(`scenarios/${name}.yaml`, [...sets]);
    const memory = runWith(scenario);
    const spool = new Spool({ dir: freshDir() });
    try {
      const spooled = runWith(scenario, spool.factory);
      expect(spool.bytes).toBeGreaterThan(0);
      expect(spooled.text).toBe(memory.text);
      // The arrays of result() are the logs' items, from either.
      const want = JSON.stringify(memory.sim.result(), null, 2);
      expect(spooled.text).toBe(want);
      expect(JSON.stringify(spooled.sim.result(), null, 2)).toBe(want);
    } finally {
      spool.close();
    }
    if (name === '02-scale-to-zero') expect((JSON.parse(memory.text) as RunResult).invariants?.length).toBeGreaterThan(0);
  });

  it('keep result() as it was: arrays, copies the run can go on past', () => {
    const scenario = load('scenarios/02-scale-to-zero.yaml');
    const sim = new Simulation(scenario, { record: CLI_RECORD, checkInvariants: false });
    sim.runTo(120_000);
    const early: RunResult = sim.result();
    expect(Array.isArray(early.series) && Array.isArray(early.events) && Array.isArray(early.objects)).toBe(true);
    const events = early.events.length;
    sim.runTo(scenario.durationMs);
    expect(early.events).toHaveLength(events);
    expect(sim.result().events.length).toBeGreaterThan(events);
  });

  it('are read by the invariants a few revisions at a time: the samples of each revision whatever the batch', () => {
    const scenario = load('scenarios/04-rollback.yaml');
    const result = new Simulation(scenario, { record: CLI_RECORD });
    result.runTo(scenario.durationMs);
    const r = result.result();
    const whole = new RunData(r);
    const batched = new RunData(r, 5);
    const names = (r.revisionStats ?? []).map((s) => s.name);
    expect(names.length).toBeGreaterThan(5);
    // Out of order, and back again: each is re-read as needed.
    for (const name of [...names, ...[...names].reverse()]) expect(batched.seriesOf(name)).toEqual(whole.seriesOf(name));
    expect(whole.seriesOf(names[0] ?? '').length).toBe(Math.floor(r.durationMs / 1000));
  });
});

describe('ArrayLog', () => {
  it('is the default: the recorder logs to arrays', () => {
    const sim = new Simulation(load('scenarios/01-deploy.yaml'));
    expect(sim.recorder.events).toBeInstanceOf(ArrayLog);
    expect(sim.recorder.series).toBeInstanceOf(ArrayLog);
  });
});
