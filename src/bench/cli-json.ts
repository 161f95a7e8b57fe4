/**
 * The memory of `knsim run <scenario> --json > out.json` as a user runs it: the built CLI in a
 * child process (its peak RSS reported by peak-rss-hook.ts), stdout a file, and a check that the
 * file parses as the result. Compares the 100-function Azure day with its first hour.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = resolve(here, '../cli/knsim.js');
const HOOK = resolve(here, 'peak-rss-hook.js');

export interface CliJsonRun {
  peakRssMb: number;
  wallSeconds: number;
  jsonMb: number;
  requests: number;
  parses: boolean;
  exitCode: number | null;
}

/** Runs `knsim run` of `yaml` with `--json` to a file and extra `args`; `clock` is the wall clock (bench only). */
export function runCliJson(yaml: string, args: readonly string[], clock: () => number): CliJsonRun {
  const dir = mkdtempSync(join(tmpdir(), 'knsim-bench-cli-'));
  try {
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(scenario, yaml);
    const outPath = join(dir, 'out.json');
    const out = openSync(outPath, 'w');
    const started = clock();
    const child = spawnSync(process.execPath, ['--import', HOOK, CLI, 'run', scenario, '--json', ...args], {
      stdio: ['ignore', out, 'pipe'],
      encoding: 'utf8',
    });
    const wallSeconds = (clock() - started) / 1000;
    closeSync(out);
    const rss = /knsim-bench-peak-rss-kb (\d+)\s*$/.exec(child.stderr);
    if (rss?.[1] === undefined) throw new Error(`knsim run --json printed no peak memory (exit ${String(child.status)}):\n${child.stderr.slice(-2000)}`);
    const jsonMb = statSync(outPath).size / 1e6;
    let requests = -1;
    let parses = false;
    try {
      const parsed = JSON.parse(readFileSync(outPath, 'utf8')) as { summary: { requests: { total: number } } };
      requests = parsed.summary.requests.total;
      parses = true;
    } catch {
      parses = false;
    }
    return {
      peakRssMb: Math.round(Number(rss[1]) / 1024),
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      jsonMb: Math.round(jsonMb * 10) / 10,
      requests,
      parses,
      exitCode: child.status,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `knsim run` of `yaml` with `--quiet` (its text output thrown away): the wall seconds and peak RSS of what users run. */
export function runCliQuiet(yaml: string, clock: () => number): { wallSeconds: number; peakRssMb: number; exitCode: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'knsim-bench-cli-'));
  try {
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(scenario, yaml);
    const started = clock();
    const child = spawnSync(process.execPath, ['--import', HOOK, CLI, 'run', scenario, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const wallSeconds = (clock() - started) / 1000;
    const rss = /knsim-bench-peak-rss-kb (\d+)\s*$/.exec(child.stderr);
    if (rss?.[1] === undefined) throw new Error(`knsim run --quiet printed no peak memory (exit ${String(child.status)}):\n${child.stderr.slice(-2000)}`);
    return { wallSeconds: Math.round(wallSeconds * 100) / 100, peakRssMb: Math.round(Number(rss[1]) / 1024), exitCode: child.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
