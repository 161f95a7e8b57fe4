// What a scenario reads and what a command writes: only regular files under the size limit
// are read (a device, a FIFO or a directory is refused before anything blocks or grows), and
// every output path is checked before the run, so a path that cannot be written fails at once,
// in one line, exit 2 — not after the whole simulation, not with a stack trace.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knsim, STACK_FRAME } from './helpers.js';
import { tempDir } from '../temp-dirs.js';

const dir = tempDir('knsim-files-');
const OK = 'scenarios/01-deploy.yaml';

function scenarioApplying(file: string): string {
  const path = join(dir, `apply-${file.replace(/\W/g, '_')}.yaml`);
  writeFileSync(path, `duration: 30s\ntimeline:\n  - at: 0s\n    apply: {file: ${file}}\n`);
  return path;
}

describe('files a scenario reads', () => {
  it('refuses a device (apply: {file: /dev/zero}) at once instead of reading it without end', () => {
    const path = scenarioApplying('/dev/zero');
    const r = knsim(['validate', path], { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^${path}:4:19: error: timeline\\[0\\]\\.apply\\.file: cannot read "/dev/zero": not a regular file \\(a device\\) \\[SCENARIO_FILE_UNREADABLE\\]$`,
        'm',
      ),
    );
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('refuses a FIFO without waiting for a writer', () => {
    const fifo = join(dir, 'pipe.yaml');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo here: nothing to test
    const r = knsim(['validate', scenarioApplying(fifo)], { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a regular file (a FIFO)');
    const direct = knsim(['validate', fifo], { timeoutMs: 20_000 });
    expect(direct.code).toBe(2);
    expect(direct.stderr).toBe(`${fifo}: error: cannot read the scenario: not a regular file (a FIFO)\n`);
  });

  it('refuses a directory given as the scenario', () => {
    const r = knsim(['validate', 'scenarios']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scenarios: error: cannot read the scenario: not a regular file (a directory)\n');
  });

  it('reads the scenario the same way in fuzz and sweep: a FIFO or a directory is refused at once', () => {
    for (const command of [['fuzz'], ['sweep']]) {
      const r = knsim([...command, 'scenarios']);
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stderr).toBe('scenarios: error: cannot read the scenario: not a regular file (a directory)\n');
    }
    const fifo = join(dir, 'pipe-2.yaml');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo here: nothing more to test
    for (const command of [['fuzz'], ['sweep']]) {
      const r = knsim([...command, fifo], { timeoutMs: 20_000 });
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stderr).toBe(`${fifo}: error: cannot read the scenario: not a regular file (a FIFO)\n`);
    }
  });

  it('refuses a file over limits.maxFileSize, saying how to raise it', () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, `HashOwner,HashApp,HashFunction,Trigger,1\n${'o,a,f,http,1\n'.repeat(200)}`);
    const path = join(dir, 'trace-big.yaml');
    writeFileSync(
      path,
      `duration: 1m\nlimits: {maxFileSize: 1Ki}\ntimeline:\n  - {at: 0s, kn: service create s --image=i}\ntraffic:\n  - trace: {format: azure, invocations: ${big}, functions: 1, targets: s}\n`,
    );
    const r = knsim(['validate', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('more than the limit of 1024 bytes (limits.maxFileSize) [SCENARIO_LIMIT_EXCEEDED]');
    expect(r.stderr).toContain('hint: raise it with "limits: {maxFileSize: 1Gi}" in the scenario, or --set limits.maxFileSize=1Gi');
    expect(knsim(['validate', path, '--set', 'limits.maxFileSize=1Mi']).code).toBe(0);
    // The scenario file itself: raised with --set, since its own limits: section is inside it.
    const self = knsim(['validate', OK, '--set', 'limits.maxFileSize=100']);
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('(raise it with --set limits.maxFileSize=<size>)');
  });
});

describe('output paths, checked before the run', () => {
  it.each([
    [['--csv', '/dev/null'], 'error: --csv /dev/null: not a directory'],
    [['--csv', ''], 'error: --csv: the path is empty'],
    [['--html', ''], 'error: --html: the path is empty'],
    [['--html', 'scenarios'], 'error: --html scenarios: is a directory; give a file name'],
    [['--html', '/dev/null/r.html'], 'error: --html /dev/null/r.html: /dev/null is not a directory'],
  ])('knsim run %j fails in one line, exit 2, having run nothing', (flags, message) => {
    const started = Date.now();
    const r = knsim(['run', 'scenarios/07-azure-trace.yaml', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${message}\n`);
    expect(r.stdout).toBe('');
    // A day of the trace takes seconds to simulate; refusing the path takes none of them.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('writes CSV into a new directory and an existing one', () => {
    const out = join(dir, 'csv', 'nested');
    expect(knsim(['run', OK, '--quiet', '--csv', out]).code).toBe(0);
    expect(knsim(['run', OK, '--quiet', '--csv', out]).code).toBe(0);
  });
});

describe('--max-duration', () => {
  it('raises the longest duration accepted, and the replay line carries it', () => {
    const refused = knsim(['validate', OK, '--duration', '49h']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('hint: raise it with "limits: {maxDuration: 72h}" in the scenario, or --max-duration 72h');
    const r = knsim(['validate', OK, '--duration', '49h', '--max-duration', '72h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('over 49h0m0s');
    const bad = knsim(['validate', OK, '--max-duration', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --max-duration: invalid duration "soon"/);
  });
});
