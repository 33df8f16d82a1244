#!/usr/bin/env bash
# epubcheck.sh FILE.epub...  — EPUBCheck 5.3.0 (jar from the venv), warnings are failures.
# Exit 0 only if every book is clean. Needs FOLIO_EPUBCHECK_JAR (from env.sh).
set -uo pipefail
# Works without sourcing env.sh first: fall back to the one install.sh wrote.
_envsh="${FOLIO_TOOLS:-$HOME/.cache/folio-tools}/env.sh"
if [[ -z "${FOLIO_EPUBCHECK_JAR:-}" && -f "$_envsh" ]]; then source "$_envsh"; fi
: "${FOLIO_EPUBCHECK_JAR:?FOLIO_EPUBCHECK_JAR not set: run tests/validators/install.sh and source \$FOLIO_TOOLS/env.sh}"
(($#)) || { echo "usage: $0 FILE.epub..." >&2; exit 2; }
[[ -f "$FOLIO_EPUBCHECK_JAR" ]] || { echo "epubcheck: jar not found: $FOLIO_EPUBCHECK_JAR" >&2; exit 2; }
failed=0
for f in "$@"; do
  if [[ ! -f "$f" ]]; then echo "epubcheck: FAIL $f: no such file"; failed=1; continue; fi
  # C1-only JIT + serial GC: ~40% faster for a short single-book run (JVM start-up dominates).
  # shellcheck disable=SC2086
  out=$(java ${FOLIO_EPUBCHECK_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} \
        -jar "$FOLIO_EPUBCHECK_JAR" "$f" --failonwarnings -q 2>&1)
  rc=$?
  if ((rc != 0)); then
    echo "epubcheck: FAIL $f (exit $rc)"
    printf '%s\n' "$out" | sed 's/^/  /'
    failed=1
  else
    echo "epubcheck: ok $f"
  fi
done
exit $failed
