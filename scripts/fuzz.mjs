// `npm run fuzz`: the fuzzing swarm (test/fuzz/swarm.test.ts) with thousands of cases. The seed
// is chosen here and printed before the first case, so even a case that kills the test process
// (out of memory, a native crash) can be replayed: FUZZ_SEED=<seed> npm run fuzz. The cases run
// in a child process (vitest's forks pool), whose exit status is ours.
import { spawnSync } from 'node:child_process';

const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const runs = process.env.FUZZ_RUNS ?? '3000';
const path = process.env.FUZZ_PATH;
console.log(`fuzz: ${runs} cases, seed ${seed}${path ? `, path ${path}` : ''} (replay: FUZZ_SEED=${seed}${path ? ` FUZZ_PATH=${path}` : ''} npm run fuzz)`);
const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz/swarm.test.ts', '--project', 'unit', '--pool=forks'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs },
});
if (r.status !== 0) console.log(`fuzz: failed; replay: FUZZ_SEED=${seed}${path ? ` FUZZ_PATH=${path}` : ''} npm run fuzz`);
process.exit(r.status ?? 1);
