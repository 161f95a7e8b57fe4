// `knsim get`: objects as they were at a virtual time, in kubectl's shapes.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { must } from '../../src/engine/index.js';
import { knsim, STACK_FRAME } from './helpers.js';

const S = 'scenarios/02-scale-to-zero.yaml';

/** A kubectl table as rows of {COLUMN: value}; columns are split on the header's offsets. */
function table(text: string): Record<string, string>[] {
  const lines = text.trimEnd().split('\n');
  const header = must(lines[0], 'split returns at least one line');
  const starts = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], at: m.index ?? 0 }));
  return lines.slice(1).map((line) => Object.fromEntries(starts.map((c, i) => [c.name, line.slice(c.at, starts[i + 1]?.at ?? line.length).trim()])));
}

function header(text: string): string[] {
  return must(text.split('\n')[0], 'split returns at least one line').trim().split(/ {2,}/);
}

describe('get pods', () => {
  it('at 2m lists the running pod with both containers ready', () => {
    const r = knsim(['get', 'pods', '-f', S, '--at', '2m']);
    expect(r.code, r.stderr).toBe(0);
    expect(header(r.stdout)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const rows = table(r.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.NAME).toMatch(/^sunshine-00001-deployment-[a-z0-9]+-[a-z0-9]{5}$/);
    expect(rows[0]).toMatchObject({ READY: '2/2', STATUS: 'Running', RESTARTS: '0' });
  });

  it('at 4m, after scale to zero, shows no running pod', () => {
    const r = knsim(['get', 'po', '-f', S, '--at', '4m']);
    expect(r.code, r.stderr).toBe(0);
    if (r.stdout.startsWith('No resources found')) return;
    for (const row of table(r.stdout)) expect(row.STATUS).toBe('Terminating');
  });

  it('at 0s there is nothing yet, in kubectl words on stderr', () => {
    const r = knsim(['get', 'pods', '-f', S, '--at', '0s']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('No resources found in default namespace.\n');
  });

  it('without --at looks at the end of the run', () => {
    const r = knsim(['get', 'pods', '-f', S]);
    expect(r.code, r.stderr).toBe(0);
    expect(table(r.stdout)[0]).toMatchObject({ READY: '2/2', STATUS: 'Running', AGE: '59s' });
  });
});

describe('get ksvc / revision / kpa / sks', () => {
  it('ksvc sunshine -o yaml carries the URL', () => {
    const r = knsim(['get', 'ksvc', 'sunshine', '-f', S, '--at', '1m', '-o', 'yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}url: http:\/\/sunshine\.default\.example\.com$/m);
    const ksvc = parse(r.stdout) as { kind: string; metadata: { name: string }; status: { latestReadyRevisionName: string } };
    expect(ksvc).toMatchObject({ kind: 'Service', metadata: { name: 'sunshine' }, status: { latestReadyRevisionName: 'sunshine-00001' } });
  });

  it('ksvc table has kn/kubectl columns', () => {
    const r = knsim(['get', 'ksvc', '-f', S, '--at', '2m']);
    expect(r.code).toBe(0);
    expect(header(r.stdout)).toEqual(['NAME', 'URL', 'LATESTCREATED', 'LATESTREADY', 'READY', 'REASON']);
    expect(table(r.stdout)[0]).toMatchObject({ NAME: 'sunshine', URL: 'http://sunshine.default.example.com', READY: 'True' });
  });

  it('revision -o json parses as a List of Revisions', () => {
    const r = knsim(['get', 'revision', '-f', S, '--at', '2m', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as {
      kind: string;
      items: { kind: string; metadata: { name: string }; status: { conditions: { type: string; status: string }[] } }[];
    };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => [i.kind, i.metadata.name])).toEqual([['Revision', 'sunshine-00001']]);
    expect(list.items[0]?.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('kpa has the PodAutoscaler columns and tracks the scale', () => {
    const at2m = knsim(['get', 'kpa', '-f', S, '--at', '2m']);
    expect(at2m.code).toBe(0);
    expect(header(at2m.stdout)).toEqual(['NAME', 'DESIREDSCALE', 'ACTUALSCALE', 'READY', 'REASON']);
    expect(table(at2m.stdout)[0]).toMatchObject({ NAME: 'sunshine-00001', DESIREDSCALE: '1', ACTUALSCALE: '1', READY: 'True' });
    const at4m = knsim(['get', 'kpa', '-f', S, '--at', '4m']);
    expect(table(at4m.stdout)[0]).toMatchObject({ DESIREDSCALE: '0', ACTUALSCALE: '0' });
  });

  it('sks has the ServerlessService columns and is in Proxy mode when scaled to zero', () => {
    const r = knsim(['get', 'sks', '-f', S, '--at', '4m']);
    expect(r.code).toBe(0);
    expect(header(r.stdout)).toEqual(['NAME', 'MODE', 'ACTIVATORS', 'SERVICENAME', 'PRIVATESERVICENAME', 'READY', 'REASON']);
    expect(table(r.stdout)[0]).toMatchObject({
      NAME: 'sunshine-00001',
      MODE: 'Proxy',
      SERVICENAME: 'sunshine-00001',
      PRIVATESERVICENAME: 'sunshine-00001-private',
    });
  });
});

describe('get errors', () => {
  it("an unknown kind exits 2 with kubectl's message", () => {
    const r = knsim(['get', 'widgets', '-f', S, '--at', '1m']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: the server doesn\'t have a resource type "widgets"');
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it("an unknown name exits 2 with kubectl's NotFound", () => {
    const r = knsim(['get', 'ksvc', 'nosuch', '-f', S, '--at', '1m']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Error from server (NotFound): services.serving.knative.dev "nosuch" not found');
  });

  it('--at past the end of the scenario exits 2', () => {
    const r = knsim(['get', 'pods', '-f', S, '--at', '7m']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: --at 7m .*6m0s/m);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('a negative --at exits 2', () => {
    const r = knsim(['get', 'pods', '-f', S, '--at=-1m']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--at');
  });

  it('without -f exits 2', () => {
    const r = knsim(['get', 'pods']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--file');
  });
});
