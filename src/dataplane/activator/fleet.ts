/**
 * The activator fleet: the replicas of the knative-serving `activator` Deployment, and which
 * of them front each revision. Every replica keeps its own throttler per revision; a
 * revision's requests reach only the activators its ServerlessService was given.
 *
 * - Before the revision has an SKS, every activator may get its requests, each with its index
 *   unknown (it takes every pod), as upstream before the public endpoints exist.
 * - The SKS's `spec.numActivators` (the KPA's computeNumActivators: at least 2, more with
 *   ready capacity and target burst capacity; 0 from the HPA class, meaning all) picks that
 *   many replicas by Knative's consistent subsetting of their addresses (subset.ts), with the
 *   SKS name as the key. Each chosen activator learns its index (its address's position among
 *   the chosen, sorted) and their number, and re-slices the revision's pods (capacity.ts).
 * - An activator that leaves a revision's subset keeps its last index (upstream ignores
 *   public endpoints that do not list it); it gets no new requests and finishes what it holds.
 *
 * Fidelity (what is simplified):
 * - The replicas are not Pods in the fake API: their number is fixed for the run
 *   (`cluster.activators`, default 1, which is what Knative ships: its activator HPA has
 *   minReplicas 1), they take no node capacity and use no CPU. Knative's HPA on them (CPU
 *   100% of the 300m request, 1 to 20 replicas, config/core/deployments/activator-hpa.yaml)
 *   is not modelled.
 * - The activators share one view of the pods: one probe per pod (prober.ts) makes it routable
 *   to all of them at once, where each upstream activator probes on its own 200 ms ticks.
 * - Addresses are `10.0.<n / 256>.<n % 256>` for `activator-<n>` (pods' addresses start at
 *   10.1.0.0, so they never collide).
 * - The SKS reconciler would write the chosen activators into the revision's public
 *   Endpoints; here the data plane computes the same choice from the SKS itself, at once, in
 *   either mode (upstream activators learn it only while the endpoints list activators,
 *   which matters only for requests still waiting after a switch to Serve).
 *
 * Upstream: knative/serving pkg/reconciler/serverlessservice/serverlessservice.go
 * (subsetEndpoints), pkg/activator/net/throttler.go (handlePubEpsUpdate, inferIndex),
 * pkg/reconciler/autoscaling/kpa/kpa.go (computeNumActivators), config/core/deployments/.
 */
import type { Engine } from '../../engine/index.js';
import { must } from '../../engine/assert.js';
import { ActivatorReplica, RevisionThrottler, type RevisionState } from '../records.js';
import { inferIndex } from './capacity.js';
import { chooseSubset } from './subset.js';
import type { Throttler } from './throttler.js';

/** Activator replicas when a scenario does not say: Knative's activator HPA keeps at least 1. */
export const DEFAULT_ACTIVATOR_REPLICAS = 1;

export class ActivatorFleet {
  /** The replicas, by address (Go's string order). */
  readonly replicas: readonly ActivatorReplica[];
  private readonly addresses: readonly string[];
  private readonly byAddress = new Map<string, ActivatorReplica>();

  constructor(
    private readonly engine: Engine,
    private readonly throttler: Throttler,
    count: number,
  ) {
    if (!Number.isInteger(count) || count < 1) throw new Error(`dataplane: the activator fleet needs at least one replica, got ${count}`);
    const replicas: ActivatorReplica[] = [];
    for (let n = 1; n <= count; n++) replicas.push(new ActivatorReplica(n - 1, `activator-${n}`, `10.0.${Math.floor(n / 256)}.${n % 256}`));
    replicas.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
    this.replicas = replicas;
    this.addresses = replicas.map((r) => r.ip);
    for (const r of replicas) this.byAddress.set(r.ip, r);
  }

  /** A new revision: until its SKS says otherwise, every activator may get its requests. */
  adopt(rev: RevisionState): void {
    rev.activators = this.replicas.map((replica) => this.throttlerOf(rev, replica));
  }

  /**
   * The revision's SKS asks for `numActivators` (0: all): choose them as the SKS reconciler
   * does and tell each its place among them. Nothing changes while the number is the same.
   */
  place(rev: RevisionState, sksName: string, numActivators: number): void {
    if (rev.numActivators === numActivators && rev.activators.every((t) => t.numActivators > 0)) return;
    const chosen = chooseSubset(this.addresses, numActivators, sksName);
    const before = rev.activators;
    const after = chosen.map((ip) => this.throttlerOf(rev, must(this.byAddress.get(ip), 'a chosen address is a replica')));
    for (const t of after) {
      const index = inferIndex(chosen, t.activator.ip);
      if (t.activatorIndex === index && t.numActivators === chosen.length) continue;
      t.activatorIndex = index;
      t.numActivators = chosen.length;
      this.throttler.handleUpdate(t, this.engine.nowMs);
    }
    rev.activators = after;
    rev.numActivators = numActivators;
    if (after.length !== before.length || after.some((t, i) => t !== before[i])) {
      this.engine.trace(
        'activator',
        rev.name,
        `Fronted by ${after.length} of ${this.replicas.length} activators (${numActivators > 0 ? `numActivators ${numActivators}` : 'numActivators 0: all'}), by index: ${after.map((t) => t.activator.name).join(', ')}`,
        { numActivators, activators: after.map((t) => t.activator.name) },
      );
    }
  }

  /** The activator's throttler for the revision, created (and given the routable pods) on first use. */
  private throttlerOf(rev: RevisionState, replica: ActivatorReplica): RevisionThrottler {
    let t = rev.throttlers[replica.ordinal];
    if (t === undefined) {
      t = new RevisionThrottler(replica, rev);
      rev.throttlers[replica.ordinal] = t;
      this.throttler.handleUpdate(t, this.engine.nowMs);
    }
    return t;
  }
}
