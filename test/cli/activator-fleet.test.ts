// 13-activator-fleet through the built CLI: the activators a revision is given decide whether
// a burst at zero over-commits its first pod (503 from queue-proxy) — 20 activators fronting
// `wide` do, 3 do not, and the revision breakers never refuse.
import { describe, expect, it } from 'vitest';
import { knsim } from './helpers.js';

const FLEET = 'scenarios/13-activator-fleet.yaml';

function row(stdout: string, name: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no row ${name} in\n${stdout}`);
  return line.trim().split(/\s{2,}/);
}

interface Json {
  summary: { requests: { byStatus: Record<string, number> } };
  revisionStats: { name: string; byStatus: Record<string, number> }[];
  events: { component: string; object: string; message: string }[];
}

describe('scenarios/13-activator-fleet.yaml', () => {
  it('gives wide 503s from its over-committed first pod and narrow none, each fronted by the activators its SKS asked for', () => {
    const r = knsim(['run', FLEET, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as Json;
    const byRevision = new Map(json.revisionStats.map((s) => [s.name, s.byStatus]));
    expect(byRevision.get('wide-00001')?.['503']).toBeGreaterThan(100);
    expect(byRevision.get('narrow-00001')?.['503']).toBeUndefined();
    expect(byRevision.get('narrow-00001')?.['200']).toBe(400);
    // The last subset each revision was given: 3 activators for narrow, all 20 for wide.
    const fronted = (rev: string): string | undefined => json.events.filter((e) => e.component === 'activator' && e.object === rev).at(-1)?.message;
    expect(fronted('narrow-00001')).toMatch(/^Fronted by 3 of 20 activators \(numActivators 3\)/);
    expect(fronted('wide-00001')).toMatch(/^Fronted by 20 of 20 activators \(numActivators 20\)/);
  });

  it('has no 503 with a fleet of 3 (knsim compare), failing only the expectation that wide gets them', () => {
    const r = knsim(['compare', FLEET, '--variant', 'twenty', '--variant', 'three:cluster.activators=3']);
    expect(r.code).toBe(1);
    expect(Number(row(r.stdout, 'twenty')[5])).toBeGreaterThan(100);
    expect(Number(row(r.stdout, 'three')[5])).toBe(0);
    expect(row(r.stdout, 'three')[7]).toBe('4/5');
    expect(r.stdout).toContain('FAIL  the 20 activators fronting wide over-commit its first pod');
  });
});
