/**
 * Knative's consistent subsetting: which `n` of the activators front a revision. The
 * ServerlessService reconciler fills a revision's public Endpoints in Proxy mode with
 * `ChooseSubset(activator IPs, spec.numActivators, sks name)`, so that each revision is
 * spread over a few activators, the same ones for as long as the activator set is stable,
 * and different revisions land on different activators.
 *
 * The algorithm (knative.dev/pkg/hash): every candidate gets an angle in a universe of 2048,
 * the FNV-1a 64-bit hash of `candidate + target` modulo 2048 (on a collision the hash's hex
 * digits are appended to the hashed text and it is hashed again); the target gives a start
 * angle (hash of `target + "start-angle-salt"`) and a step (hash of `target +
 * "step-angle-salt"`). From the start angle, repeatedly take the first candidate at or after
 * the angle (wrapping around, skipping those already taken), then advance the angle by the
 * step, until `n` are taken.
 * Example (knative.dev/pkg's test): {mars, mercury, moon, sun}, n = 2, target "a target!"
 * → {mercury, moon}.
 *
 * Fidelity: the same hash and walk, so the same activators are chosen for the same addresses
 * and revision name. Computed by the data plane from the SKS (see revision-backends.ts), not
 * written to a public Endpoints object.
 *
 * Upstream: knative.dev/pkg hash/hash.go (ChooseSubset, buildHashes), knative/serving
 * pkg/reconciler/serverlessservice/serverlessservice.go (subsetEndpoints).
 */
import { must } from '../../engine/assert.js';

/** The range of angles [0, universe) (hash.go `universe`). */
const UNIVERSE = 2048n;
const START_SALT = 'start-angle-salt';
const STEP_SALT = 'step-angle-salt';

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;
const utf8 = new TextEncoder();

/** FNV-1a, 64 bits, of the UTF-8 bytes of `text` (Go's hash/fnv New64a). */
export function fnv1a64(text: string): bigint {
  let h = FNV64_OFFSET;
  for (const byte of utf8.encode(text)) h = ((h ^ BigInt(byte)) * FNV64_PRIME) & MASK64;
  return h;
}

/**
 * Each candidate's angle in [0, 2048) for `target` (hash.go buildHashes' nameLookup, as a map
 * from candidate to angle): the hash of `candidate + target`; a taken angle is re-hashed with
 * the hash's hex digits appended, so two candidates never share one. Candidates in sorted order.
 */
export function subsetAngles(from: readonly string[], target: string): Map<string, bigint> {
  const angles = new Map<string, bigint>();
  const taken = new Set<bigint>();
  for (const name of [...new Set(from)].sort(compareStrings)) {
    let text = name + target;
    let h = fnv1a64(text);
    while (taken.has(h % UNIVERSE)) {
      text += h.toString(16);
      h = fnv1a64(text);
    }
    taken.add(h % UNIVERSE);
    angles.set(name, h % UNIVERSE);
  }
  return angles;
}

/**
 * `n` of `from`, chosen consistently for `target` (returned sorted). `n` ≥ the number of
 * candidates, or `n` ≤ 0 (Knative's "0 means all"), gives all of them.
 */
export function chooseSubset(from: readonly string[], n: number, target: string): string[] {
  const names = [...new Set(from)].sort(compareStrings);
  if (n <= 0 || n >= names.length) return names;
  const start = fnv1a64(target + START_SALT) % UNIVERSE;
  const step = fnv1a64(target + STEP_SALT) % UNIVERSE;
  const byAngle = new Map<bigint, string>();
  for (const [name, angle] of subsetAngles(names, target)) byAngle.set(angle, name);
  const pool = [...byAngle.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const taken = new Set<number>();
  let angle = start;
  while (taken.size < n) {
    let root = pool.findIndex((a) => a >= angle);
    if (root < 0) root = 0;
    while (taken.has(root)) root = (root + 1) % pool.length;
    taken.add(root);
    angle = (angle + step) % UNIVERSE;
  }
  const chosen: string[] = [];
  for (const i of taken) chosen.push(must(byAngle.get(must(pool[i], 'a taken index is inside the pool')), 'every angle in the pool names a candidate'));
  return chosen.sort(compareStrings);
}

/** Go's string order for ASCII text (addresses, names): by code unit. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
