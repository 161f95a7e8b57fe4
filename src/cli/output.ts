/**
 * The report files a command writes: where each goes (one per scenario beside the path given
 * when several run), and a write that fails said as bad input in one line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './exit.js';

/** Where the HTML report of scenario `file` goes: the path given, or one per scenario beside it when several run. */
export function htmlPath(path: string, file: string, several: boolean): string {
  if (!several) return path;
  const base = basename(file).replace(/\.[^.]+$/, '');
  return join(dirname(path), `${basename(path).replace(/\.html?$/i, '')}-${base}.html`);
}

/** Writes a report file; a path that cannot be written is bad input (exit 2), said in one line. */
export function writeOutput(path: string, content: string, what: string): void {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, content);
  } catch (err) {
    throw new UsageError(`cannot write the ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
