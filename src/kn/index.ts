/**
 * kn, Knative's command-line client: parse a command line, edit objects, run it against
 * the fake API server, follow its wait and print kn's output. A client that uses the API
 * as a user does, not a part of the control plane: it reads and writes Knative objects
 * through the API server and knows nothing of the reconcilers behind it.
 * Fidelity: knative/client (pkg/commands, pkg/traffic, pkg/wait); see each file.
 */
export { parseKn, type KnCommand } from './parse.js';
export { runKn, followKn, type KnExecution } from './run.js';
export { computeTraffic } from './traffic.js';
export { applyServiceFlags, newService } from './edit.js';
export { splitShellWords } from './shell-words.js';
