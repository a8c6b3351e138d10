// Self-contained HTML report of `locate`: per RST, a ladder with one lane per capture point (path order,
// left to right). Each row is one packet; a dot marks each point that saw it, a cross the gap where it
// vanished, a star the gap where the RST was born. No script, no external resource; capture text is escaped.
import { RST } from '../decode/packet.js';
import { flagLetters } from '../report/flags.js';
import { toRef } from './clock.js';
import type { LocateResult } from './locate.js';
import type { ConnGroup } from './match.js';
import { lostText, type LocatedReset } from './report.js';
import type { Pkt, PointIndex } from './types.js';
import type { Cluster } from './verdict.js';

export function renderHtml(r: LocateResult): string {
  const d = r.doc;
  const pts = d.points.map((p) => `<tr><td>${esc(p.name)}</td><td>${esc(p.file)}</td><td>${p.packets}</td><td>${p.clock_offset_s === null ? 'unknown' : `${p.clock_offset_s.toFixed(6)} s`}</td><td>${p.clock_drift_ppm === null ? '' : `${p.clock_drift_ppm} ppm`}</td><td>${p.clock_samples}</td></tr>`);
  const sections = d.resets.map((rs, i) => section(i, rs, r));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rstscope locate</title>
<style>${CSS}</style></head><body>
<h1>rstscope locate: where each RST was born</h1>
<p>Capture points in path order (left to right in every ladder). Clock offsets are against ${esc(d.points[0]?.name ?? '')}.</p>
<table><tr><th>point</th><th>file</th><th>packets</th><th>clock offset</th><th>drift</th><th>shared packets</th></tr>
${pts.join('\n')}</table>
<p>In a ladder each row is one packet: &#9679; seen at that point, &#9675; not seen there, &#9733; first seen in the
middle of the path (born in that gap), &#10007; vanished in that gap; red rows are the RST.</p>
<p>${d.summary.resets} RSTs; ${d.summary.matched_connections} of ${d.summary.connections} connections seen at more than one point.</p>
${sections.join('\n')}
</body></html>
`;
}

/** Escapes text for HTML element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}section{border-top:2px solid #888;margin-top:1.5em}
.born{font-weight:bold}.mb{color:#b00}svg{background:#fafafa;border:1px solid #ddd;margin:.5em 0}
svg text{font:11px monospace}li{margin:2px 0}`;

const LANE = 190;
const LEFT = 90;
const ROW = 32;
const TOP = 44;
const BEFORE = 14;
const AFTER = 8;

interface Row {
  key: string;
  fromClient: boolean;
  u: number;
  at: Array<Pkt | null>;
  rst: boolean;
}

function section(i: number, rs: LocatedReset, r: LocateResult): string {
  const det = r.details[i]!;
  const born = rs.born_between.map((x) => (x === null ? '(end)' : esc(x))).join(' .. ');
  const lost = rs.lost.map((l) => `<li>lost: ${esc(lostText(l))}</li>`).join('');
  const ev = rs.evidence.map((e) => `<li>${esc(e)}</li>`).join('');
  return `<section><h2>RST ${i + 1}: ${esc(rs.flags)} ${esc(rs.src)} &rarr; ${esc(rs.dst)}</h2>
<p class="born ${rs.origin === 'middlebox' ? 'mb' : ''}">born between ${born}; sender ${esc(rs.sender)}, cause ${esc(rs.cause)}, origin ${esc(rs.origin)}, confidence ${rs.confidence}</p>
${ladder(det.cluster, det.group, det.orientation.clientLow, rs, r.points, r)}
<ul>${lost}${ev}</ul></section>`;
}

function ladder(cl: Cluster, g: ConnGroup, clientLow: boolean, rs: LocatedReset, points: PointIndex[], r: LocateResult): string {
  const rows = pickRows(buildRows(cl, g, points, r), cl);
  const n = points.length;
  const w = LEFT + LANE * n + 40;
  const h = TOP + ROW * rows.length + 20;
  const x = (pos: number): number => LEFT + LANE * pos + LANE / 2;
  const out: string[] = [];
  out.push(`<text x="8" y="16">${clientLow ? 'client side &larr;' : 'server side &larr;'}</text>`);
  out.push(`<text x="${w - 110}" y="16">&rarr; ${clientLow ? 'server side' : 'client side'}</text>`);
  points.forEach((p, pos) => {
    out.push(`<line x1="${x(pos)}" y1="${TOP - 10}" x2="${x(pos)}" y2="${h - 6}" stroke="#999"/>`);
    out.push(`<text x="${x(pos)}" y="${TOP - 16}" text-anchor="middle" font-weight="bold">${esc(p.name)}</text>`);
  });
  const u0 = cl.u;
  rows.forEach((row, k) => {
    const y = TOP + ROW * k + ROW / 2;
    const up = row.fromClient === clientLow;
    const seen = row.at.map((p, pos) => (p ? pos : -1)).filter((pos) => pos >= 0);
    const color = row.rst ? '#c00' : '#357';
    const first = up ? Math.min(...seen) : Math.max(...seen);
    const last = up ? Math.max(...seen) : Math.min(...seen);
    const step = up ? 1 : -1;
    // It enters at its first lane (from an end of the path or from the gap it was born in) and leaves
    // after its last one (to the other end, or into the gap where it vanished).
    const startX = x(first) - (step * LANE) / 2;
    const stopX = x(last) + (step * LANE) / 2;
    out.push(`<line x1="${startX}" y1="${y}" x2="${stopX}" y2="${y}" stroke="${color}" stroke-width="${row.rst ? 2 : 1}"/>`);
    if (first !== (up ? 0 : n - 1)) out.push(`<text x="${startX}" y="${y + 6}" text-anchor="middle" fill="${color}" font-size="18">&#9733;</text>`);
    if (last !== (up ? n - 1 : 0)) out.push(`<text x="${stopX}" y="${y + 5}" text-anchor="middle" fill="#c00" font-size="16">&#10007;</text>`);
    else out.push(arrowHead(stopX, y, step, color));
    for (let pos = Math.min(first, last); pos <= Math.max(first, last); pos++) {
      if (!row.at[pos]) out.push(`<circle cx="${x(pos)}" cy="${y}" r="3.5" fill="#fff" stroke="${color}"/>`);
    }
    row.at.forEach((p, pos) => {
      if (!p) return;
      out.push(`<circle cx="${x(pos)}" cy="${y}" r="3.5" fill="${color}"><title>${esc(`${points[pos]!.name} frame ${p.frame}, TTL ${p.ttl}`)}</title></circle>`);
      out.push(`<text x="${x(pos) + 6}" y="${y - 5}" fill="#666">#${p.frame} ttl ${p.ttl}</text>`);
    });
    const any = row.at.find((p) => p !== null)!;
    out.push(`<text x="8" y="${y + 4}" fill="${color}">${esc(ms(row.u - u0))}</text>`);
    const label = `${flagLetters(any.flags)}${any.len ? ` len ${any.len}` : ''} seq ${any.seq}`;
    out.push(`<text x="${(startX + stopX) / 2}" y="${y + 15}" text-anchor="middle" fill="${color}">${esc(label)}</text>`);
  });
  const title = `ladder of the connection around RST (${rs.flags} ${rs.src} -> ${rs.dst})`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">${out.join('')}</svg>`;
}

/** Every kept packet of the group, the copies of one packet at different points joined into one row. */
function buildRows(cl: Cluster, g: ConnGroup, points: PointIndex[], r: LocateResult): Row[] {
  const rows: Row[] = [];
  const rstPkts = new Set(cl.rsts.map((x) => x?.pkt).filter((p) => p !== undefined));
  g.members.forEach((m, pos) => {
    if (!m) return;
    const seen = new Set<Pkt>();
    const all = [...m.head, ...(m.log?.recent ?? []), ...(m.log?.windows.flatMap((w) => w.pkts) ?? [])];
    for (const p of all) {
      if (seen.has(p)) continue;
      seen.add(p);
      const u = toRef(r.clocks[pos]!, p.t);
      const fromClient = p.fromClient !== g.flipped[pos];
      let best: Row | null = null;
      for (const row of rows) {
        if (row.key !== p.key || row.fromClient !== fromClient || row.at[pos] || Math.abs(row.u - u) > 1) continue;
        if (!best || Math.abs(row.u - u) < Math.abs(best.u - u)) best = row;
      }
      if (best) {
        best.at[pos] = p;
        best.u = Math.min(best.u, u);
        best.rst ||= rstPkts.has(p);
      } else {
        const at: Array<Pkt | null> = points.map(() => null);
        at[pos] = p;
        rows.push({ key: p.key, fromClient, u, at, rst: rstPkts.has(p) && (p.flags & RST) !== 0 });
      }
    }
  });
  return rows.sort((a, b) => a.u - b.u);
}

/** The rows around the RST: BEFORE rows before it, AFTER after. */
function pickRows(rows: Row[], cl: Cluster): Row[] {
  let at = rows.findIndex((row) => row.rst && row.at.some((p, pos) => p !== null && cl.rsts[pos]?.pkt === p));
  if (at < 0) at = rows.findIndex((row) => row.u >= cl.u);
  if (at < 0) at = rows.length - 1;
  return rows.slice(Math.max(0, at - BEFORE), at + AFTER + 1);
}

function arrowHead(x: number, y: number, step: number, color: string): string {
  return `<path d="M${x} ${y} l${-6 * step} -4 l0 8 z" fill="${color}"/>`;
}

function ms(s: number): string {
  const v = s * 1000;
  return `${v >= 0 ? '+' : ''}${v.toFixed(1)} ms`;
}
