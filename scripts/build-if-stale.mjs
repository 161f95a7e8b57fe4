// Builds dist/ with the TypeScript compiler only when a source file, folder or the build
// config changed since the last build, so `npm start` answers in about a second after
// install. The compiler's own incremental build (dist/.tsbuildinfo) does the rest; the CLI
// bundle (dist/cli/knsim.js, scripts/bundle-cli.mjs) is made again after every compile.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

const stamp = 'dist/.tsbuildinfo';

function newestMtimeMs(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  // A folder's own time changes when a file in it is added, removed or renamed.
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, name)));
  return newest;
}

const bundle = 'dist/cli/knsim.js';

let built = -Infinity;
try {
  built = statSync(stamp).mtimeMs;
} catch {
  // Never built.
}
let bundled = -Infinity;
try {
  bundled = statSync(bundle).mtimeMs;
} catch {
  // Never bundled.
}
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/bundle-cli.mjs'];
const compile = inputs.some((p) => newestMtimeMs(p) > built);
if (compile) {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  // The compiler leaves its build info alone when nothing needed emitting: mark this check as done.
  const now = new Date();
  utimesSync(stamp, now, now);
}
if (compile || bundled < built) {
  const b = spawnSync(process.execPath, ['scripts/bundle-cli.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
