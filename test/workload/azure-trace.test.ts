import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { must } from '../../src/engine/index.js';
import {
  formatAzureSummary,
  joinAzureStats,
  parseAzureDurations,
  parseAzureInvocations,
  parseAzureMemory,
  selectAzureFunctions,
  summarizeAzureInvocations,
  type AzureFunctionTrace,
} from '../../src/workload/index.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/azure/${name}`, import.meta.url)), 'utf8');

/** The naive reading of a CSV (split everything) to compare the parser against. */
function naiveRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split(','));
}

function parseOk(text: string, file = 'inv.csv'): AzureFunctionTrace[] {
  const result = parseAzureInvocations(text, { file });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.functions;
}

describe('parseAzureInvocations', () => {
  it('reads the original layout (HashOwner,HashApp,HashFunction,Trigger,1..1440) with every count as in the file', () => {
    const text = fixture('invocations_10.csv');
    const result = parseAzureInvocations(text, { file: 'invocations_10.csv' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.layout).toBe('azure2019');
    expect(result.minuteCount).toBe(1440);
    expect(result.functions.length).toBe(10);
    const rows = naiveRows(text).slice(1);
    result.functions.forEach((fn, i) => {
      const row = must(rows[i], 'a naive row per function');
      expect([fn.hashOwner, fn.hashApp, fn.hashFunction, fn.trigger]).toEqual(row.slice(0, 4));
      expect(Array.from(fn.perMinute)).toEqual(row.slice(4).map(Number));
      expect(fn.index).toBe(i);
      expect(fn.line).toBe(i + 2);
    });
    expect(result.functions.map((f) => f.trigger)).toEqual(['http', 'event', 'queue', 'event', 'queue', 'queue', 'queue', 'http', 'http', 'queue']);
    expect(result.functions[0]?.perMinute[0]).toBe(197);
  });

  it('reads invitro’s renamed layout (HashFunction,HashApp,HashOwner,minute_1..) with no trigger', () => {
    const text = fixture('100_inv_first10.csv');
    const result = parseAzureInvocations(text, { file: '100_inv.csv' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.layout).toBe('invitro');
    expect(result.minuteCount).toBe(1440);
    const rows = naiveRows(text).slice(1);
    result.functions.forEach((fn, i) => {
      const row = must(rows[i], 'a naive row per function');
      expect([fn.hashFunction, fn.hashApp, fn.hashOwner]).toEqual(row.slice(0, 3));
      expect(fn.trigger).toBeNull();
      expect(Array.from(fn.perMinute)).toEqual(row.slice(3).map(Number));
    });
    const totals = summarizeAzureInvocations(result.functions).functions.map((f) => f.totalInvocations);
    expect(totals).toEqual([39804, 1, 53185, 1114, 12, 27, 2, 1, 2, 10080]);
  });

  it('round-trips any trace written in either layout, with CRLF or LF line ends', () => {
    const traceArb = fc.record({
      minutes: fc.integer({ min: 1, max: 30 }),
      rows: fc.array(
        fc.tuple(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 12 }), fc.constantFrom('http', 'queue', 'timer', 'event')),
        { minLength: 1, maxLength: 8 },
      ),
      counts: fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 240, maxLength: 240 }),
      layout: fc.constantFrom('azure2019' as const, 'invitro' as const),
      eol: fc.constantFrom('\n', '\r\n'),
      finalNewline: fc.boolean(),
    });
    fc.assert(
      fc.property(traceArb, (t) => {
        const minuteNames = Array.from({ length: t.minutes }, (_, m) => (t.layout === 'invitro' ? `minute_${m + 1}` : String(m + 1)));
        const header =
          t.layout === 'invitro'
            ? ['HashFunction', 'HashApp', 'HashOwner', ...minuteNames]
            : ['HashOwner', 'HashApp', 'HashFunction', 'Trigger', ...minuteNames];
        const countsOf = (r: number): number[] =>
          Array.from({ length: t.minutes }, (_, m) => must(t.counts[(r * 31 + m) % 240], 'the arbitrary draws 240 counts'));
        const lines = [header.join(',')];
        t.rows.forEach(([hash, trigger], r) => {
          const ids = t.layout === 'invitro' ? [`f${hash}`, `a${hash}`, `o${hash}`] : [`o${hash}`, `a${hash}`, `f${hash}`, trigger];
          lines.push([...ids, ...countsOf(r)].join(','));
        });
        const text = lines.join(t.eol) + (t.finalNewline ? t.eol : '');
        const result = parseAzureInvocations(text, { file: 'gen.csv' });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.layout).toBe(t.layout);
        expect(result.functions.length).toBe(t.rows.length);
        result.functions.forEach((fn, r) => {
          const [hash, trigger] = must(t.rows[r], 'a generated row per function');
          expect(fn.hashFunction).toBe(`f${hash}`);
          expect(fn.hashApp).toBe(`a${hash}`);
          expect(fn.hashOwner).toBe(`o${hash}`);
          expect(fn.trigger).toBe(t.layout === 'invitro' ? null : trigger);
          expect(Array.from(fn.perMinute)).toEqual(countsOf(r));
        });
      }),
      { numRuns: 100 },
    );
  });

  describe('bad files', () => {
    const header = 'HashOwner,HashApp,HashFunction,Trigger,1,2,3';
    const cases: { name: string; text: string; code: string; line: number; column: number; message: RegExp }[] = [
      {
        name: 'a count that is not a whole number',
        text: `${header}\no,a,f,http,1,2,3\no,a,g,http,4,1.5,6\n`,
        code: 'TRACE_BAD_VALUE',
        line: 3,
        column: 14,
        message: /minute 2: .*"1\.5"/,
      },
      { name: 'a negative count', text: `${header}\no,a,f,http,1,-2,3\n`, code: 'TRACE_BAD_VALUE', line: 2, column: 14, message: /minute 2/ },
      {
        name: 'a row with too few fields',
        text: `${header}\no,a,f,http,1,2,3\n\no,a,g,http,1,2\n`,
        code: 'TRACE_FIELD_COUNT',
        line: 4,
        column: 15,
        message: /6 fields, the header has 7/,
      },
      {
        name: 'an unknown header column',
        text: 'HashOwner,HashApp,HashFunction,Trigger,1,2,Three\n',
        code: 'TRACE_UNKNOWN_COLUMN',
        line: 1,
        column: 44,
        message: /"Three"/,
      },
      {
        name: 'minute columns out of order',
        text: 'HashOwner,HashApp,HashFunction,1,3\n',
        code: 'TRACE_UNKNOWN_COLUMN',
        line: 1,
        column: 34,
        message: /expected minute 2/,
      },
      {
        name: 'a missing HashFunction column',
        text: 'HashOwner,HashApp,Trigger,1,2\no,a,http,1,2\n',
        code: 'TRACE_MISSING_COLUMN',
        line: 1,
        column: 1,
        message: /HashFunction/,
      },
      { name: 'an empty file', text: '\n\n', code: 'TRACE_EMPTY', line: 1, column: 1, message: /empty/ },
      { name: 'an empty HashFunction', text: `${header}\no,a,,http,1,2,3\n`, code: 'TRACE_BAD_VALUE', line: 2, column: 5, message: /HashFunction is empty/ },
    ];
    for (const c of cases) {
      it(`reports ${c.name} with its line and column`, () => {
        const result = parseAzureInvocations(c.text, { file: 'bad.csv' });
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.errors[0]).toMatchObject({ code: c.code, file: 'bad.csv', line: c.line, column: c.column });
        expect(result.errors[0]?.message).toMatch(c.message);
      });
    }

    it('stops after 20 errors on a wholly wrong file', () => {
      const rows = Array.from({ length: 100 }, () => 'o,a,f,http,x,y,z').join('\n');
      const result = parseAzureInvocations(`${header}\n${rows}`, { file: 'bad.csv' });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.length).toBe(20);
    });

    it('rejects a durations file given as invocations', () => {
      const result = parseAzureInvocations(fixture('durations_10.csv'), { file: 'durations_10.csv' });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors[0]?.code).toBe('TRACE_UNKNOWN_COLUMN');
    });
  });
});

describe('parseAzureDurations and parseAzureMemory', () => {
  it('reads the original durations layout with its percentiles in ms', () => {
    const result = parseAzureDurations(fixture('durations_10.csv'), { file: 'durations_10.csv' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows.length).toBe(10);
    expect(result.rows[0]).toMatchObject({
      hashFunction: '47658c9cff05caaffd85722b6f81dd163f680f03d4026474a098f966e2f528b3',
      averageMs: 306,
      count: 7726495,
      minimumMs: 0,
      maximumMs: 144874,
      percentilesMs: { p0: 1, p1: 247, p25: 269, p50: 282, p75: 304, p99: 481, p100: 130686 },
      line: 2,
    });
  });

  it('reads invitro’s run file, whose columns come in another order', () => {
    const result = parseAzureDurations(fixture('100_run_first10.csv'), { file: '100_run.csv' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows[0]).toMatchObject({
      count: 656295,
      averageMs: 18330,
      minimumMs: 559,
      maximumMs: 611839,
      percentilesMs: { p0: 1446, p50: 15705, p100: 347970 },
    });
  });

  it('reads memory per function (invitro’s 10-function file) and per app (the sample), and joins both to functions', () => {
    const original = parseAzureMemory(fixture('memory_10.csv'), { file: 'memory_10.csv' });
    const sample = parseAzureMemory(fixture('100_mem_first10.csv'), { file: '100_mem.csv' });
    expect(original.ok && sample.ok).toBe(true);
    if (!original.ok || !sample.ok) return;
    expect(original.rows[0]).toMatchObject({ sampleCount: 4258736, averageAllocatedMb: 204, percentilesMb: { p1: 112, p50: 208, p100: 398 } });
    expect(must(original.rows[0], 'the fixture has rows').hashFunction).not.toBeNull();
    expect(must(sample.rows[0], 'the fixture has rows').hashFunction).toBeNull();
    expect(sample.rows[0]).toMatchObject({ sampleCount: 214539, averageAllocatedMb: 1857 });

    const functions = parseOk(fixture('invocations_10.csv'));
    const durations = parseAzureDurations(fixture('durations_10.csv'), { file: 'd' });
    if (!durations.ok) throw new Error('durations');
    const joined = joinAzureStats(functions, durations.rows, original.rows);
    joined.forEach((stats, i) => {
      const fn = must(functions[i], 'the join is aligned with the functions');
      expect(stats.durations?.hashFunction).toBe(fn.hashFunction);
      expect(stats.memory?.hashFunction).toBe(fn.hashFunction);
    });

    const sampleFunctions = parseOk(fixture('100_inv_first10.csv'));
    const sampleJoined = joinAzureStats(sampleFunctions, [], sample.rows);
    sampleJoined.forEach((stats, i) => {
      expect(stats.durations).toBeNull();
      expect(stats.memory?.hashApp).toBe(must(sampleFunctions[i], 'the join is aligned with the functions').hashApp);
    });
  });

  it('reports a bad number and a missing column with the line', () => {
    const bad = parseAzureDurations(fixture('durations_10.csv').replace(',306,', ',n/a,'), { file: 'd.csv' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatchObject({ code: 'TRACE_BAD_VALUE', line: 2 });
    const missing = parseAzureMemory('HashOwner,HashApp,SampleCount\no,a,1\n', { file: 'm.csv' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors[0]).toMatchObject({ code: 'TRACE_MISSING_COLUMN', line: 1 });
  });
});

describe('selectAzureFunctions', () => {
  const functions = parseOk(fixture('invocations_10.csv'));

  it('takes the first N, by index, by hash prefix and by trigger', () => {
    const first = selectAzureFunctions(functions, 3);
    expect(first.ok && first.functions.map((f) => f.index)).toEqual([0, 1, 2]);
    const mixed = selectAzureFunctions(functions, [7, must(functions[2], 'the fixture has row 2').hashFunction.slice(0, 8).toUpperCase()]);
    expect(mixed.ok && mixed.functions.map((f) => f.index)).toEqual([7, 2]);
    const http = selectAzureFunctions(functions, 3, { trigger: 'http' });
    expect(http.ok && http.functions.map((f) => f.index)).toEqual([0, 7, 8]);
  });

  it('refuses out-of-range, unknown, ambiguous and repeated picks', () => {
    expect(selectAzureFunctions(functions, 11)).toMatchObject({ ok: false, code: 'TRACE_SELECT_BAD' });
    expect(selectAzureFunctions(functions, [10])).toMatchObject({ ok: false, code: 'TRACE_SELECT_UNKNOWN' });
    expect(selectAzureFunctions(functions, ['zzzz'])).toMatchObject({ ok: false, code: 'TRACE_SELECT_UNKNOWN' });
    const twoSharing = parseOk('HashOwner,HashApp,HashFunction,1\no,a,abc1,1\no,a,abc2,2\n');
    expect(selectAzureFunctions(twoSharing, ['abc'])).toMatchObject({ ok: false, code: 'TRACE_SELECT_AMBIGUOUS' });
    expect(selectAzureFunctions(functions, [1, must(functions[1], 'the fixture has row 1').hashFunction.slice(0, 10)])).toMatchObject({
      ok: false,
      code: 'TRACE_SELECT_DUPLICATE',
    });
  });
});

describe('summarizeAzureInvocations', () => {
  it('totals, active minutes and peaks per function, and prints the busiest first', () => {
    const functions = parseOk('HashOwner,HashApp,HashFunction,Trigger,1,2,3,4\no,a,aaaa,http,0,6,0,0\no,a,bbbb,queue,60,0,120,60\n');
    const summary = summarizeAzureInvocations(functions);
    expect(summary.totalInvocations).toBe(246);
    expect(summary.functions[1]).toMatchObject({ totalInvocations: 240, activeMinutes: 3, peakPerMinute: 120, meanPerSecond: 1 });
    expect(summarizeAzureInvocations(functions, { minuteFrom: 2, minuteTo: 2 }).totalInvocations).toBe(6);
    const text = formatAzureSummary(summary);
    const lines = text.split('\n');
    expect(lines[0]).toBe('2 functions, 4 minutes, 246 invocations');
    expect(lines[2]).toMatch(/^1 +bbbb +queue +240 +3 +120 +1\.00$/);
  });
});
