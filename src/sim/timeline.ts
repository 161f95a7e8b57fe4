/**
 * Carries out the scenario's timeline at its virtual times: `apply` (create or
 * replace, as `kubectl apply` does for whole manifests), `kn` (a kn command line,
 * whose wait for readiness is followed over virtual time) and `delete`. Each action
 * and its output become events of the `kubectl` or `kn` component; a failing action is
 * an event too (with its scenario position), never an exception: the run goes on, as
 * a cluster would.
 */
import { deepCopy, type KObject } from '../apis/meta.js';
import { TYPE, type ConfigMap } from '../apis/core.js';
import { isApiError, typeOf, type WatchEvent } from '../k8s/api-server.js';
import { runKn, type KnExecution } from '../kn/index.js';
import type { ApplyAction, DeleteAction, KnAction, Scenario, TimelineAction } from '../scenario/index.js';
import type { World } from './world.js';

/** Schedules every action of the timeline on the world's engine. */
export function scheduleTimeline(world: World, scenario: Scenario): void {
  for (const action of scenario.timeline) world.engine.at(action.atMs, () => runAction(world, action));
}

function runAction(world: World, action: TimelineAction): void {
  if (action.note !== undefined) world.engine.trace('scenario', `timeline[${action.index}]`, action.note);
  switch (action.action) {
    case 'apply':
      return runApply(world, action);
    case 'kn':
      return runKnAction(world, action);
    case 'delete':
      return runDelete(world, action);
  }
}

function runApply(world: World, action: ApplyAction): void {
  for (const { object } of action.objects) {
    const label = `${resourceName(object)}/${object.metadata.name}`;
    try {
      const verb = applyObject(world, object);
      world.engine.trace('kubectl', label, verb);
    } catch (err) {
      if (!isApiError(err)) throw err;
      world.engine.trace('kubectl', label, `error: ${err.message} (${where(action)})`);
    }
  }
}

/** Creates the object, or replaces the spec, labels and annotations of an existing one. Returns kubectl's verb. */
function applyObject(world: World, input: KObject): 'created' | 'configured' | 'unchanged' {
  const type = typeOf(input);
  const namespace = input.metadata.namespace ?? 'default';
  const existing = world.api.get(type, namespace, input.metadata.name);
  if (existing === undefined) {
    world.api.create(input);
    return 'created';
  }
  const next = deepCopy(existing) as KObject & { data?: Record<string, string> };
  next.spec = deepCopy(input.spec);
  if (type === TYPE.configMap) next.data = deepCopy((input as ConfigMap).data);
  next.metadata.labels = deepCopy(input.metadata.labels);
  next.metadata.annotations = deepCopy(input.metadata.annotations);
  const stored = world.api.update(next);
  return stored === existing ? 'unchanged' : 'configured';
}

function runDelete(world: World, action: DeleteAction): void {
  const label = `${action.kind.toLowerCase()}/${action.name}`;
  try {
    world.api.delete(action.type, action.namespace, action.name);
    world.engine.trace('kubectl', label, 'deleted');
  } catch (err) {
    if (!isApiError(err)) throw err;
    world.engine.trace('kubectl', label, `error: ${err.message} (${where(action)})`);
  }
}

function runKnAction(world: World, action: KnAction): void {
  // The command was parsed once, by the loader.
  const command = action.command;
  const object = command.names.length > 0 ? `${command.group}/${command.names[0]}` : command.group;
  world.engine.trace('kn', object, `$ kn ${action.commandLine}`);
  const execution = runKn({ engine: world.engine, api: world.api }, command);
  emitLines(world, object, execution.output);
  if (execution.waiting) followWait(world, object, execution, command.namespace, command.names[0]);
}

/** Feeds Service watch events to a waiting kn command until it is done, printing its progress lines. */
function followWait(world: World, object: string, execution: KnExecution, namespace: string, name: string | undefined): void {
  const { engine, api } = world;
  let finished = false;
  const look = (event?: WatchEvent): void => {
    if (finished) return;
    // kn watches only its own Service.
    if (event !== undefined && (event.object.metadata.name !== name || event.object.metadata.namespace !== namespace)) return;
    const progress = execution.observe(api, engine.nowMs);
    emitLines(world, object, progress.text);
    if (progress.done) {
      finished = true;
      stop();
      engine.cancel(deadline);
    }
  };
  const stop = api.watch(TYPE.knService, look);
  const deadline = engine.at(execution.deadlineMs ?? engine.nowMs + 600_000, () => look());
  look();
}

function emitLines(world: World, object: string, text: string): void {
  for (const line of text.split('\n')) if (line.trim() !== '') world.engine.trace('kn', object, line);
}

function resourceName(obj: KObject): string {
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : `.${obj.apiVersion.slice(0, slash)}`;
  return `${obj.kind.toLowerCase()}${group}`;
}

function where(action: TimelineAction): string {
  return `${action.pos.file}:${action.pos.line}:${action.pos.column}`;
}
