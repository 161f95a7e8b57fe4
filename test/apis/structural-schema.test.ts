// The cluster's type checks of a manifest before Knative's defaulting and webhook: each wrong
// JSON type refused with the message the cluster gives at that place, at the field's path.
import { describe, expect, it } from 'vitest';
import { checkStructure } from '../../src/apis/structural-schema.js';
import { deepCopy } from '../../src/apis/meta.js';

const KSVC = 'Service.serving.knative.dev';

function service(spec: unknown, metadata: Record<string, unknown> = { name: 's' }): Record<string, unknown> {
  return { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata, spec };
}

const container = (fields: Record<string, unknown>): unknown => ({ template: { spec: { containers: [{ image: 'img', ...fields }] } } });

describe('checkStructure', () => {
  it.each([
    [
      'a string for the ports list',
      service(container({ ports: '8080' })),
      'spec.template.spec.containers[0].ports',
      'spec.template.spec.containers[0].ports: Invalid value: "string": spec.template.spec.containers[0].ports in body must be of type array: "string"',
    ],
    [
      'a string for the env list',
      service(container({ env: 'oops' })),
      'spec.template.spec.containers[0].env',
      'spec.template.spec.containers[0].env: Invalid value: "string": spec.template.spec.containers[0].env in body must be of type array: "string"',
    ],
    [
      'a null container',
      service({ template: { spec: { containers: [null] } } }),
      'spec.template.spec.containers[0]',
      'spec.template.spec.containers[0]: Invalid value: "null": spec.template.spec.containers[0] in body must be of type object: "null"',
    ],
    [
      'a string for traffic',
      service({ template: { spec: { containers: [{ image: 'img' }] } }, traffic: 'oops' }),
      'spec.traffic',
      'spec.traffic: Invalid value: "string": spec.traffic in body must be of type array: "string"',
    ],
    [
      'an unquoted number as a template annotation',
      service({ template: { metadata: { annotations: { 'autoscaling.knative.dev/target': 10 } }, spec: { containers: [{ image: 'img' }] } } }),
      'spec.template.metadata.annotations.autoscaling.knative.dev/target',
      'spec.template.metadata.annotations.autoscaling.knative.dev/target: Invalid value: "integer": spec.template.metadata.annotations.autoscaling.knative.dev/target in body must be of type string: "integer"',
    ],
    [
      "an unquoted number as the object's annotation (kubectl's decode)",
      service(container({}), { name: 's', annotations: { a: 1.5 } }),
      'metadata.annotations.a',
      'unable to decode: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string',
    ],
    [
      'a number as the namespace',
      service(container({}), { name: 's', namespace: 5 }),
      'metadata.namespace',
      'unable to decode: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.namespace of type string',
    ],
    [
      'a fractional containerConcurrency',
      service({ template: { spec: { containerConcurrency: 1.5, containers: [{ image: 'img' }] } } }),
      'spec.template.spec.containerConcurrency',
      'spec.template.spec.containerConcurrency: Invalid value: "number": spec.template.spec.containerConcurrency in body must be of type integer: "number"',
    ],
    [
      "a port too big for its int32 (the webhook's decode)",
      service(container({ ports: [{ containerPort: 99999999999 }] })),
      'spec.template.spec.containers[0].ports[0].containerPort',
      'admission webhook "webhook.serving.knative.dev" denied the request: mutation failed: cannot decode incoming new object: json: cannot unmarshal number 99999999999 into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
    ],
    [
      'a quantity outside its grammar',
      service(container({ resources: { requests: { cpu: 'lots' } } })),
      'spec.template.spec.containers[0].resources.requests.cpu',
      expect.stringContaining(
        'spec.template.spec.containers[0].resources.requests.cpu: Invalid value: "lots": spec.template.spec.containers[0].resources.requests.cpu in body should match',
      ),
    ],
  ])('refuses %s with the cluster’s message at the field', (_what, manifest, path, message: unknown) => {
    expect(checkStructure(manifest, KSVC).errors).toEqual([{ path, message }]);
  });

  it("refuses a ConfigMap's number data value with the API server's decode message", () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config-gc' }, data: { 'min-non-active-revisions': 2 } };
    expect(checkStructure(cm, 'ConfigMap').errors).toEqual([
      {
        path: 'data.min-non-active-revisions',
        message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
      },
    ]);
  });

  it('drops null fields as the API server prunes them, and keeps unlisted fields as written', () => {
    const manifest = service({ template: { spec: { containers: [{ image: 'img', args: null, futureField: { x: 1 } }], timeoutSeconds: null } } });
    const { object, errors } = checkStructure(manifest, KSVC);
    expect(errors).toEqual([]);
    expect(object).toEqual(service({ template: { spec: { containers: [{ image: 'img', futureField: { x: 1 } }] } } }));
  });

  it('refuses a manifest that contains itself through a YAML alias instead of overflowing the stack', () => {
    const metadata: Record<string, unknown> = { name: 's' };
    metadata.labels = metadata;
    const { errors } = checkStructure(service(container({}), metadata), KSVC);
    expect(errors.map((e) => e.path)).toEqual(['metadata.labels']);
    expect(errors[0]?.message).toContain('contain itself');
  });

  it('keeps keys named like Object.prototype members as ordinary keys (__proto__, constructor, toString)', () => {
    const data = JSON.parse('{"__proto__": "a", "constructor": "b", "toString": "c"}') as Record<string, unknown>;
    const { object, errors } = checkStructure({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data }, 'ConfigMap');
    expect(errors).toEqual([]);
    const copy = deepCopy(object.data) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.entries(copy)).toEqual([
      ['__proto__', 'a'],
      ['constructor', 'b'],
      ['toString', 'c'],
    ]);
  });
});
