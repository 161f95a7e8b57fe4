/**
 * The `sweep` and `sweep merge` commands with their flags and help, wired into the program by
 * main.ts; their actions live in sweep.ts.
 */
import type { Command } from 'commander';
import { UsageError } from './exit.js';
import { mergeCommand, sweepCommand, type SweepFlags } from './sweep.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerSweep(program: Command, common: (cmd: Command) => Command, setExit: (code: number) => void): void {
  const sweep = common(
    program
      .command('sweep')
      .description('run one scenario at every point of a grid of --set values, for every seed, on all cores, and tabulate the figures per point')
      .argument('<scenario>', 'scenario YAML file'),
  )
    .option('--grid <key=v1,v2,...>', 'a --set path and the values to try, separated by commas (repeatable: every combination runs)', collect)
    .option('--seeds <list>', 'the seeds each point runs with: 1..20, 1,2,7 or 1..5,10 (default: the scenario seed)')
    .option('--jobs <n>', 'runs at once on worker threads (default: the number of cores)')
    .option('--shard <i/n>', 'run only shard i of n (i from 0): every n-th run; default from JOB_COMPLETION_INDEX and JOB_COMPLETIONS when set')
    .option('--out <file.jsonl>', "write the runs' results as JSON lines (a sharded sweep without --out writes them to stdout)")
    .option('--json', 'print the table as JSON: per point the mean, min and max over the seeds, and every run')
    .action(async (file: string, opts: SweepFlags) => setExit(await sweepCommand(file, opts)));
  sweep
    .command('merge')
    .description("join the JSON lines of a sweep's shards (sweep --shard i/n --out) into the table the whole sweep prints")
    .argument('<file.jsonl...>', 'one file per shard')
    .option('--json', 'print the table as JSON, as sweep --json does')
    .action((files: string[], opts: { json?: boolean }) => {
      // Commander gives an option that sweep also has (`sweep merge a b --json`) to sweep: take it back;
      // the options only sweep has are refused rather than ignored.
      const { json, ...others } = sweep.opts<SweepFlags>();
      const stray = Object.keys(others)[0];
      if (stray !== undefined)
        throw new UsageError(`sweep merge: --${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is an option of sweep, not of merge`);
      setExit(mergeCommand(files, { json: opts.json === true || json === true }));
    });
}
