// PacketLog: the head, the last packets and the RST windows read the same before and after seal(), and the
// shared store's blocks are given back.
import { describe, expect, it } from 'vitest';
import { ACK, RST, SYN } from '../decode/packet.js';
import { PacketLog, PacketStore, RING_PACKETS } from './packet-log.js';

function fill(log: PacketLog, n: number, rstAt: number[] = []): void {
  for (let i = 1; i <= n; i++) {
    const rst = rstAt.includes(i);
    log.add({
      frame: i, time: 1700000000 + i / 1000, fromOrig: i % 2 === 1, flags: rst ? RST | ACK : i === 1 ? SYN : ACK | 0x100,
      seq: 0xfffffff0 + i, ack: i * 1000, len: rst ? 0 : 100, window: 65535, ttl: 64 - (i % 2), ipId: i % 3 === 0 ? -1 : i, df: i % 2 === 0,
    }, rst);
  }
}

describe('PacketLog over a PacketStore', () => {
  it('keeps the first packets, the last RING_PACKETS and the window around each RST, with cumulative counts', () => {
    const log = new PacketLog(new PacketStore());
    fill(log, 100, [70]);
    expect(log.head.map((p) => p.frame)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log.recent().map((p) => p.frame)).toEqual(Array.from({ length: RING_PACKETS }, (_, k) => 69 + k));
    const w = log.windows[0]!;
    expect(w.rstFrame).toBe(70);
    expect(w.packets.map((p) => p.frame)).toEqual(Array.from({ length: 62 }, (_, k) => 39 + k)); // 32 before .. 30 after
    const p = log.recent().at(-1)!;
    expect(p).toEqual({
      frame: 100, time: 1700000000.1, fromOrig: false, flags: ACK | 0x100, seq: (0xfffffff0 + 100) >>> 0, ack: 100000, len: 100,
      window: 65535, ttl: 64, ipId: 100, df: true, cumPackets: 100, cumBytes: 99 * 100,
    });
    expect(log.recent().find((q) => q.frame === 99)!.ipId).toBe(-1);
  });

  it('reads the same after seal(keep), flips sides when the originator is the high endpoint, and frees its blocks', () => {
    const store = new PacketStore();
    const log = new PacketLog(store);
    fill(log, 50, [45]);
    const kept = log.kept().map((p) => ({ ...p })); // copies: seal() flips the window objects in place
    expect(store.used).toBe(5);
    log.seal(false, true);
    expect(store.used).toBe(0);
    expect(log.kept()).toEqual(kept.map((p) => ({ ...p, fromOrig: !p.fromOrig })));
    const other = new PacketLog(store); // reuses the blocks: the sealed log must not change
    fill(other, 50);
    expect(log.kept()).toEqual(kept.map((p) => ({ ...p, fromOrig: !p.fromOrig })));
  });

  it('seal(drop) keeps nothing but the counters', () => {
    const store = new PacketStore();
    const log = new PacketLog(store);
    fill(log, 20);
    log.seal(true, false);
    expect([log.kept(), log.packets, log.bytes, store.used]).toEqual([[], 20, 2000, 0]);
  });
});

describe('lean PacketLog (analysis only, no store)', () => {
  it('keeps the counters and, per RST, the RST and the packets after it exactly as the full log has them', () => {
    const full = new PacketLog(new PacketStore());
    const lean = new PacketLog(null);
    fill(full, 120, [40, 70, 75]);
    fill(lean, 120, [40, 70, 75]);
    expect([lean.packets, lean.bytes]).toEqual([full.packets, full.bytes]);
    expect(lean.windows.map((w) => w.rstFrame)).toEqual([40, 70, 75]);
    lean.windows.forEach((w, i) => {
      const fromRst = full.windows[i]!.packets.filter((p) => p.frame >= w.rstFrame);
      expect(w.packets).toEqual(fromRst); // same fields, cumulative counts and ipId -1 included
      expect(w.packets.length).toBe(Math.min(121 - w.rstFrame, 1 + 32));
    });
    expect([lean.head, lean.recent()]).toEqual([[], []]);
  });

  it('flips the window packets on seal when the originator is the high endpoint', () => {
    const lean = new PacketLog(null);
    fill(lean, 10, [5]);
    const before = lean.windows[0]!.packets.map((p) => p.fromOrig);
    lean.seal(false, false);
    expect(lean.windows[0]!.packets.map((p) => p.fromOrig)).toEqual(before.map((f) => !f));
  });
});
