/**
 * The ingress router: a host table built from `Ingress` objects and a weighted random
 * choice of revision per request.
 *
 * Each Ingress rule lists hosts (the service URL host, tag hosts, cluster-local hosts)
 * with a visibility and weighted revision splits. A `ClusterLocal` host answers only
 * requests marked as coming from inside the cluster; an outside request gets 404, as
 * the external gateway has no such virtual host. Unknown hosts get 404. A DomainMapping's
 * host rewrites to its target's cluster-local host and takes that host's splits.
 *
 * Route changes reach the table `routePropagationMs` after the Ingress write (the
 * caller delays the apply). Host entries are stable objects: a workload may keep one
 * (`hostHandle`) and skip the per-request string lookup.
 *
 * Fidelity: knative/networking's Ingress as programmed into a gateway (Kourier/Istio
 * Envoy). The split choice is a weighted draw per request from `router/<host>`, as
 * Envoy's weighted clusters do; no header-based or sticky routing.
 */
import type { Engine, Rng } from '../engine/index.js';
import type { Ingress } from '../apis/serving-types.js';
import type { RevisionState, RouteHost } from './records.js';

/**
 * Time for an Ingress change to reach the gateway and serve. Knative's ingress prober
 * (knative/networking pkg/status/status.go) first probes 200 ms after a change and
 * retries with backoff from 50 ms; with the gateway's xDS push a new route is typically
 * serving within about a second. A modelling estimate; scenarios can set it.
 */
export const DEFAULT_ROUTE_PROPAGATION_MS = 1000;

// A constant, so that the checks on the request path build nothing while they pass.
const SPLIT_MISSING = 'knsim bug: a routed host has no revision or cumulative percent for its split';

export class HostEntry implements RouteHost {
  /** null while no Ingress programs this host (→ 404). */
  visibility: 'ExternalIP' | 'ClusterLocal' | null = null;
  /** Revisions with a positive percent, and their cumulative percents. */
  revisions: RevisionState[] = [];
  cumulativePercent: number[] = [];
  totalPercent = 0;
  /** `namespace/name` of the Ingress that programmed it. */
  owner = '';
  /** A DomainMapping's rule: requests continue as if sent to this host (its splits, not its visibility). */
  rewrite: HostEntry | null = null;
  private rng: Rng | null = null;

  constructor(
    readonly host: string,
    private readonly engine: Engine,
  ) {}

  /**
   * A revision for one request: a draw u in [0, total) against cumulative percents.
   * Example: splits 90/10 → cumulative [90, 100]; u = 93.2 picks the second revision.
   * One split needs no draw, so adding a tag elsewhere never shifts this host's stream.
   */
  pick(): RevisionState {
    const revisions = this.revisions;
    const last = revisions.length - 1;
    let i = 0;
    if (last > 0) {
      if (this.rng === null) this.rng = this.engine.rng(`router/${this.host}`);
      const u = this.rng() * this.totalPercent;
      const cumulative = this.cumulativePercent;
      while (i < last) {
        const bound = cumulative[i];
        if (bound === undefined) throw new Error(SPLIT_MISSING);
        if (u < bound) break;
        i++;
      }
    }
    // The data plane picks only for hosts with at least one revision.
    const rev = revisions[i];
    if (rev === undefined) throw new Error(SPLIT_MISSING);
    return rev;
  }
}

export class HostTable {
  private readonly hosts = new Map<string, HostEntry>();
  /** Hosts each Ingress programmed, to clear them when it changes or goes. */
  private readonly hostsByIngress = new Map<string, string[]>();

  constructor(
    private readonly engine: Engine,
    private readonly revisionOf: (namespace: string, name: string) => RevisionState,
  ) {}

  /** The stable entry for a host, created empty (→ 404) if no Ingress names it yet. */
  entry(host: string): HostEntry {
    let entry = this.hosts.get(host);
    if (entry === undefined) {
      entry = new HostEntry(host, this.engine);
      this.hosts.set(host, entry);
    }
    return entry;
  }

  /** Programs an Ingress's rules (or clears them when `ingress` is undefined, on deletion). */
  apply(key: string, ingress: Ingress | undefined): void {
    for (const host of this.hostsByIngress.get(key) ?? []) {
      // Entries are never removed, so a host this Ingress programmed is still there.
      const entry = this.hosts.get(host);
      if (entry === undefined || entry.owner !== key) continue;
      entry.visibility = null;
      entry.revisions = [];
      entry.cumulativePercent = [];
      entry.totalPercent = 0;
      entry.owner = '';
      entry.rewrite = null;
    }
    this.hostsByIngress.delete(key);
    if (ingress === undefined) return;
    const programmed: string[] = [];
    for (const rule of ingress.spec?.rules ?? []) {
      const revisions: RevisionState[] = [];
      const cumulative: number[] = [];
      let total = 0;
      for (const split of rule.splits ?? []) {
        if (!(split.percent > 0)) continue;
        total += split.percent;
        revisions.push(this.revisionOf(split.serviceNamespace || (ingress.metadata.namespace ?? 'default'), split.revisionName));
        cumulative.push(total);
      }
      const rewrite = rule.rewriteHost === undefined ? null : this.entry(rule.rewriteHost);
      for (const host of rule.hosts ?? []) {
        const entry = this.entry(host);
        entry.visibility = rule.visibility === 'ClusterLocal' ? 'ClusterLocal' : 'ExternalIP';
        entry.revisions = revisions;
        entry.cumulativePercent = cumulative;
        entry.totalPercent = total;
        entry.owner = key;
        entry.rewrite = rewrite;
        programmed.push(host);
      }
    }
    this.hostsByIngress.set(key, programmed);
  }

  /** Hosts currently routable, sorted (for views and tests). */
  routableHosts(): string[] {
    return [...this.hosts.values()]
      .filter((e) => e.visibility !== null && (e.revisions.length > 0 || e.rewrite !== null))
      .map((e) => e.host)
      .sort();
  }
}
