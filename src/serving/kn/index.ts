/** The kn command layer: parse a command line, run it against the fake API, follow its wait. */
export { parseKn, editDistance, parseScale, parsePort, type KnCommand, type KnParse, type ServiceFlags } from './parse.js';
export { runKn, followKn, type KnContext, type KnExecution, type KnProgress } from './run.js';
export { computeTraffic, type TrafficInputs } from './traffic.js';
export { applyServiceFlags, newService, expandRevisionName } from './edit.js';
export { splitShellWords } from './shell-words.js';
export { formatTable } from './output.js';
