// What the analysis knows across connections at one capture point: each host's usual hop count and stack
// fingerprint, the scan detector, and recent bare RSTs per server (accept-queue bursts).
import type { Connection } from '../flow/connection.js';
import type { Endpoint } from '../flow/endpoint.js';
import { hops, initialTtl } from './hops.js';
import { touch } from './recent-map.js';
import { ScanDetector } from './scan.js';
import { ShortScanTable } from './short-scan.js';

/** Host profiles and per-server bare-RST lists kept (the least recently seen are forgotten beyond). */
export const MAX_HOSTS = 16_384;

export interface HostProfile {
  /** Hop counts of the host's non-RST packets at this capture point, with how many connections showed each. */
  hops: Map<number, number>;
  /** Initial TTLs (64, 128, 255) its packets suggest: another one on a RST means another stack sent it. */
  initials: Set<number>;
  connections: number;
  /** Initial TTL its SYN or SYN/ACK suggests (64, 128, 255), 0 when unknown. */
  initialTtl: number;
  /** It sets DF on its packets (share of connections). */
  dfConnections: number;
  /** Its SYNs carry timestamps (Linux, macOS, BSD do; Windows by default does not). */
  timestamps: boolean;
}

/** Default minimum silence (s) that can count as idle (`--idle-min`). */
export const DEFAULT_IDLE_MIN = 5;

export class Environment {
  /** Minimum silence (s) before a RST for it to count as an idle timeout. */
  idleMin = DEFAULT_IDLE_MIN;
  readonly hosts = new Map<string, HostProfile>();
  readonly scans = new ScanDetector();
  readonly shortScans = new ShortScanTable();
  /** Times of bare RSTs from a server (ip:port) after a completed handshake. */
  readonly bareResets = new Map<string, number[]>();

  /** Learns from a finished connection: both sides' hop counts and fingerprints. */
  learn(c: Connection): void {
    this.learnHost(c.client.ip, c.orig);
    this.learnHost(c.server.ip, c.resp);
  }

  host(ip: string): HostProfile | undefined {
    return this.hosts.get(ip);
  }

  noteBareReset(server: string, time: number): void {
    const list = this.bareResets.get(server) ?? [];
    touch(this.bareResets, server, list, MAX_HOSTS);
    list.push(time);
    if (list.length > 256) list.shift();
  }

  /** Bare RSTs from `server` within `window` seconds of `time` (itself included). */
  bareResetsNear(server: string, time: number, window: number): number {
    const list = this.bareResets.get(server);
    return list ? list.filter((t) => Math.abs(t - time) <= window).length : 0;
  }

  private learnHost(ip: string, ep: Endpoint): void {
    const ttls = ep.ttls.filter((t) => t !== 1); // TTL 1 (eBGP) is a socket setting, not a hop count
    if (ttls.length === 0) return;
    const h = this.hosts.get(ip) ?? { hops: new Map(), initials: new Set(), connections: 0, initialTtl: 0, dfConnections: 0, timestamps: false };
    touch(this.hosts, ip, h, MAX_HOSTS);
    h.connections++;
    for (const ttl of ttls) {
      h.hops.set(hops(ttl), (h.hops.get(hops(ttl)) ?? 0) + 1);
      h.initials.add(initialTtl(ttl));
    }
    if (ep.synFlags >= 0) {
      h.initialTtl = initialTtl(ttls[0]!);
      if (ep.timestamps) h.timestamps = true;
    }
    if (ep.dfPackets > 0) h.dfConnections++;
  }
}
