/**
 * Loading a scenario for the simulator: the scenario layer's loader plus the checks
 * it cannot do itself because they live higher up (kn command lines are parsed by
 * the kn client's parser), so `validate` reports everything `run` would hit.
 */
import { loadScenario, type LoadOptions, type LoadResult } from '../scenario/index.js';
import { parseKn } from '../kn/index.js';

/** Loads and checks a scenario from its text; every problem comes back as a located diagnostic. */
export function loadScenarioText(text: string, options: Omit<LoadOptions, 'checkKn'>): LoadResult {
  return loadScenario(text, {
    ...options,
    checkKn: (commandLine) => {
      const parsed = parseKn(commandLine);
      if (parsed.ok) return undefined;
      return parsed.hint === undefined ? parsed.error : `${parsed.error} (${parsed.hint})`;
    },
  });
}
