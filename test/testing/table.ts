/**
 * Table tests of single reconciles, after knative.dev/pkg `reconciler/testing/table.go`:
 * a row names the objects in the fake API before the reconcile, the key, and the exact
 * writes the reconcile must make (creates, updates, status updates, deletes, in order),
 * each matched on the parts the row gives. Objects may be functions of the objects added
 * before them, so a child can carry its parent's uid in its owner reference, and are
 * usually made with the code's own resource builders, as Knative's rows are.
 */
import { expect } from 'vitest';
import { Engine, type TraceEntry } from '../../src/engine/index.js';
import type { KObject } from '../../src/apis/meta.js';
import { ApiServer, typeOf, type Verb } from '../../src/k8s/api-server.js';
import { registerCoreKinds } from '../../src/k8s/core-kinds.js';
import { startServing } from '../../src/serving/index.js';
import { startAutoscaler } from '../../src/autoscaler/index.js';

/** The objects of a row added so far, by kind and name. */
export interface Added {
  get<T extends KObject>(kind: string, name: string): T;
}

/** One expected write: the verb and object, and any parts of the written object to match. */
export interface WantWrite {
  verb: Verb;
  kind: string;
  name: string;
  metadata?: Record<string, unknown>;
  spec?: unknown;
  status?: unknown;
}

export interface TableRow {
  name: string;
  /** Objects in the API before the reconcile (status included). */
  objects: (KObject | ((added: Added) => KObject))[];
  /** `namespace/name` to reconcile. */
  key: string;
  /** Changes made through the API after the objects were added, before the reconcile (not recorded as writes). */
  edit?: (api: ApiServer) => void;
  /** Virtual time of the reconcile (objects are added at 0). */
  nowMs?: number;
  want: WantWrite[];
  /** Traced facts, matched in order on the fields given. */
  wantTrace?: Partial<TraceEntry>[];
}

export interface TableWorld {
  engine: Engine;
  api: ApiServer;
}

/** Adds the row's objects, reconciles the key once, and checks the writes and traces. */
export function runRow(row: TableRow, reconcile: (world: TableWorld, key: string) => unknown, setup?: (world: TableWorld) => void): void {
  const engine = new Engine({ seed: 1 });
  const api = new ApiServer(engine, { watchLatencyMs: 0 });
  const world = { engine, api };
  setup?.(world);
  const added = new Map<string, KObject>();
  const lookup: Added = {
    get<T extends KObject>(kind: string, name: string): T {
      const obj = added.get(`${kind}/${name}`);
      if (obj === undefined) throw new Error(`row "${row.name}": no ${kind} "${name}" added before`);
      return obj as T;
    },
  };
  for (const item of row.objects) {
    const obj = typeof item === 'function' ? item(lookup) : item;
    let stored = api.create(obj);
    if (obj.status !== undefined) stored = api.updateStatus({ ...stored, status: obj.status });
    added.set(`${obj.kind}/${obj.metadata.name}`, stored);
  }
  row.edit?.(api);
  engine.nowMs = row.nowMs ?? 0;
  const writes: { verb: Verb; kind: string; name: string; object: KObject }[] = [];
  api.addReactor('*', '*', (verb, obj) => {
    writes.push({ verb, kind: obj.kind, name: obj.metadata.name, object: obj });
    return undefined;
  });
  const trace: TraceEntry[] = [];
  engine.onTrace((e) => trace.push(e));
  reconcile(world, row.key);

  expect(
    writes.map((w) => `${w.verb} ${w.kind}/${w.name}`),
    `row "${row.name}": writes`,
  ).toEqual(row.want.map((w) => `${w.verb} ${w.kind}/${w.name}`));
  row.want.forEach((want, i) => {
    const got = writes[i]?.object as KObject;
    const parts: Record<string, unknown> = {};
    if (want.metadata !== undefined) parts.metadata = want.metadata;
    if (want.spec !== undefined) parts.spec = want.spec;
    if (want.status !== undefined) parts.status = want.status;
    expect(got, `row "${row.name}": ${want.verb} ${want.kind}/${want.name} (${typeOf(got)})`).toMatchObject(parts);
  });
  if (row.wantTrace !== undefined) {
    expect(
      trace.map((e) => `${e.component} ${e.object}`),
      `row "${row.name}": trace`,
    ).toEqual(row.wantTrace.map((e) => `${e.component} ${e.object}`));
    row.wantTrace.forEach((want, i) => expect(trace[i], `row "${row.name}": trace ${i}`).toMatchObject(want));
  }
}

/** Registers Kubernetes' and Knative's admission (defaulting, validation) as the API server has it. */
export function withAdmission(world: TableWorld): void {
  registerCoreKinds(world.api);
  startServing({ engine: world.engine, api: world.api });
  startAutoscaler({ engine: world.engine, api: world.api, podStats: { scrape: () => undefined } });
}
