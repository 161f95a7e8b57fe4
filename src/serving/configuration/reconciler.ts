/**
 * The Configuration reconciler: one immutable Revision per generation, and the
 * latestCreated/latestReady bookkeeping that `latestRevision` traffic follows.
 * Fidelity: knative/serving pkg/reconciler/configuration/configuration.go and
 * configuration_lifecycle.go. latestReadyRevisionName only moves forward: it is the
 * newest ready revision at or after the current latest ready one, so a newer revision
 * that fails leaves traffic where it was. Ready is True when latestReady == latestCreated,
 * Unknown while the newest revision comes up, False (RevisionFailed) when it failed.
 */
import type { Controller } from '../../k8s/controller.js';
import { startKindController, type KindReconciler } from '../../k8s/reconcile-kind.js';
import { isApiError } from '../../k8s/api-server.js';
import { TYPE } from '../../apis/core.js';
import { deepEqual, isControlledBy, type Condition } from '../../apis/meta.js';
import { getCondition, mark } from '../../apis/conditions.js';
import { COND, MESSAGE, REASON, configurationConditionSet } from '../../apis/serving-lifecycle.js';
import { LABEL, type Configuration, type ConfigurationStatus, type Revision } from '../../apis/serving-types.js';
import type { ServingContext } from '../shared.js';
import { makeRevision } from './resources/revision.js';

const set = configurationConditionSet;

export function startConfigurationReconciler(ctx: ServingContext): Controller {
  const controller = startKindController('configuration-controller', ctx.engine, ctx.api, configurationReconciler(ctx));
  controller.watchControlled(ctx.api, TYPE.revision, 'Configuration');
  return controller;
}

function generationOf(rev: Revision): number {
  return Number(rev.metadata.labels?.[LABEL.configurationGeneration] ?? NaN);
}

function configurationReconciler(ctx: ServingContext): KindReconciler<Configuration, ConfigurationStatus> {
  return { type: TYPE.configuration, conditions: set, reconcile: (config, status, nowMs) => reconcileConfigurationKind(ctx, config, status, nowMs) };
}

function reconcileConfigurationKind(ctx: ServingContext, config: Configuration, status: ConfigurationStatus, nowMs: number): void {
  const { api, engine } = ctx;
  const namespace = config.metadata.namespace ?? '';
  const name = config.metadata.name;
  const conditions = status.conditions as Condition[];

  const generation = config.metadata.generation ?? 1;
  const byoName = config.spec.template?.metadata?.name;
  let latest: Revision | undefined;
  if (byoName) {
    latest = api.get<Revision>(TYPE.revision, namespace, byoName);
    if (latest !== undefined && (!isControlledBy(latest, config) || !deepEqual(latest.spec, config.spec.template.spec))) {
      mark(
        set,
        conditions,
        COND.ready,
        'False',
        nowMs,
        'RevisionFailed',
        `Revision creation failed with message: revisions.serving.knative.dev "${byoName}" already exists.`,
      );
      return;
    }
  } else {
    latest = api.list<Revision>(TYPE.revision, {
      namespace,
      selector: { [LABEL.configuration]: name, [LABEL.configurationGeneration]: String(generation) },
    })[0];
  }
  if (latest === undefined) {
    try {
      latest = api.create(makeRevision(config, nowMs));
      engine.trace('configuration-controller', name, `Created Revision "${latest.metadata.name}"`);
    } catch (err) {
      if (!isApiError(err) || err.reason === 'AlreadyExists' || err.reason === 'Conflict') throw err;
      mark(set, conditions, COND.ready, 'False', nowMs, 'RevisionFailed', `Revision creation failed with message: ${err.message}.`);
      return;
    }
  }

  const revName = latest.metadata.name;
  status.latestCreatedRevisionName = revName;
  if (status.latestReadyRevisionName !== revName) mark(set, conditions, COND.ready, 'Unknown', nowMs);
  const rc = getCondition(latest.status?.conditions, COND.ready);
  if (rc?.status === 'False') mark(set, conditions, COND.ready, 'False', nowMs, REASON.revisionFailed, MESSAGE.latestCreatedFailed(revName, rc.message ?? ''));

  // The newest ready revision at or after the current latest ready one (by configurationGeneration).
  const currentReady = status.latestReadyRevisionName ? api.get<Revision>(TYPE.revision, namespace, status.latestReadyRevisionName) : undefined;
  const fromGeneration = currentReady !== undefined ? generationOf(currentReady) : -Infinity;
  const candidates = api
    .list<Revision>(TYPE.revision, { namespace, selector: { [LABEL.configuration]: name } })
    .filter((r) => r.metadata.name === revName || generationOf(r) >= fromGeneration)
    .sort((a, b) => (a.metadata.name === byoName ? -1 : b.metadata.name === byoName ? 1 : generationOf(b) - generationOf(a)));
  for (const r of candidates) {
    if (isRevisionReady(r)) {
      if (status.latestReadyRevisionName !== r.metadata.name)
        engine.trace('configuration-controller', name, `LatestReadyRevisionName updated to "${r.metadata.name}"`);
      status.latestReadyRevisionName = r.metadata.name;
      if (r.metadata.name === status.latestCreatedRevisionName) mark(set, conditions, COND.ready, 'True', nowMs);
      break;
    }
  }
  if (status.latestReadyRevisionName && currentReady === undefined && !candidates.some((r) => r.metadata.name === status.latestReadyRevisionName)) {
    mark(set, conditions, COND.ready, 'False', nowMs, REASON.revisionDeleted, MESSAGE.latestReadyDeleted(status.latestReadyRevisionName));
  }
}

/** Ready and observed at its generation (Revision.IsReady). */
function isRevisionReady(rev: Revision): boolean {
  return rev.status?.observedGeneration === rev.metadata.generation && getCondition(rev.status?.conditions, COND.ready)?.status === 'True';
}
