/**
 * CSV files of a run (for spreadsheets and plotting): the series (as kept: see the result's
 * `seriesForm`) and the event log. `csvFiles` gives each file's lines on demand, so the CLI
 * writes them piece by piece; `renderCsvFiles` joins them.
 */
import type { RecordedResult } from '../sim/result.js';

const SERIES_HEADER = 't_ms,revision,desired_replicas,ready_pods,pods,in_flight,requests,stable_concurrency,panic_concurrency,panic,sks_mode';

/** Each CSV file's name and its lines (header first), produced when iterated. */
export function csvFiles(result: RecordedResult): { name: string; lines: () => Generator<string> }[] {
  return [
    {
      name: 'series.csv',
      lines: function* () {
        yield SERIES_HEADER;
        for (const s of result.series)
          yield [s.t, s.revision, s.desiredReplicas, s.readyPods, s.pods, s.inFlight, s.requests, s.stableConcurrency, s.panicConcurrency, s.panic, s.sksMode]
            .map(csvCell)
            .join(',');
      },
    },
    {
      name: 'events.csv',
      lines: function* () {
        yield 't_ms,component,object,message';
        for (const e of result.events) yield [e.t, e.component, e.object, e.message].map(csvCell).join(',');
      },
    },
  ];
}

export function renderCsvFiles(result: RecordedResult): { name: string; content: string }[] {
  return csvFiles(result).map((f) => ({ name: f.name, content: [...f.lines()].join('\n') + '\n' }));
}

function csvCell(value: unknown): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
