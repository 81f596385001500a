// The stylesheet of the HTML writeups (style.css beside the pages): a readable single column, steps as
// cards, dimension checks in small monospace, tables for checks. No web fonts beyond KaTeX's own.
export const STYLE = `:root {
  --ink: #1f2937;
  --muted: #6b7280;
  --rule: #e5e7eb;
  --card: #f9fafb;
  --accent: #1d4ed8;
  --ok: #15803d;
  --bad: #b91c1c;
}
* { box-sizing: border-box; }
html { font-size: 17px; }
body {
  margin: 0;
  color: var(--ink);
  background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.6;
}
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
nav.top {
  display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; justify-content: space-between;
  max-width: 52rem; margin: 0 auto; padding: 0.75rem 1.25rem; font-size: 0.8rem; color: var(--muted);
  border-bottom: 1px solid var(--rule);
}
nav.top a { color: var(--accent); text-decoration: none; }
h1 { font-size: 2rem; line-height: 1.25; margin: 1rem 0 0.75rem; }
h2 { font-size: 1.4rem; margin: 2.5rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 2rem 0 0.75rem; }
h4 { font-size: 1rem; margin: 1.5rem 0 0.5rem; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.85em; }
pre { background: var(--card); border: 1px solid var(--rule); border-radius: 6px; padding: 0.75rem 1rem; overflow-x: auto; }
p code, li code, td code { background: var(--card); padding: 0.05em 0.3em; border-radius: 4px; }
.math-display, .eq { overflow-x: auto; overflow-y: hidden; padding: 0.15rem 0; }
.katex-display { margin: 0.5rem 0; }
li.step .katex-display > .katex, .claim .katex-display > .katex, .chain .katex-display > .katex { text-align: left; padding-left: 1rem; }
aside.conventions {
  border-left: 4px solid var(--accent); background: #eff6ff; border-radius: 0 6px 6px 0;
  padding: 0.25rem 1rem; margin: 1rem 0 1.5rem; font-size: 0.9rem;
}
aside.conventions p { margin: 0.5rem 0; }
details.source { margin: 1rem 0 0.5rem; font-size: 0.85rem; }
details.source summary { cursor: pointer; color: var(--muted); }
details.source pre { margin: 0.5rem 0 0; }
table { border-collapse: collapse; margin: 0.75rem 0 1.25rem; font-size: 0.9rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.3rem 0.8rem 0.3rem 0; text-align: left; vertical-align: middle; }
th { color: var(--muted); font-weight: 600; font-size: 0.8rem; }
tr.ok td:last-child { color: var(--ok); font-weight: 700; }
tr.bad td { color: var(--bad); font-weight: 700; }
ol.steps { list-style: none; padding: 0; margin: 0.75rem 0; }
li.step { background: var(--card); border: 1px solid var(--rule); border-radius: 8px; padding: 0.6rem 1rem 0.7rem; margin: 0 0 0.75rem; }
ol.steps:not(.numbered) li.step { background: none; border: none; border-left: 3px solid var(--rule); border-radius: 0; padding: 0.1rem 0 0.1rem 1rem; }
li.step.result { background: #f0fdf4; border-color: #bbf7d0; }
li.step.sum { background: #fefce8; border-color: #fde68a; }
.step-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 0.6rem; font-size: 0.9rem; }
.step-head .num {
  display: inline-block; min-width: 1.6rem; text-align: center; border-radius: 999px;
  background: var(--accent); color: #fff; font-size: 0.75rem; font-weight: 700; padding: 0 0.4rem;
}
li.step.result .num { background: var(--ok); }
.step-head .rule { font-weight: 600; }
.step-head .at { color: var(--muted); }
.dims { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.78rem; color: var(--muted); margin: -0.1rem 0 0.35rem; }
.dims.ok::before { content: "dimensions  "; color: #9ca3af; }
.dims.bad { color: var(--bad); font-weight: 700; }
.note { font-size: 0.78rem; color: var(--muted); margin: 0 0 0.4rem; }
figure.graph { margin: 1rem 0 1.5rem; text-align: center; }
figure.graph svg { max-width: 100%; height: auto; }
figure.graph figcaption { font-size: 0.8rem; color: var(--muted); margin-top: 0.25rem; }
pre.gradients { white-space: pre-wrap; }
p.lead { margin-bottom: 0.25rem; font-size: 0.9rem; color: var(--muted); }
.claim, .chain { margin: 0.75rem 0 1.25rem; }
.verdict { font-size: 0.9rem; }
.verdict .badge { font-weight: 700; }
.verdict.ok .badge { color: var(--ok); }
.verdict.bad { color: var(--bad); }
.verdict .reason { color: var(--muted); }
.verdict .what { font-weight: 600; }
ol.chain-steps { margin: 0.25rem 0; padding-left: 1.75rem; }
ol.chain-steps li { margin: 0.2rem 0; }
ol.chain-steps .dims { margin: 0; }
table.equations { border-collapse: collapse; margin: 0.5rem 0 1rem; width: 100%; font-size: 1rem; }
table.equations td { border: none; padding: 0.2rem 0.4rem; vertical-align: middle; }
table.equations td.lhs { text-align: right; white-space: nowrap; padding-right: 0; }
table.equations td.rhs { text-align: left; padding-left: 0.2rem; }
table.equations td.check { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.72rem; color: var(--muted); }
table.equations td.check.bad { color: var(--bad); font-weight: 700; }
table.equations td.why { font-size: 0.8rem; color: var(--muted); }
table.equations td.why .katex { font-size: 1em; }
table.equations tr + tr td { border-top: 1px solid #f3f4f6; }
table.equations .eq { max-width: 100%; white-space: nowrap; }
table.equations { table-layout: fixed; }
table.equations td.lhs { width: 14%; }
table.equations td.rhs { width: 40%; }
table.equations td.check { width: 24%; white-space: normal; }
table.equations td.why { width: 22%; }
table.equations.forward td.lhs { width: 20%; }
table.equations.forward td.rhs { width: 50%; }
table.equations.forward td.check { width: 30%; }
.claim-line { margin: 0.35rem 0 0.6rem; }
.claim-line .verdict { font-size: 0.85rem; }
.claim-line.bad .eq { color: var(--bad); }
details.more { margin: 0.5rem 0 1rem; font-size: 0.9rem; }
details.more summary { cursor: pointer; color: var(--muted); }
.table-wrap { overflow-x: auto; }
table.index { width: 100%; }
.index th:nth-child(n + 3), .index td:nth-child(n + 3) { white-space: nowrap; }
.index .headline .katex { white-space: normal; }
@media (max-width: 800px) {
  main { padding: 1rem 0.9rem 3rem; }
  table.equations, table.equations tbody { display: block; width: 100%; }
  table.equations tr { display: flex; flex-wrap: wrap; align-items: center; }
  table.equations td { display: block; }
  table.equations td.lhs { text-align: left; padding: 0.4rem 0 0; max-width: 100%; }
  table.equations td.rhs { padding: 0.4rem 0 0 0.2rem; max-width: 100%; }
  table.equations td.lhs, table.equations td.rhs, table.equations td.check, table.equations td.why { width: auto; }
  table.equations td.rhs .eq { max-width: calc(100vw - 2rem); }
  table.equations td.check, table.equations td.why { width: 100%; }
  table.equations td.check, table.equations td.why { padding: 0 0 0 1rem; white-space: normal; }
  table.equations tr + tr td { border-top: none; }
  table.equations tr + tr td.lhs { border-top: 1px solid var(--rule); }
  table.index thead { display: none; }
  table.index, table.index tbody, table.index tr { display: block; width: 100%; }
  table.index tr { border-bottom: 1px solid var(--rule); padding: 0.5rem 0; }
  table.index td { display: block; border: none; padding: 0.1rem 0; }
  table.index td.headline { overflow-x: auto; max-width: 100%; }
  table.index td:nth-child(n + 3) { display: inline-block; margin-right: 1rem; color: var(--muted); font-size: 0.8rem; }
  table.index td:nth-child(3)::before { content: "steps "; }
  table.index td:nth-child(4)::before { content: "checks "; }
  table.index td:nth-child(5)::before { content: "worst error "; }
}
.index td:first-child a { font-weight: 600; }
.index .headline { font-size: 0.85rem; }
.index .headline .katex-display { margin: 0; }
.index .headline .katex-display > .katex { text-align: left; }
`;
