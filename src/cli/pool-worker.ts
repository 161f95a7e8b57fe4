/**
 * The entry of each worker thread of the pool (pool.ts): tinypool calls the default export
 * with one task at a time and sends its return value back to the main thread.
 */
import { runPoolTask, type PoolTask } from './pool-tasks.js';

export default function work(task: PoolTask): unknown {
  return runPoolTask(task);
}
