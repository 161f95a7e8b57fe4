// Every API server the test suite creates deep-freezes what it stores, so that code
// mutating a shared stored object throws here (production runs leave freezing off).
import { setFreezeStoredObjects } from '../src/k8s/api-server.js';

setFreezeStoredObjects(true);
