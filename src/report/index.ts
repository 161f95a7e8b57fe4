export { renderChart, renderExpectations, renderInvariants, renderLog, renderSummary } from './text.js';
export { csvFiles, renderCsvFiles } from './csv.js';
export { htmlReportChunks, renderHtmlReport, renderHtmlComparison } from './html/index.js';
