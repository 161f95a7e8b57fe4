/**
 * House rules that keep knsim a simulator: the import graph of ../shared/design.md,
 * and no wall clock or unseeded randomness outside the CLI and the benchmark.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const src = join(root, 'src');

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTs(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The module of a file under src/: its first folder, or `index` for src/index.ts. */
function moduleOf(file: string): string {
  const rel = relative(src, file).split(/[\\/]/);
  return rel.length === 1 ? 'index' : rel[0];
}

/** design.md: which modules each module may import (value imports), and which only as types. */
const ALLOWED: Record<string, { value: string[]; typeOnly?: string[] }> = {
  engine: { value: [] },
  apis: { value: ['engine'] },
  k8s: { value: ['engine', 'apis'] },
  serving: { value: ['engine', 'apis', 'k8s'] },
  // kn is a client of the API, as a user's kn is, not part of the control plane: a module of its own beside serving.
  kn: { value: ['engine', 'apis', 'k8s'] },
  autoscaler: { value: ['engine', 'apis', 'k8s'] },
  dataplane: { value: ['engine', 'apis', 'k8s'], typeOnly: ['autoscaler'] },
  workload: { value: ['engine'] },
  scenario: { value: ['engine', 'apis', 'kn'] },
  sim: { value: ['engine', 'apis', 'k8s', 'serving', 'kn', 'autoscaler', 'dataplane', 'workload', 'scenario'] },
  report: { value: ['engine'], typeOnly: ['sim', 'dataplane', 'scenario', 'autoscaler', 'apis'] },
  index: { value: ['engine', 'apis', 'k8s', 'serving', 'kn', 'autoscaler', 'dataplane', 'workload', 'scenario', 'sim', 'report'] },
  cli: { value: ['index', 'report'] },
  bench: { value: ['index', 'engine', 'sim', 'dataplane', 'workload'] },
};

const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm;

describe('architecture', () => {
  const files = listTs(src);

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('keeps every import within the layers of design.md', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = moduleOf(file);
      const rules = ALLOWED[from];
      if (rules === undefined) {
        violations.push(`${relative(root, file)}: module "${from}" is not in design.md's table`);
        continue;
      }
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[3];
        if (!spec.startsWith('.')) continue;
        const target = moduleOf(resolve(dirname(file), spec));
        if (target === from) continue;
        const typeOnly = m[2] !== undefined;
        if (rules.value.includes(target)) continue;
        if (typeOnly && rules.typeOnly?.includes(target)) continue;
        violations.push(`${relative(root, file)}: ${from} may not ${typeOnly ? 'type-' : ''}import ${target} (${spec})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('uses no wall clock, timers or unseeded randomness outside src/cli and src/bench', () => {
    const forbidden = /\b(Date\.now|new Date\b|Math\.random|performance\.now|setTimeout|setInterval|process\.hrtime)/;
    const hits: string[] = [];
    for (const file of files) {
      const mod = moduleOf(file);
      if (mod === 'cli' || mod === 'bench') continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const trimmed = line.trim();
          if (trimmed.startsWith('*') || trimmed.startsWith('/*')) return;
          const code = line.replace(/\/\/.*$/, '');
          if (forbidden.test(code)) hits.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it('detects a forbidden call in a line of code', () => {
    const forbidden = /\b(Date\.now|new Date\b|Math\.random|performance\.now|setTimeout|setInterval|process\.hrtime)/;
    expect(forbidden.test('const t = Date.now();')).toBe(true);
    expect(forbidden.test('const r = rng();')).toBe(false);
  });
});
