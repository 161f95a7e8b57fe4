/**
 * Knative's autoscaling of knsim: the Knative Pod Autoscaler (metric windows, the pure decider,
 * the multiscaler), the PodAutoscaler reconcilers of both classes (KPA, and HPA which hands the
 * scaling to a Kubernetes HorizontalPodAutoscaler) and the ServerlessService reconciler, wired
 * onto one engine and fake API server. `startAutoscaler` registers the PodAutoscaler and
 * ServerlessService kinds, starts the reconcilers and returns the sink the activator reports to.
 *
 * Fidelity: mirrors knative/serving `cmd/autoscaler/main.go` (stat sink: record, then poke) and
 * the controllers in `pkg/reconciler/autoscaling/{kpa,hpa}` and `pkg/reconciler/serverlessservice`.
 * Knative runs one controller per class, each filtering PAs by class; knsim runs one that
 * dispatches by class, so runs without an HPA-class PA schedule exactly the events they did.
 */
import type { Engine, PlantedBug } from '../engine/index.js';
import { TYPE, type ConfigMap, type Pod } from '../apis/core.js';
import type { FieldError } from '../apis/field-error.js';
import { LABEL, type PodAutoscaler, type PodAutoscalerStatus, type ServerlessService } from '../apis/serving-types.js';
import { readClass, validateAutoscalingAnnotations } from '../apis/autoscaling-annotations.js';
import { HPA_CLASS, KPA_CLASS, type AutoscalerConfig } from '../apis/config/autoscaler.js';
import type { DeploymentConfig } from '../apis/config/deployment.js';
import type { ApiServer } from '../k8s/api-server.js';
import { Controller } from '../k8s/controller.js';
import { startKindController, type KindReconciler } from '../k8s/reconcile-kind.js';
import { ConfigStore, SYSTEM_NAMESPACE } from '../k8s/config-store.js';
import { KpaReconciler, type PaDecision } from './kpa/reconciler.js';
import { MultiScaler, type DecisionRecord } from './multiscaler.js';
import { SksReconciler } from './sks/reconciler.js';
import { HpaClassReconciler } from './hpa/reconciler.js';
import type { ActivatorStat, ActivatorStatHandle, ActivatorStatSink, PodStatSource } from './stats.js';

export { makeHpa } from './hpa/resources.js';
export {
  createAutoscaler,
  TICK_INTERVAL_MS,
  type Autoscaler,
  type DeciderSpec,
  type PanicState,
  type ScaleExplanation,
  type ScaleInput,
  type ScaleResult,
} from './decider.js';
export { TimedFloat64Buckets, WeightedFloat64Buckets, computeSmoothingCoeff, roundToNDigits } from './aggregation/bucketing.js';
export { MaxTimeWindow, MaxWindow } from './aggregation/max-time-window.js';
export { computeScale } from './kpa/scaler.js';
export { PA_CONDITIONS } from './kpa/reconciler.js';
export { SKS_CONDITIONS } from './sks/reconciler.js';

/** The ConfigMaps the autoscaler reads (in SYSTEM_NAMESPACE). */
const AUTOSCALER_CONFIG_NAME = 'config-autoscaler';
const DEPLOYMENT_CONFIG_NAME = 'config-deployment';
export type { ActivatorStat, ActivatorStatHandle, ActivatorStatSink, PodStat, PodStatHandle, PodStatSource } from './stats.js';

/** The latest decision for a revision: the decider's numbers and what the PA did with them. */
export interface LatestDecision extends Partial<DecisionRecord> {
  namespace: string;
  revision: string;
  /** The PA reconciler's last view (bounds, SKS mode, want); undefined before its first reconcile with a decider. */
  pa?: PaDecision;
}

interface AutoscalerOptions {
  engine: Engine;
  api: ApiServer;
  /** Where the scraper reads queue-proxy stats. */
  podStats: PodStatSource;
  /** Test seam (src/engine/planted-bugs.ts): bugs planted on purpose; none in a real run. */
  plantedBugs?: readonly PlantedBug[];
}

/** What the simulation gets back from `startAutoscaler`. */
export interface AutoscalerHandle extends ActivatorStatSink {
  /** Records an activator stat into the revision's windows, then pokes a revision at zero. */
  reportActivatorStat(stat: ActivatorStat): void;
  /** A revision's destination for activator stats, found once (`ActivatorStatSink.open`). */
  open(namespace: string, revision: string): ActivatorStatHandle | undefined;
  /** Changes whenever a revision's decider is made or forgotten (what `open` finds). */
  version(): number;
  /** The latest decision for a revision, or undefined if it has no PodAutoscaler yet. */
  latestDecision(namespace: string, revision: string): LatestDecision | undefined;
  /**
   * What the latest decision of the revision (its PodAutoscaler bears its name) observed:
   * stable and panic averages, panic mode. For the per-second recorders, by (namespace, name)
   * so that nothing is built each second.
   */
  observedConcurrency(
    namespace: string,
    revision: string,
  ): { readonly observedStable: number; readonly observedPanic: number; readonly inPanic: boolean } | undefined;
  /** The configuration in force. */
  autoscalerConfig(): AutoscalerConfig;
  deploymentConfig(): DeploymentConfig;
}

/**
 * Registers PodAutoscaler and ServerlessService (with Knative's admission checks of the
 * autoscaling annotations) and starts the KPA and SKS reconcilers and the multiscaler.
 */
export function startAutoscaler(options: AutoscalerOptions): AutoscalerHandle {
  const { engine, api, podStats } = options;
  const configs = new ConfigStore(engine, api, 'autoscaler');

  api.registerKind<PodAutoscaler>(TYPE.podAutoscaler, {
    namespaced: true,
    errorStyle: 'knative',
    validator: (pa) => {
      const errors: FieldError[] = validateAutoscalingAnnotations(pa.metadata.annotations, configs.autoscaler());
      if (!pa.spec?.scaleTargetRef?.name) errors.push({ path: 'spec.scaleTargetRef.name', message: 'missing field(s)' });
      return errors;
    },
  });
  api.registerKind<ServerlessService>(TYPE.serverlessService, {
    namespaced: true,
    errorStyle: 'knative',
    validator: (sks) => {
      const errors: FieldError[] = [];
      if (sks.spec?.mode !== 'Serve' && sks.spec?.mode !== 'Proxy') errors.push({ path: 'spec.mode', message: `invalid value: ${String(sks.spec?.mode)}` });
      if (!sks.spec?.objectRef?.name) errors.push({ path: 'spec.objectRef.name', message: 'missing field(s)' });
      return errors;
    },
  });

  let paController: Controller | null = null;
  const multiscaler = new MultiScaler(engine, api, podStats, (key) => paController?.enqueue(key));
  const kpa = new KpaReconciler({ engine, api, configs, multiscaler, plantedBugs: options.plantedBugs ?? [] });
  const hpa = new HpaClassReconciler({ engine, api, configs });
  paController = startKindController('autoscaler', engine, api, classDispatcher(kpa, hpa, configs));
  const pac = paController;
  // hpa.go: the HPA's status changes (its replicas) re-reconcile the owning PA.
  pac.watchControlled(api, TYPE.horizontalPodAutoscaler, 'PodAutoscaler');
  api.watch<ServerlessService>(TYPE.serverlessService, (e) => pac.enqueue(`${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}`));
  api.watch<Pod>(TYPE.pod, (e) => {
    const revision = e.object.metadata.labels?.[LABEL.revision];
    if (revision !== undefined) pac.enqueue(`${e.object.metadata.namespace ?? ''}/${revision}`);
  });
  api.watch<ConfigMap>(TYPE.configMap, (e) => {
    const m = e.object.metadata;
    if (m.namespace !== SYSTEM_NAMESPACE || (m.name !== AUTOSCALER_CONFIG_NAME && m.name !== DEPLOYMENT_CONFIG_NAME)) return;
    for (const pa of api.list<PodAutoscaler>(TYPE.podAutoscaler)) pac.enqueue(`${pa.metadata.namespace ?? ''}/${pa.metadata.name}`);
  });

  const sksReconciler = new SksReconciler(api);
  const sksController = startKindController('serverlessservice', engine, api, sksReconciler);
  sksController.watchControlled(api, TYPE.service, 'ServerlessService');
  api.watch(TYPE.endpoints, (e) => {
    const name = e.object.metadata.name;
    if (name.endsWith('-private')) sksController.enqueue(`${e.object.metadata.namespace ?? ''}/${name.slice(0, -'-private'.length)}`);
  });

  return {
    reportActivatorStat(stat: ActivatorStat): void {
      multiscaler.recordActivatorStat(stat);
    },
    open(namespace: string, revision: string): ActivatorStatHandle | undefined {
      return multiscaler.openActivatorStats(namespace, revision);
    },
    version(): number {
      return multiscaler.entriesVersion;
    },
    latestDecision(namespace: string, revision: string): LatestDecision | undefined {
      const record = multiscaler.latest(namespace, revision);
      const pa = kpa.decision(namespace, revision);
      if (record === undefined && pa === undefined) return undefined;
      return { ...(record ?? {}), namespace, revision, ...(pa !== undefined ? { pa } : {}) };
    },
    observedConcurrency: (namespace, revision) => multiscaler.observed(namespace, revision),
    autoscalerConfig: () => configs.autoscaler(),
    deploymentConfig: () => configs.deployment(),
  };
}

/**
 * One PodAutoscaler controller for both classes Knative ships (as its kpa and hpa controllers
 * each filter by class): a PA goes to the KPA or the HPA reconciler by its class annotation
 * (else config-autoscaler's pod-autoscaler-class); other classes are left alone.
 */
function classDispatcher(kpa: KpaReconciler, hpa: HpaClassReconciler, configs: ConfigStore): KindReconciler<PodAutoscaler, PodAutoscalerStatus> {
  return {
    type: kpa.type,
    conditions: kpa.conditions,
    ignores: (pa) => {
      const cls = readClass(pa.metadata.annotations, configs.autoscaler());
      return cls !== KPA_CLASS && cls !== HPA_CLASS;
    },
    reconcile: (pa, status, nowMs) =>
      readClass(pa.metadata.annotations, configs.autoscaler()) === HPA_CLASS ? hpa.reconcile(pa, status, nowMs) : kpa.reconcile(pa, status, nowMs),
    deleted: (namespace, name) => {
      kpa.deleted(namespace, name);
      hpa.deleted(namespace, name);
    },
  };
}
