/** The fuzzing swarm's seeds: every shipped scenario and pin fixture, as text. */
import { readFileSync } from 'node:fs';

export const CORPUS: readonly { path: string; text: string }[] = [
  'scenarios/01-deploy.yaml',
  'scenarios/02-scale-to-zero.yaml',
  'scenarios/03-canary.yaml',
  'scenarios/04-rollback.yaml',
  'scenarios/05-routes-and-access.yaml',
  'scenarios/06-panic.yaml',
  'scenarios/07-azure-trace.yaml',
  'scenarios/08-tuning.yaml',
  'test/pins/fixtures/control-plane-paths.yaml',
  'test/pins/fixtures/dataplane-paths.yaml',
].map((path) => ({ path, text: readFileSync(path, 'utf8') }));
