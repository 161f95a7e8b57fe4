/**
 * kn's traffic arithmetic for `--traffic`, `--tag` and `--untag`, applied to a
 * Service's spec.traffic. Fidelity: knative/client pkg/traffic/compute.go.
 * Precedence: untag, then tag @latest, then tag revisions, then percents. Percents are
 * integers in [0, 100] summing to at most 100; a shortfall goes to @latest when a new
 * revision is being created, else to the single target the command did not mention;
 * untagged targets left at 0% are dropped.
 * Simplified: `--traffic` refs are matched as tag, then `@latest`, then revision name
 * (kn does the same lookup order); error texts follow kn's.
 */
import type { TrafficTarget } from '../apis/serving-types.js';

interface TrafficInputs {
  traffic: readonly string[];
  tag: readonly string[];
  untag: readonly string[];
  /** Revisions of the service, to tell a revision ref from a typo. */
  revisions: readonly string[];
  /** True when the update creates a new revision (the remainder then goes to @latest). */
  newRevision: boolean;
  /** The service's name, for kn's messages. */
  service?: string;
}

type TrafficCompute = { ok: true; traffic: TrafficTarget[] } | { ok: false; error: string };

const LATEST = '@latest';

/**
 * kn's checks of `--traffic` before it reads the cluster (knative/client pkg/traffic/compute.go
 * verifyRevisionSumAndReferences): `ref=percent` (a bare percent means `@latest`), each
 * reference once, each percent an integer in [0, 100] (a trailing `%` allowed), the sum at most 100.
 */
export function checkTrafficPercents(items: readonly string[]): string | undefined {
  const refs = new Set<string>();
  let sum = 0;
  for (const item of items) {
    const parts = item.split('=');
    if (parts.length !== 1 && (parts.length !== 2 || parts[0] === '' || parts[1] === '')) return `expecting the value format in value1=value2, given ${item}`;
    const ref = parts.length === 1 ? '@latest' : (parts[0] ?? '');
    const raw = (parts.length === 1 ? parts[0] : parts[1])?.replace(/%$/, '') ?? '';
    if (refs.has(ref))
      return `repetition of ${ref === '@latest' ? 'identifier @latest' : `revision reference ${ref}`} is not allowed, use only once with --traffic flag`;
    refs.add(ref);
    if (!/^[+-]?\d+$/.test(raw)) return `error converting given ${raw} to integer value for traffic distribution`;
    const percent = Number(raw);
    if (percent < 0 || percent > 100) return `invalid value for traffic percent ${percent}, expected 0 <= percent <= 100`;
    sum += percent;
  }
  return sum > 100 ? `given traffic percents sum to ${sum}, want <=100` : undefined;
}

/** kn's `--tag` checks: `ref=tag` pairs (a bare tag means `@latest`), `@latest` tagged once (verifyLatestTag). */
export function checkLatestTags(items: readonly string[]): string | undefined {
  let latest = false;
  for (const item of items) {
    const parts = item.split('=');
    if (parts.length !== 1 && (parts.length !== 2 || parts[0] === '' || parts[1] === '')) return `expecting the value format in value1=value2, given ${item}`;
    const ref = parts.length === 1 ? LATEST : parts[0];
    if (ref === LATEST && latest) return 'repetition of identifier @latest is not allowed, use only once with --tag flag';
    if (ref === LATEST) latest = true;
  }
  return undefined;
}

export function computeTraffic(existing: readonly TrafficTarget[], input: TrafficInputs): TrafficCompute {
  const targets: TrafficTarget[] = existing.map((t) => ({ ...t }));
  // Percents first: checked as kn checks them before anything changes.
  const problem = checkTrafficPercents(input.traffic) ?? checkLatestTags(input.tag);
  if (problem !== undefined) return { ok: false, error: problem };
  const percents: { ref: string; percent: number }[] = [];
  let sum = 0;
  for (const item of input.traffic) {
    const eq = item.lastIndexOf('=');
    const ref = eq < 0 ? LATEST : item.slice(0, eq);
    const percent = Number(item.slice(eq + 1).replace(/%$/, ''));
    percents.push({ ref, percent });
    sum += percent;
  }

  const missingTags: string[] = [];
  for (const tag of input.untag) {
    const hits = targets.filter((t) => t.tag === tag);
    if (hits.length === 0) missingTags.push(tag);
    for (const t of hits) delete t.tag;
  }
  if (missingTags.length > 0)
    return { ok: false, error: `tag(s) ${missingTags.join(', ')} not present for any revisions of service ${input.service ?? ''}`.trimEnd() };
  const tagPairs = input.tag.map((item) =>
    item.includes('=') ? { ref: item.slice(0, item.indexOf('=')), tag: item.slice(item.indexOf('=') + 1) } : { ref: LATEST, tag: item },
  );
  const ordered = [...tagPairs.filter((p) => p.ref === LATEST), ...tagPairs.filter((p) => p.ref !== LATEST)];
  for (const { ref, tag } of ordered) {
    const owner = targets.find((t) => t.tag === tag);
    const isLatest = ref === LATEST;
    const matches = (t: TrafficTarget): boolean => (isLatest ? t.latestRevision === true : t.revisionName === ref);
    if (owner !== undefined && !matches(owner))
      return { ok: false, error: `refusing to overwrite existing tag in service, add flag '--untag ${tag}' in command to untag it` };
    if (owner !== undefined) continue;
    if (!isLatest && !input.revisions.includes(ref)) return { ok: false, error: `no such revision "${ref}" to tag` };
    const untagged = targets.find((t) => matches(t) && !t.tag);
    if (untagged !== undefined) untagged.tag = tag;
    else targets.push(isLatest ? { tag, latestRevision: true, percent: 0 } : { tag, revisionName: ref, latestRevision: false, percent: 0 });
  }

  if (percents.length > 0) {
    const touched = new Set<TrafficTarget>();
    for (const { ref, percent } of percents) {
      let target = targets.find((t) => t.tag === ref && !touched.has(t));
      if (target === undefined && ref === LATEST)
        target =
          targets.find((t) => t.latestRevision === true && !t.tag && !touched.has(t)) ?? targets.find((t) => t.latestRevision === true && !touched.has(t));
      if (target === undefined && ref !== LATEST) {
        if (!input.revisions.includes(ref)) return { ok: false, error: `no such revision or tag "${ref}" to assign traffic to` };
        target = targets.find((t) => t.revisionName === ref && !t.tag && !touched.has(t)) ?? targets.find((t) => t.revisionName === ref && !touched.has(t));
      }
      if (target === undefined) {
        target = ref === LATEST ? { latestRevision: true, percent: 0 } : { revisionName: ref, latestRevision: false, percent: 0 };
        targets.push(target);
      }
      target.percent = percent;
      touched.add(target);
    }
    const remaining = 100 - sum;
    const others = targets.filter((t) => !touched.has(t));
    if (remaining > 0) {
      const latest = others.find((t) => t.latestRevision === true && !t.tag);
      const receivers =
        input.newRevision && !percents.some((p) => p.ref === LATEST) ? (latest !== undefined ? [latest] : []) : others.filter((t) => (t.percent ?? 0) > 0);
      const receiver = receivers.length === 1 ? receivers[0] : undefined;
      if (input.newRevision && receivers.length === 0 && !percents.some((p) => p.ref === LATEST)) targets.push({ latestRevision: true, percent: remaining });
      else if (receiver !== undefined) {
        receiver.percent = remaining;
        for (const o of others) if (o !== receiver) o.percent = 0;
      } else {
        return {
          ok: false,
          error: `unable to allocate the remaining traffic: ${remaining}%. Reason: ${receivers.length === 0 ? 'no other revision to receive it' : 'more than one other revision could receive it'}`,
        };
      }
    } else {
      for (const o of others) o.percent = 0;
    }
  }
  return { ok: true, traffic: targets.filter((t) => (t.percent ?? 0) > 0 || t.tag) };
}
