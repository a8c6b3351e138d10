#!/usr/bin/env node
// The skeleton: the least a program must do to write rstscope's JSON document, with none of the analysis.
// It reads and decodes every packet with rstscope's own reader and decoders, finds each packet's 4-tuple
// in rstscope's TupleIndex, keeps a few counters per tuple in typed arrays, and writes one record per
// tuple and one per RST, each the size and shape of rstscope's (the templates are real records from the
// bench capture), with JSON.stringify. No state machine, no history, no rules, no scan or host tables.
// It answers "how fast could a JavaScript rstscope be, at best, on this machine?" (docs/performance.md).
//   npm run build && node bench/skeleton.js FILE.pcap [--concat] > /dev/null     prints its timings on stderr
import { performance } from 'node:perf_hooks';
import { readCaptureBatches, newCaptureSummary } from '../dist/capture/read.js';
import { decodeFrame } from '../dist/decode/decode-packet.js';
import { KIND_TCP, newPacket } from '../dist/decode/packet.js';
import { TupleIndex } from '../dist/flow/tuple-index.js';
import { formatIsoTime } from '../dist/capture/timestamp.js';

const RST = 0x04;
/** --concat: write connection records by string concatenation instead of JSON.stringify (same bytes). */
const CONCAT = process.argv.includes('--concat');
const file = process.argv[2];
if (!file || file.startsWith('-')) {
  process.stderr.write('usage: node bench/skeleton.js FILE.pcap\n');
  process.exit(2);
}

const t0 = performance.now();
const index = new TupleIndex();
const pkt = newPacket();
const summary = newCaptureSummary();
let cap = 1 << 16;
let packets = new Int32Array(cap * 2);
let payload = new Float64Array(cap * 2);
let first = new Float64Array(cap);
let last = new Float64Array(cap);
let firstFrame = new Int32Array(cap);
let lastFrame = new Int32Array(cap);
let flagsSeen = new Int32Array(cap * 2);
const rsts = { frame: [], entry: [], time: [], seq: [], ack: [], ttl: [], fromLow: [] };
let frames = 0;

for await (const batch of readCaptureBatches(file, { summary })) {
  for (let rec = batch.next(); rec !== undefined; rec = batch.next()) {
    frames++;
    decodeFrame(rec.buf, rec.off, rec.len, rec.linktype, pkt, { verifyChecksums: false });
    if (pkt.kind !== KIND_TCP) continue;
    const ref = index.lookup(pkt.buf, pkt.srcOff, pkt.dstOff, pkt.ipVersion, pkt.sport, pkt.dport);
    const e = ref.entry;
    if (e >= cap) grow();
    const d = ref.srcIsLow ? 0 : 1;
    const time = rec.tsSec + rec.tsNsec / 1e9;
    if (ref.isNew) {
      first[e] = time;
      firstFrame[e] = rec.frame;
    }
    last[e] = time;
    lastFrame[e] = rec.frame;
    packets[2 * e + d]++;
    payload[2 * e + d] += pkt.payloadLen;
    flagsSeen[2 * e + d] |= pkt.flags;
    if (pkt.flags & RST) {
      rsts.frame.push(rec.frame); rsts.entry.push(e); rsts.time.push(time);
      rsts.seq.push(pkt.seq); rsts.ack.push(pkt.ack); rsts.ttl.push(pkt.ttl); rsts.fromLow.push(d === 0);
    }
  }
}
const t1 = performance.now();

// Records of the same shape and size as rstscope's (bench capture, field values replaced per tuple).
const addr = new Uint8Array(16);
const ipText = (e, low) => {
  const v = index.addressBytes(e, low, addr);
  if (v === 4) return `${addr[0]}.${addr[1]}.${addr[2]}.${addr[3]}`;
  let s = '';
  for (let i = 0; i < 16; i += 2) s += (i ? ':' : '') + ((addr[i] << 8) | addr[i + 1]).toString(16);
  return s;
};
const stats = (e, d) => ({
  packets: packets[2 * e + d], bytes: payload[2 * e + d], isn: null, next_seq: 202488148 + e, highest_ack: 3306991622 - e,
  ttls: [60 + d], ip_ids: [46768 + e % 1000, 46769 + e % 1000], retransmissions: 0, out_of_order: 0, zero_windows: 0,
  window: 502, mss: null, wscale: null, sack_permitted: false, timestamps: false, syn: flagsSeen[2 * e + d] & 2 ? 1 : 0,
  fin: flagsSeen[2 * e + d] & 1 ? 1 : 0, rst: flagsSeen[2 * e + d] & RST ? 1 : 0,
});
const iso = (t) => formatIsoTime(Math.floor(t), Math.round((t % 1) * 1e9), 6);
const out = [];
let outBytes = 0;
let pending = '';
const write = (s) => {
  pending += s;
  if (pending.length > 1 << 20) flush();
};
const flush = () => {
  const b = Buffer.from(pending);
  outBytes += b.length;
  out.push(process.stdout.write(b));
  pending = '';
};
write('{"connections":[\n');
for (let e = 0; e < index.size; e++) {
  const c = {
    file, id: e, stream: e, community_id: '1:PJ2Xd+e3WJMNkwc89zCes2aJu/g=', proto: 'tcp',
    client: { ip: ipText(e, true), port: 35462 }, server: { ip: ipText(e, false), port: 25 }, state: 'SF', history: '^dAfFa',
    first_frame: firstFrame[e], last_frame: lastFrame[e], first: iso(first[e]), last: iso(last[e]),
    duration: Math.round((last[e] - first[e]) * 1e6) / 1e6, packets: packets[2 * e] + packets[2 * e + 1],
    bytes: payload[2 * e] + payload[2 * e + 1], tunnel: null, one_sided: false, client_app: null, server_app: null,
    client_stats: stats(e, 0), server_stats: stats(e, 1), resets: 0, verdict: null,
  };
  write((e ? ',\n' : '') + (CONCAT ? connectionText(c) : JSON.stringify(c)));
}
write('\n],\n"resets":[\n');
for (let i = 0; i < rsts.frame.length; i++) {
  const e = rsts.entry[i];
  const r = {
    file, frame: rsts.frame[i], time: iso(rsts.time[i]), connection: e, stream: e, community_id: '1:PJ2Xd+e3WJMNkwc89zCes2aJu/g=',
    src: { ip: ipText(e, rsts.fromLow[i]), port: 443 }, dst: { ip: ipText(e, !rsts.fromLow[i]), port: 51234 },
    flags: 'RA', seq: rsts.seq[i], ack: rsts.ack[i], window: 0, ttl: rsts.ttl[i], ip_id: 0, df: true, payload: 0, text: null,
    phase: 'data', sender: 'server', origin: 'endpoint', cause: 'abortive-close', confidence: 0.9,
    summary: 'the server aborted the connection (SO_LINGER 0, or the application closed with unread data)',
    evidence: [
      `frame ${rsts.frame[i]}: RA from the server seq ${rsts.seq[i]} ack ${rsts.ack[i]}, window 0, TTL ${rsts.ttl[i]}`,
      'RST carries ACK and the sender\'s next sequence number: a genuine stack aborted', 'TTL matches the server\'s other packets (hops 10)',
    ],
    advice: 'Check the server application: it closed the socket with unread data or with SO_LINGER 0. Look at its logs at this time.',
    signatures: [], display_filter: `tcp.stream eq ${e} && tcp.flags.reset == 1`, answers: null, after_reset: null,
  };
  write((i ? ',\n' : '') + JSON.stringify(r));
}
write('\n]}\n');
flush();
const t2 = performance.now();
process.stderr.write(JSON.stringify({
  frames, tuples: index.size, resets: rsts.frame.length, output_mb: Math.round(outBytes / 1e5) / 10,
  read_decode_lookup_s: round((t1 - t0) / 1000), records_s: round((t2 - t1) / 1000), total_s: round((t2 - t0) / 1000),
}) + '\n');

function statsText(s) {
  return `{"packets":${s.packets},"bytes":${s.bytes},"isn":${s.isn},"next_seq":${s.next_seq},"highest_ack":${s.highest_ack},"ttls":[${s.ttls.join(',')}],"ip_ids":[${s.ip_ids.join(',')}],"retransmissions":${s.retransmissions},"out_of_order":${s.out_of_order},"zero_windows":${s.zero_windows},"window":${s.window},"mss":${s.mss},"wscale":${s.wscale},"sack_permitted":${s.sack_permitted},"timestamps":${s.timestamps},"syn":${s.syn},"fin":${s.fin},"rst":${s.rst}}`;
}

function connectionText(c) {
  return `{"file":${JSON.stringify(c.file)},"id":${c.id},"stream":${c.stream},"community_id":"${c.community_id}","proto":"tcp","client":{"ip":"${c.client.ip}","port":${c.client.port}},"server":{"ip":"${c.server.ip}","port":${c.server.port}},"state":"${c.state}","history":"${c.history}","first_frame":${c.first_frame},"last_frame":${c.last_frame},"first":"${c.first}","last":"${c.last}","duration":${c.duration},"packets":${c.packets},"bytes":${c.bytes},"tunnel":null,"one_sided":${c.one_sided},"client_app":null,"server_app":null,"client_stats":${statsText(c.client_stats)},"server_stats":${statsText(c.server_stats)},"resets":${c.resets},"verdict":null}`;
}

function round(x) {
  return Math.round(x * 100) / 100;
}

function grow() {
  const g = (a) => {
    const b = new a.constructor(a.length * 2);
    b.set(a);
    return b;
  };
  cap *= 2;
  packets = g(packets); payload = g(payload); first = g(first); last = g(last);
  firstFrame = g(firstFrame); lastFrame = g(lastFrame); flagsSeen = g(flagsSeen);
}
