/**
 * Deleting a service while requests arrive: the URL stops answering with 404, and no
 * request is left hanging.
 */
import { describe, expect, it } from 'vitest';
import { TYPE } from '../../src/apis/core.js';
import { knLines, revisionNames, simulationOf } from './helpers.js';

const DELETE_SCENARIO = `
name: delete
duration: 10m
apps:
  rainbows: {serviceTime: 20ms}
timeline:
  - {at: 0s, kn: kn service create sunshine --image=rainbows}
  - {at: 2m, kn: kn service delete sunshine}
traffic:
  - {name: users, target: sunshine, pattern: constant, rate: 5, from: 30s}
`;

describe('kn service delete', () => {
  it('removes the revisions and their pods, and the URL answers 404 afterwards', () => {
    const sim = simulationOf(DELETE_SCENARIO);
    sim.runTo(119_000);
    expect(revisionNames(sim)).toEqual(['sunshine-00001']);
    sim.runTo(200_000);
    expect(knLines(sim.result(), 'service/sunshine')).toContain("Service 'sunshine' successfully deleted in namespace 'default'.");
    expect(revisionNames(sim)).toEqual([]);
    expect(sim.world.api.list(TYPE.pod, { namespace: 'default' })).toEqual([]);
    const m = sim.world.dataplane.measurements;
    const notFound0 = m.unrouted.arrived;
    sim.runTo(260_000);
    // After the route is gone, every request is answered 404 by the router at once.
    expect(m.unrouted.arrived - notFound0).toBe(300);
    expect(m.unrouted.inFlight).toBe(0);
  });

  // BUG (src/dataplane/dataplane.ts onRevision): requests that reach the activator for a
  // revision that was just deleted (the router still has the route for its propagation
  // delay) wait in the activator for the revision timeout (300s) and then end 504, or stay
  // in flight at the end of a shorter run. Knative's activator looks the revision up in
  // its lister first and answers 404 at once when it is gone
  // (pkg/activator/handler/context_handler.go, sendError).
  it('leaves no request hanging: the ones routed to the deleted revision end 404 at once', () => {
    const sim = simulationOf(DELETE_SCENARIO);
    sim.runTo(180_000);
    const { requests } = sim.result().summary;
    expect(requests.inFlight).toBe(0);
    expect(Object.keys(requests.byStatus).sort()).toEqual(['200', '404']);
    sim.runTo(600_000);
    const end = sim.result().summary.requests;
    expect(end.inFlight).toBe(0);
    expect(end.byStatus['504']).toBeUndefined();
  });
});
