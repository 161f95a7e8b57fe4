/**
 * Gradual rollout: when the revision behind a `latestRevision` traffic target changes,
 * traffic moves from the old revision to the new in steps instead of at once. The first
 * step gives the new revision 1%; once the Ingress with that split is Ready, the step
 * size and interval are computed from the rollout duration, the configuration's percent
 * and how long that first step took (`computeProperties`); each later step runs on the
 * Route's requeue at `nextStepTime`. The state lives in the KIngress annotation
 * `networking.internal.knative.dev/rollout` as Knative's JSON.
 *
 * Worked example (rollout-duration 600s, 100%, first step Ready after 1s): 599 s left,
 * 599 possible 1 s steps but only 99 percent to move → 99 steps of 1%, one every
 * 599/99 = 6.05 s.
 *
 * Fidelity: a transcription of knative/serving pkg/reconciler/route/traffic/rollout.go
 * (Step, stepConfig, stepRevisions, adjustPercentage, ObserveReady, computeProperties,
 * Validate, RolloutsByTag) and BuildRollout from traffic.go. Times are integer
 * nanoseconds; in the simulation they count from virtual time 0, and the annotation
 * carries them as Unix nanoseconds (virtual time 0 is 2026-01-01T00:00:00Z), as Knative
 * writes them. The functions copy their inputs instead of mutating them.
 */
import { SIMULATION_EPOCH_MS } from '../../../engine/units.js';

/** The KIngress annotation holding the rollout state (knative/networking RolloutAnnotationKey). */
export const ROLLOUT_ANNOTATION = 'networking.internal.knative.dev/rollout';

export const NS_PER_SECOND = 1e9;
export const NS_PER_MS = 1e6;

export interface RevisionRollout {
  revisionName: string;
  /** Share of the whole Route's traffic (not of the configuration's). */
  percent: number;
}

/** Timing and sizing of a rollout; 0 means unset, as Go's zero values. All times in ns. */
export interface RolloutParams {
  startTime: number;
  nextStepTime: number;
  stepDuration: number;
  stepSize: number;
}

/** The rollout state of one (configuration, tag) pair. */
export interface ConfigurationRollout {
  configurationName: string;
  /** '' for the main (default) target. */
  tag: string;
  /** Total percent of this configuration; the revisions' percents sum to it. */
  percent: number;
  /** Oldest first; the last one is the revision being rolled out. */
  revisions: RevisionRollout[];
  stepParams: RolloutParams;
}

/** Configurations sorted by tag, then by configuration name. */
export interface Rollout {
  configurations: ConfigurationRollout[];
}

export const noParams = (): RolloutParams => ({ startTime: 0, nextStepTime: 0, stepDuration: 0, stepSize: 0 });

function copyConfig(c: ConfigurationRollout): ConfigurationRollout {
  return { ...c, revisions: c.revisions.map((r) => ({ ...r })), stepParams: { ...c.stepParams } };
}

/** A configuration with 0 or 1 revisions has nothing in flight. */
function configDone(c: ConfigurationRollout): boolean {
  return c.revisions.length < 2;
}

/** True when no configuration of the rollout is moving traffic. */
export function rolloutDone(r: Rollout): boolean {
  return r.configurations.every(configDone);
}

/** The configurations of one tag ('' for the main target). */
export function rolloutsByTag(r: Rollout, tag: string): ConfigurationRollout[] {
  return r.configurations.filter((c) => c.tag === tag);
}

/** The rollout of `configurationName` among `configs`, if any. */
export function rolloutConfig(configurationName: string | undefined, configs: readonly ConfigurationRollout[]): ConfigurationRollout | undefined {
  return configs.find((c) => c.configurationName === configurationName);
}

/** False when a deserialized rollout is inconsistent (then it is discarded, as Knative does). */
export function validateRollout(r: Rollout): boolean {
  for (const c of r.configurations) {
    if (c.percent > 100) return false;
    if (c.stepParams.stepSize < 0 || c.stepParams.stepSize > c.percent) return false;
    if (c.revisions.reduce((sum, rev) => sum + rev.percent, 0) !== c.percent) return false;
  }
  return true;
}

/** Sorts by tag, then configuration name. */
function sortRollout(r: Rollout): void {
  r.configurations.sort((a, b) =>
    a.tag === b.tag ? (a.configurationName < b.configurationName ? -1 : a.configurationName > b.configurationName ? 1 : 0) : a.tag < b.tag ? -1 : 1,
  );
}

/** One consolidated target of a tag group, as BuildRollout reads it. */
export interface RolloutTarget {
  revisionName: string;
  configurationName?: string;
  latestRevision: boolean;
  percent: number;
}

/**
 * The rollout the traffic asks for now (BuildRollout): one configuration per tag group and
 * latest-revision target with a positive percent, all on its current revision.
 */
export function buildRollout(groups: ReadonlyMap<string, readonly RolloutTarget[]>): Rollout {
  const configurations: ConfigurationRollout[] = [];
  for (const [tag, targets] of groups) {
    for (const t of targets) {
      if (!t.latestRevision || t.percent === 0) continue;
      configurations.push({
        configurationName: t.configurationName ?? '',
        tag,
        percent: t.percent,
        revisions: [{ revisionName: t.revisionName, percent: t.percent }],
        stepParams: noParams(),
      });
    }
  }
  const out = { configurations };
  sortRollout(out);
  return out;
}

/**
 * The Ingress just became Ready for a rollout whose first 1% step has no timing yet: the
 * time that step took (at least 1 s) sets the step interval.
 */
export function observeReady(r: Rollout, nowNs: number, durationSecs: number): Rollout {
  const out: Rollout = { configurations: r.configurations.map(copyConfig) };
  for (const c of out.configurations) {
    if (c.stepParams.stepDuration === 0 && c.stepParams.startTime > 0) {
      const minStepSec = Math.max(1, Math.ceil((nowNs - c.stepParams.startTime) / NS_PER_SECOND));
      computeProperties(c, nowNs, minStepSec, durationSecs);
    }
  }
  return out;
}

/**
 * Step size, step interval and the next step time of a rollout that just started.
 * Example: 120 s, first step took 3 s, 100% → 117 s left, 39 steps of round(99/39) = 3%,
 * one every 3 s.
 */
export function computeProperties(c: ConfigurationRollout, nowNs: number, minStepSec: number, durationSecs: number): void {
  // What is left after the first step; at least 1 s, then a single step.
  const leftSecs = Math.max(1, durationSecs - minStepSec);
  let numSteps = Math.max(1, leftSecs / minStepSec);
  // The smallest step is 1%, and 1% has moved already.
  const remPercent = c.percent - 1;
  if (remPercent < numSteps) numSteps = remPercent;
  // Only a hand-edited annotation reaches here with 1%: Knative's arithmetic divides by zero.
  if (numSteps <= 0) return;
  // Equal steps, rounded to the nearest percent (rounding down could double the duration).
  const stepSize = Math.round(remPercent / numSteps);
  const stepDurationNs = (leftSecs / numSteps) * NS_PER_SECOND;
  c.stepParams.stepDuration = Math.trunc(stepDurationNs);
  c.stepParams.stepSize = Math.trunc(stepSize);
  c.stepParams.nextStepTime = Math.trunc(nowNs + stepDurationNs);
}

/**
 * The configuration's total percent changed: a raise goes to the newest revision, a cut
 * is taken from the oldest ones first (revisions cut to 0% drop out).
 */
export function adjustPercentage(goal: number, cr: ConfigurationRollout): void {
  const diff = goal - cr.percent;
  if (goal === 0) {
    cr.revisions = [];
  } else if (diff > 0) {
    const last = cr.revisions[cr.revisions.length - 1];
    if (last !== undefined) last.percent += diff;
  } else if (diff < 0) {
    let left = -diff;
    let i = 0;
    while (left > 0 && i < cr.revisions.length) {
      const rev = cr.revisions[i] as RevisionRollout;
      if (rev.percent > left) {
        rev.percent -= left;
        break;
      }
      left -= rev.percent;
      i++;
    }
    cr.revisions = cr.revisions.slice(i);
  }
}

/** One step at or after `nextStepTime`: stepSize moves from the newest old revisions to the new one. */
export function stepRevisions(goal: ConfigurationRollout, nowNs: number): void {
  if (nowNs < goal.stepParams.nextStepTime || goal.revisions.length < 2) return;
  const revisions = goal.revisions;
  const revLen = revisions.length;
  let remaining = goal.stepParams.stepSize;
  let writePos = revLen - 1;
  let readPos = revLen - 2;
  // A step larger than what the old revisions hold empties them all (the configuration's target shrank).
  while (remaining > 0 && readPos >= 0) {
    const rev = revisions[readPos] as RevisionRollout;
    if (rev.percent > remaining) {
      rev.percent -= remaining;
      break;
    }
    remaining -= rev.percent;
    writePos--;
    readPos--;
  }
  const newest = { ...(revisions[revLen - 1] as RevisionRollout) };
  newest.percent = Math.min(goal.percent, newest.percent + goal.stepParams.stepSize);
  revisions[writePos] = newest;
  goal.revisions = revisions.slice(0, writePos + 1);
  if (goal.revisions.length > 1) goal.stepParams.nextStepTime = nowNs + goal.stepParams.stepDuration;
  else goal.stepParams = noParams();
}

/** Merges the desired configuration with its previous rollout state. */
function stepConfig(goal: ConfigurationRollout, prevIn: ConfigurationRollout, nowNs: number): ConfigurationRollout {
  const prev = copyConfig(prevIn);
  const pc = prev.revisions.length;
  const ret: ConfigurationRollout = {
    configurationName: goal.configurationName,
    tag: goal.tag,
    percent: goal.percent,
    revisions: goal.revisions.map((r) => ({ ...r })),
    stepParams: noParams(),
  };
  if (pc > 0) adjustPercentage(goal.percent, prev);
  const goalRevision = goal.revisions[0] as RevisionRollout;
  // The newest revision of the previous state (adjusting only trims the oldest ones).
  if (pc === 0 || goalRevision.revisionName === (prevIn.revisions[pc - 1] as RevisionRollout).revisionName) {
    // No new revision: keep stepping a rollout in flight (once ObserveReady has timed it).
    if (prev.revisions.length > 1) {
      ret.revisions = prev.revisions;
      ret.stepParams = prev.stepParams;
      if (ret.stepParams.stepSize > 0) stepRevisions(ret, nowNs);
    }
    return ret;
  }
  // A new revision: a rollout starts; its timing is computed once the Ingress is Ready.
  ret.stepParams.startTime = nowNs;
  // The newest revision with traffic gives up 1% to the new one.
  for (let i = prev.revisions.length - 1; i >= 0; i--) {
    const rev = prev.revisions[i] as RevisionRollout;
    if (rev.percent > 0) {
      rev.percent--;
      break;
    }
  }
  ret.revisions = [...prev.revisions.filter((r) => r.percent !== 0), { revisionName: goalRevision.revisionName, percent: 1 }];
  return ret;
}

/**
 * The effective rollout: the desired one (`cur`, from the traffic) merged with the
 * previous state (`prev`, from the annotation). Returns it and the time of the next step
 * (0 when none is scheduled).
 */
export function stepRollout(cur: Rollout, prev: Rollout | undefined, nowNs: number): { rollout: Rollout; nextStepNs: number } {
  if (prev === undefined || prev.configurations.length === 0) return { rollout: { configurations: cur.configurations.map(copyConfig) }, nextStepNs: 0 };
  const tags = [...new Set(cur.configurations.map((c) => c.tag))].sort();
  const out: ConfigurationRollout[] = [];
  let next = Infinity;
  for (const tag of tags) {
    const ccfgs = rolloutsByTag(cur, tag);
    const pcfgs = rolloutsByTag(prev, tag);
    if (pcfgs.length === 0) {
      // A new tag: nothing to roll from; it gets its full share at once.
      out.push(copyConfig(ccfgs[0] as ConfigurationRollout));
      continue;
    }
    // An intersection of two lists sorted by configuration name.
    let i = 0;
    let j = 0;
    while (i < ccfgs.length) {
      const c = ccfgs[i] as ConfigurationRollout;
      const p = pcfgs[j];
      if (p === undefined) {
        out.push(copyConfig(c));
        i++;
      } else if (c.configurationName === p.configurationName) {
        if (c.percent > 1) {
          const sc = stepConfig(c, p, nowNs);
          out.push(sc);
          if (sc.stepParams.nextStepTime > 0 && sc.stepParams.nextStepTime < next) next = sc.stepParams.nextStepTime;
        } else if (c.percent === 1) {
          // 1% cannot be split: the common A/B case moves at once.
          out.push(copyConfig(c));
        }
        i++;
        j++;
      } else if (c.configurationName < p.configurationName) {
        // A configuration new to this tag: nothing to roll from.
        if (c.percent !== 0) out.push(copyConfig(c));
        i++;
      } else {
        // A configuration that left the traffic.
        j++;
      }
    }
  }
  const rollout = { configurations: out };
  sortRollout(rollout);
  return { rollout, nextStepNs: next === Infinity ? 0 : next };
}

// ------------------------------------------------------------------ the annotation

const EPOCH_NS = BigInt(SIMULATION_EPOCH_MS) * 1_000_000n;

/** Virtual ns → Unix ns as Knative writes them (0 stays 0: unset). */
function toUnixNs(ns: number): number | bigint {
  return ns === 0 ? 0 : EPOCH_NS + BigInt(Math.trunc(ns));
}

/** The annotation text: Knative's JSON field names, omitempty as Go marshals them. */
export function serializeRollout(r: Rollout): string {
  const configurations = r.configurations.map((c) => {
    const params: string[] = [];
    if (c.stepParams.startTime !== 0) params.push(`"starttime":${toUnixNs(c.stepParams.startTime)}`);
    if (c.stepParams.nextStepTime !== 0) params.push(`"nextStepTime":${toUnixNs(c.stepParams.nextStepTime)}`);
    if (c.stepParams.stepDuration !== 0) params.push(`"stepDuration":${c.stepParams.stepDuration}`);
    if (c.stepParams.stepSize !== 0) params.push(`"stepSize":${c.stepParams.stepSize}`);
    const parts = [`"configurationName":${JSON.stringify(c.configurationName)}`];
    if (c.tag !== '') parts.push(`"tag":${JSON.stringify(c.tag)}`);
    parts.push(`"percent":${c.percent}`);
    if (c.revisions.length > 0)
      parts.push(`"revisions":[${c.revisions.map((rev) => `{"revisionName":${JSON.stringify(rev.revisionName)},"percent":${rev.percent}}`).join(',')}]`);
    parts.push(`"stepParams":{${params.join(',')}}`);
    return `{${parts.join(',')}}`;
  });
  return configurations.length === 0 ? '{}' : `{"configurations":[${configurations.join(',')}]}`;
}

/**
 * Reads the annotation back; undefined when missing, corrupt or inconsistent (Knative
 * then rolls from nothing: the traffic moves at once).
 */
export function deserializeRollout(text: string | undefined): Rollout | undefined {
  if (text === undefined || text === '') return undefined;
  // Unix ns exceed 2^53: read the big numbers as strings before JSON.parse.
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/:(\d{16,})/g, ':"$1"'));
  } catch {
    return undefined;
  }
  const time = (v: unknown): number => {
    if (v === undefined || v === 0 || v === '0') return 0;
    const big = BigInt(typeof v === 'string' || typeof v === 'number' ? v : 0) - EPOCH_NS;
    return Number(big);
  };
  const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0);
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  if (typeof raw !== 'object' || raw === null) return undefined;
  const list = (raw as { configurations?: unknown }).configurations ?? [];
  if (!Array.isArray(list)) return undefined;
  const configurations: ConfigurationRollout[] = [];
  for (const item of list as Record<string, unknown>[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    const p = (item.stepParams ?? {}) as Record<string, unknown>;
    const revs = Array.isArray(item.revisions) ? (item.revisions as Record<string, unknown>[]) : [];
    configurations.push({
      configurationName: str(item.configurationName),
      tag: str(item.tag),
      percent: num(item.percent),
      revisions: revs.map((rev) => ({ revisionName: str(rev.revisionName), percent: num(rev.percent) })),
      stepParams: { startTime: time(p.starttime), nextStepTime: time(p.nextStepTime), stepDuration: num(p.stepDuration), stepSize: num(p.stepSize) },
    });
  }
  const r = { configurations };
  return validateRollout(r) ? r : undefined;
}
