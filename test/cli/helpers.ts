// Runs the built CLI (dist/cli/knsim.js, the bundled binary) as a user would, from the repository root.
// `npm test` builds first; run `npm run build --silent` before `npx vitest run test/cli`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = 'dist/cli/knsim.js';
/** The compiled, unbundled entry point: the one to use when a test patches compiled modules with `node --import`. */
export const UNBUNDLED_CLI = 'dist/cli/main.js';
export const FIXTURES = 'test/fixtures/cli';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function assertBuilt(script = CLI): void {
  if (!existsSync(resolve(ROOT, script))) throw new Error(`${script} is missing: run "npm run build" first`);
}

/**
 * Runs `knsim <args>` and waits for it: `env` adds variables (e.g. the test seam's KNSIM_PLANT_BUG),
 * `nodeArgs` go to node before the script (e.g. `--import` a test-only fault), `script` replaces the
 * binary (UNBUNDLED_CLI).
 */
export function knsim(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; nodeArgs?: readonly string[]; timeoutMs?: number; script?: string } = {},
): CliResult {
  const script = options.script ?? CLI;
  assertBuilt(script);
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), resolve(ROOT, script), ...args], {
    cwd: options.cwd ?? ROOT,
    // A command that blocks (a FIFO read) fails the test instead of hanging it.
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  if (r.error !== undefined) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Same as knsim() without blocking, so two runs can use both cores. */
export function knsimAsync(args: readonly string[]): Promise<CliResult> {
  assertBuilt();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [resolve(ROOT, CLI), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Node prints `    at fn (file:line:col)` frames for an uncaught error; users must never see them. */
export const STACK_FRAME = /^\s+at .+[(:]/m;

/** Parses a knsim/Go duration as printed in reports: `15ms`, `4.99s`, `1m30s`, `2h0m0s`. */
export function parsePrintedDurationMs(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = '';
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    consumed += m[0];
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  if (consumed !== text) throw new Error(`not a duration: ${text}`);
  return total;
}

export const SHIPPED = [
  '01-deploy',
  '02-scale-to-zero',
  '03-canary',
  '04-rollback',
  '05-routes-and-access',
  '06-panic',
  '07-azure-trace',
  '08-tuning',
  '09-gradual-rollout',
  '10-crashloop',
  '11-kpa-vs-hpa',
  '13-activator-fleet',
  '14-azure-durations',
].map((n) => `scenarios/${n}.yaml`);

/** The fingerprint test/pins holds for a shipped scenario (`scenarios/x.yaml`) at its own seed. */
export function pinnedFingerprint(file: string): string {
  const pin = resolve(ROOT, 'test/pins/pins', file.replace(/^.*\//, '').replace(/\.yaml$/, '.json'));
  return (JSON.parse(readFileSync(pin, 'utf8')) as { ownSeed: { fingerprint: string } }).ownSeed.fingerprint;
}
