// Bad input: exit code 2, a `file:line:col:` pointing at the culprit, a message that names
// what is wrong, nothing on stdout, and never a Node stack trace.
import { describe, expect, it } from 'vitest';
import { FIXTURES, knsim, STACK_FRAME } from './helpers.js';

const BAD = `${FIXTURES}/bad`;
const OK = 'scenarios/01-deploy.yaml';

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Case {
  name: string;
  args: string[];
  /** The start of the first stderr line, e.g. `file:3:1: error: `. */
  where: RegExp;
  /** What the message must say. */
  says: (string | RegExp)[];
}

/** `<file>:<line>:<col>: error: ` with the line fixed (the column is checked to be a number). */
function at(file: string, line: number): RegExp {
  return new RegExp(`^${escapeRe(file)}:${line}:\\d+: error: `);
}

const scenarioCases: Case[] = [
  {
    name: 'YAML syntax error',
    args: ['run', `${BAD}/yaml-syntax.yaml`],
    where: new RegExp(`^${escapeRe(`${BAD}/yaml-syntax.yaml`)}:\\d+:\\d+: error: `),
    says: ['[SCENARIO_YAML_SYNTAX]'],
  },
  {
    name: 'unknown key with did-you-mean',
    args: ['run', `${BAD}/unknown-key.yaml`],
    where: at(`${BAD}/unknown-key.yaml`, 2),
    says: ['unknown key "duraton"', '[SCENARIO_UNKNOWN_KEY]', /^ {2}hint: did you mean "duration"\?$/m],
  },
  {
    name: 'wrong type',
    args: ['run', `${BAD}/wrong-type.yaml`],
    where: at(`${BAD}/wrong-type.yaml`, 3),
    says: ['traffic: expected a list', '[SCENARIO_WRONG_TYPE]'],
  },
  {
    name: 'malformed duration',
    args: ['run', `${BAD}/malformed-duration.yaml`],
    where: at(`${BAD}/malformed-duration.yaml`, 1),
    says: ['"10 minutes"', '[SCENARIO_BAD_DURATION]'],
  },
  {
    name: 'negative duration',
    args: ['run', `${BAD}/negative-duration.yaml`],
    where: at(`${BAD}/negative-duration.yaml`, 1),
    says: ['negative', '-5m', '[SCENARIO_BAD_DURATION]'],
  },
  {
    name: 'missing required key',
    args: ['run', `${BAD}/missing-duration.yaml`],
    where: at(`${BAD}/missing-duration.yaml`, 1),
    says: ['missing required key "duration"', '[SCENARIO_MISSING_KEY]'],
  },
  {
    name: 'containerConcurrency over 1000',
    args: ['run', `${BAD}/container-concurrency.yaml`],
    where: at(`${BAD}/container-concurrency.yaml`, 12),
    says: ['spec.template.spec.containerConcurrency', '2000', '1000', '[SCENARIO_INVALID_MANIFEST]'],
  },
  {
    name: 'traffic percents summing to 90',
    args: ['run', `${BAD}/traffic-90.yaml`],
    where: at(`${BAD}/traffic-90.yaml`, 15),
    says: ['spec.traffic', '90', '[SCENARIO_INVALID_MANIFEST]'],
  },
  {
    name: 'invalid manifest in an applied file points into that file',
    args: ['run', `${BAD}/apply-invalid-file.yaml`],
    where: at(`${BAD}/manifests/bad-cc.yaml`, 8),
    says: ['spec.template.spec.containerConcurrency', '-3'],
  },
  {
    name: 'unknown kn flag',
    args: ['run', `${BAD}/kn-unknown-flag.yaml`],
    where: at(`${BAD}/kn-unknown-flag.yaml`, 4),
    says: ['--imagee', 'did you mean --image?', '[SCENARIO_INVALID_KN]'],
  },
  {
    name: 'kn command without the service name',
    args: ['run', `${BAD}/kn-missing-name.yaml`],
    where: at(`${BAD}/kn-missing-name.yaml`, 4),
    says: ['service create', 'name', '[SCENARIO_INVALID_KN]'],
  },
  {
    name: 'apply file that does not exist',
    args: ['run', `${BAD}/apply-missing-file.yaml`],
    where: at(`${BAD}/apply-missing-file.yaml`, 4),
    says: ['does-not-exist.yaml', '[SCENARIO_FILE_UNREADABLE]'],
  },
  {
    name: 'YAML alias bomb',
    args: ['run', `${BAD}/alias-bomb.yaml`],
    where: new RegExp(`^${escapeRe(`${BAD}/alias-bomb.yaml`)}:\\d+:\\d+: error: `),
    says: ['alias', '[SCENARIO_LIMIT_EXCEEDED]'],
  },
  {
    name: 'duration over the 48h limit',
    args: ['run', `${BAD}/over-limit.yaml`],
    where: at(`${BAD}/over-limit.yaml`, 1),
    says: ['100h', '48h', '[SCENARIO_LIMIT_EXCEEDED]'],
  },
  {
    name: 'validate reports the same errors',
    args: ['validate', `${BAD}/unknown-key.yaml`],
    where: at(`${BAD}/unknown-key.yaml`, 2),
    says: ['did you mean "duration"?'],
  },
  {
    name: 'get reports the same errors',
    args: ['get', 'pods', '-f', `${BAD}/traffic-90.yaml`],
    where: at(`${BAD}/traffic-90.yaml`, 15),
    says: ['spec.traffic'],
  },
];

const cliCases: Case[] = [
  {
    name: 'nonexistent scenario file',
    args: ['run', 'no/such/scenario.yaml'],
    where: /^no\/such\/scenario\.yaml: error: /,
    says: ['cannot read the scenario', 'no such file'],
  },
  { name: 'unknown CLI option', args: ['run', OK, '--bogus'], where: /^error: /, says: ["unknown option '--bogus'"] },
  { name: 'unknown command', args: ['rnu', OK], where: /^error: /, says: ["unknown command 'rnu'"] },
  { name: 'malformed --duration', args: ['run', OK, '--duration', '10x'], where: /^error: --duration: /, says: ['"10x"'] },
  { name: 'zero --duration', args: ['run', OK, '--duration', '0s'], where: /^error: --duration: /, says: ['greater than 0'] },
  {
    name: 'unknown --set path with did-you-mean',
    args: ['run', OK, '--set', 'traffic[0].rat=5'],
    where: /^--set traffic\[0\]\.rat=5:\d+:\d+: error: /,
    says: ['"rat"', '[SCENARIO_BAD_OVERRIDE]', 'did you mean "rate"?'],
  },
  { name: '--set without a value', args: ['run', OK, '--set', 'duration'], where: /^--set duration:\d+:\d+: error: /, says: ['key.path=value'] },
  {
    name: '--set with a value of the wrong type',
    args: ['run', OK, '--set', 'traffic[0].rate=abc'],
    where: /^--set traffic\[0\]\.rate=abc:\d+:\d+: error: /,
    says: ['expected a number'],
  },
];

function checkBadInput(c: Case): void {
  const r = knsim(c.args);
  expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(2);
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(c.where);
  for (const s of c.says) {
    if (typeof s === 'string') expect(r.stderr).toContain(s);
    else expect(r.stderr).toMatch(s);
  }
}

describe('bad scenarios exit 2 with a location', () => {
  it.each(scenarioCases.map((c) => [c.name, c] as const))('%s', (_name, c) => checkBadInput(c));
});

describe('bad command lines exit 2', () => {
  it.each(cliCases.map((c) => [c.name, c] as const))('%s', (_name, c) => checkBadInput(c));
});

describe('messages speak to the user', () => {
  it('a YAML list instead of a mapping names the scenario, not an empty path', () => {
    const r = knsim(['run', `${BAD}/top-level-list.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(at(`${BAD}/top-level-list.yaml`, 1));
    expect(r.stderr).toContain('expected a mapping');
    expect(r.stderr).not.toMatch(/error: : /);
  });

  it('two YAML documents in one scenario are refused without advice about the yaml library API', () => {
    const r = knsim(['run', `${BAD}/two-documents.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(at(`${BAD}/two-documents.yaml`, 2));
    expect(r.stderr).toMatch(/document/i);
    expect(r.stderr).not.toMatch(/parseAllDocuments|YAML\.\w+\(/);
  });

  it('an out-of-limit --duration is blamed on --duration, not on a --set the user never typed', () => {
    const r = knsim(['run', OK, '--duration', '49h']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr).toContain('48h');
    expect(r.stderr).toContain('--duration');
    expect(r.stderr).not.toContain('--set');
  });

  it('an empty --seed is blamed on --seed, not on a --set the user never typed', () => {
    const r = knsim(['run', OK, '--seed=']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seed');
    expect(r.stderr).not.toContain('--set');
  });
});

describe('apply {file} paths', () => {
  it('are relative to the scenario file, not the working directory', () => {
    const r = knsim(['run', `${FIXTURES}/apply-file/scenario.yaml`]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS /m);
    expect(r.stdout).toMatch(/^hello-00001 +hello +40 +100\.0% +0 +1 +1 +1 +60\.0 +20\.0ms +20\.0ms$/m);
  });
});
