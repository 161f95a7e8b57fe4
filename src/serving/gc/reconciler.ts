/**
 * The revision garbage collector: a Configuration-keyed reconciler that deletes the
 * revisions `selectRevisionsToCollect` picks, and looks again when the next kept
 * candidate turns stale. Fidelity: knative/serving pkg/reconciler/gc/{gc,reconciler}.go
 * (Knative re-checks on the informer resync; knsim schedules the exact moment instead).
 */
import { Controller } from '../../k8s/controller.js';
import { TYPE } from '../../apis/core.js';
import { splitKey } from '../../apis/meta.js';
import { LABEL, type Configuration, type Revision } from '../../apis/serving-types.js';
import type { ServingContext } from '../shared.js';
import { selectRevisionsToCollect } from './collect.js';

export function startRevisionGc(ctx: ServingContext): Controller {
  const controller = new Controller('revision-gc', ctx.engine, (key) => collectConfiguration(ctx, key));
  controller.watchOwn(ctx.api, TYPE.configuration);
  controller.watchControlled(ctx.api, TYPE.revision, 'Configuration');
  ctx.api.watch(TYPE.configMap, (e) => {
    if (e.object.metadata.namespace !== 'knative-serving' || e.object.metadata.name !== 'config-gc') return;
    for (const c of ctx.api.list<Configuration>(TYPE.configuration)) controller.enqueue(`${c.metadata.namespace ?? ''}/${c.metadata.name}`);
  });
  return controller;
}

function collectConfiguration(ctx: ServingContext, key: string): void | { requeueAfterMs: number } {
  const { api, engine } = ctx;
  const { namespace, name } = splitKey(key);
  const config = api.get<Configuration>(TYPE.configuration, namespace, name);
  if (config === undefined) return;
  const revisions = api.list<Revision>(TYPE.revision, { namespace, selector: { [LABEL.configuration]: name } });
  const decision = selectRevisionsToCollect(revisions, config, ctx.configs.gc(), engine.nowMs);
  for (const rev of decision.deletes) {
    api.delete(TYPE.revision, namespace, rev);
    engine.trace('revision-gc', rev, 'Deleted non-active revision');
  }
  if (decision.nextCheckAtMs !== undefined) return { requeueAfterMs: decision.nextCheckAtMs - engine.nowMs };
}
