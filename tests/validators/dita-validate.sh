#!/usr/bin/env bash
# dita-validate.sh FILE...  — DTD-validate DITA topics/maps offline against Debian's DITA 1.2 DTDs.
set -uo pipefail
export XML_CATALOG_FILES="${XML_CATALOG_FILES:-/usr/share/dita-ot/catalog-dita.xml}"
(($#)) || { echo "usage: $0 FILE.dita|FILE.ditamap..." >&2; exit 2; }
[[ -f "$XML_CATALOG_FILES" ]] || { echo "dita-validate: catalog not found: $XML_CATALOG_FILES" >&2; exit 2; }
command -v xmllint >/dev/null || { echo "dita-validate: xmllint not installed" >&2; exit 2; }
failed=0
for f in "$@"; do
  if [[ ! -f "$f" ]]; then echo "dita-validate: FAIL $f: no such file"; failed=1; continue; fi
  if ! grep -q '<!DOCTYPE' "$f"; then
    echo "dita-validate: FAIL $f: no DOCTYPE declaration (nothing to validate against)"; failed=1; continue
  fi
  out=$(xmllint --noout --valid --nonet "$f" 2>&1)
  rc=$?
  if ((rc != 0)) || [[ -n "$out" ]]; then
    echo "dita-validate: FAIL $f (exit $rc)"
    printf '%s\n' "$out" | sed 's/^/  /'
    failed=1
  fi
done
((failed)) || echo "dita-validate: ok ($# files)"
exit $failed
