/**
 * fast-check arbitraries of kn command sequences a user could type against one service:
 * `kn service create`, then updates (a new revision by `--env` or `--image`), traffic splits
 * with `--traffic`, tags with `--tag`/`--untag`, rollbacks (`--traffic <older revision>=100`)
 * and `kn revision delete` of a revision nothing routes to. Each draw is folded through the
 * service's state (its revisions, traffic and tags), so a command only names revisions and
 * tags that exist by then and deletes only what no route needs; shrinking drops commands and
 * the fold keeps the rest consistent.
 *
 * Fidelity: kn's flags and syntax (knative/client); revision names `<service>-0000N` as the
 * Configuration numbers them (a traffic-only update makes no revision).
 */
import fc from 'fast-check';
import type { ActionDocument } from '../document.js';

export interface KnSequenceOptions {
  /** The service's name (default `sunshine`). */
  service?: string;
  /** Images to pick from (default `rainbows`; a second one lets `--image` updates happen). */
  images?: readonly string[];
  /** When the `kn service create` runs (ms, default 0) and the time between commands (default 30 s, about a cold start). */
  startMs?: number;
  spacingMs?: number;
  /** Most commands after the create (default 8). */
  maxCommands?: number;
  /** Extra flags for the create, e.g. `--scale-window 20s`. */
  createFlags?: string;
}

type Step = { kind: 'env' | 'image' | 'split' | 'latest' | 'tag' | 'untag' | 'rollback' | 'delete'; pick: number; percent: number; tagIndex: number };

const TAGS = ['current', 'candidate', 'stable', 'preview'] as const;

/** `kn service create` followed by up to `maxCommands` updates, spaced in time. */
export function knSequenceArb(options: KnSequenceOptions = {}): fc.Arbitrary<ActionDocument[]> {
  const svc = options.service ?? 'sunshine';
  const images = options.images ?? ['rainbows'];
  const startMs = options.startMs ?? 0;
  const spacingMs = options.spacingMs ?? 30_000;
  const step: fc.Arbitrary<Step> = fc.record({
    kind: fc.constantFrom('env', 'image', 'split', 'latest', 'tag', 'untag', 'rollback', 'delete'),
    pick: fc.nat({ max: 1000 }),
    percent: fc.integer({ min: 1, max: 99 }),
    tagIndex: fc.nat({ max: TAGS.length - 1 }),
  });
  return fc.tuple(fc.constantFrom(...images), fc.array(step, { maxLength: options.maxCommands ?? 8 })).map(([image, steps]) => {
    const at = (i: number): string => `${Math.round((startMs + i * spacingMs) / 1000)}s`;
    const create = `kn service create ${svc} --image=${image}${options.createFlags !== undefined ? ` ${options.createFlags}` : ''}`;
    const out: ActionDocument[] = [{ at: at(0), kn: create }];
    const s = new ServiceState(svc, image);
    for (const st of steps) {
      const line = s.command(st, images);
      if (line !== undefined) out.push({ at: at(out.length), kn: line });
    }
    return out;
  });
}

/** What the user knows of the service after each command: its revisions, where traffic goes, its tags. */
class ServiceState {
  revisions = 1;
  deleted = new Set<number>();
  release = 0;
  /** Revision number → percent of traffic pinned to it; `latest` → percent following the latest. */
  pinned = new Map<number, number>();
  latestPercent = 100;
  tags = new Map<string, number>();

  constructor(
    readonly svc: string,
    public image: string,
  ) {}

  private name(n: number): string {
    return `${this.svc}-${String(n).padStart(5, '0')}`;
  }

  private live(): number[] {
    const out: number[] = [];
    for (let n = 1; n <= this.revisions; n++) if (!this.deleted.has(n)) out.push(n);
    return out;
  }

  /** The kn line for a drawn step, or undefined when the step cannot apply now. */
  command(st: Step, images: readonly string[]): string | undefined {
    const older = this.live().filter((n) => n !== this.revisions);
    const choose = (list: number[]): number | undefined => list[st.pick % Math.max(1, list.length)];
    switch (st.kind) {
      case 'image': {
        const other = images.filter((i) => i !== this.image);
        const next = other[st.pick % Math.max(1, other.length)];
        if (next !== undefined) {
          this.image = next;
          this.revisions++;
          return `kn service update ${this.svc} --image=${next}`;
        }
        this.release++;
        this.revisions++;
        return `kn service update ${this.svc} --env RELEASE=${this.release}`;
      }
      case 'env':
        this.release++;
        this.revisions++;
        return `kn service update ${this.svc} --env RELEASE=${this.release}`;
      case 'split': {
        const rev = choose(older);
        if (rev === undefined) return undefined;
        this.pinned = new Map([[rev, 100 - st.percent]]);
        this.latestPercent = st.percent;
        return `kn service update ${this.svc} --traffic ${this.name(rev)}=${100 - st.percent},@latest=${st.percent}`;
      }
      case 'latest':
        this.pinned = new Map();
        this.latestPercent = 100;
        return `kn service update ${this.svc} --traffic @latest=100`;
      case 'rollback': {
        const rev = choose(older);
        if (rev === undefined) return undefined;
        this.pinned = new Map([[rev, 100]]);
        this.latestPercent = 0;
        return `kn service update ${this.svc} --traffic ${this.name(rev)}=100`;
      }
      case 'tag': {
        const tag = TAGS[st.tagIndex];
        const rev = choose(this.live());
        if (tag === undefined || rev === undefined || this.tags.has(tag)) return undefined;
        this.tags.set(tag, rev);
        return `kn service update ${this.svc} --tag ${this.name(rev)}=${tag}`;
      }
      case 'untag': {
        const tag = [...this.tags.keys()].sort()[st.pick % Math.max(1, this.tags.size)];
        if (tag === undefined) return undefined;
        this.tags.delete(tag);
        return `kn service update ${this.svc} --untag ${tag}`;
      }
      case 'delete': {
        // Only a revision no route needs (not pinned, not tagged) and no waiting kn command
        // still watches: two generations behind the latest.
        const tagged = new Set(this.tags.values());
        const rev = choose(older.filter((n) => n <= this.revisions - 2 && !this.pinned.has(n) && !tagged.has(n)));
        if (rev === undefined) return undefined;
        this.deleted.add(rev);
        return `kn revision delete ${this.name(rev)}`;
      }
    }
  }
}
