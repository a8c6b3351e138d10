// Zeek's likely_server_ports with its default scripts loaded: the ports of the analyzers it ships.
// Used, as Zeek does, to decide which side is the server when the first packet is not a SYN.
export const LIKELY_SERVER_PORTS: ReadonlySet<number> = new Set([
  21, 22, 23, 25, 53, 80, 88, 102, 110, 135, 137, 139, 143, 179, 389, 443, 445, 464, 502, 512, 513, 514, 563,
  585, 587, 614, 636, 989, 990, 992, 993, 994, 995, 1080, 1194, 1433, 1883, 2152, 2404, 3128, 3306, 3389,
  5060, 5222, 5223, 5269, 5432, 5672, 5900, 6379, 6666, 6667, 6668, 6669, 6697, 8000, 8080, 8081, 8443,
  8888, 9200, 11211, 20000, 27017,
]);
