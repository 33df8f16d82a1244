#!/usr/bin/env bash
# dita-ot-build.sh MAP.ditamap OUTDIR  — build the map to XHTML with Debian's DITA-OT 1.5.3.
# ant says BUILD SUCCESSFUL even on failure, so the log is scanned for [DOTxnnnE|F|W] messages.
set -uo pipefail
(($# == 2)) || { echo "usage: $0 MAP.ditamap OUTDIR" >&2; exit 2; }
DITA_OT="${FOLIO_DITA_OT:-/usr/share/dita-ot}"
map=$(realpath -e "$1") || { echo "dita-ot-build: FAIL: no such map: $1"; exit 1; }
mkdir -p "$2"
out=$(realpath "$2")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dita-ot-temp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
logf="$out/dita-ot-build.log"
# C1-only JIT + serial GC roughly halves this short build (JVM start-up and warm-up dominate).
export ANT_OPTS="${ANT_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
ant -f "$DITA_OT/build.xml" \
  -lib "$DITA_OT/lib" -lib "$DITA_OT/lib/dost.jar" \
  -lib /usr/share/java/xml-resolver.jar -lib /usr/share/java/com.ibm.icu-4.4.jar \
  -lib /usr/share/java/commons-codec.jar -lib /usr/share/java/xercesImpl.jar \
  -lib /usr/share/java/xalan2.jar -lib /usr/share/java/serializer.jar \
  -Ddita.dir="$DITA_OT" -Dargs.input="$map" -Dtranstype=xhtml \
  -Doutput.dir="$out" -Ddita.temp.dir="$tmp" >"$logf" 2>&1
rc=$?
problems=$(grep -E '\[DOT[A-Z][0-9]+[EFW]\]' "$logf")
if ((rc != 0)) || [[ -n "$problems" ]] || ! grep -q 'BUILD SUCCESSFUL' "$logf"; then
  echo "dita-ot-build: FAIL $1 (ant exit $rc; log: $logf)"
  if [[ -n "$problems" ]]; then printf '%s\n' "$problems" | sed 's/^/  /'; else tail -n 30 "$logf" | sed 's/^/  /'; fi
  exit 1
fi
echo "dita-ot-build: ok $1 -> $out"
