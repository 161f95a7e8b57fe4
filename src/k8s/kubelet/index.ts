/**
 * The kubelets of the cluster: one per node, started for every node there is and every node
 * added later; pod events are dispatched to the kubelet of the pod's `spec.nodeName`.
 */
import type { Engine } from '../../engine/index.js';
import { TYPE, type Node, type Pod } from '../../apis/core.js';
import type { ApiServer } from '../api-server.js';
import type { ClusterProfile } from '../profile.js';
import { Kubelet, type KubeletHooks, type PreStopHook } from './kubelet.js';
import type { ContainerExit, ProcessFactory } from './runtime.js';

export type { PreStopHook } from './kubelet.js';
export type { ContainerExit, ContainerProcess, ContainerStart, ProbeAnswer, ProbeKind, ProcessFactory } from './runtime.js';
export { defaultProcess, refusedMessage, timeoutMessage } from './runtime.js';
export { CRASH_BACKOFF_INITIAL_MS, CRASH_BACKOFF_MAX_MS, ContainerBackOff } from './restarts/backoff.js';

/** What the rest of the simulation can ask of the kubelets. */
export interface KubeletHandle {
  setPreStopHook(hook: PreStopHook | undefined): void;
  /** Registers what runs inside containers (the data plane's app models); undefined: the default process. */
  setProcesses(factory: ProcessFactory | undefined): void;
  /**
   * A running container ended outside the kubelet's own doing (the runtime killed it, e.g.
   * out of memory, reason `OOMKilled`, exit code 137): its process is told it is gone, and
   * the container goes through the restart policy and CrashLoopBackOff like any exit.
   * False when the pod is on no node or the container is not running.
   */
  terminateContainer(namespace: string, podName: string, containerName: string, exit: ContainerExit): boolean;
  /** Images in a node's cache, sorted (undefined for an unknown node). */
  imagesOn(nodeName: string): string[] | undefined;
}

/** Starts a kubelet for every node there is and every node added later; dispatches pod events by `spec.nodeName`. */
export function startKubelets(engine: Engine, api: ApiServer, profile: ClusterProfile): KubeletHandle {
  return new KubeletManager(engine, api, profile);
}

class KubeletManager implements KubeletHandle, KubeletHooks {
  private readonly kubelets = new Map<string, Kubelet>();
  preStopHook: PreStopHook | undefined;
  processes: ProcessFactory | undefined;

  constructor(
    readonly engine: Engine,
    readonly api: ApiServer,
    readonly profile: ClusterProfile,
  ) {
    for (const node of api.list<Node>(TYPE.node)) this.addNode(node);
    api.watch<Node>(TYPE.node, (e) => {
      if (e.type === 'ADDED') this.addNode(e.object);
    });
    api.watch<Pod>(TYPE.pod, (e) => {
      const nodeName = e.object.spec.nodeName;
      if (!nodeName) return;
      const kubelet = this.kubelets.get(nodeName);
      if (kubelet === undefined) return;
      if (e.type === 'DELETED') kubelet.onPodDeleted(e.object);
      else kubelet.onPod(e.object);
    });
  }

  setPreStopHook(hook: PreStopHook | undefined): void {
    this.preStopHook = hook;
  }

  setProcesses(factory: ProcessFactory | undefined): void {
    this.processes = factory;
  }

  terminateContainer(namespace: string, podName: string, containerName: string, exit: ContainerExit): boolean {
    const nodeName = this.api.get<Pod>(TYPE.pod, namespace, podName)?.spec.nodeName;
    const kubelet = nodeName === undefined ? undefined : this.kubelets.get(nodeName);
    return kubelet?.terminateContainer(namespace, podName, containerName, exit) ?? false;
  }

  imagesOn(nodeName: string): string[] | undefined {
    const k = this.kubelets.get(nodeName);
    return k === undefined ? undefined : [...k.images.images].sort();
  }

  private addNode(node: Node): void {
    const name = node.metadata.name;
    if (this.kubelets.has(name)) return;
    const hostIP = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    this.kubelets.set(name, new Kubelet(this.engine, this.api, this.profile, this, name, this.kubelets.size, hostIP));
  }
}
