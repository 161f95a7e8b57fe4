/**
 * CSV files of a run (for spreadsheets and plotting): the per-second series and the
 * event log. Returns file names with contents; the CLI writes them.
 */
import type { RunResult } from '../sim/result.js';

export function renderCsvFiles(result: RunResult): { name: string; content: string }[] {
  const series = [
    't_ms,revision,desired_replicas,ready_pods,pods,in_flight,requests,stable_concurrency,panic_concurrency,panic,sks_mode',
    ...result.series.map((s) =>
      [s.t, s.revision, s.desiredReplicas, s.readyPods, s.pods, s.inFlight, s.requests, s.stableConcurrency, s.panicConcurrency, s.panic, s.sksMode]
        .map(csvCell)
        .join(','),
    ),
  ];
  const events = ['t_ms,component,object,message', ...result.events.map((e) => [e.t, e.component, e.object, e.message].map(csvCell).join(','))];
  return [
    { name: 'series.csv', content: series.join('\n') + '\n' },
    { name: 'events.csv', content: events.join('\n') + '\n' },
  ];
}

function csvCell(value: unknown): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
