// The Azure trace's durations file drives each replayed function's service time, through the
// built CLI: 14-azure-durations' three functions share an image, yet each one's median latency is
// its own row's percentile_Average_50 (and not the image's 200 ms, which they all get without the
// file), the arrivals are the same with and without it, and a function the file lacks is named in
// a warning and served with the image's service time.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { must } from '../../src/engine/index.js';
import { knsimAsync, ROOT, STACK_FRAME } from './helpers.js';
import { tempDir } from '../temp-dirs.js';

const SCENARIO = 'scenarios/14-azure-durations.yaml';
const DATA = resolve(ROOT, 'scenarios/data/azure2019');
const dir = tempDir('knsim-trace-durations-');

interface Revision {
  name: string;
  service: string;
  requests: number;
  latencyMs: { p50: number; p99: number } | null;
}

/** The rows of invitro's 100-function durations file by HashFunction, read here independently of knsim's parser. */
function durationRows(): Map<string, { percentile_Average_50: number; percentile_Average_75: number; percentile_Average_100: number }> {
  const [header, ...lines] = readFileSync(join(DATA, '100_run.csv'), 'utf8').trim().split('\n');
  const names = must(header, 'a header').split(',');
  const out = new Map<string, { percentile_Average_50: number; percentile_Average_75: number; percentile_Average_100: number }>();
  for (const line of lines) {
    const cells = line.split(',');
    const cell = (name: string): number => Number(must(cells[names.indexOf(name)], name));
    out.set(must(cells[names.indexOf('HashFunction')], 'a hash'), {
      percentile_Average_50: cell('percentile_Average_50'),
      percentile_Average_75: cell('percentile_Average_75'),
      percentile_Average_100: cell('percentile_Average_100'),
    });
  }
  return out;
}

/** The HashFunction of each 0-based row of the invocations file. */
function invocationHashes(): string[] {
  const [header, ...lines] = readFileSync(join(DATA, '100_inv.csv'), 'utf8').trim().split('\n');
  const column = must(header, 'a header').split(',').indexOf('HashFunction');
  return lines.map((l) => must(l.split(',')[column], 'a hash'));
}

/** 14-azure-durations with its data paths absolute and `edit` applied, written to the temp dir. */
function variant(name: string, edit: (text: string) => string): string {
  const text = readFileSync(resolve(ROOT, SCENARIO), 'utf8').replaceAll('data/azure2019/', `${DATA}/`);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, edit(text));
  return file;
}

function revisions(stdout: string): Map<string, Revision> {
  const parsed = JSON.parse(stdout) as { revisions: Revision[] };
  return new Map(parsed.revisions.map((r) => [r.service, r]));
}

const SELECTED = { 'fn-fast': 12, 'fn-medium': 40, 'fn-slow': 62 } as const;
const IMAGE_SERVICE_MS = 200;

describe('a trace replay with a durations file (knsim run)', () => {
  it("serves each function for its own row's durations, where the image alone gives them all the same", async () => {
    const withoutFile = variant('no-durations', (t) => t.replace(/^ {6}durations: .*\n/m, '').replace(/^expect:[\s\S]*?^invariants:/m, 'invariants:'));
    const [withDurations, without] = await Promise.all([knsimAsync(['run', SCENARIO, '--json']), knsimAsync(['run', withoutFile, '--json'])]);
    for (const r of [withDurations, without]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    }
    const rows = durationRows();
    const hashes = invocationHashes();
    const timed = revisions(withDurations.stdout);
    const plain = revisions(without.stdout);
    for (const [service, index] of Object.entries(SELECTED)) {
      const row = must(rows.get(must(hashes[index], 'a row')), `${service}'s durations row`);
      const rev = must(timed.get(service), service);
      const p50 = must(rev.latencyMs, 'latencies').p50;
      // The served median is the row's p50 (a sample median, 0.4% histogram buckets) plus the way in (a few ms).
      expect(p50, service).toBeGreaterThan(row.percentile_Average_50 * 0.96);
      expect(p50, service).toBeLessThan(row.percentile_Average_50 * 1.04 + 10);
      // The tail stays inside the row's range (cold starts aside, which p99 of these services does not reach).
      expect(must(rev.latencyMs, 'latencies').p99, service).toBeLessThan(row.percentile_Average_100 * 1.04 + 10);
      expect(must(rev.latencyMs, 'latencies').p99, service).toBeGreaterThan(row.percentile_Average_75 * 0.96);
      // Without the file every function takes the image's 200 ms; the arrivals are the same requests.
      const other = must(plain.get(service), service);
      expect(must(other.latencyMs, 'latencies').p50, service).toBeGreaterThanOrEqual(IMAGE_SERVICE_MS);
      expect(must(other.latencyMs, 'latencies').p50, service).toBeLessThan(IMAGE_SERVICE_MS * 1.04 + 10);
      expect(other.requests, service).toBe(rev.requests);
    }
  }, 60_000);

  it("names a function the file lacks in a warning, and serves it with its image's service time", async () => {
    const hashes = invocationHashes();
    const slowHash = must(hashes[SELECTED['fn-slow']], 'a hash');
    const lines = readFileSync(join(DATA, '100_run.csv'), 'utf8').split('\n');
    const partial = join(dir, 'partial_run.csv');
    writeFileSync(partial, lines.filter((l) => !l.startsWith(slowHash)).join('\n'));
    const file = variant('partial', (t) => t.replace(`${DATA}/100_run.csv`, partial).replace(/^expect:[\s\S]*?^invariants:/m, 'invariants:'));
    const r = await knsimAsync(['run', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `warning: traffic[0].trace.durations: 1 of the 3 selected functions has no row in ${partial}, so its requests take its target image's serviceTime: function 62 (HashFunction ${slowHash}) [SCENARIO_BAD_VALUE]`,
    );
    const revs = revisions(r.stdout);
    expect(must(revs.get('fn-slow')?.latencyMs, 'latencies').p50).toBeLessThan(IMAGE_SERVICE_MS * 1.04 + 10);
    expect(must(revs.get('fn-medium')?.latencyMs, 'latencies').p50).toBeGreaterThan(1500);
  }, 60_000);
});
