// Test helper: run a capture reader over bytes in fixed-size chunks and copy out every record.
import type { CaptureWarning } from '../../src/capture/types.js';
import { createCaptureReader } from '../../src/capture/source.js';

export interface CollectedRecord {
  frame: number;
  linktype: number;
  interfaceId: number;
  tsSec: number;
  tsNsec: number;
  origLen: number;
  precision: number;
  data: number[];
}

export interface Collected {
  records: CollectedRecord[];
  warnings: CaptureWarning[];
  error: CaptureWarning | undefined;
  offset: number;
}

/** Feeds `bytes` in chunks of `chunk` bytes (Infinity = all at once), draining next() after each. */
export function collect(bytes: Uint8Array, chunk = Infinity): Collected {
  const reader = createCaptureReader(bytes.subarray(0, 4));
  const records: CollectedRecord[] = [];
  const drain = (): void => {
    for (let r = reader.next(); r !== undefined; r = reader.next()) {
      records.push({
        frame: r.frame,
        linktype: r.linktype,
        interfaceId: r.interfaceId,
        tsSec: r.tsSec,
        tsNsec: r.tsNsec,
        origLen: r.origLen,
        precision: reader.precision,
        data: Array.from(r.data),
      });
    }
  };
  const step = Number.isFinite(chunk) ? chunk : Math.max(1, bytes.length);
  for (let o = 0; o < bytes.length; o += step) {
    // Copy so the reader cannot rely on the caller keeping the chunk alive.
    reader.append(bytes.slice(o, o + step));
    drain();
  }
  reader.end();
  drain();
  return { records, warnings: [...reader.warnings], error: reader.error, offset: reader.offset };
}
