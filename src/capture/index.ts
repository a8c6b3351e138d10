// Public surface of the capture stage.
export type { CaptureRecord, CaptureReader, CaptureWarning, TimePrecision } from './types.js';
export { sniffFormat, type SniffedFormat } from './sniff.js';
export { PcapReader } from './pcap.js';
export { PcapngReader } from './pcapng.js';
export {
  CaptureFormatError,
  createCaptureReader,
  openCaptureSource,
  type CaptureFormatErrorCode,
  type CaptureSourceOptions,
} from './source.js';
export {
  readCapture, readCaptureBatches, newCaptureSummary, RecordBatch, type CaptureSummary, type ReadCaptureOptions,
} from './read.js';
export { formatIsoTime, formatEpochTime } from './timestamp.js';
