// Records of the same shape and size as rstscope's JSON document (field values from a few counters),
// shared by bench/skeleton.js and bench/skeleton-threads.js.
import { formatIsoTime } from '../dist/capture/timestamp.js';

const RST = 0x04;
const iso = (t) => formatIsoTime(Math.floor(t), Math.round((t % 1) * 1e9), 6);

/** Address text from 16 bytes at `off` of `a` (IPv4 when `v4`). */
export function ipText(a, off, v4) {
  if (v4) return `${a[off]}.${a[off + 1]}.${a[off + 2]}.${a[off + 3]}`;
  let s = '';
  for (let i = 0; i < 16; i += 2) s += (i ? ':' : '') + ((a[off + i] << 8) | a[off + i + 1]).toString(16);
  return s;
}

function stats(t, i, d) {
  const k = 2 * i + d;
  return {
    packets: t.packets[k], bytes: t.payload[k], isn: null, next_seq: 202488148 + t.entry[i], highest_ack: 3306991622 - t.entry[i],
    ttls: [60 + d], ip_ids: [46768 + t.entry[i] % 1000, 46769 + t.entry[i] % 1000], retransmissions: 0, out_of_order: 0, zero_windows: 0,
    window: 502, mss: null, wscale: null, sack_permitted: false, timestamps: false, syn: t.flags[k] & 2 ? 1 : 0,
    fin: t.flags[k] & 1 ? 1 : 0, rst: t.flags[k] & RST ? 1 : 0,
  };
}

/**
 * One connection record as JSON, from columns `t` (entry, packets/payload/flags per direction, first/last time
 * and frame, v4, addresses: 32 bytes per row, low then high).
 */
export function connectionJson(file, t, i) {
  const e = t.entry[i];
  return JSON.stringify({
    file, id: e, stream: e, community_id: '1:PJ2Xd+e3WJMNkwc89zCes2aJu/g=', proto: 'tcp',
    client: { ip: ipText(t.addr, 32 * i, t.v4[i] === 1), port: 35462 }, server: { ip: ipText(t.addr, 32 * i + 16, t.v4[i] === 1), port: 25 },
    state: 'SF', history: '^dAfFa', first_frame: t.firstFrame[i], last_frame: t.lastFrame[i], first: iso(t.first[i]), last: iso(t.last[i]),
    duration: Math.round((t.last[i] - t.first[i]) * 1e6) / 1e6, packets: t.packets[2 * i] + t.packets[2 * i + 1],
    bytes: t.payload[2 * i] + t.payload[2 * i + 1], tunnel: null, one_sided: false, client_app: null, server_app: null,
    client_stats: stats(t, i, 0), server_stats: stats(t, i, 1), resets: 0, verdict: null,
  });
}

/** One RST record as JSON, from columns `r` (frame, entry, time, seq, ack, ttl, v4, addresses: 32 bytes, sender then receiver). */
export function resetJson(file, r, i) {
  const e = r.entry[i];
  const frame = r.frame[i];
  return JSON.stringify({
    file, frame, time: iso(r.time[i]), connection: e, stream: e, community_id: '1:PJ2Xd+e3WJMNkwc89zCes2aJu/g=',
    src: { ip: ipText(r.addr, 32 * i, r.v4[i] === 1), port: 443 }, dst: { ip: ipText(r.addr, 32 * i + 16, r.v4[i] === 1), port: 51234 },
    flags: 'RA', seq: r.seq[i], ack: r.ack[i], window: 0, ttl: r.ttl[i], ip_id: 0, df: true, payload: 0, text: null,
    phase: 'data', sender: 'server', origin: 'endpoint', cause: 'abortive-close', confidence: 0.9,
    summary: 'the server aborted the connection (SO_LINGER 0, or the application closed with unread data)',
    evidence: [
      `frame ${frame}: RA from the server seq ${r.seq[i]} ack ${r.ack[i]}, window 0, TTL ${r.ttl[i]}`,
      'RST carries ACK and the sender\'s next sequence number: a genuine stack aborted', 'TTL matches the server\'s other packets (hops 10)',
    ],
    advice: 'Check the server application: it closed the socket with unread data or with SO_LINGER 0. Look at its logs at this time.',
    signatures: [], display_filter: `tcp.stream eq ${e} && tcp.flags.reset == 1`, answers: null, after_reset: null,
  });
}
