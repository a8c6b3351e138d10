// Endpoint: typed accessors over a shared table row; the state survives detach(), release() frees the row, and
// rows are reused.
import { describe, expect, it } from 'vitest';
import { ESTABLISHED, Endpoint, EndpointTable, RECENT_IP_IDS } from './endpoint.js';

describe('Endpoint over an EndpointTable row', () => {
  it('keeps unsigned sequence numbers, nullable fields, times and flags exactly', () => {
    const t = new EndpointTable();
    const e = new Endpoint(t);
    expect([e.isn, e.nextSeq, e.highestAck, e.rtxSeq, e.synFlags, e.window]).toEqual([null, null, null, -1, -1, -1]);
    e.startSeq = 0xfffffff0;
    e.isn = 0x80000001;
    e.nextSeq = 0;
    e.highestAck = 4294967295;
    e.rtxSeq = 3000000000;
    e.lastTime = 1700000000.123456;
    e.bytes = 2 ** 40; // byte counts beyond 32 bits
    e.sackPermitted = true;
    e.setState(ESTABLISHED);
    expect([e.startSeq, e.isn, e.nextSeq, e.highestAck, e.rtxSeq]).toEqual([0xfffffff0, 0x80000001, 0, 4294967295, 3000000000]);
    expect([e.lastTime, e.bytes, e.sackPermitted, e.state, e.prevState]).toEqual([1700000000.123456, 2 ** 40, true, ESTABLISHED, 0]);
  });

  it('keeps up to 8 distinct TTLs in order and the last IP IDs, newest last', () => {
    const e = new Endpoint(new EndpointTable());
    for (const ttl of [64, 63, 64, 255, 1, 2, 3, 4, 5, 6, 7]) e.noteTtl(ttl);
    expect(e.ttls).toEqual([64, 63, 255, 1, 2, 3, 4, 5]);
    for (let id = 65530; id < 65530 + 12; id++) e.noteIpId(id & 0xffff);
    expect(e.ipIds).toEqual([65534, 65535, 0, 1, 2, 3, 4, 5]);
    expect(e.ipIds).toHaveLength(RECENT_IP_IDS);
    e.noteIpId(-1); // IPv6: no IP ID
    expect(e.ipIds.at(-1)).toBe(5);
  });

  it('detach() keeps every value, frees the row for the next endpoint, and is idempotent', () => {
    const t = new EndpointTable();
    const a = new Endpoint(t);
    a.startSeq = 0xdeadbeef;
    a.highestAck = 7;
    a.noteTtl(128);
    a.finTime = 12.5;
    a.synOptions = 'MSS,SACK_PERM';
    const before = JSON.stringify({ ...snapshot(a) });
    expect(t.used).toBe(1);
    a.detach();
    a.detach();
    expect(t.used).toBe(0);
    const b = new Endpoint(t); // reuses a's old row: must start clean and leave a alone
    b.startSeq = 1;
    expect(b.highestAck).toBeNull();
    expect(b.ttls).toEqual([]);
    expect(JSON.stringify({ ...snapshot(a) })).toBe(before);
  });

  it('release() gives the row back without a copy; the released view reads nothing, not the reused row', () => {
    const t = new EndpointTable();
    const a = new Endpoint(t);
    a.startSeq = 0xdeadbeef;
    a.release();
    a.release();
    expect(t.used).toBe(0);
    const b = new Endpoint(t); // the same row, clean
    expect(b.startSeq).toBe(0);
    b.startSeq = 42;
    expect(a.state).toBeUndefined();
    expect(t.used).toBe(1);
  });
});

function snapshot(e: Endpoint): Record<string, unknown> {
  return {
    startSeq: e.startSeq, highestAck: e.highestAck, ttls: e.ttls, finTime: e.finTime, synOptions: e.synOptions,
    state: e.state, nextSeq: e.nextSeq, packets: e.packets,
  };
}
