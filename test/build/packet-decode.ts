// Test helpers around decodePacket(): decode into a snapshot, and the every-prefix truncation check.

import { expect } from 'vitest';
import { decodePacket } from '../../src/decode/decode-packet.js';
import { KIND_MALFORMED, KIND_OTHER, newPacket } from '../../src/decode/packet.js';
import type { Packet } from '../../src/decode/packet.js';

export const LT_ETHERNET = 1;

const shared = newPacket();

/** Decodes `frame` and returns a copy of the result (the decoder's Packet is reused). */
export function decode(frame: Uint8Array, linktype = LT_ETHERNET, verifyChecksums = false): Packet {
  decodePacket(frame, linktype, shared, { verifyChecksums });
  return { ...shared };
}

/** Fields that a truncated capture must not change (only capturedPayloadLen may shrink). */
const STABLE: Array<keyof Packet> = ['kind', 'ipVersion', 'srcOff', 'dstOff', 'ttl', 'ipId', 'df', 'tunnel', 'streamless',
  'sport', 'dport', 'seq', 'ack', 'flags', 'window', 'urgent', 'tcpHeaderLen', 'payloadLen', 'payloadOff', 'mss', 'wscale',
  'sackPermitted', 'sackBlocks', 'tsVal', 'tsEcr', 'optionKinds', 'optionsMalformed', 'icmpType', 'icmpCode', 'icmpFromOff', 'icmpMtu'];

/**
 * Decodes every proper prefix of `frame` (as a view into a larger buffer, like a reader's): each must be
 * KIND_MALFORMED with a one-line problem, or agree with the full decode on every STABLE field.
 * `otherBelow`: prefixes shorter than this may also be KIND_OTHER (heuristics that need a few bytes).
 */
export function expectPrefixesConsistent(frame: Uint8Array, linktype = LT_ETHERNET, otherBelow = 0): number {
  const full = decode(frame, linktype);
  const backing = new Uint8Array(frame.length + 16);
  backing.set(frame, 7);
  let malformed = 0;
  for (let len = 0; len < frame.length; len++) {
    const p = decode(backing.subarray(7, 7 + len), linktype, true);
    if (p.kind === KIND_MALFORMED) {
      expect(p.problem, `prefix ${len}`).toMatch(/^[^\n]+$/);
      malformed++;
      continue;
    }
    if (p.kind === KIND_OTHER && len < otherBelow) continue;
    for (const k of STABLE) expect(p[k], `prefix ${len}: ${k}`).toEqual(full[k]);
    expect(p.capturedPayloadLen, `prefix ${len}`).toBeLessThanOrEqual(full.capturedPayloadLen);
    expect(p.capturedPayloadLen, `prefix ${len}`).toBe(Math.max(0, Math.min(full.capturedPayloadLen, len - full.payloadOff)));
  }
  return malformed;
}
