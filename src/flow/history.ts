// Zeek's conn.log history letters: which events are recorded, and how often.

/** Bits of the "already recorded" mask; the responder's bits are shifted left by 16. */
export const HIST_SYN = 0x1;
export const HIST_FIN = 0x2;
export const HIST_RST = 0x4;
export const HIST_FIN_RST = 0x8;
export const HIST_DATA = 0x10;
export const HIST_ACK = 0x20;
export const HIST_MULTI_FLAG = 0x40;

/** Mutable history of one connection (Zeek's Connection::history and hist_seen). */
export class History {
  text = '';
  private seen = 0;

  /** Records `code` once per direction (upper case for the originator); true if it was already recorded. */
  check(mask: number, code: string, isOrig: boolean): boolean {
    const m = isOrig ? mask : mask << 16;
    if ((this.seen & m) === 0) {
      this.seen |= m;
      this.text += isOrig ? code : code.toLowerCase();
      return false;
    }
    return true;
  }

  add(code: string, isOrig: boolean): void {
    this.text += isOrig ? code : code.toLowerCase();
  }

  /** Zeek's ScaledHistoryEntry: the letter on the 1st, 10th, 100th, ... occurrence. */
  scaled(code: string, isOrig: boolean, count: number, thresh: number): number {
    if (count === thresh) {
      this.add(code, isOrig);
      return thresh * 10;
    }
    return thresh;
  }

  /** The originator and responder swap: letters change case and the history starts with '^'. */
  flip(): void {
    let swapped = '';
    for (const c of this.text) swapped += c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
    this.text = '^' + swapped.replace(/\^/g, '');
    this.seen = ((this.seen & 0xffff) << 16) | (this.seen >>> 16);
  }
}
