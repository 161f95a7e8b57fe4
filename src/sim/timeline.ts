/**
 * Carries out the scenario's timeline at its virtual times: `apply` (create or
 * replace, as `kubectl apply` does for whole manifests), `kn` (a kn command line,
 * whose wait for readiness is followed over virtual time), `kubectl` (`kubectl label`)
 * and `delete`. Each action
 * and its output become events of the `kubectl` or `kn` component; a failing action is
 * an event too (with its scenario position), never an exception: the run goes on, as
 * a cluster would.
 */
import { deepCopy, type KObject } from '../apis/meta.js';
import { TYPE, type ConfigMap } from '../apis/core.js';
import { isApiError, typeOf, type WatchEvent } from '../k8s/api-server.js';
import { parseKn, runKn, type KnExecution } from '../kn/index.js';
import { parseKubectl, type ApplyAction, type DeleteAction, type KnAction, type KubectlAction, type Scenario, type TimelineAction } from '../scenario/index.js';
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
    case 'kubectl':
      return runKubectl(world, action);
    case 'delete':
      return runDelete(world, action);
  }
}

function runApply(world: World, action: ApplyAction): void {
  for (const { object } of action.objects) {
    const label = `${resourceName(object)}/${object.metadata.name}`;
    try {
      const verb = applyObject(world, object);
      world.engine.trace('kubectl', label, verb, COMMAND);
    } catch (err) {
      if (!isApiError(err)) throw err;
      world.engine.trace('kubectl', label, `error: ${err.message} (${where(action)})`, ERROR);
    }
  }
}

/** Creates the object, or replaces the spec, labels and annotations of an existing one. Returns kubectl's verb. */
function applyObject(world: World, input: KObject): 'created' | 'configured' | 'unchanged' {
  const type = typeOf(input);
  const namespace = input.metadata.namespace ?? (type === TYPE.clusterDomainClaim ? '' : 'default');
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
    world.engine.trace('kubectl', label, 'deleted', COMMAND);
  } catch (err) {
    if (!isApiError(err)) throw err;
    world.engine.trace('kubectl', label, `error: ${err.message} (${where(action)})`, ERROR);
  }
}

/** `kubectl label`: sets and removes labels of one object, refusing to change a value without --overwrite, as kubectl does. */
function runKubectl(world: World, action: KubectlAction): void {
  const { engine, api } = world;
  const parsed = parseKubectl(action.commandLine);
  engine.trace('kubectl', 'kubectl', `$ kubectl ${action.commandLine}`);
  if (!parsed.ok) {
    engine.trace('kubectl', 'kubectl', `${parsed.error} (${where(action)})`);
    return;
  }
  const c = parsed.command;
  const label = `${c.resource.printed}/${c.name}`;
  const namespace = c.resource.type === TYPE.clusterDomainClaim ? '' : c.namespace;
  const existing = api.get(c.resource.type, namespace, c.name);
  if (existing === undefined) {
    engine.trace('kubectl', label, `Error from server (NotFound): ${c.resource.plural} "${c.name}" not found (${where(action)})`);
    return;
  }
  const labels = { ...(existing.metadata.labels ?? {}) };
  for (const [key, value] of c.set) {
    const old = labels[key];
    if (old !== undefined && old !== value && !c.overwrite) {
      engine.trace('kubectl', label, `error: '${key}' already has a value (${old}), and --overwrite is false (${where(action)})`);
      return;
    }
    labels[key] = value;
  }
  for (const key of c.remove) delete labels[key];
  try {
    const next = deepCopy(existing);
    next.metadata.labels = labels;
    const stored = api.update(next);
    engine.trace('kubectl', label, stored === existing ? 'not labeled' : 'labeled');
  } catch (err) {
    if (!isApiError(err)) throw err;
    engine.trace('kubectl', label, `error: ${err.message} (${where(action)})`);
  }
}

function runKnAction(world: World, action: KnAction): void {
  const parsed = parseKn(action.commandLine);
  const object = parsed.ok && parsed.command.names.length > 0 ? `${parsed.command.group}/${parsed.command.names[0]}` : parsed.ok ? parsed.command.group : 'kn';
  world.engine.trace('kn', object, `$ kn ${action.commandLine}`, COMMAND);
  if (!parsed.ok) {
    world.engine.trace('kn', object, `Error: ${parsed.error} (${where(action)})`, ERROR);
    return;
  }
  const execution = runKn({ engine: world.engine, api: world.api }, parsed.command);
  emitLines(world, object, execution.output, execution.ok ? undefined : ERROR);
  if (execution.waiting) followWait(world, object, execution, parsed.command.namespace, parsed.command.names[0]);
}

/** Feeds Service watch events to a waiting kn command until it is done, printing its progress lines. */
function followWait(world: World, object: string, execution: KnExecution, namespace: string, name: string | undefined): void {
  const { engine, api } = world;
  let finished = false;
  let wakeAtMs = -1;
  const look = (event?: WatchEvent): void => {
    if (finished) return;
    // kn watches only its own Service.
    if (event !== undefined && (event.object.metadata.name !== name || event.object.metadata.namespace !== namespace)) return;
    const progress = execution.observe(api, engine.nowMs);
    emitLines(world, object, progress.text, progress.done && !progress.ok ? ERROR : undefined);
    if (progress.done) {
      finished = true;
      stop();
      engine.cancel(deadline);
    } else if (progress.wakeAtMs !== undefined && progress.wakeAtMs !== wakeAtMs) {
      // The end of kn's error window after Ready=False: look again then.
      wakeAtMs = progress.wakeAtMs;
      engine.at(wakeAtMs, () => look());
    }
  };
  const stop = api.watch(TYPE.knService, look);
  const deadline = engine.at(execution.deadlineMs ?? engine.nowMs + 600_000, () => look());
  look();
}

/** kn's output one event per line, blank lines between sections included (only the final newline ends the text). */
function emitLines(world: World, object: string, text: string, data: typeof ERROR | undefined): void {
  if (text === '') return;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) world.engine.trace('kn', object, line, data);
}

// The structured detail of command events (sim/event-data.ts reads it; output lines carry none).
const COMMAND = { line: 'command' };
const ERROR = { line: 'error' };

function resourceName(obj: KObject): string {
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : `.${obj.apiVersion.slice(0, slash)}`;
  return `${obj.kind.toLowerCase()}${group}`;
}

function where(action: TimelineAction): string {
  return `${action.pos.file}:${action.pos.line}:${action.pos.column}`;
}
