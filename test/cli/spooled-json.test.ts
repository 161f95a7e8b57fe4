// `knsim run --json` spools the run's recordings (series, events, object changes, decisions, pod
// starts) to temporary files and streams them into its output: the bytes are the in-memory
// result's, and no file is left behind, whether the run ends or is interrupted.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadScenarioText, runScenario } from '../../src/index.js';
import { CLI, knsim, ROOT } from './helpers.js';
import { tempDirs } from '../temp-dirs.js';

const freshTmp = tempDirs('knsim-tmpdir-');

/** The result `knsim run <path> --json` prints, computed in memory by the library (as `run` records it). */
function inMemoryJson(path: string): string {
  const loaded = loadScenarioText(readFileSync(resolve(ROOT, path), 'utf8'), { file: path, readFile: (p) => readFileSync(resolve(ROOT, p), 'utf8') });
  if (loaded.scenario === undefined) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const result = runScenario(loaded.scenario, { record: { series: { stepMs: 1000, changesOnly: true }, report: true } });
  return `${JSON.stringify(result, null, 2)}\n`;
}

describe('run --json spooled to disk', () => {
  it.each(['scenarios/02-scale-to-zero.yaml', 'scenarios/03-canary.yaml'])(
    'prints %s byte for byte as the in-memory result, and leaves $TMPDIR empty',
    (path) => {
      const tmp = freshTmp();
      const r = knsim(['run', path, '--json'], { env: { TMPDIR: tmp } });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(inMemoryJson(path));
      expect(readdirSync(tmp)).toEqual([]);
    },
  );

  it('writes --csv and --html beside --json from the spooled recordings as without --json', () => {
    const tmp = freshTmp();
    const out = freshTmp();
    const path = 'scenarios/02-scale-to-zero.yaml';
    const spooled = knsim(['run', path, '--json', '--csv', join(out, 'a'), '--html', join(out, 'a.html')], { env: { TMPDIR: tmp } });
    const memory = knsim(['run', path, '--quiet', '--csv', join(out, 'b'), '--html', join(out, 'b.html')]);
    expect([spooled.code, memory.code]).toEqual([0, 0]);
    for (const f of ['series.csv', 'events.csv']) expect(readFileSync(join(out, 'a', f), 'utf8')).toBe(readFileSync(join(out, 'b', f), 'utf8'));
    expect(readFileSync(join(out, 'a.html'), 'utf8')).toBe(readFileSync(join(out, 'b.html'), 'utf8'));
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('says in one line, before it runs, that $TMPDIR cannot take the spool (exit 2)', () => {
    const r = knsim(['run', 'scenarios/01-deploy.yaml', '--json'], { env: { TMPDIR: join(freshTmp(), 'missing') } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: cannot spool the run's series to .*missing: ENOENT \(set TMPDIR to a writable directory\)\n$/);
  });

  it('keeps its files open but unnamed while it runs, and leaves nothing when interrupted', async () => {
    const tmp = freshTmp();
    const child = spawn(process.execPath, [resolve(ROOT, CLI), 'run', 'scenarios/07-azure-trace.yaml', '--json'], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    // The run takes several seconds: look while it goes on (once its files are open, where /proc shows them).
    const fdDir = `/proc/${child.pid}/fd`;
    const spooledFiles = (): string[] =>
      readdirSync(fdDir)
        .flatMap((fd) => {
          try {
            return [readlinkSync(join(fdDir, fd))];
          } catch {
            return [];
          }
        })
        .filter((target) => target.startsWith(join(tmp, 'knsim-spool-')))
        .map((target) => target.replace(/^.*\/knsim-spool-[^/]+\//, ''));
    if (existsSync(fdDir)) {
      let open: string[] = [];
      for (let waited = 0; open.length < 5 && waited < 30_000 && child.exitCode === null; waited += 100) {
        await new Promise((done) => setTimeout(done, 100));
        open = spooledFiles();
      }
      expect(open).toEqual(expect.arrayContaining(['series.jsonl (deleted)', 'events.jsonl (deleted)', 'objects.jsonl (deleted)']));
    } else await new Promise((done) => setTimeout(done, 1500));
    expect(child.exitCode).toBeNull();
    expect(readdirSync(tmp)).toEqual([]);
    child.kill('SIGINT');
    await exited;
    expect(readdirSync(tmp)).toEqual([]);
  });
});
