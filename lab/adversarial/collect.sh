#!/usr/bin/env bash
# Copy the adversarial captures (lab/adversarial/out/*.pcap, < 100 KB each) into
# test/fixtures/lab2/, make the stretched long-idle copies, label every RST
# (expected.json) and write test/fixtures/lab2/README.md.
set -euo pipefail
ADV="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${R2_OUT:-$ADV/out}"
DEST="$ADV/../../test/fixtures/lab2"
MAX=$((100 * 1024))
mkdir -p "$DEST"
if [[ -e $OUT/long-idle.client.pcap ]]; then
  "$ADV/stretch.sh" long-idle long-idle-30m 1500
  "$ADV/stretch.sh" long-idle long-idle-2h 6600
fi
rm -f "$DEST"/*.pcap
n=0
for s in $("$ADV/run.sh" --list) long-idle-30m long-idle-2h; do
  for pt in client server router; do
    f="$OUT/$s.$pt.pcap"
    [[ -e $f ]] || continue
    size=$(stat -c %s "$f")
    if ((size >= MAX)); then echo "skip $(basename "$f"): $size bytes" >&2; continue; fi
    cp "$f" "$DEST/"
    n=$((n + 1))
  done
done
echo "copied $n captures into $DEST"
/usr/bin/python3 "$ADV/expect.py" "$OUT" "$DEST"
cat "$ADV/fixtures-readme.md" "$DEST/files.md" >"$DEST/README.md"
rm -f "$DEST/files.md"
du -sh "$DEST" | sed 's/^/fixtures: /'
