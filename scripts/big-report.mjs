// Writes the HTML report of the benchmark's 100-function Azure day (dist/ must be built):
// node scripts/big-report.mjs <out.html>. Run in its own process by test/report/browser-big.test.ts.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { azureDayScenario, loadBenchScenario } from '../dist/bench/scenarios.js';
import { Simulation, renderHtmlReport } from '../dist/index.js';

const root = resolve(import.meta.dirname, '..');
const scenario = loadBenchScenario(azureDayScenario(), resolve(root, 'scenarios/data/azure2019'));
const sim = new Simulation(scenario, { record: { series: false, report: true } });
sim.runTo(scenario.durationMs);
writeFileSync(process.argv[2], renderHtmlReport(sim.result()));
