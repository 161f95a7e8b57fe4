/**
 * Pinned behaviour: the fingerprint and the summary numbers of every shipped scenario, at
 * its own seed and at one more. The fingerprint covers the time of every engine event and
 * every traced fact, so any change in what happens, or in what order, changes it.
 *
 * A change meant to keep behaviour (a refactor) keeps this file green. A change meant to
 * alter behaviour re-pins with one command and says why in its commit:
 *
 *     npm run pin
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/scenario/index.js';
import { loadScenarioText, runScenario } from '../../src/sim/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Every shipped scenario, and the fixtures that reach paths the shipped ones do not. */
const SCENARIOS = [...yamlFiles('scenarios'), ...yamlFiles('test/pins/fixtures')];
function yamlFiles(dir: string): string[] {
  return readdirSync(resolve(ROOT, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${dir}/${f}`);
}

/** A second seed per scenario, so the pins cover other draws of every random stream too. */
const EXTRA_SEED = 7;

function pin(path: string, seed: number | undefined): Record<string, unknown> {
  const loaded = loadScenarioText(readFileSync(resolve(ROOT, path), 'utf8'), {
    file: path,
    readFile: (p) => readFileSync(resolve(ROOT, p), 'utf8'),
    ...(seed === undefined ? {} : { sets: [`seed=${seed}`] }),
  });
  if (loaded.scenario === undefined) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const r = runScenario(loaded.scenario);
  return {
    seed: r.seed,
    fingerprint: r.fingerprint,
    durationMs: r.durationMs,
    summary: r.summary,
    revisions: r.revisions,
    events: r.events.length,
    expectationsPassed: r.expectations.filter((e) => e.passed).length,
  };
}

describe('pinned scenarios', () => {
  it.each(SCENARIOS)('%s keeps its fingerprint and numbers', async (file) => {
    const own = pin(file, undefined);
    // A scenario whose own seed is the extra one (07) would run the same simulation twice.
    const pins = { ownSeed: own, [`seed${EXTRA_SEED}`]: own.seed === EXTRA_SEED ? own : pin(file, EXTRA_SEED) };
    await expect(`${JSON.stringify(pins, null, 2)}\n`).toMatchFileSnapshot(`./pins/${file.replace(/^.*\//, '').replace(/\.yaml$/, '.json')}`);
  });
});
