// What a user sees from `npm start`, `--help`, `--csv` and `--quiet`.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knsim, ROOT, STACK_FRAME } from './helpers.js';
import { tempDir } from '../temp-dirs.js';

const FLAGSHIP = 'scenarios/02-scale-to-zero.yaml';

describe('npm start', () => {
  it('runs the flagship scenario', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toMatch(new RegExp(`node dist/cli/knsim\\.js run ${FLAGSHIP.replace(/\./g, '\\.')}$`));
  });

  it('prints the summary, a ready-pods chart that drops to zero and comes back, and all expectations PASS', () => {
    const r = knsim(['run', FLAGSHIP]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.stdout;
    expect(out).toMatch(/^02-scale-to-zero {2}\(seed 1, 6m0s simulated, fingerprint [0-9a-f]{16}\)$/m);
    expect(out).toMatch(/^Requests +\d+ total, \d+ succeeded, 0 failed, \d+ in flight/m);
    expect(out).toMatch(/^Latency +p50 \S+ +p95 \S+ +p99 \S+ +max \S+$/m);
    expect(out).toMatch(/^Cold starts +[1-9]\d* requests waited for a pod to start; [1-9]\d* pods started, [1-9]\d* of them from zero ready pods$/m);
    // REVISION SERVICE REQUESTS SHARE COLD-STARTS POD-STARTS FROM-ZERO MAX-READY POD-SECONDS P50 P99
    expect(out).toMatch(/^sunshine-00001 +sunshine +\d+ +100\.0% +[1-9]\d* +2 +2 +1 +[\d.]+ +\S+ms +\S+$/m);

    const chart = /^ {2}ready pods {2}(\S+) max 1$/m.exec(out);
    expect(chart, out).not.toBeNull();
    // Not ready while the first pod starts, ready, scaled to zero in the silence, back for the evening.
    expect(chart?.[1]).toMatch(/^·+█+·+█+$/);

    const expectations = out.slice(out.indexOf('\nExpectations\n'), out.indexOf('\nInvariants\n'));
    const lines = expectations.split('\n').filter((l) => /^(PASS|FAIL) /.test(l));
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(/^PASS /);
    const invariants = out
      .slice(out.indexOf('\nInvariants\n'))
      .split('\n')
      .filter((l) => /^(PASS|FAIL) /.test(l));
    expect(invariants.map((l) => l.split('  ')[1])).toEqual([
      'conservation',
      'trafficSharesSumToOne',
      'noScaleDownInPanic',
      'zeroAfterStableWindow',
      'latencyAtLeastServiceTime',
    ]);
    for (const line of invariants) expect(line).toMatch(/^PASS /);
    expect(out).toContain('PASS  scaled to zero after the stable window of silence');
    expect(out).not.toContain('Replay with');
  });
});

describe('help', () => {
  it('knsim --help lists every command', () => {
    const r = knsim(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['run', 'validate', 'explain', 'get', 'fuzz']) expect(r.stdout).toMatch(new RegExp(`^ {2}${cmd} `, 'm'));
  });

  it('knsim run --help lists every option', () => {
    const r = knsim(['run', '--help']);
    expect(r.code).toBe(0);
    for (const opt of ['--json', '--csv <dir>', '--log', '--quiet', '--seed <seed>', '--duration <duration>', '--set <key=value>'])
      expect(r.stdout).toContain(`  ${opt} `);
  });

  it('knsim get --help names the kinds and the flags', () => {
    const r = knsim(['get', '--help']);
    expect(r.code).toBe(0);
    for (const text of ['-f, --file <scenario>', '--at <time>', '-o, --output <format>', '-n, --namespace', 'ksvc', 'revision', 'pod', 'sks'])
      expect(r.stdout).toContain(text);
  });
});

describe('run --csv', () => {
  const dir = tempDir('knsim-csv-');

  it('writes series.csv and events.csv with headers that agree with --json', () => {
    const r = knsim(['run', 'scenarios/01-deploy.yaml', '--csv', dir, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(knsim(['run', 'scenarios/01-deploy.yaml', '--json']).stdout) as {
      series: { t: number; revision: string; readyPods: number }[];
      events: unknown[];
    };

    const series = readFileSync(join(dir, 'series.csv'), 'utf8').trimEnd().split('\n');
    expect(series[0]).toBe('t_ms,revision,desired_replicas,ready_pods,pods,in_flight,requests,stable_concurrency,panic_concurrency,panic,sks_mode');
    expect(series).toHaveLength(json.series.length + 1);
    const last = series.at(-1)?.split(',') ?? [];
    const lastSample = json.series.at(-1);
    expect([Number(last[0]), last[1], Number(last[3])]).toEqual([lastSample?.t, lastSample?.revision, lastSample?.readyPods]);

    const events = readFileSync(join(dir, 'events.csv'), 'utf8');
    expect(events.split('\n')[0]).toBe('t_ms,component,object,message');
    expect(
      parseCsv(events)
        .slice(1)
        .map((row) => row.length),
    ).toEqual(json.events.map(() => 4));
  });
});

describe('run --quiet', () => {
  it('prints nothing when every expectation passes', () => {
    const r = knsim(['run', 'scenarios/01-deploy.yaml', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    // Only failed expectations are printed, so a passing run has nothing to say (no empty "Expectations" heading).
    expect(r.stdout.trim()).toBe('');
  });
});

/** RFC 4180 rows (quoted cells may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = (): void => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\n') {
      endCell();
      rows.push(row);
      row = [];
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}
