import { describe, expect, it } from 'vitest';
import { TYPE } from '../../src/apis/core.js';
import type { Ingress, Revision } from '../../src/apis/serving-types.js';
import { makeWorld } from '../serving/fixture.js';

const ingress = (w: ReturnType<typeof makeWorld>, name = 'sunshine'): Ingress => w.api.get<Ingress>(TYPE.ingress, 'default', name) as Ingress;
const revisionNames = (w: ReturnType<typeof makeWorld>): string[] => w.api.list<Revision>(TYPE.revision, { namespace: 'default' }).map((r) => r.metadata.name);

describe('kn service create', () => {
  it('prints progress and the URL once the revision is Ready', () => {
    const w = makeWorld();
    const { ok, output } = w.kn('kn service create sunshine --image=rainbows');
    expect(ok).toBe(true);
    expect(output).toMatch(/^Creating service 'sunshine' in namespace 'default':\n\n/);
    expect(output).toMatch(/ {2}\d\.\d{3}s Configuration "sunshine" is waiting for a Revision to become ready\.\n/);
    expect(output).toMatch(
      / {2}\d\.\d{3}s Ready to serve\.\n\nService 'sunshine' created to latest revision 'sunshine-00001' is available at URL:\nhttp:\/\/sunshine\.default\.example\.com\n$/,
    );
    const svc = w.service('sunshine');
    expect(svc.status?.url).toBe('http://sunshine.default.example.com');
    expect(svc.status?.address?.url).toBe('http://sunshine.default.svc.cluster.local');
    expect(svc.status?.traffic).toEqual([{ revisionName: 'sunshine-00001', latestRevision: true, percent: 100 }]);
  });

  it('with --no-wait returns at once and changes nothing on a bad flag', () => {
    const w = makeWorld();
    expect(w.kn('kn service create sunshine --image rainbows --no-wait').output).toBe("Service 'sunshine' created in namespace 'default'.");
    const bad = w.kn('kn service create other --imagee rainbows');
    expect(bad.ok).toBe(false);
    expect(bad.output).toBe('Error: unknown flag: --imagee');
    expect(w.api.get(TYPE.knService, 'default', 'other')).toBeUndefined();
  });

  it('gives a cluster-local service no external URL', () => {
    const w = makeWorld();
    const { output } = w.kn('kn service create sunshine --image rainbows --cluster-local');
    expect(output).toContain('http://sunshine.default.svc.cluster.local');
    const hosts = ingress(w).spec.rules.map((r) => ({ hosts: r.hosts, visibility: r.visibility }));
    expect(hosts).toEqual([{ hosts: ['sunshine.default', 'sunshine.default.svc', 'sunshine.default.svc.cluster.local'], visibility: 'ClusterLocal' }]);
  });
});

describe('kn service update', () => {
  it('creates sunshine-00002 on an image change, moves 100% there and keeps -00001', () => {
    const w = makeWorld();
    w.kn('kn service create sunshine --image rainbows');
    const { output } = w.kn('kn service update sunshine --image clouds');
    expect(output).toContain("Service 'sunshine' updated to latest revision 'sunshine-00002' is available at URL:");
    expect(revisionNames(w)).toEqual(['sunshine-00001', 'sunshine-00002']);
    expect(ingress(w).spec.rules[0]?.splits).toEqual([{ revisionName: 'sunshine-00002', serviceNamespace: 'default', percent: 100 }]);
    const old = w.api.get<Revision>(TYPE.revision, 'default', 'sunshine-00001') as Revision;
    expect(old.metadata.labels?.['serving.knative.dev/routingState']).toBe('reserve');
  });

  it('programs a 90/10 split with --traffic and creates no revision', () => {
    const w = makeWorld();
    w.kn('kn service create sunshine --image rainbows');
    w.kn('kn service update sunshine --image clouds');
    const { output } = w.kn('kn service update sunshine --traffic sunshine-00001=90,sunshine-00002=10'.replace(',', ' --traffic '));
    expect(output).toContain("with latest revision 'sunshine-00002' (unchanged)");
    expect(revisionNames(w)).toHaveLength(2);
    const splits = (ingress(w).spec.rules[0]?.splits ?? []).map((s) => [s.revisionName, s.percent]);
    expect(splits).toEqual([
      ['sunshine-00001', 90],
      ['sunshine-00002', 10],
    ]);
  });

  it('routes to an old revision unchanged after twenty updates', () => {
    const w = makeWorld({ startupMs: 500 });
    w.kn('kn service create sunshine --image img-0');
    for (let i = 1; i <= 20; i++) w.kn(`kn service update sunshine --image img-${i}`);
    expect(revisionNames(w)).toHaveLength(21);
    const before = w.api.get<Revision>(TYPE.revision, 'default', 'sunshine-00003') as Revision;
    const { ok } = w.kn('kn service update sunshine --traffic sunshine-00003=100');
    expect(ok).toBe(true);
    const after = w.api.get<Revision>(TYPE.revision, 'default', 'sunshine-00003') as Revision;
    expect(after.spec).toEqual(before.spec);
    expect(after.spec.containers[0]?.image).toBe('img-2');
    expect(ingress(w).spec.rules[0]?.splits).toEqual([{ revisionName: 'sunshine-00003', serviceNamespace: 'default', percent: 100 }]);
  });

  it('gives a tagged revision its own URL routing 100% to it', () => {
    const w = makeWorld();
    w.kn('kn service create sunshine --image rainbows');
    w.kn('kn service update sunshine --image clouds');
    w.kn('kn service update sunshine --tag sunshine-00001=blue');
    const svc = w.service('sunshine');
    expect(svc.status?.traffic).toContainEqual({
      tag: 'blue',
      revisionName: 'sunshine-00001',
      latestRevision: false,
      percent: 0,
      url: 'http://blue-sunshine.default.example.com',
    });
    const tagRule = ingress(w).spec.rules.find((r) => r.hosts.includes('blue-sunshine.default.example.com'));
    expect(tagRule?.splits).toEqual([{ revisionName: 'sunshine-00001', serviceNamespace: 'default', percent: 100 }]);
    expect(ingress(w).spec.rules[0]?.splits).toEqual([{ revisionName: 'sunshine-00002', serviceNamespace: 'default', percent: 100 }]);
  });

  it('keeps latestRevision traffic on the ready revision when the new image never pulls', () => {
    const w = makeWorld();
    w.kn('kn service create sunshine --image rainbows');
    w.badImages.add('no-such-image');
    const { ok, output } = w.kn('kn service update sunshine --image no-such-image --wait-timeout 700');
    expect(ok).toBe(false);
    expect(output).toContain('Revision "sunshine-00002" failed with message: Back-off pulling image.');
    const rev2 = w.api.get<Revision>(TYPE.revision, 'default', 'sunshine-00002') as Revision;
    expect(rev2.status?.conditions?.find((c) => c.type === 'ResourcesAvailable')).toMatchObject({ status: 'False', reason: 'ImagePullBackOff' });
    expect(w.service('sunshine').status?.latestReadyRevisionName).toBe('sunshine-00001');
    expect(ingress(w).spec.rules[0]?.splits).toEqual([{ revisionName: 'sunshine-00001', serviceNamespace: 'default', percent: 100 }]);
  });
});
