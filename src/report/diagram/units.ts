// Human numbers for fold lines and labels: "1,234", "1.6 MB", "3.2 s" (shared by the terminal and SVG ladders).

/** 1234567 -> "1,234,567". */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Decimal units as Wireshark prints them: "512 B", "12.3 kB", "1.6 MB", "2.1 GB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/** A duration: "3.2 s", "45 ms", "0.2 ms", "12 min". */
export function formatDuration(sec: number): string {
  if (sec >= 600) return `${(sec / 60).toFixed(0)} min`;
  if (sec >= 10) return `${sec.toFixed(0)} s`;
  if (sec >= 1) return `${sec.toFixed(1)} s`;
  const ms = sec * 1000;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3).replace(/0+$/, '').replace(/\.$/, '')} ms`;
}

/** Seconds since the connection's first packet, 6 decimals. */
export function formatRelTime(sec: number): string {
  return sec.toFixed(6);
}
