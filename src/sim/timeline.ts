/**
 * Carries out the scenario's timeline at its virtual times: `apply` (create or
 * replace, as `kubectl apply` does for whole manifests), `kn` (a kn command line,
 * whose wait for readiness is followed over virtual time), `kubectl` (`kubectl label`)
 * and `delete`. Each action
 * and its output become events of the `kubectl` or `kn` component; a failing action is
 * an event too (with its scenario position), never an exception: the run goes on, as
 * a cluster would, and the failure is kept as a failed step (`TimelineSteps`), which fails
 * the run unless the action declared it with `expectError`.
 */
import { deepCopy, type KObject } from '../apis/meta.js';
import { TYPE, type ConfigMap } from '../apis/core.js';
import { isApiError, typeOf, type WatchEvent } from '../k8s/api-server.js';
import { runKn, type KnExecution } from '../kn/index.js';
import { parseKubectl, type ApplyAction, type DeleteAction, type KnAction, type KubectlAction, type Scenario, type TimelineAction } from '../scenario/index.js';
import type { World } from './world.js';

/** A timeline action that failed at run time (one per failure; an `apply` of several objects may fail more than once). */
export interface StepFailure {
  action: TimelineAction;
  t: number;
  error: string;
}

/** The failures of the timeline's actions, in the order they happened: bounded by the timeline. */
export class TimelineSteps {
  readonly failures: StepFailure[] = [];
  constructor(private readonly world: World) {}

  fail(action: TimelineAction, error: string): void {
    this.failures.push({ action, t: this.world.engine.nowMs, error });
  }
}

/** Schedules every action of the timeline on the world's engine; failures go to the returned steps. */
export function scheduleTimeline(world: World, scenario: Scenario): TimelineSteps {
  const steps = new TimelineSteps(world);
  for (const action of scenario.timeline) world.engine.at(action.atMs, () => runAction(world, action, steps));
  return steps;
}

/** How the step is shown: its command line, or what it applies or deletes. */
export function stepLabel(action: TimelineAction): string {
  switch (action.action) {
    case 'kn':
      return `kn ${action.commandLine}`;
    case 'kubectl':
      return `kubectl ${action.commandLine}`;
    case 'delete':
      return `delete ${action.kind.toLowerCase()}/${action.name}`;
    case 'apply':
      return `apply ${action.file ?? action.objects.map((o) => `${o.object.kind.toLowerCase()}/${o.object.metadata.name}`).join(', ')}`;
  }
}

function runAction(world: World, action: TimelineAction, steps: TimelineSteps): void {
  if (action.note !== undefined) world.engine.trace('scenario', `timeline[${action.index}]`, action.note);
  switch (action.action) {
    case 'apply':
      return runApply(world, action, steps);
    case 'kn':
      return runKnAction(world, action, steps);
    case 'kubectl':
      return runKubectl(world, action, steps);
    case 'delete':
      return runDelete(world, action, steps);
  }
}

function runApply(world: World, action: ApplyAction, steps: TimelineSteps): void {
  for (const { object } of action.objects) {
    const label = `${resourceName(object)}/${object.metadata.name}`;
    try {
      const verb = applyObject(world, object);
      world.engine.trace('kubectl', label, verb, COMMAND);
    } catch (err) {
      if (!isApiError(err)) throw err;
      world.engine.trace('kubectl', label, `error: ${err.message} (${where(action)})`, ERROR);
      steps.fail(action, `${label}: ${err.message}`);
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

function runDelete(world: World, action: DeleteAction, steps: TimelineSteps): void {
  const label = `${action.kind.toLowerCase()}/${action.name}`;
  try {
    world.api.delete(action.type, action.namespace, action.name);
    world.engine.trace('kubectl', label, 'deleted', COMMAND);
  } catch (err) {
    if (!isApiError(err)) throw err;
    world.engine.trace('kubectl', label, `error: ${err.message} (${where(action)})`, ERROR);
    steps.fail(action, err.message);
  }
}

/** `kubectl label`: sets and removes labels of one object, refusing to change a value without --overwrite, as kubectl does. */
function runKubectl(world: World, action: KubectlAction, steps: TimelineSteps): void {
  const { engine, api } = world;
  const parsed = parseKubectl(action.commandLine);
  engine.trace('kubectl', 'kubectl', `$ kubectl ${action.commandLine}`);
  if (!parsed.ok) {
    engine.trace('kubectl', 'kubectl', `${parsed.error} (${where(action)})`);
    steps.fail(action, parsed.error);
    return;
  }
  const c = parsed.command;
  const label = `${c.resource.printed}/${c.name}`;
  const namespace = c.resource.type === TYPE.clusterDomainClaim ? '' : c.namespace;
  const existing = api.get(c.resource.type, namespace, c.name);
  if (existing === undefined) {
    const error = `Error from server (NotFound): ${c.resource.plural} "${c.name}" not found`;
    engine.trace('kubectl', label, `${error} (${where(action)})`);
    steps.fail(action, error);
    return;
  }
  const labels = { ...(existing.metadata.labels ?? {}) };
  for (const [key, value] of c.set) {
    const old = labels[key];
    if (old !== undefined && old !== value && !c.overwrite) {
      const error = `error: '${key}' already has a value (${old}), and --overwrite is false`;
      engine.trace('kubectl', label, `${error} (${where(action)})`);
      steps.fail(action, error);
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
    steps.fail(action, err.message);
  }
}

function runKnAction(world: World, action: KnAction, steps: TimelineSteps): void {
  // The command was parsed once, by the loader.
  const command = action.command;
  const object = command.names.length > 0 ? `${command.group}/${command.names[0]}` : command.group;
  world.engine.trace('kn', object, `$ kn ${action.commandLine}`, COMMAND);
  const execution = runKn({ engine: world.engine, api: world.api }, command);
  emitLines(world, object, execution.output, execution.ok ? undefined : ERROR);
  if (!execution.ok) steps.fail(action, errorLine(execution.output));
  if (execution.waiting) followWait(world, object, execution, command.namespace, command.names[0], (text) => steps.fail(action, errorLine(text)));
}

/** The line of kn's output that says what went wrong (the first naming an error, else the first). */
function errorLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return (lines.find((l) => /error/i.test(l)) ?? lines[0] ?? 'failed').trim();
}

/** Feeds Service watch events to a waiting kn command until it is done, printing its progress lines. */
function followWait(world: World, object: string, execution: KnExecution, namespace: string, name: string | undefined, onFail: (text: string) => void): void {
  const { engine, api } = world;
  let finished = false;
  let wakeAtMs = -1;
  const look = (event?: WatchEvent): void => {
    if (finished) return;
    // kn watches only its own Service.
    if (event !== undefined && (event.object.metadata.name !== name || event.object.metadata.namespace !== namespace)) return;
    const progress = execution.observe(api, engine.nowMs);
    emitLines(world, object, progress.text, progress.done && !progress.ok ? ERROR : undefined);
    if (progress.done && !progress.ok) onFail(progress.text);
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
