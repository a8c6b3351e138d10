#!/usr/bin/env node
// The skeleton: the least a program must do to write rstscope's JSON document, with none of the analysis.
// It reads and decodes every packet with rstscope's own reader and decoders, finds each packet's 4-tuple
// in rstscope's TupleIndex, keeps a few counters per tuple in typed arrays, and writes one record per
// tuple and one per RST, each the size and shape of rstscope's (bench/skeleton-records.js), with
// JSON.stringify. No state machine, no history, no rules, no scan or host tables. Records stream out as in
// rstscope: a tuple's record is written once 40,000 newer tuples exist (the bench's concurrency), RST
// records wait for the end of the connection array.
// --threads: the records are made and written on a second thread, fed with transferred typed arrays
// (the best case of a two-thread rstscope: the reading thread does nothing but read, decode and count).
// It answers "how fast could a JavaScript rstscope be, at best, on this machine?" (docs/performance.md).
//   npm run build && node bench/skeleton.js FILE.pcap [--threads] > /dev/null     timings on stderr
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { readCaptureBatches, newCaptureSummary } from '../dist/capture/read.js';
import { decodeFrame } from '../dist/decode/decode-packet.js';
import { KIND_TCP, newPacket } from '../dist/decode/packet.js';
import { TupleIndex } from '../dist/flow/tuple-index.js';
import { connectionJson, resetJson } from './skeleton-records.js';

const RST = 0x04;
const BLOCK = 4096;
const LAG = 40_000;

if (isMainThread) await main();
else writer(workerData.file);

async function main() {
  const file = process.argv[2];
  if (!file || file.startsWith('-')) {
    process.stderr.write('usage: node bench/skeleton.js FILE.pcap [--threads]\n');
    process.exit(2);
  }
  const threads = process.argv.includes('--threads');
  const t0 = performance.now();
  let worker = null;
  let done = null;
  let send;
  if (threads) {
    worker = new Worker(fileURLToPath(import.meta.url), { workerData: { file } });
    done = new Promise((resolve, reject) => {
      worker.on('message', resolve);
      worker.on('error', reject);
    });
    send = (msg, transfer) => worker.postMessage(msg, transfer);
  } else {
    const w = makeWriter(file);
    send = (msg) => {
      const r = w(msg);
      if (r) done = r; // the end message returns the writer's result
    };
  }

  const index = new TupleIndex();
  const pkt = newPacket();
  const summary = newCaptureSummary();
  const cols = tupleColumns(1 << 16);
  let rst = resetColumns(BLOCK);
  let rstCount = 0;
  let emitted = 0;
  let frames = 0;
  let resets = 0;
  const addr = new Uint8Array(16);

  for await (const batch of readCaptureBatches(file, { summary })) {
    for (let rec = batch.next(); rec !== undefined; rec = batch.next()) {
      frames++;
      decodeFrame(rec.buf, rec.off, rec.len, rec.linktype, pkt, { verifyChecksums: false });
      if (pkt.kind !== KIND_TCP) continue;
      const ref = index.lookup(pkt.buf, pkt.srcOff, pkt.dstOff, pkt.ipVersion, pkt.sport, pkt.dport);
      const e = ref.entry;
      if (e >= cols.cap) cols.grow();
      const d = ref.srcIsLow ? 0 : 1;
      const time = rec.tsSec + rec.tsNsec / 1e9;
      if (ref.isNew) {
        cols.first[e] = time;
        cols.firstFrame[e] = rec.frame;
      }
      cols.last[e] = time;
      cols.lastFrame[e] = rec.frame;
      cols.packets[2 * e + d]++;
      cols.payload[2 * e + d] += pkt.payloadLen;
      cols.flags[2 * e + d] |= pkt.flags;
      if (pkt.flags & RST) {
        const i = rstCount++;
        resets++;
        rst.frame[i] = rec.frame; rst.entry[i] = e; rst.time[i] = time; rst.seq[i] = pkt.seq; rst.ack[i] = pkt.ack; rst.ttl[i] = pkt.ttl;
        rst.v4[i] = index.addressBytes(e, d === 0, addr) === 4 ? 1 : 0;
        rst.addr.set(addr, 32 * i);
        index.addressBytes(e, d !== 0, addr);
        rst.addr.set(addr, 32 * i + 16);
        if (rstCount === BLOCK) {
          send({ resets: rst, n: rstCount }, transferList(rst));
          rst = resetColumns(BLOCK);
          rstCount = 0;
        }
      }
    }
    while (index.size - emitted >= LAG + BLOCK) {
      const msg = block(cols, index, emitted, BLOCK);
      send(msg, transferList(msg.connections));
      emitted += BLOCK;
    }
  }
  while (emitted < index.size) {
    const msg = block(cols, index, emitted, Math.min(BLOCK, index.size - emitted));
    send(msg, transferList(msg.connections));
    emitted += msg.n;
  }
  send({ resets: rst, n: rstCount }, transferList(rst));
  const t1 = performance.now();
  send({ end: true }, []);
  const out = await done;
  await worker?.terminate();
  const t2 = performance.now();
  process.stderr.write(JSON.stringify({
    threads, frames, tuples: index.size, resets, output_mb: Math.round(out.bytes / 1e5) / 10,
    reading_thread_s: round((t1 - t0) / 1000), total_s: round((t2 - t0) / 1000),
  }) + '\n');
}

/** Copies the counters of entries [from, from+n) into a fresh block of columns (transferable). */
function block(cols, index, from, n) {
  const addr = new Uint8Array(16);
  const b = {
    entry: new Int32Array(n), packets: cols.packets.slice(2 * from, 2 * (from + n)), payload: cols.payload.slice(2 * from, 2 * (from + n)),
    flags: cols.flags.slice(2 * from, 2 * (from + n)), first: cols.first.slice(from, from + n), last: cols.last.slice(from, from + n),
    firstFrame: cols.firstFrame.slice(from, from + n), lastFrame: cols.lastFrame.slice(from, from + n),
    v4: new Uint8Array(n), addr: new Uint8Array(32 * n),
  };
  for (let i = 0; i < n; i++) {
    b.entry[i] = from + i;
    b.v4[i] = index.addressBytes(from + i, true, addr) === 4 ? 1 : 0;
    b.addr.set(addr, 32 * i);
    index.addressBytes(from + i, false, addr);
    b.addr.set(addr, 32 * i + 16);
  }
  return { connections: b, n };
}

function transferList(o) {
  return Object.values(o).filter((v) => ArrayBuffer.isView(v)).map((v) => v.buffer);
}

function tupleColumns(cap) {
  const c = {
    cap, packets: new Int32Array(cap * 2), payload: new Float64Array(cap * 2), flags: new Int32Array(cap * 2),
    first: new Float64Array(cap), last: new Float64Array(cap), firstFrame: new Int32Array(cap), lastFrame: new Int32Array(cap),
    grow() {
      const g = (a) => {
        const b = new a.constructor(a.length * 2);
        b.set(a);
        return b;
      };
      c.cap *= 2;
      for (const k of ['packets', 'payload', 'flags', 'first', 'last', 'firstFrame', 'lastFrame']) c[k] = g(c[k]);
    },
  };
  return c;
}

function resetColumns(n) {
  return {
    frame: new Int32Array(n), entry: new Int32Array(n), time: new Float64Array(n), seq: new Float64Array(n), ack: new Float64Array(n),
    ttl: new Int32Array(n), v4: new Uint8Array(n), addr: new Uint8Array(32 * n),
  };
}

/** The record maker and writer: connection records go out as they come, RST records at the end (as in rstscope). */
function makeWriter(file) {
  let pending = '{"connections":[\n';
  let bytes = 0;
  let connections = 0;
  const resets = [];
  let resetCount = 0;
  const flush = () => {
    const b = Buffer.from(pending);
    bytes += b.length;
    writeSync(1, b);
    pending = '';
  };
  return (msg) => {
    if (msg.connections) {
      for (let i = 0; i < msg.n; i++) pending += (connections++ ? ',\n' : '') + connectionJson(file, msg.connections, i);
      if (pending.length > 1 << 20) flush();
    } else if (msg.resets) {
      for (let i = 0; i < msg.n; i++) resets.push((resetCount++ ? ',\n' : '') + resetJson(file, msg.resets, i));
    } else if (msg.end) {
      pending += '\n],\n"resets":[\n';
      for (const r of resets) {
        pending += r;
        if (pending.length > 1 << 20) flush();
      }
      pending += '\n]}\n';
      flush();
      return { bytes };
    }
    return undefined;
  };
}

function writer(file) {
  const w = makeWriter(file);
  parentPort.on('message', (msg) => {
    const r = w(msg);
    if (r) parentPort.postMessage(r);
  });
}

function round(x) {
  return Math.round(x * 100) / 100;
}
