import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TYPE } from '../../src/apis/core.js';
import { stableStringify } from '../../src/apis/meta.js';
import { getCondition } from '../../src/apis/conditions.js';
import type { Ingress, Revision, Route } from '../../src/apis/serving-types.js';
import { makeWorld } from './fixture.js';

type Cmd =
  | { kind: 'create'; bad: boolean }
  | { kind: 'update'; bad: boolean }
  | { kind: 'traffic'; pick: number; percent: number }
  | { kind: 'tag'; pick: number }
  | { kind: 'delete' };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), bad: fc.boolean() }),
  fc.record({ kind: fc.constant('update' as const), bad: fc.boolean() }),
  fc.record({ kind: fc.constant('traffic' as const), pick: fc.nat(20), percent: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ kind: fc.constant('tag' as const), pick: fc.nat(20) }),
  fc.record({ kind: fc.constant('delete' as const) }),
);

describe('serving invariants under random kn sequences', () => {
  it('keep revisions immutable, route weights at 100 over existing revisions, and latestRevision on ever-ready revisions', () => {
    fc.assert(
      fc.property(fc.array(cmd, { minLength: 1, maxLength: 10 }), fc.nat(1000), (cmds, seedImage) => {
        const w = makeWorld({ startupMs: 800 });
        w.badImages.add('bad');
        const specs = new Map<string, string>();
        const everReady = new Set<string>();
        const violations: string[] = [];
        w.api.watch<Revision>(TYPE.revision, (e) => {
          const uid = e.object.metadata.uid ?? '';
          const spec = stableStringify(e.object.spec);
          const seen = specs.get(uid);
          if (seen === undefined) specs.set(uid, spec);
          else if (seen !== spec) violations.push(`revision ${e.object.metadata.name} spec changed`);
          if (e.type !== 'DELETED' && getCondition(e.object.status?.conditions, 'Ready')?.status === 'True') everReady.add(uid);
        });
        w.api.watch<Route>(TYPE.route, (e) => {
          for (const t of e.object.status?.traffic ?? []) {
            if (t.latestRevision !== true || t.revisionName === undefined) continue;
            const rev = w.api.get<Revision>(TYPE.revision, 'default', t.revisionName);
            if (rev !== undefined && !everReady.has(rev.metadata.uid ?? '')) violations.push(`latestRevision points at never-ready ${t.revisionName}`);
          }
        });
        let n = seedImage;
        for (const c of cmds) {
          const image = (bad: boolean): string => (bad ? 'bad' : `img-${n++}`);
          const revisions = w.api.list<Revision>(TYPE.revision, { namespace: 'default' }).map((r) => r.metadata.name);
          let line: string;
          switch (c.kind) {
            case 'create':
              line = `kn service create sunshine --image ${image(c.bad)}`;
              break;
            case 'update':
              line = `kn service update sunshine --image ${image(c.bad)}`;
              break;
            case 'traffic': {
              if (revisions.length === 0) continue;
              const a = revisions[c.pick % revisions.length];
              line =
                c.percent === 100
                  ? `kn service update sunshine --traffic ${a}=100`
                  : `kn service update sunshine --traffic ${a}=${c.percent} --traffic @latest=${100 - c.percent}`;
              break;
            }
            case 'tag': {
              if (revisions.length === 0) continue;
              line = `kn service update sunshine --tag ${revisions[c.pick % revisions.length]}=t${c.pick}`;
              break;
            }
            case 'delete':
              line = 'kn service delete sunshine';
              break;
          }
          w.kn(`${line} --no-wait`);
          w.settle(3000);
          for (const ing of w.api.list<Ingress>(TYPE.ingress)) {
            for (const rule of ing.spec.rules) {
              const sum = rule.splits.reduce((s, x) => s + x.percent, 0);
              if (sum !== 100) violations.push(`ingress ${ing.metadata.name} rule ${rule.hosts[0]} sums to ${sum}`);
              for (const s of rule.splits)
                if (w.api.get(TYPE.revision, 'default', s.revisionName) === undefined) violations.push(`ingress routes to missing ${s.revisionName}`);
            }
          }
        }
        expect(violations).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
