// The self-contained report page: style, data and script inline; a Content-Security-Policy that allows
// only this page's own script and style (by hash) and no network at all, so injected markup cannot run.
import { createHash } from 'node:crypto';
import type { HtmlReport, ReportData } from './collect.js';
import { escapeHtml as h, jsonForHtml } from './escape.js';
import { SCRIPT } from './script.js';
import { STYLE } from './style.js';
import { summaryHtml } from './summary.js';

export interface PageOptions {
  /** Shown in the header ("rstscope 0.1.0"). */
  generator: string;
}

/** The whole report as one HTML document. */
export function renderReport(report: HtmlReport, opts: PageOptions): string {
  const d = report.data;
  const csp = [
    "default-src 'none'", `script-src '${sha256(SCRIPT)}'`, `style-src '${sha256(STYLE)}'`,
    "img-src 'none'", "connect-src 'none'", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
  const files = d.files.length > 3 ? `${report.captures.length} captures` : d.files.map((f) => h(f)).join(', ') || `${report.captures.length} capture(s) without RSTs`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rstscope report: ${files}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>rstscope report</h1><p>${files} &middot; ${h(opts.generator)}</p></header>
<main>
${summaryHtml({ resets: d.resets, captures: report.captures, findings: report.findings, connections: report.connections, states: report.states })}
<section id="resets">
<h2>RSTs</h2>
<div class="controls">
<input id="q" type="search" placeholder="filter: address, port, frame, flags, cause, evidence..." aria-label="filter RSTs">
${select('ph', 'any phase', d, (r) => r.ph)}${select('ca', 'any cause', d, (r) => r.ca)}${select('or', 'any origin', d, (r) => r.or)}${select('snd', 'any sender', d, (r) => r.snd)}
<span id="shown" aria-live="polite"></span>
</div>
<div class="split">
<div class="tablebox"><table id="rst-table"${d.files.length > 1 ? ' class="multi"' : ''}><thead><tr></tr></thead><tbody></tbody></table></div>
<aside id="detail"><p class="none">Click a RST to see its evidence, advice, Wireshark filter and ladder diagram.</p></aside>
</div>
</section>
</main>
<script type="application/json" id="rst-data">${jsonForHtml(d)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function select(id: string, any: string, d: ReportData, key: (r: ReportData['resets'][number]) => string): string {
  const values = [...new Set(d.resets.map(key))].sort();
  const opts = values.map((v) => `<option value="${h(v)}">${h(v)}</option>`).join('');
  return `<select id="f-${id}" aria-label="${any}"><option value="">${any}</option>${opts}</select>`;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
