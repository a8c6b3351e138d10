import { describe, expect, it } from 'vitest';
import { cat, eth, hex, ipv4, u16be } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { gre, llcSnap, wlan } from '../../test/build/packet-tunnels.js';
import { formatAddress } from './address.js';
import { ACK, KIND_MALFORMED, KIND_OTHER, KIND_TCP, RST } from './packet.js';

// Zeek gre-aruba.pcap frame 1517: VLAN 300 / IPv4 / GRE 0x8200 (Aruba WLAN) / 802.11 QoS data (To DS) / LLC / IPv4:
// 10.37.36.92.59173 > 205.185.216.42.80: Flags [R.], seq 3402443763, ack 3624657532, win 0, length 0
const ARUBA_RST = hex(`0011dc000001f05c19cfc8d68100012c0800450000625c4d0000ff2f1e3a0a0322ab0a210a17000082008801
  0000f05c197c8d705c5f67022e7a0011dc00000180820000aaaa03000000080045000028b713400080066f570a25245ccdb9d82a
  e7250050cacd2bf3d80be27c5014000042ac0000`);

const IP = ipv4({ src: '10.7.0.1', dst: '10.7.0.2' }, tcp({ sport: 5555, dport: 80, flags: 'R' }));
const LT_80211 = 105;
const LT_RADIOTAP = 127;
/** Radiotap: version 0, pad, length 8 (little-endian), no present fields. */
const radiotap = (frame: Uint8Array) => cat([0, 0, 8, 0, 0, 0, 0, 0], frame);

describe('802.11: known packets', () => {
  it('decodes a real RST in an Aruba GRE 802.11 QoS data frame', () => {
    const p = decode(ARUBA_RST, 1, true);
    expect(p, p.problem).toMatchObject({ kind: KIND_TCP, sport: 59173, dport: 80, flags: RST | ACK, tunnel: 'gre', streamless: false, checksumOk: true });
    expect(formatAddress(p.buf, p.srcOff, 4)).toBe('10.37.36.92');
  });

  it('data, QoS data, four addresses and +HTC; link types 105 and radiotap', () => {
    expect(decode(wlan(llcSnap(IP)), LT_80211).kind).toBe(KIND_TCP);
    expect(decode(wlan(llcSnap(IP), { qos: true }), LT_80211).kind).toBe(KIND_TCP);
    expect(decode(wlan(llcSnap(IP), { qos: true, wds: true, htc: true }), LT_80211).kind).toBe(KIND_TCP);
    expect(decode(radiotap(wlan(llcSnap(IP))), LT_RADIOTAP).kind).toBe(KIND_TCP);
    const overGre = eth(ipv4({ proto: 47 }, gre(wlan(llcSnap(IP), { qos: true }), { protocol: 0x8370 })));
    expect(decode(overGre).kind).toBe(KIND_TCP);
  });

  it('management, protected, fragmented and A-MSDU frames', () => {
    expect(decode(wlan(llcSnap(IP), { type: 0 }), LT_80211).kind).toBe(KIND_OTHER);
    expect(decode(wlan(llcSnap(IP), { protected: true }), LT_80211)).toMatchObject({ kind: KIND_OTHER, undecoded: '' });
    expect(decode(wlan(llcSnap(IP), { fragment: 1 }), LT_80211)).toMatchObject({ kind: KIND_OTHER, undecoded: '802.11 fragment' });
    expect(decode(wlan(llcSnap(IP), { qos: true, amsdu: true }), LT_80211)).toMatchObject({ kind: KIND_OTHER, undecoded: '802.11 A-MSDU' });
  });

  it('truncations are malformed or consistent; a bad radiotap length is malformed', () => {
    expect(expectPrefixesConsistent(ARUBA_RST, 1, ARUBA_RST.length - 40)).toBeGreaterThan(0); // LLC shorter than SNAP: not followed
    expect(expectPrefixesConsistent(wlan(llcSnap(IP), { qos: true, wds: true }), LT_80211, 40)).toBeGreaterThan(0);
    const bad = radiotap(wlan(llcSnap(IP)));
    bad.set(u16be(0xff00), 2);
    expect(decode(bad, LT_RADIOTAP).kind).toBe(KIND_MALFORMED);
  });
});
