// A one-line progress indicator on stderr, shown only on a TTY and only once a run passes one second.
export class Progress {
  private readonly start = Date.now();
  private shown = false;

  constructor(private readonly enabled: boolean, private readonly totalBytes: number | null) {}

  update(bytes: number, packets: number): void {
    if (!this.enabled) return;
    const elapsed = (Date.now() - this.start) / 1000;
    if (elapsed < 1) return;
    const rate = packets / elapsed;
    let line = `  ${(bytes / 1e6).toFixed(1)} MB, ${packets.toLocaleString('en-US')} packets, ${Math.round(rate).toLocaleString('en-US')} packets/s`;
    if (this.totalBytes && bytes > 0 && bytes <= this.totalBytes) {
      const left = (elapsed * (this.totalBytes - bytes)) / bytes;
      line += `, ${((100 * bytes) / this.totalBytes).toFixed(0)}%, ${left.toFixed(0)} s left`;
    }
    process.stderr.write(`\r${line}\x1b[K`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
  }
}
