/**
 * DomainMapping through the whole world (knative/serving pkg/reconciler/domainmapping):
 * the ClusterDomainClaim rule, the ref's resolution, what a request to the mapped host gets
 * before and after the mapping is Ready, kn domain's commands, and a cluster-local tag.
 */
import { describe, expect, it } from 'vitest';
import { TYPE } from '../../src/apis/core.js';
import { getCondition } from '../../src/apis/conditions.js';
import type { DomainMapping } from '../../src/apis/domainmapping.js';
import { loadScenarioText } from '../../src/sim/index.js';
import { parseKn } from '../../src/kn/index.js';
import { parseKubectl } from '../../src/scenario/index.js';
import { knLines, simulationOf } from './helpers.js';

const dm = (sim: ReturnType<typeof simulationOf>, name = 'hello.example.org'): DomainMapping | undefined =>
  sim.world.api.get<DomainMapping>(TYPE.domainMapping, 'default', name);
const cond = (sim: ReturnType<typeof simulationOf>, type: string): string =>
  `${getCondition(dm(sim)?.status?.conditions, type)?.status ?? '-'}/${getCondition(dm(sim)?.status?.conditions, type)?.reason ?? ''}`;

const base = (config: string, timeline: string): string => `
name: dm
duration: 3m
${config}
apps:
  hello: {serviceTime: 10ms}
timeline:
  - at: 0s
    kn: kn service create hello --image=hello
${timeline}
traffic:
  - name: mapped
    target: {host: hello.example.org}
    pattern: constant
    rate: 1
    from: 10s
`;

describe('DomainMapping', () => {
  it('without autocreate-cluster-domain-claims waits for a ClusterDomainClaim; the host answers 404 until it is Ready, then reaches the Service', () => {
    const sim = simulationOf(
      base(
        '',
        `  - at: 30s
    kn: kn domain create hello.example.org --ref hello
  - at: 60s
    apply: |
      apiVersion: networking.internal.knative.dev/v1alpha1
      kind: ClusterDomainClaim
      metadata: {name: hello.example.org}
      spec: {namespace: default}`,
      ),
    );
    sim.runTo(59_000);
    expect(cond(sim, 'DomainClaimed')).toBe('False/DomainAlreadyClaimed');
    expect(cond(sim, 'Ready')).toBe('False/DomainAlreadyClaimed');
    // The reconciler retries with the controller's back-off (capped at 1 s) until the claim appears.
    sim.runTo(63_000);
    expect(cond(sim, 'Ready')).toBe('True/');
    expect(dm(sim)?.status?.url).toBe('http://hello.example.org');
    sim.runTo(120_000);
    const r = sim.result();
    // 10 s → 61 s: 404 (no route for the host); then the Service answers.
    expect(r.summary.requests.byStatus['404']).toBe(51);
    expect(r.revisions).toEqual([expect.objectContaining({ name: 'hello-00001', requests: 59 })]);
  });

  it('with autocreate it claims the domain itself, and deleting the mapping releases the claim and the host', () => {
    const sim = simulationOf(
      base(
        'config:\n  config-network: {autocreate-cluster-domain-claims: "true"}',
        `  - at: 30s
    kn: kn domain create hello.example.org --ref ksvc:hello
  - at: 90s
    kn: kn domain delete hello.example.org`,
      ),
    );
    sim.runTo(35_000);
    expect(cond(sim, 'Ready')).toBe('True/');
    expect(sim.world.api.get(TYPE.clusterDomainClaim, '', 'hello.example.org')).toMatchObject({ spec: { namespace: 'default' } });
    sim.runTo(120_000);
    expect(dm(sim)).toBeUndefined();
    expect(sim.world.api.get(TYPE.clusterDomainClaim, '', 'hello.example.org')).toBeUndefined();
    const r = sim.result();
    // 10 s → 31 s and 91 s → 120 s: 404.
    expect(r.summary.requests.byStatus['404']).toBe(21 + 29);
  });

  it('a claim of another namespace keeps the mapping from the domain; a missing ref is ReferenceResolved False until the Service exists', () => {
    const sim = simulationOf(`
name: dm-fail
duration: 1m
config:
  config-network: {autocreate-cluster-domain-claims: "true"}
apps:
  hello: {serviceTime: 10ms}
timeline:
  - at: 0s
    apply: |
      apiVersion: networking.internal.knative.dev/v1alpha1
      kind: ClusterDomainClaim
      metadata: {name: taken.example.org}
      spec: {namespace: other}
      ---
      apiVersion: serving.knative.dev/v1beta1
      kind: DomainMapping
      metadata: {name: taken.example.org}
      spec: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: hello}}
      ---
      apiVersion: serving.knative.dev/v1beta1
      kind: DomainMapping
      metadata: {name: hello.example.org}
      spec: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: hello}}
  - at: 20s
    kn: kn service create hello --image=hello
`);
    sim.runTo(10_000);
    const taken = dm(sim, 'taken.example.org');
    expect(getCondition(taken?.status?.conditions, 'DomainClaimed')).toMatchObject({
      status: 'False',
      reason: 'DomainAlreadyClaimed',
      message: 'The domain name is already in use by another DomainMapping',
    });
    expect(getCondition(dm(sim)?.status?.conditions, 'ReferenceResolved')).toMatchObject({
      status: 'False',
      reason: 'ResolveFailed',
      message: 'services.serving.knative.dev "hello" not found',
    });
    sim.runTo(60_000);
    expect(cond(sim, 'Ready')).toBe('True/');
    expect(getCondition(dm(sim, 'taken.example.org')?.status?.conditions, 'Ready')?.status).toBe('False');
  });

  it('refuses names that are not fully qualified or sit under cluster.local, as the webhook does', () => {
    const load = (name: string): string[] =>
      loadScenarioText(
        `
name: x
duration: 1m
timeline:
  - at: 0s
    apply: |
      apiVersion: serving.knative.dev/v1beta1
      kind: DomainMapping
      metadata: {name: ${name}}
      spec: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: hello}}
`,
        { file: 'x.yaml' },
      ).diagnostics.map((d) => d.message);
    expect(load('hello')).toEqual([
      'DomainMapping "hello": metadata.name: invalid name "hello": name: Invalid value: "hello": should be a domain with at least two segments separated by dots',
    ]);
    expect(load('hello.default.svc.cluster.local')).toEqual([
      'DomainMapping "hello.default.svc.cluster.local": metadata.name: invalid name "hello.default.svc.cluster.local": must not be a subdomain of cluster local domain "cluster.local"',
    ]);
  });
});

describe('kn domain', () => {
  it('parses as kn does: --ref is required on create, other prefixes are refused at run time', () => {
    expect(parseKn('domain create hello.example.org')).toMatchObject({ ok: false, error: 'required flag(s) "ref" not set' });
    expect(parseKn('domain delete')).toMatchObject({ ok: false, error: "'kn domain delete' requires the domain name given as single argument" });
    expect(parseKn('domain create a.example.org --ref kroute:hello --tls my-cert')).toMatchObject({ ok: true });
    expect(parseKn('domains ls -A')).toMatchObject({ ok: true, command: { group: 'domain', verb: 'list', allNamespaces: true } });
  });

  it('prints what kn prints: create, errors, describe and list', () => {
    const sim = simulationOf(
      base(
        'config:\n  config-network: {autocreate-cluster-domain-claims: "true"}',
        `  - at: 30s
    kn: kn domain create hello.example.org --ref broker:hello
  - at: 31s
    kn: kn domain create hello.example.org --ref nothere
  - at: 32s
    kn: kn domain create hello.example.org --ref hello
  - at: 40s
    kn: kn domain describe hello.example.org
  - at: 41s
    kn: kn domain list`,
      ),
    );
    sim.runTo(45_000);
    const lines = knLines(sim.result());
    expect(lines).toContain("Error: unsupported sink prefix: 'broker'");
    expect(lines).toContain('Error: services.serving.knative.dev "nothere" not found');
    expect(lines).toContain("Domain mapping 'hello.example.org' created in namespace 'default'.");
    expect(lines).toContain('URL:  http://hello.example.org');
    expect(lines).toContain('  Kind:        Service');
    expect(lines).toContain('NAME                URL                        READY   KSVC');
    expect(lines).toContain('hello.example.org   http://hello.example.org   True    hello');
  });
});

describe('kubectl label', () => {
  it('parses kubectl label lines with kubectl resource names', () => {
    expect(parseKubectl('kubectl label svc/candidate-hello networking.knative.dev/visibility=cluster-local --overwrite')).toMatchObject({
      ok: true,
      command: { resource: { type: TYPE.service }, name: 'candidate-hello', set: [['networking.knative.dev/visibility', 'cluster-local']], overwrite: true },
    });
    expect(parseKubectl('label ksvc hello a-')).toMatchObject({ ok: true, command: { resource: { type: TYPE.knService }, remove: ['a'] } });
    expect(parseKubectl('label service hello')).toMatchObject({ ok: false, error: 'error: at least one label update is required' });
    expect(parseKubectl('annotate service hello a=b')).toMatchObject({ ok: false });
  });

  it('a cluster-local tag: the visibility label on its placeholder Service removes its public host only', () => {
    const sim = simulationOf(`
name: tag
duration: 2m
apps:
  hello: {serviceTime: 10ms}
timeline:
  - at: 0s
    kn: kn service create hello --image=hello --tag @latest=exp
  - at: 60s
    kubectl: label service exp-hello networking.knative.dev/visibility=cluster-local
  - at: 61s
    kubectl: label service exp-hello networking.knative.dev/visibility=other
traffic:
  - name: outside
    target: {service: hello, tag: exp}
    pattern: constant
    rate: 1
    from: 30s
  - name: inside
    target: {service: hello, tag: exp, fromCluster: true}
    pattern: constant
    rate: 1
    from: 30s
`);
    sim.runTo(120_000);
    const r = sim.result();
    // Outside: 200 until the label reached the gateway (61 s), 404 after; inside: always 200.
    expect(r.summary.requests.byStatus).toEqual({ '200': 31 + 90, '404': 59 });
    expect(r.events.filter((e) => e.component === 'kubectl').map((e) => e.message)).toEqual([
      '$ kubectl label service exp-hello networking.knative.dev/visibility=cluster-local',
      'labeled',
      '$ kubectl label service exp-hello networking.knative.dev/visibility=other',
      "error: 'networking.knative.dev/visibility' already has a value (cluster-local), and --overwrite is false (inline.yaml:11:5)",
    ]);
    const route = sim.world.api.get<{ status?: { traffic?: { tag?: string; url?: string }[] } } & import('../../src/apis/meta.js').KObject>(
      TYPE.route,
      'default',
      'hello',
    );
    expect(route?.status?.traffic?.find((t) => t.tag === 'exp')?.url).toBe('http://exp-hello.default.svc.cluster.local');
  });
});
