// Temporary directories for tests, made under the system's temp dir and removed when the test
// file ends (vitest's afterAll, registered as the file is collected).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A maker of fresh directories named `<prefix>XXXXXX`, all removed after the file's last test. Call at module or describe level. */
export function tempDirs(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/** One directory for the whole file, removed after its last test. */
export function tempDir(prefix: string): string {
  return tempDirs(prefix)();
}
