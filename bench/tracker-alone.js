#!/usr/bin/env node
// The flow stage alone: read, decode and track every packet with rstscope's Tracker (Zeek's state machine,
// history, stream index, RST events, expiry), finished connections dropped: no analysis, no records, no output.
// Subtracted from a full run, it splits rstscope's time between the flow stage and what follows it.
//   npm run build && node bench/tracker-alone.js FILE.pcap     prints {"packets","connections","seconds"}
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { readCaptureBatches, newCaptureSummary } from '../dist/capture/read.js';
import { decodeFrame } from '../dist/decode/decode-packet.js';
import { KIND_ICMP_TCP, KIND_TCP, newPacket } from '../dist/decode/packet.js';
import { Tracker } from '../dist/flow/tracker.js';

setFlagsFromString('--heap-growing-percent=100'); // the CLI's setting (src/cli/main.ts), for comparable memory
const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/tracker-alone.js FILE.pcap\n');
  process.exit(2);
}
const t0 = performance.now();
let connections = 0;
const tracker = new Tracker({ idleTimeout: 300, callerReleases: true }, (done) => {
  connections++;
  tracker.release(done.conn);
});
const pkt = newPacket();
const summary = newCaptureSummary();
for await (const batch of readCaptureBatches(file, { summary })) {
  for (let rec = batch.next(); rec !== undefined; rec = batch.next()) {
    decodeFrame(rec.buf, rec.off, rec.len, rec.linktype, pkt, { verifyChecksums: false });
    if (pkt.kind === KIND_TCP || pkt.kind === KIND_ICMP_TCP) tracker.packet(pkt, rec.frame, rec.tsSec, rec.tsNsec, rec.precision);
  }
}
for (const _ of tracker.flushInBatches()) { /* finish everything */ }
process.stdout.write(JSON.stringify({ packets: summary.frames, connections, seconds: Math.round(performance.now() - t0) / 1000 }) + '\n');
