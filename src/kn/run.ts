/**
 * Executes a parsed kn command against the fake API, in two steps because waiting
 * happens in virtual time: `runKn` applies the change at once and returns the
 * immediate output; for create/update with wait, the returned execution's `observe`
 * is then called on each Service watch event (or `followKn` subscribes for you) and
 * prints kn's progress lines `%7.3fs <Ready message>` until the Service is Ready,
 * failed, or the wait timeout passes.
 * Fidelity: knative/client pkg/commands/service/{create,update,delete}.go and
 * pkg/wait/wait_for_ready.go. A failed command (bad flag value, webhook denial, missing
 * service) changes nothing and returns kn's error text.
 */
import type { Engine } from '../engine/index.js';
import { isApiError, type ApiServer } from '../k8s/api-server.js';
import { TYPE } from '../apis/core.js';
import { deepCopy } from '../apis/meta.js';
import { getCondition } from '../apis/conditions.js';
import { LABEL, type KnService, type Revision, type Route } from '../apis/serving-types.js';
import type { KnCommand } from './parse.js';
import { applyServiceFlags, newService } from './edit.js';
import { computeTraffic } from './traffic.js';
import { DescribeError, revisionDescribe, routeDescribe, serviceDescribe } from './describe.js';
import { revisionList, routeList, serviceList } from './list.js';
import { runDomain } from './domain.js';

interface KnContext {
  engine: Engine;
  api: ApiServer;
}

export interface KnProgress {
  /** True once the wait is over (ready, failed or timed out). */
  done: boolean;
  /** False when the wait ended in an error. */
  ok: boolean;
  /** New output since the previous call. */
  text: string;
  /** Look again at this time even if nothing changes: the end of the error window after Ready=False. */
  wakeAtMs?: number;
}

export interface KnExecution {
  /** False when the command failed and changed nothing. */
  ok: boolean;
  /** Output printed at once (or the error). */
  output: string;
  error?: string;
  /** True while the command waits for the Service to become Ready. */
  waiting: boolean;
  /** Virtual time when the wait gives up (kn's --wait-timeout, default 600s). */
  deadlineMs?: number;
  /** Looks at the Service again; returns the progress lines to print. Idempotent once done. */
  observe(api: ApiServer, nowMs: number): KnProgress;
}

const DONE: KnProgress = { done: true, ok: true, text: '' };

function finished(ok: boolean, output: string, error?: string): KnExecution {
  return { ok, output, error, waiting: false, observe: () => DONE };
}
/**
 * kn's error output (cmd/kn/main.go printError): `Error: <message>` and the help hint, naming the
 * first `'kn …'` command quoted in the message, else plain `kn`.
 */
export function knErrorText(error: string): string {
  const message = error.replace(/^error:\s*/i, '');
  const command = /'(kn\s.+?)'/.exec(message)?.[1] ?? 'kn';
  return `Error: ${message}\nRun '${command} --help' for usage`;
}
const fail = (error: string): KnExecution => finished(false, knErrorText(error), error);
/** For a command built by hand without the name kn's parser insists on (parseKn checks it). */
const missingName = (c: KnCommand): KnExecution => fail(`'kn ${c.group} ${c.verb}' requires a name`);

export function runKn(ctx: KnContext, command: KnCommand): KnExecution {
  try {
    return execute(ctx, command);
  } catch (err) {
    if (isApiError(err) || err instanceof DescribeError) return fail(err.message);
    throw err;
  }
}

function execute(ctx: KnContext, c: KnCommand): KnExecution {
  const { api, engine } = ctx;
  const ns = c.namespace;
  const listNs = c.allNamespaces ? undefined : ns;
  switch (`${c.group} ${c.verb}`) {
    case 'service create':
      return serviceCreate(ctx, c);
    case 'service update':
      return serviceUpdate(ctx, c);
    case 'service delete': {
      const out: string[] = [];
      for (const name of c.names) {
        if (api.get(TYPE.knService, ns, name) === undefined) return fail(`services.serving.knative.dev "${name}" not found`);
      }
      for (const name of c.names) {
        api.delete(TYPE.knService, ns, name);
        out.push(`Service '${name}' successfully deleted in namespace '${ns}'.`);
      }
      return finished(true, out.join('\n'));
    }
    case 'service describe': {
      const name = c.names[0];
      if (name === undefined) return missingName(c);
      const s = api.get<KnService>(TYPE.knService, ns, name);
      return s === undefined
        ? fail(`services.serving.knative.dev "${name}" not found`)
        : finished(true, serviceDescribe(api, engine.nowMs, s, { verbose: c.verbose }));
    }
    case 'service list':
      return finished(true, serviceList(api, engine.nowMs, { namespace: listNs, name: c.names[0], noHeaders: c.noHeaders }));
    case 'revision list':
      // kn looks the service up first: a missing one is an error, not an empty list.
      if (c.service !== undefined && api.get(TYPE.knService, ns, c.service) === undefined) return fail(`services.serving.knative.dev "${c.service}" not found`);
      return finished(true, revisionList(api, engine.nowMs, { namespace: listNs, name: c.names[0], noHeaders: c.noHeaders, service: c.service }));
    case 'revision describe': {
      const name = c.names[0];
      if (name === undefined) return missingName(c);
      const r = api.get<Revision>(TYPE.revision, ns, name);
      return r === undefined
        ? fail(`revisions.serving.knative.dev "${name}" not found`)
        : finished(true, revisionDescribe(api, engine.nowMs, r, { verbose: c.verbose }));
    }
    case 'revision delete': {
      const out: string[] = [];
      for (const name of c.names) {
        if (api.get(TYPE.revision, ns, name) === undefined) return fail(`revisions.serving.knative.dev "${name}" not found`);
      }
      for (const name of c.names) {
        api.delete(TYPE.revision, ns, name);
        out.push(`Revision '${name}' deleted in namespace '${ns}'.`);
      }
      return finished(true, out.join('\n'));
    }
    case 'route list':
      return finished(true, routeList(api, { namespace: listNs, name: c.names[0], noHeaders: c.noHeaders }));
    case 'route describe': {
      const name = c.names[0];
      if (name === undefined) return missingName(c);
      const r = api.get<Route>(TYPE.route, ns, name);
      return r === undefined ? fail(`routes.serving.knative.dev "${name}" not found`) : finished(true, routeDescribe(engine.nowMs, r, { verbose: c.verbose }));
    }
  }
  if (c.group === 'domain') {
    const r = runDomain(api, engine.nowMs, c);
    return r.ok ? finished(true, r.output) : fail(r.error);
  }
  return fail(`unsupported command: kn ${c.group} ${c.verb}`);
}

function editContext(ctx: KnContext): { nowMs: number; random: () => number } {
  return { nowMs: ctx.engine.nowMs, random: ctx.engine.rng('kn/revision-name') };
}

function serviceCreate(ctx: KnContext, c: KnCommand): KnExecution {
  const { api } = ctx;
  const name = c.names[0];
  if (name === undefined) return missingName(c);
  const existing = api.get<KnService>(TYPE.knService, c.namespace, name);
  if (existing !== undefined && !c.flags.force)
    return fail(`cannot create service '${name}' in namespace '${c.namespace}' because the service already exists and no --force option was given`);
  if (c.flags.traffic.length > 0 || c.flags.untag.length > 0) return fail('unknown flag: --traffic');
  const edited = applyServiceFlags(newService(name, c.namespace), c.flags, editContext(ctx));
  if (!edited.ok) return fail(edited.error);
  const service = edited.service;
  if (c.flags.tag.length > 0) {
    const traffic = computeTraffic([{ latestRevision: true, percent: 100 }], { traffic: [], tag: c.flags.tag, untag: [], revisions: [], newRevision: true });
    if (!traffic.ok) return fail(traffic.error);
    service.spec.traffic = traffic.traffic;
  }
  const verb = existing === undefined ? 'Creating' : 'Replacing';
  if (existing === undefined) api.create(service);
  else {
    const replacement = deepCopy(service);
    replacement.metadata.resourceVersion = existing.metadata.resourceVersion;
    api.update(replacement);
  }
  const stored = api.get<KnService>(TYPE.knService, c.namespace, name) as KnService;
  if (!c.flags.wait) return finished(true, `Service '${name}' ${existing === undefined ? 'created' : 'replaced'} in namespace '${c.namespace}'.`);
  return waiting(
    ctx,
    c,
    stored,
    `${verb} service '${name}' in namespace '${c.namespace}':\n\n`,
    (s) =>
      `Service '${name}' ${existing === undefined ? 'created' : 'replaced'} to latest revision '${s.status?.latestReadyRevisionName ?? ''}' is available at URL:\n${s.status?.url ?? ''}`,
  );
}

function serviceUpdate(ctx: KnContext, c: KnCommand): KnExecution {
  const { api } = ctx;
  const name = c.names[0];
  if (name === undefined) return missingName(c);
  const existing = api.get<KnService>(TYPE.knService, c.namespace, name);
  if (existing === undefined) return fail(`services.serving.knative.dev "${name}" not found`);
  const edited = applyServiceFlags(existing, c.flags, editContext(ctx));
  if (!edited.ok) return fail(edited.error);
  const service = edited.service;
  if (c.flags.traffic.length > 0 || c.flags.tag.length > 0 || c.flags.untag.length > 0) {
    const revisions = api.list<Revision>(TYPE.revision, { namespace: c.namespace, selector: { [LABEL.service]: name } }).map((r) => r.metadata.name);
    const traffic = computeTraffic(existing.spec.traffic ?? [], {
      traffic: c.flags.traffic,
      tag: c.flags.tag,
      untag: c.flags.untag,
      revisions,
      newRevision: edited.revisionChanged,
    });
    if (!traffic.ok) return fail(traffic.error);
    service.spec.traffic = traffic.traffic;
  }
  const before = existing.status?.latestReadyRevisionName;
  const stored = api.update(service);
  if (stored === existing) return finished(true, `Service '${name}' updated in namespace '${c.namespace}'.\nNo new revision has been created.`);
  if (!c.flags.wait) return finished(true, `Service '${name}' updated in namespace '${c.namespace}'.`);
  return waiting(ctx, c, stored, `Updating Service '${name}' in namespace '${c.namespace}':\n\n`, (s) => {
    const latest = s.status?.latestReadyRevisionName ?? '';
    return latest === before
      ? `Service '${name}' with latest revision '${latest}' (unchanged) is available at URL:\n${s.status?.url ?? ''}`
      : `Service '${name}' updated to latest revision '${latest}' is available at URL:\n${s.status?.url ?? ''}`;
  });
}

/**
 * kn's wait loop over Service snapshots: progress while Ready is not True at the new
 * generation. Ready=False starts the error window (--wait-window, 2 s): if Ready is still
 * False when it ends, the wait fails with `<reason>: <message>`; Ready=Unknown within it
 * cancels it (the controllers may still converge).
 */
function waiting(ctx: KnContext, c: KnCommand, stored: KnService, header: string, final: (s: KnService) => string): KnExecution {
  const startMs = ctx.engine.nowMs;
  const name = stored.metadata.name;
  const generation = stored.metadata.generation;
  const deadlineMs = startMs + c.flags.waitTimeoutSeconds * 1000;
  let lastMessage: string | undefined;
  let over: KnProgress | undefined;
  let errorAtMs: number | undefined;
  let errorText = '';
  const line = (nowMs: number, text: string): string => `${((nowMs - startMs) / 1000).toFixed(3).padStart(7)}s ${text}\n`;
  return {
    ok: true,
    output: header,
    waiting: true,
    deadlineMs,
    observe(api: ApiServer, nowMs: number): KnProgress {
      if (over !== undefined) return { ...over, text: '' };
      const s = api.get<KnService>(TYPE.knService, c.namespace, name);
      if (s === undefined) return (over = { done: true, ok: false, text: `${knErrorText(`services.serving.knative.dev "${name}" not found`)}\n` });
      if (nowMs >= deadlineMs)
        return (over = { done: true, ok: false, text: `${knErrorText(`timeout: service '${name}' not ready after ${c.flags.waitTimeoutSeconds} seconds`)}\n` });
      const pending = (text: string): KnProgress =>
        errorAtMs === undefined ? { done: false, ok: true, text } : { done: false, ok: true, text, wakeAtMs: errorAtMs };
      if (s.status?.observedGeneration !== generation) return pending('');
      const ready = getCondition(s.status?.conditions, 'Ready');
      if (ready?.status === 'True') return (over = { done: true, ok: true, text: `${line(nowMs, 'Ready to serve.')}\n${final(s)}\n` });
      if (errorAtMs !== undefined && nowMs >= errorAtMs) return (over = { done: true, ok: false, text: `${knErrorText(errorText)}\n` });
      if (ready?.status === 'False' && errorAtMs === undefined) {
        errorAtMs = nowMs + c.flags.waitWindowSeconds * 1000;
        errorText = `${ready.reason ?? ''}: ${ready.message ?? ''}`;
      } else if (ready?.status !== 'False') errorAtMs = undefined;
      const message = ready?.message ?? '';
      if (message === '') return pending('');
      const text = line(nowMs, message === lastMessage ? '...' : message);
      lastMessage = message;
      return pending(text);
    },
  };
}

/**
 * Follows an execution in virtual time: calls `observe` on every watch event of the
 * Service and at the deadline, and reports the full output once done.
 */
export function followKn(ctx: KnContext, execution: KnExecution, onDone: (result: { ok: boolean; output: string }) => void): void {
  let output = execution.output;
  if (!execution.waiting) {
    onDone({ ok: execution.ok, output });
    return;
  }
  let finishedFlag = false;
  let wake: ReturnType<Engine['at']> | null = null;
  let wakeAtMs = -1;
  const check = (): void => {
    if (finishedFlag) return;
    const p = execution.observe(ctx.api, ctx.engine.nowMs);
    output += p.text;
    if (p.done) {
      finishedFlag = true;
      stop();
      ctx.engine.cancel(deadline);
      ctx.engine.cancel(wake);
      onDone({ ok: p.ok, output });
    } else if (p.wakeAtMs !== undefined && p.wakeAtMs !== wakeAtMs) {
      wakeAtMs = p.wakeAtMs;
      wake = ctx.engine.at(p.wakeAtMs, check);
    }
  };
  const stop = ctx.api.watch(TYPE.knService, check);
  const deadline = ctx.engine.at(execution.deadlineMs ?? ctx.engine.nowMs, check);
  check();
}
