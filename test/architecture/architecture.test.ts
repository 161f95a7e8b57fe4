/**
 * House rules that keep knsim a simulator: the import graph of ../shared/design.md, no
 * import circle between files (inside a module too), no wall clock or unseeded
 * randomness outside the CLI and the benchmark, and small files (at most 450 lines unless
 * the file's opening comment says why it is one room).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { must } from '../../src/engine/index.js';

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
  return rel.length === 1 ? 'index' : must(rel[0], 'a path below src/ has a first folder');
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
  // knsim/testing, the second package entry: the property-testing toolkit over the library.
  testing: { value: ['engine', 'apis', 'autoscaler', 'scenario', 'sim'] },
  cli: { value: ['index', 'report', 'testing'] },
  bench: { value: ['index', 'engine', 'sim', 'dataplane', 'workload'] },
};

/** A static import or re-export: `import x from`, `import type`, `export … from`, multi-line lists, side-effect imports. */
const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\bfrom\s+)?['"]([^'"]+)['"]/gm;

/** Calls that read the wall clock or unseeded randomness, or start real timers. */
const FORBIDDEN = /\b(Date\.now|new Date\b|Math\.random|performance\.now|setTimeout|setInterval|process\.hrtime)/;

/** The house limit on a file's length; a longer file says why in its opening comment. */
const MAX_LINES = 450;

/** Lines of a text as `wc -l` counts a file that ends with a newline (a last line without one counts too). */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * The comment a file opens with (after an optional `#!` line): a block comment, or a run of
 * `//` lines; its text without the comment markers. Undefined when the file opens with code.
 */
function openingComment(text: string): string | undefined {
  const rest = text.replace(/^#![^\n]*\n/, '').trimStart();
  if (rest.startsWith('/*')) {
    const end = rest.indexOf('*/');
    const body = end < 0 ? rest.slice(2) : rest.slice(2, end);
    return body
      .split('\n')
      .map((line) => line.replace(/^\s*\*+ ?/, ''))
      .join('\n');
  }
  const lines: string[] = [];
  for (const line of rest.split('\n')) {
    const m = /^\s*\/\/ ?(.*)$/.exec(line);
    if (m === null) break;
    lines.push(m[1] ?? '');
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** The reason a file gives for being one room ("One room: <reason>" in its opening comment), if any. */
function oneRoomReason(text: string): string | undefined {
  const m = /One room:\s*(\S[\s\S]*)$/.exec(openingComment(text) ?? '');
  return m?.[1]?.trim();
}

interface ImportRef {
  spec: string;
  typeOnly: boolean;
}

function importsOf(text: string): ImportRef[] {
  return [...text.matchAll(IMPORT)].map((m) => ({ spec: must(m[3], 'the import pattern captures the specifier'), typeOnly: m[2] !== undefined }));
}

/** The file a relative import names (`./x.js` → `./x.ts`), or undefined for a package import. */
function resolveImport(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return resolve(dirname(file), spec).replace(/\.js$/, '.ts');
}

/**
 * Every import circle of a graph, one per strongly connected component (Tarjan), each as
 * a path that starts and ends at its least node: `[a, b, c, a]`. Nodes in sorted order,
 * so the report is stable.
 */
function findCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components
    .map((component) => {
      // The shortest way round from the least node, inside the component (breadth first).
      const members = new Set(component);
      const start = must(component[0], 'a component has at least one node');
      const cameFrom = new Map<string, string>();
      const queue = [start];
      // The array iterator reads the length at each step, so the nodes pushed below are visited too.
      for (const v of queue) {
        for (const w of graph.get(v) ?? []) {
          if (!members.has(w) || cameFrom.has(w)) continue;
          cameFrom.set(w, v);
          if (w === start) break;
          queue.push(w);
        }
        if (cameFrom.has(start)) break;
      }
      const path = [start];
      for (let v = cameFrom.get(start) as string; v !== start; v = cameFrom.get(v) as string) path.push(v);
      return [...path, start].reverse();
    })
    .sort((a, b) => (must(a[0], 'a circle has a start') < must(b[0], 'a circle has a start') ? -1 : 1));
}

describe('architecture', () => {
  const files = listTs(src);

  it('keeps every import within the layers of design.md', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = moduleOf(file);
      const rules = ALLOWED[from];
      if (rules === undefined) {
        violations.push(`${relative(root, file)}: module "${from}" is not in design.md's table`);
        continue;
      }
      for (const { spec, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
        const targetFile = resolveImport(file, spec);
        if (targetFile === undefined) continue;
        const target = moduleOf(targetFile);
        if (target === from) continue;
        if (rules.value.includes(target)) continue;
        if (typeOnly && rules.typeOnly?.includes(target)) continue;
        violations.push(`${relative(root, file)}: ${from} may not ${typeOnly ? 'type-' : ''}import ${target} (${spec})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import circle among the files under src/, type imports included', () => {
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const targets = importsOf(readFileSync(file, 'utf8')).map((i) => resolveImport(file, i.spec));
      graph.set(
        relative(src, file),
        targets.filter((t): t is string => t !== undefined).map((t) => relative(src, t)),
      );
    }
    expect(findCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('uses no wall clock, timers or unseeded randomness outside src/cli and src/bench', () => {
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
          if (FORBIDDEN.test(code)) hits.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it(`keeps every file at ${MAX_LINES} lines or fewer, unless its opening comment says "One room:" and why`, () => {
    const offenders: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const lines = lineCount(text);
      if (lines > MAX_LINES && oneRoomReason(text) === undefined)
        offenders.push(`${relative(root, file)}: ${lines} lines (split it, or say "One room: <why>" in its opening comment)`);
    }
    expect(offenders).toEqual([]);
  });
});

// The checks above pass vacuously if their patterns miss; these pin what the patterns see.
describe('architecture checks', () => {
  it('reads value, type, multi-line, re-export and side-effect imports, and no import-like text', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/index.js';",
      'import {',
      '  c,',
      '  type D,',
      "} from './c.js';",
      "export { e } from './e.js';",
      "export type { F } from './f.js';",
      "import './g.js';",
      "import fc from 'fast-check';",
      "export const h = 'not/an/import.js';",
      " * import { i } from './in-a-comment-block.js' (a doc line starting with a star)",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { spec: './a.js', typeOnly: false },
      { spec: '../b/index.js', typeOnly: true },
      { spec: './c.js', typeOnly: false },
      { spec: './e.js', typeOnly: false },
      { spec: './f.js', typeOnly: true },
      { spec: './g.js', typeOnly: false },
      { spec: 'fast-check', typeOnly: false },
    ]);
  });

  it('finds every circle, through type imports and self-imports too, as a path from its least file', () => {
    const graph = new Map<string, string[]>([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'x.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts', 'e.ts']],
      ['e.ts', ['e.ts']],
      ['f.ts', ['a.ts', 'b.ts']],
    ]);
    expect(findCycles(graph)).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['e.ts', 'e.ts'],
    ]);
    expect(
      findCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', ['c.ts']],
          ['c.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it("flags each forbidden call and not the engine's seeded streams or virtual time", () => {
    for (const call of ['Date.now()', 'new Date()', 'Math.random()', 'performance.now()', 'setTimeout(f, 1)', 'setInterval(f, 1)', 'process.hrtime()']) {
      expect(FORBIDDEN.test(`const x = ${call};`), call).toBe(true);
    }
    for (const code of ["const r = engine.rng('router/x')();", 'const t = engine.nowMs;', 'engine.after(5, fn, req);', 'const d = toDate(ms);']) {
      expect(FORBIDDEN.test(code), code).toBe(false);
    }
  });

  it('counts lines as wc -l does (a last line without a newline counts too), and reads "One room:" only in the opening comment, only with a reason', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
    expect(lineCount('\n\n')).toBe(2);
    const block = ['/**', ' * The page script.', ' * One room: one function scope the browser runs', ' * as a whole.', ' */', 'export const X = 1;'].join('\n');
    expect(oneRoomReason(block)).toBe('one function scope the browser runs\nas a whole.');
    expect(oneRoomReason(`#!/usr/bin/env node\n${block}`)).toBe('one function scope the browser runs\nas a whole.');
    expect(oneRoomReason(['// Wiring.', '// One room:', '// the reason on the next line', 'const a = 1;'].join('\n'))).toBe('the reason on the next line');
    expect(oneRoomReason(['/**', ' * One room:', ' */', 'const a = 1;'].join('\n'))).toBeUndefined();
    expect(oneRoomReason(['/** A module. */', 'const a = 1;', '/** One room: too late, not the opening comment */'].join('\n'))).toBeUndefined();
    expect(oneRoomReason(['const a = 1;', '// One room: after code'].join('\n'))).toBeUndefined();
    expect(oneRoomReason(['/** A module with no reason. */', 'const a = 1;'].join('\n'))).toBeUndefined();
  });
});
