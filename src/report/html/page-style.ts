/**
 * The HTML report's style sheet: system fonts, a light theme, the Okabe–Ito palette
 * (readable with every common colour-vision deficiency) and lines told apart by dash
 * as well as colour.
 */
export const PAGE_CSS = `
:root { --fg: #1a1a1a; --muted: #5a5a5a; --line: #d0d0d0; --bg: #fff; --panel: #f6f6f4; --pass: #007a4d; --fail: #b8420b; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 12px 20px; border-bottom: 1px solid var(--line); }
header h1 { font-size: 20px; margin: 0 0 2px; }
header p { margin: 0; color: var(--muted); }
main { display: grid; grid-template-columns: minmax(0, 1fr) 430px; gap: 16px; padding: 12px 20px; }
@media (max-width: 1100px) { main { grid-template-columns: 1fr; } }
section { margin-bottom: 14px; }
h2 { font-size: 16px; margin: 10px 0 6px; }
h3 { font-size: 14px; margin: 8px 0 4px; }
.controls { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: center; padding: 8px 10px; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
.controls fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: center; }
.controls legend { font-weight: 600; float: left; margin-right: 6px; }
.cursorbar { display: flex; gap: 8px; align-items: center; margin: 8px 0; }
.cursorbar input[type=range] { flex: 1; }
.cursorbar output { font-variant-numeric: tabular-nums; min-width: 90px; font-weight: 600; }
button { font: inherit; padding: 2px 8px; border: 1px solid #888; border-radius: 4px; background: #fff; cursor: pointer; }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #0072B2; outline-offset: 1px; }
figure { margin: 0 0 6px; }
figcaption { font-weight: 600; margin: 2px 0; }
.legendnote { color: var(--muted); font-size: 12px; }
.swatch { display: inline-block; width: 14px; height: 10px; vertical-align: middle; margin: 0 3px 0 8px; border: 1px solid #999; }
#lane { display: block; width: 100%; height: 46px; border: 1px solid var(--line); background: #fcfcfc; cursor: crosshair; }
#tip { position: fixed; pointer-events: none; z-index: 10; max-width: 460px; background: #222; color: #fff; padding: 6px 8px; border-radius: 4px; font-size: 12px; display: none; white-space: pre-wrap; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.world ul { list-style: none; margin: 0; padding-left: 16px; }
.world > ul { padding-left: 0; }
.world li { margin: 2px 0; }
.kind { color: var(--muted); font-size: 12px; margin-right: 4px; }
.phase { display: inline-block; padding: 0 5px; border-radius: 3px; font-size: 12px; border: 1px solid #999; }
.phase-Ready, .phase-True, .phase-Serve { background: #d9efe6; border-color: #009E73; }
.phase-Terminating, .phase-False { background: #fbe3d6; border-color: #D55E00; }
.phase-Pending, .phase-ContainerCreating, .phase-Running, .phase-Unknown, .phase-Proxy { background: #fdf1d5; border-color: #E69F00; }
.decision { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; white-space: pre-wrap; margin: 4px 0 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: var(--pass); font-weight: 700; }
.fail { color: var(--fail); font-weight: 700; }
.bar { display: flex; height: 12px; min-width: 120px; border: 1px solid #999; }
.bar span { display: block; height: 100%; }
.notice { color: var(--muted); font-size: 12px; }
.scroll { max-height: 420px; overflow: auto; border: 1px solid var(--line); margin: 4px 0 10px; }
.hscroll { overflow-x: auto; }
.world-scroll { max-height: 640px; overflow: auto; }
`;
