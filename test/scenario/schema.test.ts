import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SCENARIO_SHAPE, type Shape } from '../../src/scenario/index.js';

type Schema = Record<string, unknown>;
const schema = JSON.parse(readFileSync('schema/scenario.schema.json', 'utf8')) as Schema;
const defs = schema.$defs as Record<string, Schema>;

/** Keywords of JSON Schema draft 2020-12 (core, applicator, validation, meta-data, format, unevaluated). */
const KEYWORDS = new Set([
  '$schema',
  '$id',
  '$ref',
  '$defs',
  '$comment',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$vocabulary',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'prefixItems',
  'items',
  'contains',
  'properties',
  'patternProperties',
  'additionalProperties',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxContains',
  'minContains',
  'maxProperties',
  'minProperties',
  'required',
  'dependentRequired',
  'title',
  'description',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  'format',
]);
const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']);

function deref(s: Schema): Schema {
  const ref = s.$ref as string | undefined;
  if (ref === undefined) return s;
  const target = defs[ref.replace('#/$defs/', '')];
  if (target === undefined) throw new Error(`dangling $ref ${ref}`);
  return deref(target);
}

/** The alternatives of a schema, with references followed and nested anyOf flattened. */
function branchesOf(s0: Schema): Schema[] {
  const s = deref(s0);
  return s.anyOf === undefined ? [s] : (s.anyOf as Schema[]).flatMap(branchesOf);
}

/** Every sub-schema reachable from s (without following $ref). */
function* subschemas(s: Schema): Generator<Schema> {
  yield s;
  for (const k of ['items', 'additionalProperties', 'propertyNames']) if (typeof s[k] === 'object') yield* subschemas(s[k] as Schema);
  for (const k of ['anyOf', 'oneOf', 'allOf']) for (const o of (s[k] as Schema[] | undefined) ?? []) yield* subschemas(o);
  for (const k of ['properties', '$defs']) for (const v of Object.values((s[k] as Record<string, Schema> | undefined) ?? {})) yield* subschemas(v);
}

/** The schema's key tree in the same terms as the loader's Shape. */
function keyTree(s0: Schema): unknown {
  const branches = branchesOf(s0);
  const out: Record<string, unknown> = {};
  for (const b of branches) {
    if (b.properties !== undefined) out.map = Object.fromEntries(Object.entries(b.properties as Record<string, Schema>).map(([k, v]) => [k, keyTree(v)]));
    else if (typeof b.additionalProperties === 'object') out.dict = keyTree(b.additionalProperties as Schema);
    if (b.type === 'array' && typeof b.items === 'object') out.list = keyTree(b.items as Schema);
  }
  return out;
}

function shapeTree(shape: Shape): unknown {
  const out: Record<string, unknown> = {};
  const visit = (s: Shape): void => {
    if (s.kind === 'either') s.options.forEach(visit);
    else if (s.kind === 'map') out.map = Object.fromEntries(Object.entries(s.keys).map(([k, v]) => [k, shapeTree(v)]));
    else if (s.kind === 'dict') out.dict = shapeTree(s.value);
    else if (s.kind === 'list') out.list = shapeTree(s.item);
  };
  visit(shape);
  return out;
}

/** Paths of keys in `value` that the schema does not allow. */
function disallowedKeys(value: unknown, s0: Schema, path: string): string[] {
  const branches = branchesOf(s0);
  if (Array.isArray(value)) {
    const b = branches.find((x) => x.type === 'array');
    return b === undefined ? [`${path} (a list is not allowed)`] : value.flatMap((v, i) => disallowedKeys(v, b.items as Schema, `${path}[${i}]`));
  }
  if (value !== null && typeof value === 'object') {
    const b = branches.find((x) => x.type === 'object' || x.properties !== undefined);
    if (b === undefined) return [`${path} (a mapping is not allowed)`];
    const props = (b.properties as Record<string, Schema> | undefined) ?? {};
    return Object.entries(value).flatMap(([k, v]) => {
      if (props[k] !== undefined) return disallowedKeys(v, props[k], `${path}.${k}`);
      if (typeof b.additionalProperties === 'object') return disallowedKeys(v, b.additionalProperties as Schema, `${path}.${k}`);
      return [`${path}.${k}`];
    });
  }
  return [];
}

describe('scenario.schema.json', () => {
  it('is a draft 2020-12 schema with an $id and only known keywords and types', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/^https:\/\//);
    for (const s of subschemas(schema)) {
      for (const k of Object.keys(s)) expect(KEYWORDS.has(k), `unknown keyword ${k}`).toBe(true);
      const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
      for (const t of types) expect(TYPES.has(t as string), `unknown type ${String(t)}`).toBe(true);
      if (s.$ref !== undefined) expect(defs[(s.$ref as string).replace('#/$defs/', '')], `dangling ${JSON.stringify(s.$ref)}`).toBeDefined();
      for (const r of (s.required as string[] | undefined) ?? []) expect(Object.keys((s.properties as object) ?? {})).toContain(r);
    }
  });

  it('describes every property with a description and examples, so editors can explain and complete it', () => {
    for (const s of subschemas(schema)) {
      for (const [k, p] of Object.entries((s.properties as Record<string, Schema> | undefined) ?? {})) {
        expect(typeof p.description, `property ${k}`).toBe('string');
        expect(Array.isArray(p.examples), `property ${k}`).toBe(true);
      }
    }
  });

  it('allows exactly the keys the loader accepts', () => {
    expect(keyTree(schema)).toEqual(shapeTree(SCENARIO_SHAPE));
  });

  it('accepts the keys of the example scenarios and flags a misspelt one', () => {
    const full = parse(readFileSync('test/scenario/fixtures/full.yaml', 'utf8')) as unknown;
    expect(disallowedKeys(full, schema, '')).toEqual([]);
    const small: unknown = parse(
      'duration: 1m\ntimeline:\n  - {at: 0s, kn: service create a --image=x}\ntraffic:\n  - {target: a, pattern: users, users: 5, thinkTime: 1s}\n',
    );
    expect(disallowedKeys(small, schema, '')).toEqual([]);
    const typo: unknown = parse('duration: 1m\ntraffic:\n  - {target: a, pattern: constant, rte: 5}\n');
    expect(disallowedKeys(typo, schema, '')).toEqual(['.traffic[0].rte']);
  });
});
