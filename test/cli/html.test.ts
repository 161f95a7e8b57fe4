// knsim run --html and knsim report: the files they write, and bad input in one line (exit 2).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knsim, STACK_FRAME } from './helpers.js';
import { tempDir } from '../temp-dirs.js';

const dir = tempDir('knsim-html-');

describe('knsim run --html', () => {
  it('writes one self-contained page per scenario, named after each when several run', () => {
    const r = knsim(['run', 'scenarios/01-deploy.yaml', 'scenarios/05-routes-and-access.yaml', '--html', join(dir, 'r.html'), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['r-01-deploy.html', 'r-05-routes-and-access.html']) {
      const html = readFileSync(join(dir, name), 'utf8');
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain('id="knsim-data"');
      expect(html.length).toBeLessThan(1_000_000);
    }
  });

  it('gives the same bytes for the same scenario and seed', () => {
    const a = join(dir, 'a.html');
    const b = join(dir, 'b.html');
    expect(knsim(['run', 'scenarios/06-panic.yaml', '--html', a, '--quiet']).code).toBe(0);
    expect(knsim(['run', 'scenarios/06-panic.yaml', '--html', b, '--quiet']).code).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });

  it('reports a path it cannot write in one line, exit 2, before running anything', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    const r = knsim(['run', 'scenarios/01-deploy.yaml', '--html', join(blocker, 'r.html'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --html .*r\.html: .*file is not a directory$/m);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('knsim report', () => {
  it('refuses what is not a saved result, in one line, exit 2', () => {
    const notJson = join(dir, 'x.json');
    writeFileSync(notJson, '{"scenario": ');
    const cases: [string[], RegExp][] = [
      [['report', notJson, '--html', join(dir, 'x.html')], /not a JSON result of knsim run --json/],
      [['report', join(dir, 'missing.json'), '--html', join(dir, 'x.html')], /cannot read the result: no such file/],
      [['report', notJson], /--html <file>/],
    ];
    for (const [args, message] of cases) {
      const r = knsim(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    }
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ scenario: 'x', summary: {}, events: [] }));
    const r = knsim(['report', old, '--html', join(dir, 'old.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no timeline/);
    expect(existsSync(join(dir, 'old.html'))).toBe(false);
  });
});
