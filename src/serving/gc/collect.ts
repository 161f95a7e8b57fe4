/**
 * Which revisions of a Configuration the garbage collector deletes.
 * Fidelity: knative/serving pkg/reconciler/gc/gc.go (collect). Worked example with the
 * defaults (min 20, max 1000, 48h since create, 15h since active): a configuration with
 * 25 non-active revisions, the 7 oldest created 3 days ago and in reserve for 20h, loses
 * the 5 oldest of those 7 (deleting stops once only 20 non-active remain).
 *  - active (never collected): the latest ready revision, `serving.knative.dev/no-gc: "true"`,
 *    or any routing state other than `reserve` (routed and pending revisions);
 *  - nothing happens while the non-active count is ≤ min;
 *  - oldest-active first (routingStateModified, else creation), stale ones are deleted
 *    while more than min remain; stale = older than both retain durations (a disabled one
 *    does not count; both disabled means never stale);
 *  - then the oldest non-stale are deleted until at most max remain.
 */
import { GC_DISABLED, type GcConfig } from '../../apis/config/gc.js';
import { ANNOTATION, LABEL, type Configuration, type Revision } from '../../apis/serving-types.js';
import { parseTimestamp } from '../../apis/serving-lifecycle.js';

interface CollectDecision {
  /** Revision names to delete, oldest first. */
  deletes: string[];
  /** When a kept candidate becomes stale (virtual ms), so the collector can look again. */
  nextCheckAtMs?: number;
}

function isRevisionActive(rev: Revision, config: Configuration): boolean {
  if (config.status?.latestReadyRevisionName === rev.metadata.name) return true;
  if ((rev.metadata.annotations?.[ANNOTATION.noGC] ?? '').toLowerCase() === 'true') return true;
  return rev.metadata.labels?.[LABEL.routingState] !== 'reserve';
}

function lastActiveMs(rev: Revision): number {
  return parseTimestamp(rev.metadata.annotations?.[ANNOTATION.routingStateModified]) ?? rev.metadata.creationTimestamp ?? 0;
}

/** The virtual time at which a revision becomes stale, or Infinity when it never will. */
function staleAtMs(rev: Revision, gc: GcConfig): number {
  if (gc.retainSinceCreateTimeMs === GC_DISABLED && gc.retainSinceLastActiveTimeMs === GC_DISABLED) return Infinity;
  let at = -Infinity;
  if (gc.retainSinceCreateTimeMs !== GC_DISABLED) at = Math.max(at, (rev.metadata.creationTimestamp ?? 0) + gc.retainSinceCreateTimeMs);
  if (gc.retainSinceLastActiveTimeMs !== GC_DISABLED) at = Math.max(at, lastActiveMs(rev) + gc.retainSinceLastActiveTimeMs);
  return at;
}

export function selectRevisionsToCollect(revisions: readonly Revision[], config: Configuration, gc: GcConfig, nowMs: number): CollectDecision {
  const min = gc.minNonActiveRevisions;
  const max = gc.maxNonActiveRevisions;
  if (max === GC_DISABLED && gc.retainSinceCreateTimeMs === GC_DISABLED && gc.retainSinceLastActiveTimeMs === GC_DISABLED) return { deletes: [] };
  if (revisions.length <= min) return { deletes: [] };
  const candidates = revisions.filter((r) => !isRevisionActive(r, config));
  if (candidates.length <= min) return { deletes: [] };
  candidates.sort((a, b) => lastActiveMs(a) - lastActiveMs(b) || (a.metadata.name < b.metadata.name ? -1 : 1));
  const deletes: string[] = [];
  const kept: Revision[] = [];
  const maxStaleDeletes = candidates.length - min;
  let nextCheckAtMs: number | undefined;
  for (const rev of candidates) {
    if (deletes.length >= maxStaleDeletes) {
      kept.push(rev);
      continue;
    }
    const at = staleAtMs(rev, gc);
    // Knative compares with `time.Since(t) < retain`: exactly at the limit counts as stale.
    if (at <= nowMs) deletes.push(rev.metadata.name);
    else {
      kept.push(rev);
      if (at !== Infinity) nextCheckAtMs = Math.min(nextCheckAtMs ?? Infinity, at);
    }
  }
  if (deletes.length >= maxStaleDeletes) return { deletes };
  if (max !== GC_DISABLED && kept.length > max) {
    for (const rev of kept.slice(0, kept.length - max)) deletes.push(rev.metadata.name);
  }
  return nextCheckAtMs === undefined ? { deletes } : { deletes, nextCheckAtMs };
}
