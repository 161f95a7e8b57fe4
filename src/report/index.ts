export { formatLatency, renderChart, renderExpectations, renderLog, renderSummary, table } from './text.js';
export { renderCsvFiles } from './csv.js';
export { renderHtmlReport, renderHtmlComparison } from './html/index.js';
