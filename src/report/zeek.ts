// Zeek conn.log output (`--format zeek`: ASCII TSV with Zeek's header; `--format zeek-json`: one JSON object
// per line, Zeek's JSON writer with epoch timestamps), plus rstscope's RST columns after Zeek's own.
import { createHash } from 'node:crypto';
import { seqDiff } from '../decode/seq.js';
import type { Endpoint } from '../flow/endpoint.js';
import type { FinishedConnection } from '../flow/tracker.js';
import type { ConnectionRecord, ResetRecord } from './contract.js';
import type { OutputSink, Write } from './sink.js';

type Value = string | number | string[] | null;

/** Zeek 7+ conn.log columns, then community_id (Zeek's community-id package) and rstscope's own. */
const FIELDS: ReadonlyArray<[string, string]> = [
  ['ts', 'time'], ['uid', 'string'], ['id.orig_h', 'addr'], ['id.orig_p', 'port'], ['id.resp_h', 'addr'], ['id.resp_p', 'port'],
  ['proto', 'enum'], ['service', 'string'], ['duration', 'interval'], ['orig_bytes', 'count'], ['resp_bytes', 'count'],
  ['conn_state', 'string'], ['local_orig', 'bool'], ['local_resp', 'bool'], ['missed_bytes', 'count'], ['history', 'string'],
  ['orig_pkts', 'count'], ['orig_ip_bytes', 'count'], ['resp_pkts', 'count'], ['resp_ip_bytes', 'count'],
  ['tunnel_parents', 'set[string]'], ['ip_proto', 'count'], ['community_id', 'string'],
  ['rst_count', 'count'], ['rst_frames', 'set[count]'], ['rst_causes', 'set[string]'], ['rst_origins', 'set[string]'],
];

export interface ZeekOptions {
  json: boolean;
  /** The #open/#close time (default now). */
  now?: () => Date;
}

/** Writes one conn.log row per finalized connection; rows come from `onConnection` (it needs Zeek's endpoint sizes). */
export class ZeekSink implements OutputSink {
  constructor(private readonly write: Write, private readonly opts: ZeekOptions) {
    if (opts.json) return;
    write(['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', `#open\t${this.stamp()}`,
      `#fields\t${FIELDS.map((f) => f[0]).join('\t')}`, `#types\t${FIELDS.map((f) => f[1]).join('\t')}`].join('\n') + '\n');
  }

  connection(): void {}
  reset(): void {}
  finding(): void {}
  capture(): void {}

  end(): void {
    if (!this.opts.json) this.write(`#close\t${this.stamp()}\n`);
  }

  /** The analyzeCapture hook. */
  readonly onConnection = (done: FinishedConnection, rec: ConnectionRecord, resets: readonly ResetRecord[]): void => {
    const values = zeekValues(done, rec, resets);
    this.write(this.opts.json ? jsonRow(values) : tsvRow(values));
  };

  private stamp(): string {
    const d = (this.opts.now ?? (() => new Date()))();
    const p = (n: number): string => String(n).padStart(2, '0');
    return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${p(d.getUTCHours())}-${p(d.getUTCMinutes())}-${p(d.getUTCSeconds())}`;
  }
}

/** The row's values in FIELDS order; null = unset. */
export function zeekValues(done: FinishedConnection, rec: ConnectionRecord, resets: readonly ResetRecord[]): Value[] {
  const c = done.conn;
  // Zeek logs duration and byte counts only when the connection lasted (conn/main.zeek set_conn).
  const lasted = c.lastTime - c.firstTime > 0;
  return [
    `${c.firstSec}.${String(Math.floor(c.firstNsec / 1000)).padStart(6, '0')}`, uid(rec),
    rec.client.ip, rec.client.port, rec.server.ip, rec.server.port, 'tcp', null,
    lasted ? (c.lastTime - c.firstTime).toFixed(6) : null, lasted ? zeekSize(c.orig) : null, lasted ? zeekSize(c.resp) : null,
    rec.state, null, null, 0, rec.history, rec.client_stats.packets, null, rec.server_stats.packets, null,
    null, 6, rec.community_id || null,
    resets.length, resets.map((r) => String(r.frame)), unique(resets.map((r) => r.cause)), unique(resets.map((r) => r.origin)),
  ];
}

/** Zeek's TCP_Endpoint::Size(): octets by sequence range, SYN and FIN excluded. */
function zeekSize(ep: Endpoint): number {
  if (!ep.seqInit) return 0;
  let size = Math.max(seqDiff(ep.ackSeq, ep.startSeq), seqDiff(ep.lastSeq, ep.startSeq), 0);
  if (size !== 0) size--;
  if (ep.finCount > 0 && size !== 0) size--;
  return size;
}

/** Deterministic Zeek-style uid: 'C' and 17 base62 characters of a hash of the file and connection. */
function uid(rec: ConnectionRecord): string {
  const digest = createHash('sha256').update(`${rec.file}\0${rec.id}\0${rec.community_id}`).digest();
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let n = digest.readBigUInt64BE(0) ^ (digest.readBigUInt64BE(8) << 40n);
  let s = '';
  for (let i = 0; i < 17; i++) {
    s += alphabet[Number(n % 62n)];
    n /= 62n;
  }
  return 'C' + s;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)].sort();
}

function tsvRow(values: readonly Value[]): string {
  return values.map((v) => {
    if (v === null) return '-';
    if (Array.isArray(v)) return v.length === 0 ? '(empty)' : v.map((x) => tsvText(x, true)).join(',');
    return typeof v === 'number' ? String(v) : tsvText(v, false);
  }).join('\t') + '\n';
}

/** Zeek's ASCII escaping: non-printable bytes, backslash and separators as \xNN; a lone '-' is escaped too. */
function tsvText(s: string, inSet: boolean): string {
  if (s === '-' || s === '(empty)' || s === '') return s === '' ? '(empty)' : `\\x${s.charCodeAt(0).toString(16).padStart(2, '0')}${s.slice(1)}`;
  return s.replace(inSet ? /[\x00-\x1f\x7f-\uffff\\,]/g : /[\x00-\x1f\x7f-\uffff\\]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join(''));
}

function jsonRow(values: readonly Value[]): string {
  const parts: string[] = [];
  FIELDS.forEach(([name], i) => {
    const v = values[i];
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return;
    // ts and duration are written from their digits so no precision is lost.
    const text = name === 'ts' || name === 'duration' ? String(v) : name === 'rst_frames' ? `[${(v as string[]).join(',')}]` : JSON.stringify(v);
    parts.push(`${JSON.stringify(name)}:${text}`);
  });
  return `{${parts.join(',')}}\n`;
}
