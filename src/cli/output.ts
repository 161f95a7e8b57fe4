/**
 * The report files a command writes: where each goes (one per scenario beside the path given
 * when several run), a check of every output path before anything runs (so a path that cannot
 * be written fails in one line at once, not after a long simulation), and a write that fails
 * said as bad input in one line.
 */
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './exit.js';

/** Where the HTML report of scenario `file` goes: the path given, or one per scenario beside it when several run. */
export function htmlPath(path: string, file: string, several: boolean): string {
  if (!several) return path;
  const base = basename(file).replace(/\.[^.]+$/, '');
  return join(dirname(path), `${basename(path).replace(/\.html?$/i, '')}-${base}.html`);
}

/**
 * Checks, before a run, that `path` can be written as a file (`kind: 'file'`, e.g. --html) or
 * used as a directory to write files into (`kind: 'directory'`, e.g. --csv): not empty; an
 * existing path of the right kind that is writable, or a new one whose nearest existing
 * ancestor is a writable directory (the write creates the folders between).
 */
export function checkOutputPath(flag: string, path: string, kind: 'file' | 'directory'): void {
  if (path.trim() === '') throw new UsageError(`${flag}: the path is empty`);
  const existing = statOrUndefined(path);
  if (existing !== undefined) {
    if (kind === 'directory' && !existing.isDirectory()) throw new UsageError(`${flag} ${path}: not a directory`);
    if (kind === 'file' && existing.isDirectory()) throw new UsageError(`${flag} ${path}: is a directory; give a file name`);
    if (!writable(path)) throw new UsageError(`${flag} ${path}: not writable`);
    return;
  }
  let ancestor = dirname(resolve(path));
  for (;;) {
    const stat = statOrUndefined(ancestor);
    if (stat !== undefined) {
      if (!stat.isDirectory()) throw new UsageError(`${flag} ${path}: ${ancestor} is not a directory`);
      if (!writable(ancestor)) throw new UsageError(`${flag} ${path}: cannot create it in ${ancestor} (not writable)`);
      return;
    }
    const up = dirname(ancestor);
    if (up === ancestor) return;
    ancestor = up;
  }
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

/** Creates `dir` (and its parents) for output files; a failure is bad input, said in one line. */
export function makeOutputDir(dir: string, flag: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UsageError(`${flag} ${dir}: cannot create the directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
