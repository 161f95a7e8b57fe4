// The activator sends each revision's stats through a handle it opened once
// (ActivatorStatSink.open) rather than by name. A handle must do what a stat by name does: the
// same windows written, the same poke from zero, the same decisions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { must } from '../../src/engine/index.js';
import { TYPE } from '../../src/apis/core.js';
import { at, makeWorld, NS, REV } from './fixture.js';

describe('activator stat handles', () => {
  it('decide as stats sent by name do, pokes from zero included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ atS: fc.integer({ min: 1, max: 400 }), concurrency: fc.constantFrom(0, 0.5, 1, 3, 20), count: fc.constantFrom(0, 1, 5) }), {
          minLength: 1,
          maxLength: 40,
        }),
        (stats) => {
          const byName = makeWorld();
          const opened = makeWorld();
          for (const s of [...stats].sort((a, b) => a.atS - b.atS)) {
            at(byName, s.atS * 1000 + 500, () =>
              byName.autoscaler.reportActivatorStat({ namespace: NS, revision: REV, averageConcurrency: s.concurrency, requestCount: s.count }),
            );
            at(opened, s.atS * 1000 + 500, () => must(opened.autoscaler.open(NS, REV), 'the revision has a decider').report(s.concurrency, s.count));
          }
          byName.engine.run({ untilMs: 420_000 });
          opened.engine.run({ untilMs: 420_000 });
          expect(opened.replicaChanges).toEqual(byName.replicaChanges);
          expect(opened.decisions).toEqual(byName.decisions);
          expect(opened.autoscaler.latestDecision(NS, REV)).toEqual(byName.autoscaler.latestDecision(NS, REV));
          expect(opened.engine.fingerprintHex).toBe(byName.engine.fingerprintHex);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('find no revision without a decider, and move their version when one comes or goes', () => {
    const w = makeWorld();
    w.engine.run({ untilMs: 1000 });
    expect(w.autoscaler.open(NS, 'nothing-00001')).toBeUndefined();
    const before = w.autoscaler.version();
    w.api.delete(TYPE.podAutoscaler, NS, REV);
    w.engine.run({ untilMs: 2000 });
    expect(w.autoscaler.version()).not.toBe(before);
    expect(w.autoscaler.open(NS, REV)).toBeUndefined();
  });
});
