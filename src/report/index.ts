export { renderChart, renderExpectations, renderInvariants, renderLog, renderSummary } from './text.js';
export { renderCsvFiles } from './csv.js';
export { renderHtmlReport, renderHtmlComparison } from './html/index.js';
