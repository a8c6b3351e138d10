// The report's summary, rendered once in Node: RSTs by phase/cause/origin, a timeline, top senders and
// receivers, findings and the captures read. Every value from a capture goes through escapeHtml.
import type { CaptureInfo } from '../contract.js';
import type { ReportReset } from './collect.js';
import { escapeHtml as h } from './escape.js';

export interface SummaryInput {
  resets: readonly ReportReset[];
  captures: readonly CaptureInfo[];
  findings: ReadonlyArray<Record<string, unknown>>;
  connections: number;
  states: ReadonlyMap<string, number>;
}

const TOP = 10;
const BUCKETS = 96;
const ORIGINS = ['endpoint', 'middlebox', 'unknown'] as const;

/** The summary sections as HTML. */
export function summaryHtml(s: SummaryInput): string {
  const packets = s.captures.reduce((n, c) => n + c.packets, 0);
  return `<section id="summary">
<div class="cards">${card('packets', packets)}${card('connections', s.connections)}${card('RSTs', s.resets.length)}${card('files', s.captures.length)}</div>
<div class="grid">
${breakdown('RSTs by phase', 'ph', count(s.resets, (r) => r.ph))}
${breakdown('RSTs by cause', 'ca', count(s.resets, (r) => r.ca))}
${breakdown('RSTs by origin', 'or', count(s.resets, (r) => r.or))}
${breakdown('RSTs by sender', 'snd', count(s.resets, (r) => r.snd))}
</div>
<h2>Timeline of RSTs</h2>
${timeline(s.resets)}
<div class="grid">
${top('Top RST senders', count(s.resets, (r) => r.src))}
${top('Top RST receivers', count(s.resets, (r) => r.dst))}
${breakdown('Connections by state', '', s.states)}
</div>
${findingsHtml(s.findings)}
${capturesHtml(s.captures)}
</section>`;
}

function card(label: string, n: number): string {
  return `<div class="card"><b>${n.toLocaleString('en-US')}</b><span>${h(label)}</span></div>`;
}

function count<T>(items: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

function sorted(m: ReadonlyMap<string, number>): Array<[string, number]> {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** A bar list; with `field`, each label is a button that filters the table on that column. */
function breakdown(title: string, field: string, m: ReadonlyMap<string, number>): string {
  const rows = sorted(m);
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const items = rows.map(([k, n]) => {
    const label = field ? `<button type="button" class="pick" data-k="${h(field)}" data-v="${h(k)}">${h(k)}</button>` : h(k);
    return `<tr><td>${label}</td><td><svg class="bar" width="120" height="10" aria-hidden="true"><rect width="${Math.max(1, Math.round((120 * n) / max))}" height="10"/></svg></td><td class="num">${n}</td></tr>`;
  });
  return `<div class="box"><h3>${h(title)}</h3>${items.length ? `<table class="mini">${items.join('')}</table>` : '<p class="none">none</p>'}</div>`;
}

function top(title: string, m: ReadonlyMap<string, number>): string {
  const rows = sorted(m).slice(0, TOP).map(([ip, n]) =>
    `<tr><td><button type="button" class="pick" data-k="q" data-v="${h(ip)}">${h(ip)}</button></td><td class="num">${n}</td></tr>`);
  return `<div class="box"><h3>${h(title)}</h3>${rows.length ? `<table class="mini">${rows.join('')}</table>` : '<p class="none">none</p>'}</div>`;
}

/** RSTs over time as stacked bars per origin (an inline SVG, no script needed). */
function timeline(resets: readonly ReportReset[]): string {
  if (resets.length === 0) return '<p class="none">no RSTs</p>';
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of resets) {
    if (r.ts < lo) lo = r.ts;
    if (r.ts > hi) hi = r.ts;
  }
  const span = Math.max(hi - lo, 1e-6);
  const counts = ORIGINS.map(() => new Array<number>(BUCKETS).fill(0));
  for (const r of resets) {
    const b = Math.min(BUCKETS - 1, Math.floor(((r.ts - lo) / span) * BUCKETS));
    const o = Math.max(0, ORIGINS.indexOf(r.or as (typeof ORIGINS)[number]));
    counts[o]![b]!++;
  }
  const totals = counts[0]!.map((_, b) => counts.reduce((n, c) => n + c[b]!, 0));
  const max = Math.max(1, ...totals);
  const W = 960;
  const H = 120;
  const bw = W / BUCKETS;
  const bars: string[] = [];
  for (let b = 0; b < BUCKETS; b++) {
    if (totals[b] === 0) continue;
    let y = H;
    const t0 = lo + (span * b) / BUCKETS;
    bars.push(`<g><title>${h(`${totals[b]} RSTs from +${(t0 - lo).toFixed(3)} s`)}</title>`);
    ORIGINS.forEach((o, i) => {
      const n = counts[i]![b]!;
      if (n === 0) return;
      const bh = Math.max(1, (n / max) * (H - 10));
      y -= bh;
      bars.push(`<rect class="o-${o}" x="${(b * bw).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}"/>`);
    });
    bars.push('</g>');
  }
  const first = resets.reduce((a, r) => (r.ts < a.ts ? r : a)).t;
  const last = resets.reduce((a, r) => (r.ts > a.ts ? r : a)).t;
  return `<figure class="timeline"><svg viewBox="0 0 ${W} ${H}" width="100%" height="${H}" role="img" aria-label="RSTs over time">${bars.join('')}</svg>
<figcaption><span>${h(first)}</span><span class="legend">${ORIGINS.map((o) => `<i class="o-${o}"></i>${o}`).join(' ')} &middot; max ${max} per ${(span / BUCKETS).toFixed(3)} s</span><span>${h(last)}</span></figcaption></figure>`;
}

/** Findings (scans, injection...) grouped by kind, one table per kind. */
function findingsHtml(findings: ReadonlyArray<Record<string, unknown>>): string {
  if (findings.length === 0) return '<h2>Findings</h2><p class="none">no scan or injection findings</p>';
  const groups = new Map<string, Array<Record<string, unknown>>>();
  for (const f of findings) {
    const kind = String(f.kind ?? f.finding ?? f.type ?? 'finding');
    groups.set(kind, [...(groups.get(kind) ?? []), f]);
  }
  const parts = [...groups].map(([kind, list]) => {
    const keys = [...new Set(list.flatMap((f) => Object.keys(f)))].filter((k) => k !== 'kind' && k !== 'type');
    const head = keys.map((k) => `<th>${h(k)}</th>`).join('');
    const body = list.map((f) => `<tr>${keys.map((k) => `<td>${h(cell(f[k]))}</td>`).join('')}</tr>`).join('');
    return `<div class="finding"><h3>${h(kind)} (${list.length})</h3><div class="scroll"><table class="data"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div></div>`;
  });
  return `<h2>Findings</h2>${parts.join('')}`;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.join(', ');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function capturesHtml(captures: readonly CaptureInfo[]): string {
  const rows = captures.map((c) => {
    const notes = [...c.warnings, ...(c.error ? [`damaged: ${c.error}`] : [])];
    return `<tr><td>${h(c.file)}</td><td>${h(c.format ?? '?')}</td><td class="num">${c.packets}</td><td>${h(c.first ?? '-')}</td><td>${h(c.last ?? '-')}</td><td>${notes.map((n) => h(n)).join('<br>')}</td></tr>`;
  });
  return `<h2>Captures</h2><div class="scroll"><table class="data"><thead><tr><th>file</th><th>format</th><th>packets</th><th>first</th><th>last</th><th>warnings</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}
