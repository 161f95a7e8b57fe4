// A handful of the fuzzing swarm's cases through the built CLI (the swarm itself runs in
// process, test/fuzz/swarm.test.ts): `validate` exits 0 or 2, every stderr line a located
// diagnostic (or its hint, or the error count); when it exits 0, `run` exits 0 or 1; never a
// stack trace. The seed is new each run and named in the test's title; FUZZ_SEED replays it.
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS } from '../fuzz/corpus.js';
import { mutate, planArb } from '../fuzz/mutate.js';
import { knsimAsync, parsePrintedDurationMs, STACK_FRAME } from './helpers.js';
import { tempDir } from '../temp-dirs.js';

const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const CASES = 4;
/** Runs longer than this (virtual) are validated only: a day of a trace would take the CLI tier's whole budget. */
const RUN_AT_MOST_MS = 10 * 60_000;
const dir = tempDir('knsim-fuzz-');

const DIAGNOSTIC_LINE = /^(\S.*:\d+:\d+: (error|warning): .+ \[SCENARIO_[A-Z_]+\]| {2}hint: .+|\d+ errors?)$/;

describe('the fuzzing swarm through the built CLI', () => {
  const plans = fc.sample(planArb(CORPUS.length), { seed: SEED, numRuns: CASES });
  plans.forEach((plan, i) => {
    it(`case ${i} of seed ${SEED}: validate exits 0 or 2 with located messages, run exits 0 or 1, no stack trace`, async () => {
      const source = CORPUS[plan.scenario];
      if (source === undefined) throw new Error('a corpus index in range');
      const file = join(dir, `case-${i}.yaml`);
      writeFileSync(file, mutate(source.text, plan.mutations, plan.asManifests).text);
      const v = await knsimAsync(['validate', file]);
      expect(v.stderr).not.toMatch(STACK_FRAME);
      expect([0, 2]).toContain(v.code);
      for (const line of v.stderr.split('\n').filter((l) => l !== '')) expect(line).toMatch(DIAGNOSTIC_LINE);
      if (v.code !== 0) return;
      const duration = /over (\S+)\)$/m.exec(v.stdout)?.[1];
      if (duration === undefined || parsePrintedDurationMs(duration) > RUN_AT_MOST_MS) return;
      const r = await knsimAsync(['run', file, '--quiet']);
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect([0, 1]).toContain(r.code);
    });
  });
});
