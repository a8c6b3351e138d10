import { describe, expect, it } from 'vitest';
import { bytesOf, pcap, pcapng } from '../../test/build/capture-builders.js';
import { CaptureFormatError, createCaptureReader } from './source.js';
import { prng } from '../../test/build/prng.js';


const VALID: Record<string, Uint8Array> = {
  pcap: pcap({ snaplen: 200 }, Array.from({ length: 12 }, (_, i) => ({ sec: i, frac: i, data: bytesOf(20 + i * 20, i) }))),
  pcapBE: pcap({ bigEndian: true, nanos: true }, [{ sec: 1, frac: 2, data: bytesOf(90) }]),
  pcapng: pcapng({
    sections: [
      {
        interfaces: [{ linktype: 1, tsresol: 9, tsoffset: 5n }, { linktype: 113, tsresol: 0x80 | 20 }],
        blocks: [
          { kind: 'epb', iface: 0, ticks: 123n << 40n, data: bytesOf(60) },
          { kind: 'raw', type: 4, body: bytesOf(16) },
          { kind: 'pb', iface: 1, ticks: 99n, data: bytesOf(30) },
          { kind: 'spb', data: bytesOf(44) },
        ],
      },
      { bigEndian: true, interfaces: [{ linktype: 101 }], blocks: [{ kind: 'epb', iface: 0, ticks: 7n, data: bytesOf(10) }] },
    ],
  }),
};

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  let b = Uint8Array.from(src);
  const ops = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < ops; k++) {
    const at = Math.floor(rnd() * b.length);
    const op = rnd();
    if (op < 0.5) b[at] = Math.floor(rnd() * 256); // flip a byte
    else if (op < 0.65) b[at] = [0, 0xff, 0x80, 0x7f][Math.floor(rnd() * 4)] ?? 0; // boundary value
    else if (op < 0.8) b = b.slice(0, at); // truncate
    else if (op < 0.9) b = Uint8Array.from([...b.subarray(0, at), ...bytesOf(1 + Math.floor(rnd() * 9), at), ...b.subarray(at)]); // insert
    else b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1 + Math.floor(rnd() * 8))]); // delete
  }
  return b;
}

describe('readers on mutated input', () => {
  it('never throw from append/next/end and always terminate', () => {
    const rnd = prng(0xc0ffee);
    let formatErrors = 0;
    let damaged = 0;
    let runs = 0;
    for (const [name, valid] of Object.entries(VALID)) {
      for (let i = 0; i < 300; i++) {
        const bytes = mutate(valid, rnd);
        let reader;
        try {
          reader = createCaptureReader(bytes.subarray(0, 4));
        } catch (e) {
          expect(e, name).toBeInstanceOf(CaptureFormatError);
          formatErrors++;
          continue;
        }
        runs++;
        const chunk = 1 + Math.floor(rnd() * 64);
        let records = 0;
        let calls = 0;
        const drain = (): void => {
          for (let r = reader.next(); r !== undefined; r = reader.next()) {
            records++;
            expect(r.tsNsec).toBeGreaterThanOrEqual(0);
            expect(r.tsNsec).toBeLessThan(1e9);
            expect(r.data.length).toBeLessThanOrEqual(bytes.length);
            // Every record consumes at least a 12-byte header, so this bounds the loop.
            expect(++calls).toBeLessThanOrEqual(bytes.length / 12 + 1);
          }
        };
        for (let o = 0; o < bytes.length; o += chunk) {
          reader.append(bytes.subarray(o, o + chunk));
          drain();
        }
        reader.end();
        drain();
        expect(reader.next()).toBeUndefined();
        if (reader.error !== undefined) damaged++;
        expect(reader.offset).toBeLessThanOrEqual(bytes.length);
        expect(records).toBeLessThanOrEqual(bytes.length / 12);
      }
    }
    expect(runs).toBeGreaterThan(500);
    expect(damaged).toBeGreaterThan(10); // the mutations do hit the error paths
    expect(formatErrors).toBeGreaterThan(0);
  });

  it('random garbage is a CaptureFormatError or a reader that does not throw', () => {
    const rnd = prng(7);
    for (let i = 0; i < 300; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256));
      if (i % 3 === 0 && bytes.length >= 4) bytes.set([0x0a, 0x0d, 0x0d, 0x0a]); // force the pcapng path
      if (i % 3 === 1 && bytes.length >= 4) bytes.set([0xd4, 0xc3, 0xb2, 0xa1]); // force the pcap path
      try {
        const r = createCaptureReader(bytes);
        r.append(bytes);
        while (r.next() !== undefined);
        r.end();
        while (r.next() !== undefined);
      } catch (e) {
        expect(e).toBeInstanceOf(CaptureFormatError);
      }
    }
  });
});
