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
}

type TrafficCompute = { ok: true; traffic: TrafficTarget[] } | { ok: false; error: string };

const LATEST = '@latest';

export function computeTraffic(existing: readonly TrafficTarget[], input: TrafficInputs): TrafficCompute {
  const targets: TrafficTarget[] = existing.map((t) => ({ ...t }));
  // Percents first: parse and check before anything changes.
  const percents: { ref: string; percent: number }[] = [];
  let sum = 0;
  for (const item of input.traffic) {
    const eq = item.lastIndexOf('=');
    const ref = item.slice(0, eq);
    const raw = item.slice(eq + 1).replace(/%$/, '');
    const percent = Number(raw);
    if (!Number.isInteger(percent) || percent < 0 || percent > 100)
      return { ok: false, error: `error converting given ${raw} to integer value for traffic distribution` };
    if (percents.some((p) => p.ref === ref)) return { ok: false, error: `repetition of identifier ${ref} is not allowed, use only once with --traffic flag` };
    percents.push({ ref, percent });
    sum += percent;
  }
  if (sum > 100) return { ok: false, error: `given traffic percents sum to ${sum}, want <=100` };

  for (const tag of input.untag) {
    const hits = targets.filter((t) => t.tag === tag);
    if (hits.length === 0) return { ok: false, error: `tag(s) ${tag} not present for any revisions` };
    for (const t of hits) delete t.tag;
  }
  const tagPairs = input.tag.map((item) => ({ ref: item.slice(0, item.indexOf('=')), tag: item.slice(item.indexOf('=') + 1) }));
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
