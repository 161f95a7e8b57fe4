// The condition algebra of knative.dev/pkg's condition_set.go, as a Knative reader knows it:
// Ready follows its dependents, the most recent cause is what Ready says, and a condition's
// lastTransitionTime moves whenever what it says changes.
import { describe, expect, it } from 'vitest';
import { getCondition, initializeConditions, makeConditionSet, mark, setCondition } from '../../src/apis/conditions.js';
import type { Condition } from '../../src/apis/meta.js';

// A Revision's set: Ready = ResourcesAvailable ∧ ContainerHealthy; Active is informational.
const set = makeConditionSet('Ready', ['ResourcesAvailable', 'ContainerHealthy']);

function fresh(nowMs = 0): Condition[] {
  const conditions: Condition[] = [];
  initializeConditions(set, conditions, nowMs);
  return conditions;
}

const ready = (c: Condition[]): Condition | undefined => getCondition(c, 'Ready');

describe('conditions', () => {
  it('initializes Ready and every dependent to Unknown, sorted by type', () => {
    expect(fresh().map((c) => `${c.type}=${c.status}`)).toEqual(['ContainerHealthy=Unknown', 'Ready=Unknown', 'ResourcesAvailable=Unknown']);
  });

  it('initializes a missing dependent to True when Ready is already True', () => {
    const conditions: Condition[] = [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }];
    initializeConditions(set, conditions, 5);
    expect(getCondition(conditions, 'ContainerHealthy')?.status).toBe('True');
  });

  it('makes Ready True only once every dependent is True', () => {
    const c = fresh();
    mark(set, c, 'ResourcesAvailable', 'True', 1);
    expect(ready(c)?.status).toBe('Unknown');
    mark(set, c, 'ContainerHealthy', 'True', 2);
    expect(ready(c)).toEqual({ type: 'Ready', status: 'True', lastTransitionTime: 2 });
  });

  it('copies the reason of a dependent marked Unknown or False onto Ready', () => {
    const c = fresh();
    mark(set, c, 'ResourcesAvailable', 'Unknown', 1, 'Deploying', 'starting');
    expect(ready(c)).toMatchObject({ status: 'Unknown', reason: 'Deploying', message: 'starting' });
    mark(set, c, 'ContainerHealthy', 'False', 2, 'ExitCode1', 'Container failed');
    expect(ready(c)).toMatchObject({ status: 'False', reason: 'ExitCode1', message: 'Container failed' });
  });

  it('keeps Ready False when another dependent is marked Unknown while one is False', () => {
    const c = fresh();
    mark(set, c, 'ResourcesAvailable', 'False', 1, 'ProgressDeadlineExceeded', 'timed out');
    mark(set, c, 'ContainerHealthy', 'Unknown', 2, 'Deploying');
    expect(ready(c)).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', lastTransitionTime: 1 });
  });

  it('blames the most recently changed unhappy dependent when one turns True', () => {
    const c = fresh();
    mark(set, c, 'ResourcesAvailable', 'Unknown', 1, 'Deploying');
    mark(set, c, 'ContainerHealthy', 'Unknown', 3, 'Pulling');
    mark(set, c, 'ResourcesAvailable', 'True', 4);
    expect(ready(c)).toMatchObject({ status: 'Unknown', reason: 'Pulling' });
  });

  it('moves lastTransitionTime when the reason changes, not when nothing does', () => {
    const c = fresh();
    setCondition(c, { type: 'Active', status: 'False', reason: 'TimedOut' }, 10);
    setCondition(c, { type: 'Active', status: 'False', reason: 'TimedOut' }, 20);
    expect(getCondition(c, 'Active')?.lastTransitionTime).toBe(10);
    setCondition(c, { type: 'Active', status: 'False', reason: 'NoTraffic' }, 30);
    expect(getCondition(c, 'Active')).toMatchObject({ reason: 'NoTraffic', lastTransitionTime: 30 });
  });

  it('gives conditions outside the set severity Info and leaves Ready alone when they change', () => {
    const c = fresh();
    mark(set, c, 'ResourcesAvailable', 'True', 1);
    mark(set, c, 'ContainerHealthy', 'True', 1);
    mark(set, c, 'Active', 'False', 2, 'NoTraffic', 'The target is not receiving traffic.');
    expect(getCondition(c, 'Active')).toMatchObject({ status: 'False', severity: 'Info' });
    expect(ready(c)?.status).toBe('True');
  });
});
