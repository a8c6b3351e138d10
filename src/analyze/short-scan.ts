// Connect scans too short for the sequential test (it flags a source on its 4th failed first contact): one
// source connecting to several distinct ports of one host within seconds and resetting each without data.
// A monitor re-checking the same ports, or a client that exchanged data with the host, is not a scan.
import { touch } from './recent-map.js';

/** Seconds within which the probes of one short scan fall. */
export const SHORT_SCAN_WINDOW = 5;
/** A port contacted again within this many seconds marks a monitor (health checks), not a scan. */
export const REPEAT_WINDOW = 60;
/** Client->host pairs remembered (least recently seen forgotten beyond), and contacts kept per pair. */
const MAX_PAIRS = 16_384;
const MAX_CONTACTS = 32;

interface Contact {
  port: number;
  time: number;
  /** The connection carried payload in either direction. */
  data: boolean;
  /** The client reset it without any payload exchanged. */
  resetNoData: boolean;
}

export interface ShortScan {
  /** Distinct ports reset without data within the window, in order. */
  ports: number[];
}

export class ShortScanTable {
  private readonly pairs = new Map<string, Contact[]>();

  note(client: string, host: string, port: number, time: number, data: boolean, resetNoData: boolean): void {
    const key = `${client}>${host}`;
    const list = this.pairs.get(key) ?? [];
    touch(this.pairs, key, list, MAX_PAIRS);
    list.push({ port, time, data, resetNoData });
    if (list.length > MAX_CONTACTS) list.shift();
  }

  /** The short scan `client` ran against `host` around `time`, or null (fewer than 2 ports, a repeat, or data). */
  around(client: string, host: string, time: number): ShortScan | null {
    const list = this.pairs.get(`${client}>${host}`);
    if (!list) return null;
    if (list.some((c) => c.data)) return null;
    const seen = new Map<number, number>();
    for (const c of list) {
      const prev = seen.get(c.port);
      if (prev !== undefined && Math.abs(c.time - prev) <= REPEAT_WINDOW) return null;
      seen.set(c.port, c.time);
    }
    const ports: number[] = [];
    for (const c of list) if (c.resetNoData && Math.abs(c.time - time) <= SHORT_SCAN_WINDOW && !ports.includes(c.port)) ports.push(c.port);
    return ports.length >= 2 ? { ports } : null;
  }
}
