// The `knsim` binary is the compiled CLI bundled into one file (scripts/bundle-cli.mjs): it must
// be that CLI and nothing else — the same bytes out as the unbundled entry point — and carry its
// own modules, importing only Node's built-ins and tinypool (which starts workers from its files).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, knsim, ROOT, UNBUNDLED_CLI } from './helpers.js';

describe('the bundled binary', () => {
  it('is what package.json names as the knsim binary', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ knsim: CLI });
  });

  it('imports nothing but built-ins and tinypool', () => {
    const text = readFileSync(resolve(ROOT, CLI), 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const from = [...text.matchAll(/^(?:import|export) [^;]*? from "([^"]+)";?$/gm)].map((m) => m[1] ?? '');
    expect(from.filter((m) => !m.startsWith('node:') && m !== 'tinypool')).toEqual([]);
    const required = [...text.matchAll(/__require\("([^"]+)"\)/g)].map((m) => (m[1] ?? '').replace(/^node:/, ''));
    expect(required.filter((m) => !['events', 'child_process', 'path', 'fs', 'process', 'crypto', 'buffer'].includes(m))).toEqual([]);
  });

  it.each([
    [['--version']],
    [['run', 'scenarios/02-scale-to-zero.yaml', '--json']],
    [['validate', 'test/fixtures/cli/bad/unknown-key.yaml']],
    [['sweep', 'test/fixtures/cli/sweep.yaml', '--grid', 'traffic[0].rate=1,4', '--seeds', '1..2', '--jobs', '2']],
  ])('prints what the unbundled CLI prints: knsim %j', (args) => {
    const bundled = knsim(args);
    const unbundled = knsim(args, { script: UNBUNDLED_CLI });
    expect(bundled.stdout).toBe(unbundled.stdout);
    expect(bundled.stderr).toBe(unbundled.stderr);
    expect(bundled.code).toBe(unbundled.code);
  });
});
