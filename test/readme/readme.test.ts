/**
 * The README's examples cannot rot: every TypeScript block marked `<!-- readme-example -->` is
 * written out as a module, type-checked with the project's compiler settings against the built
 * package's declarations (dist/, as a user's compiler sees them; `npm test` builds first) and run,
 * its imports of `knsim` and `knsim/testing` resolving to the sources.
 * A block that imports vitest declares its own tests here (with its own names); any other block
 * runs as a test of its own.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = resolve(ROOT, 'test-output/readme');
const MARKER = '<!-- readme-example -->';

/** The marked blocks, in order, with the README line they start on. */
function examples(markdown: string): { line: number; code: string }[] {
  const lines = markdown.split('\n');
  const out: { line: number; code: string }[] = [];
  lines.forEach((l, i) => {
    if (l.trim() !== MARKER) return;
    const fence = lines[i + 1] ?? '';
    if (!/^```ts\s*$/.test(fence)) throw new Error(`README.md:${i + 1}: ${MARKER} must be followed by a \`\`\`ts block`);
    const end = lines.findIndex((x, j) => j > i + 1 && x.startsWith('```'));
    out.push({ line: i + 3, code: lines.slice(i + 2, end).join('\n') });
  });
  return out;
}

const blocks = examples(readFileSync(resolve(ROOT, 'README.md'), 'utf8'));
mkdirSync(OUT, { recursive: true });
const files = blocks.map((b, i) => {
  const file = resolve(OUT, `example-${i + 1}-line-${b.line}.ts`);
  writeFileSync(file, `${b.code}\n`);
  return file;
});

describe('README examples', () => {
  it('are found: the library, the decider, its inputs, and the property-testing ones', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it('type-check with the project’s compiler settings', () => {
    const config = ts.getParsedCommandLineOfConfigFile(resolve(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (config === undefined) throw new Error('tsconfig.json did not parse');
    // Against the built declarations, as a user's compiler sees the package (and in a fraction of the time the sources take).
    const paths = { knsim: [resolve(ROOT, 'dist/index.d.ts')], 'knsim/testing': [resolve(ROOT, 'dist/testing/index.d.ts')] };
    const program = ts.createProgram(files, { ...config.options, paths, noEmit: true, noUnusedLocals: false });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && files.includes(resolve(d.file.fileName)))
      .map((d) => {
        const at = d.file?.getLineAndCharacterOfPosition(d.start ?? 0);
        const block = blocks[files.indexOf(resolve(d.file?.fileName ?? ''))];
        return `README.md:${(block?.line ?? 0) + (at?.line ?? 0)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  });

  for (const [i, file] of files.entries()) {
    const block = blocks[i];
    if (block === undefined || block.code.includes("from 'vitest'")) continue;
    it(`README.md:${block.line} runs`, async () => {
      await import(file);
    });
  }
});

// Blocks that are vitest tests register theirs while this file is collected.
for (const [i, file] of files.entries()) if (blocks[i]?.code.includes("from 'vitest'") === true) await import(file);
