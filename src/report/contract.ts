// The output contract: the JSON document `rstscope analyze --format json` prints (schema/rstscope.schema.json).

export interface Endpoint {
  ip: string;
  port: number;
}

export interface CaptureInfo {
  file: string;
  format: 'pcap' | 'pcapng' | null;
  packets: number;
  linktypes: number[];
  first: string | null;
  last: string | null;
  warnings: string[];
  /** Fatal damage that stopped reading ("byte offset X after frame N: ..."), null when none. */
  error: string | null;
  tcp_packets: number;
  icmp_errors: number;
  /** Packets not analyzed: non-TCP, unsupported link types, non-first fragments, malformed. */
  skipped: { not_tcp: number; unsupported_link: number; fragments: number; malformed: number };
}

export interface DirectionStats {
  packets: number;
  bytes: number;
  isn: number | null;
  next_seq: number | null;
  highest_ack: number | null;
  ttls: number[];
  ip_ids: number[];
  retransmissions: number;
  out_of_order: number;
  zero_windows: number;
  window: number | null;
  mss: number | null;
  wscale: number | null;
  sack_permitted: boolean;
  timestamps: boolean;
  syn: number;
  fin: number;
  rst: number;
}

export interface ConnectionRecord {
  type?: 'connection';
  file: string;
  id: number;
  stream: number | null;
  community_id: string;
  proto: 'tcp';
  client: Endpoint;
  server: Endpoint;
  state: string;
  history: string;
  first_frame: number;
  last_frame: number;
  first: string;
  last: string;
  duration: number;
  packets: number;
  bytes: number;
  tunnel: string | null;
  /** Only one direction of the connection was captured. */
  one_sided: boolean;
  /** What the first payload of each side was (TLS ClientHello server name, HTTP request line), null when nothing known. */
  client_app: string | null;
  server_app: string | null;
  client_stats: DirectionStats;
  server_stats: DirectionStats;
  resets: number;
  verdict: string | null;
  /** The connection-tampering signature its client's first 10 packets match (`SYN;ACK -> RST+ACK`), or null: a pattern, not a verdict. */
  tamper_signature: string | null;
}

export interface ResetRecord {
  type?: 'reset';
  file: string;
  frame: number;
  time: string;
  connection: number;
  stream: number | null;
  caused_by: number | null;
  sender: 'client' | 'server';
  src: string;
  dst: string;
  sport: number;
  dport: number;
  flags: string;
  seq: number;
  ack: number;
  ttl: number;
  ip_id: number | null;
  window: number;
  phase: 'handshake' | 'data' | 'teardown' | 'none';
  cause: string;
  origin: 'endpoint' | 'middlebox' | 'unknown';
  confidence: number;
  /** Whether the receiver acted on it: stopped (accepted), went on (ignored), or nothing captured after it (unknown). */
  effect: 'accepted' | 'ignored' | 'unknown';
  /** The sk_rst_reason a Linux sender logs for this RST (tcp:tcp_send_reset), null when not a Linux endpoint's. */
  linux_reason: string | null;
  /** The RST diagnostic payload (draft-ietf-tcpm-rst-diagnostic-payload): code, Private Enterprise Number, registry name. */
  rst_payload: { code: number; pen: number; text: string } | null;
  /** MPTCP's MP_TCPRST reason (RFC 8684 3.6), null when the RST carries none. */
  mptcp_reason: string | null;
  evidence: string[];
  advice: string;
  /** Frame of an identical earlier packet when this one is a capture duplicate (not a second RST), else null. */
  duplicate_of: number | null;
  final?: boolean;
}

export interface Summary {
  packets: number;
  connections: number;
  resets: number;
  /** ICMP errors quoting a TCP segment (port/admin-prohibited unreachables...): counted next to RSTs. */
  icmp_errors: number;
  by_state: Record<string, number>;
  resets_by_phase: Record<string, number>;
  resets_by_sender: Record<string, number>;
  resets_by_cause: Record<string, number>;
}
