// Captures for the diagram/report tests, generated in code: a long connection that must fold, a capture with
// hostile strings in a RST, and the 10,000-RST / 100,000-connection capture of the performance test.
import { PcapWriter, TcpSession } from './tcp-session.js';

const T0 = 1_700_000_000;

/** Handshake, `exchanges` request/response pairs of 1,000 bytes, then a RST+ACK from the server. */
export function longConnectionCapture(exchanges = 2000): Uint8Array {
  const w = new PcapWriter();
  const s = new TcpSession(w, T0, { ip: '192.0.2.10', port: 40000 }, { ip: '198.51.100.20', port: 443 }, { client: 100, server: 9000 });
  s.handshake(0.001);
  s.exchange(exchanges, 1000, 0.0008);
  s.send(false, 'RA', 0.5);
  return w.done();
}

/** Text a hostile peer puts in a RST payload: markup, a script, terminal escapes (colour, title, clear screen). */
export const HOSTILE_TEXT = '<script>alert(1)</script><img src=x onerror=alert(2)>\x1b[31mRED\x1b[0m\x1b]0;pwned\x07\x1b[2J"\'&';

/** A normal connection, then one whose server answers the request with a RST carrying HOSTILE_TEXT. */
export function hostileCapture(): Uint8Array {
  const w = new PcapWriter();
  const ok = new TcpSession(w, T0, { ip: '192.0.2.1', port: 41000 }, { ip: '198.51.100.2', port: 80 });
  ok.handshake();
  ok.exchange(1, 100);
  ok.close();
  const bad = new TcpSession(w, T0 + 1, { ip: '192.0.2.1', port: 41001 }, { ip: '198.51.100.2', port: 80 });
  bad.handshake();
  bad.send(true, 'PA', 0.001, new TextEncoder().encode('GET / HTTP/1.1\r\nHost: <b>x</b>\r\n\r\n'));
  bad.send(false, 'RA', 0.001, new TextEncoder().encode(HOSTILE_TEXT));
  return w.done();
}

export interface PerfCaptureStats {
  connections: number;
  resets: number;
  packets: number;
}

/**
 * `connections` connections, `resets` of them ending in one RST: refused SYNs, server and client aborts after
 * data, bare RSTs with another TTL (as a middlebox sends them), and 1% long transfers that fold.
 */
export function perfCapture(connections = 100_000, resets = 10_000): { bytes: Uint8Array; stats: PerfCaptureStats } {
  const w = new PcapWriter(64 << 20, 96); // headers only, as tcpdump -s 96 (keeps the file small)
  const every = Math.max(1, Math.floor(connections / resets));
  let made = 0;
  let rsts = 0;
  let clock = T0;
  for (let i = 0; i < connections; i++) {
    const time = Math.max(T0 + i * 0.001, clock + 0.0001); // about 1,000 new connections per second, in time order
    const client = { ip: `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`, port: 20000 + (i % 40000) };
    const server = { ip: `172.16.${i % 7}.${1 + (i % 200)}`, port: [80, 443, 8080, 5432, 6379][i % 5]! };
    const s = new TcpSession(w, time, client, server, { client: (i * 7919) >>> 0, server: (i * 104729) >>> 0 });
    made++;
    if (i % every !== 0 || rsts >= resets) {
      s.handshake();
      s.close();
      clock = s.time;
      continue;
    }
    rsts++;
    const kind = rsts % 100;
    if (kind < 40) {
      s.send(true, 'S');
      s.send(false, 'RA');
    } else if (kind < 70) {
      s.handshake();
      s.exchange(2, 300);
      s.send(false, 'RA', 0.05);
    } else if (kind < 90) {
      s.handshake();
      s.exchange(1, 200);
      s.send(true, 'RA', 0.02);
    } else if (kind < 99) {
      s.handshake();
      s.send(true, 'PA', 0.001, 150);
      s.send(false, 'R', 0.0002, 0, { ttl: 250 });
    } else {
      s.handshake();
      s.exchange(400, 1400, 0.00005);
      s.send(false, 'RA', 0.2);
    }
    clock = s.time;
  }
  return { bytes: w.done(), stats: { connections: made, resets: rsts, packets: w.frames } };
}
