import { describe, expect, it } from 'vitest';
import { eth, hex, ipv4, ipv6 } from '../../test/build/packet-builders.js';
import { decode } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { prng } from '../../test/build/prng.js';
import { decodeFrame } from './decode-packet.js';
import { KIND_TCP, newPacket } from './packet.js';
import { RST_DIAGNOSTIC_LEN, RST_DIAGNOSTIC_MAGIC, decodeRstPayload, tcpFailureCauseName } from './rst-payload.js';

// draft-ietf-tcpm-rst-diagnostic-payload-02 section 5, figures 2, 3 and 4.
const ACK_IN_LISTEN = hex('33aa 0002 0000 0000');
const NAT_TIMEOUT = hex('33aa 000e 0000 0000');
const VENDOR_1234 = hex('33aa 04d2 0000 7ed9');

const whole = (b: Uint8Array) => decodeRstPayload(b, 0, b.length);

describe('rst-payload: the draft examples', () => {
  it('decodes an IANA reason code (pen 0) with its registry description', () => {
    expect(whole(ACK_IN_LISTEN)).toEqual({ code: 2, pen: 0, description: 'Desynchronized state' });
    expect(whole(NAT_TIMEOUT)).toEqual({ code: 14, pen: 0, description: 'Connection timeout' });
  });

  it('decodes a vendor reason code and its PEN, with no description', () => {
    expect(whole(VENDOR_1234)).toEqual({ code: 1234, pen: 32473, description: '' });
  });

  it('reads a PEN with the top bit set as unsigned, and the highest code', () => {
    expect(whole(hex('33aa ffff ffff ffff'))).toEqual({ code: 65535, pen: 4294967295, description: '' });
  });

  it('has no description for IANA codes beyond the initial table', () => {
    expect(whole(hex('33aa 0012 0000 0000'))).toEqual({ code: 18, pen: 0, description: '' });
  });

  it('names the whole initial registry', () => {
    expect(Array.from({ length: 19 }, (_, c) => tcpFailureCauseName(c))).toEqual([
      '', 'Illegal option length', 'Desynchronized state', 'New data is received after CLOSE is called', 'ABORT process',
      'Unexpected ACK received by non-synchronized state connection', 'Unexpected SYN in the window',
      'Unexpected security compartment', 'Malformed message', 'Not authorized', 'Resource exceeded', 'Network failure',
      'Reset received from the peer', 'Destination unreachable', 'Connection timeout', 'Too much outstanding data',
      'Unacceptable performance', 'Middlebox interference', '',
    ]);
    expect([tcpFailureCauseName(-1), tcpFailureCauseName(1.5), tcpFailureCauseName(NaN)]).toEqual(['', '', '']);
  });
});

describe('rst-payload: not this format', () => {
  it('wrong or byte-swapped magic, and the reserved code 0', () => {
    for (const b of ['33ab 0002 0000 0000', 'aa33 0002 0000 0000', '0000 0002 0000 0000', '33aa 0000 0000 0000']) {
      expect(whole(hex(b)), b).toBeNull();
    }
    expect(RST_DIAGNOSTIC_MAGIC).toBe(0x33aa);
  });

  it('any length but 8, on the wire or captured', () => {
    const nine = hex('33aa 0002 0000 0000 00');
    expect(whole(nine)).toBeNull();
    expect(decodeRstPayload(nine, 0, 8, 9)).toBeNull(); // a 9-byte payload the snaplen cut to 8
    expect(decodeRstPayload(ACK_IN_LISTEN, 0, 7)).toBeNull();
    expect(decodeRstPayload(ACK_IN_LISTEN, 0, 6, 8)).toBeNull(); // 8 on the wire, 6 captured
    expect(decodeRstPayload(ACK_IN_LISTEN, 0, 0)).toBeNull();
    expect(decodeRstPayload(new Uint8Array(0), 0, 0)).toBeNull();
    expect(RST_DIAGNOSTIC_LEN).toBe(8);
  });

  it('plain RFC 1122 reset text is not a diagnostic payload', () => {
    const text = new TextEncoder().encode('Connection refused');
    expect(whole(text)).toBeNull();
    expect(whole(text.subarray(0, 8))).toBeNull();
  });
});

describe('rst-payload: hostile arguments', () => {
  it('never reads outside buf, whatever off and len claim', () => {
    const buf = new Uint8Array(20);
    buf.set(ACK_IN_LISTEN, 12); // the last 8 bytes
    expect(decodeRstPayload(buf, 12, 8)).toEqual({ code: 2, pen: 0, description: 'Desynchronized state' });
    for (const off of [13, 19, 20, 21, -1, -12, 1.5, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER]) {
      expect(decodeRstPayload(buf, off, 8), String(off)).toBeNull();
    }
    for (const len of [NaN, -8, Infinity]) expect(decodeRstPayload(buf, 12, len), String(len)).toBeNull();
    expect(decodeRstPayload(buf, 12, 100, 8)).toEqual({ code: 2, pen: 0, description: 'Desynchronized state' });
  });

  it('random bytes, offsets and lengths: never throws; a result always sits on the magic', () => {
    const rand = prng(0x33aa);
    const buf = new Uint8Array(64);
    let found = 0;
    for (let i = 0; i < 20000; i++) {
      for (let k = 0; k < buf.length; k++) buf[k] = Math.floor(rand() * 256);
      const off = Math.floor(rand() * 70) - 3;
      if (rand() < 0.5 && off >= 0 && off + 2 <= buf.length) buf.set([0x33, 0xaa], off);
      const len = rand() < 0.7 ? 8 : Math.floor(rand() * 12);
      const d = decodeRstPayload(buf, off, len, rand() < 0.8 ? len : 8);
      if (d === null) continue;
      found++;
      expect([buf[off], buf[off + 1]]).toEqual([0x33, 0xaa]);
      expect(d.code).toBeGreaterThanOrEqual(1);
      expect(d.code).toBeLessThanOrEqual(0xffff);
      expect(d.pen).toBeGreaterThanOrEqual(0);
      expect(d.pen).toBeLessThanOrEqual(0xffffffff);
      expect(d.description === '' || d.pen === 0).toBe(true);
    }
    expect(found).toBeGreaterThan(400);
  });
});

describe('rst-payload: from a decoded RST', () => {
  const rst = (payload: Uint8Array) => tcp({ flags: 'R', seq: 5000, payload: Array.from(payload) });

  it('wired from the Packet: payloadOff, capturedPayloadLen, payloadLen (IPv4 and IPv6)', () => {
    for (const frame of [eth(ipv4({}, rst(hex('33aa 0009 0000 0000')))), eth(ipv6({}, rst(hex('33aa 0009 0000 0000'))), { type: 0x86dd })]) {
      const p = decode(frame);
      expect([p.kind, p.payloadLen, p.capturedPayloadLen]).toEqual([KIND_TCP, 8, 8]);
      expect(decodeRstPayload(p.buf, p.payloadOff, p.capturedPayloadLen, p.payloadLen)).toEqual({ code: 9, pen: 0, description: 'Not authorized' });
    }
  });

  it('reads in place in a reader\'s larger buffer (decodeFrame offsets)', () => {
    const frame = eth(ipv4({}, rst(VENDOR_1234)));
    const big = new Uint8Array(frame.length + 64).fill(0x33);
    big.set(frame, 29);
    const p = newPacket();
    decodeFrame(big, 29, frame.length, 1, p, { verifyChecksums: true });
    expect(p.checksumOk).toBe(true);
    expect(decodeRstPayload(p.buf, p.payloadOff, p.capturedPayloadLen, p.payloadLen)).toEqual({ code: 1234, pen: 32473, description: '' });
  });

  it('a payload the snaplen cut is not decoded, even with bytes of the next frame behind it', () => {
    const frame = eth(ipv4({}, rst(ACK_IN_LISTEN)));
    const big = new Uint8Array(frame.length + 16).fill(0);
    big.set(frame, 0);
    const p = newPacket();
    decodeFrame(big, 0, frame.length - 3, 1, p, { verifyChecksums: false });
    expect([p.payloadLen, p.capturedPayloadLen]).toEqual([8, 5]);
    expect(decodeRstPayload(p.buf, p.payloadOff, p.capturedPayloadLen, p.payloadLen)).toBeNull();
    expect(decodeRstPayload(p.buf, p.payloadOff, p.payloadLen)).not.toBeNull(); // why the captured length matters
  });
});
