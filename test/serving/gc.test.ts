import { describe, expect, it } from 'vitest';
import { selectRevisionsToCollect } from '../../src/serving/gc/collect.js';
import { parseGcConfig, DEFAULT_GC_CONFIG } from '../../src/apis/config/gc.js';
import { formatTimestamp, MS_PER_HOUR } from '../../src/engine/units.js';
import type { Configuration, Revision } from '../../src/apis/serving-types.js';

const config: Configuration = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Configuration',
  metadata: { name: 'hello' },
  spec: { template: { spec: { containers: [] } } },
  status: { latestReadyRevisionName: 'hello-00030' },
};

function rev(i: number, state: string, createdMs: number, activeMs?: number, noGc = false): Revision {
  const annotations: Record<string, string> = {};
  if (activeMs !== undefined) annotations['serving.knative.dev/routingStateModified'] = formatTimestamp(activeMs);
  if (noGc) annotations['serving.knative.dev/no-gc'] = 'true';
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: { name: `hello-${String(i).padStart(5, '0')}`, creationTimestamp: createdMs, labels: { 'serving.knative.dev/routingState': state }, annotations },
    spec: { containers: [] },
  };
}

describe('selectRevisionsToCollect', () => {
  const now = 100 * MS_PER_HOUR;
  it('keeps min-non-active-revisions and deletes only stale reserve revisions, oldest first', () => {
    // 25 reserve revisions: 1..7 created at 0h, inactive since 10h (stale: >48h old, >15h inactive); 8..25 recent.
    const revs = Array.from({ length: 25 }, (_x, k) =>
      k < 7 ? rev(k + 1, 'reserve', 0, 10 * MS_PER_HOUR + k) : rev(k + 1, 'reserve', 90 * MS_PER_HOUR, 95 * MS_PER_HOUR),
    );
    revs.push(rev(30, 'active', 0), rev(31, 'pending', 0), rev(32, 'reserve', 0, 0, true));
    expect(selectRevisionsToCollect(revs, config, { ...DEFAULT_GC_CONFIG }, now).deletes).toEqual([
      'hello-00001',
      'hello-00002',
      'hello-00003',
      'hello-00004',
      'hello-00005',
    ]);
  });
  it('enforces max-non-active-revisions on fresh revisions', () => {
    const revs = Array.from({ length: 6 }, (_x, k) => rev(k + 1, 'reserve', now - 1000, now - 1000 + k));
    const gc = { ...DEFAULT_GC_CONFIG, minNonActiveRevisions: 1, maxNonActiveRevisions: 3 };
    const out = selectRevisionsToCollect(revs, config, gc, now);
    expect(out.deletes).toEqual(['hello-00001', 'hello-00002', 'hello-00003']);
    expect(out.nextCheckAtMs).toBe(now - 1000 + 48 * MS_PER_HOUR);
  });
});

describe('parseGcConfig', () => {
  it('accepts disabled and rejects min above max', () => {
    expect(parseGcConfig({ 'max-non-active-revisions': 'disabled', 'retain-since-create-time': 'Disabled' })).toEqual({
      config: { ...DEFAULT_GC_CONFIG, maxNonActiveRevisions: -1, retainSinceCreateTimeMs: -1 },
    });
    expect(parseGcConfig({ 'min-non-active-revisions': '30', 'max-non-active-revisions': '10' })).toEqual({
      errors: [{ path: 'min-non-active-revisions', message: 'min-non-active-revisions(30) must be <= max-non-active-revisions(10)' }],
    });
  });
});
