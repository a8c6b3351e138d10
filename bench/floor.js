#!/usr/bin/env node
// The floor: the least a Node program must do to go through a pcap file, reading it in 1 MiB
// pieces and stepping from record header to record header. Prints {"packets":N,"bytes":B}.
//   node bench/floor.js FILE.pcap
import { closeSync, openSync, readSync } from 'node:fs';

const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(1 << 20);
let have = 0;
let packets = 0;
let bytes = 0;
let header = true;
let le = true;
for (;;) {
  const n = readSync(fd, buf, have, buf.length - have, null);
  if (n === 0) break;
  bytes += n;
  have += n;
  let p = 0;
  if (header) {
    le = buf.readUInt32LE(0) === 0xa1b2c3d4 || buf.readUInt32LE(0) === 0xa1b23c4d;
    p = 24;
    header = false;
  }
  for (;;) {
    if (have - p < 16) break;
    const caplen = le ? buf.readUInt32LE(p + 8) : buf.readUInt32BE(p + 8);
    if (have - p < 16 + caplen) break;
    p += 16 + caplen;
    packets++;
  }
  buf.copy(buf, 0, p, have);
  have -= p;
}
closeSync(fd);
process.stdout.write(JSON.stringify({ packets, bytes }) + '\n');
