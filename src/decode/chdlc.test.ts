import { describe, expect, it } from 'vitest';
import { cat, ipv4, ipv6, u16be } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { KIND_MALFORMED, KIND_OTHER, KIND_TCP } from './packet.js';

const LT_PPP = 9;
const LT_PPP_HDLC = 50;
const LT_C_HDLC = 104;
const V4 = ipv4({}, tcp({ flags: 'R' }));

describe('Cisco HDLC and PPP link types', () => {
  it('Cisco HDLC: address, control, EtherType', () => {
    expect(decode(cat([0x0f, 0], u16be(0x0800), V4), LT_C_HDLC).kind).toBe(KIND_TCP);
    expect(decode(cat([0x0f, 0], u16be(0x86dd), ipv6({}, tcp())), LT_C_HDLC).ipVersion).toBe(6);
    expect(decode(cat([0x8f, 0], u16be(0x8035), [0, 0]), LT_C_HDLC).kind).toBe(KIND_OTHER); // SLARP
    expect(decode(cat([0x0f, 0, 8]), LT_C_HDLC).kind).toBe(KIND_MALFORMED);
    expect(expectPrefixesConsistent(cat([0x0f, 0], u16be(0x0800), V4), LT_C_HDLC)).toBeGreaterThan(0);
  });

  it('PPP: address/control optional, protocol compressed or not', () => {
    expect(decode(cat([0xff, 0x03], u16be(0x0021), V4), LT_PPP).kind).toBe(KIND_TCP);
    expect(decode(cat(u16be(0x0021), V4), LT_PPP).kind).toBe(KIND_TCP);
    expect(decode(cat([0x21], V4), LT_PPP).kind).toBe(KIND_TCP);
    expect(decode(cat([0xff, 0x03], u16be(0x0021), V4), LT_PPP_HDLC).kind).toBe(KIND_TCP);
    expect(decode(cat([0xff, 0x03], u16be(0xc021), [1, 1, 0, 4]), LT_PPP).kind).toBe(KIND_OTHER);
    expect(expectPrefixesConsistent(cat([0xff, 0x03], u16be(0x0021), V4), LT_PPP)).toBeGreaterThan(0);
  });
});
