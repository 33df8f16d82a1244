#!/usr/bin/env bash
# ace.sh FILE.epub...  — DAISY Ace (EPUB accessibility), any violation is a failure.
# Exit 0 only if Ace reports no violation and no missing accessibility metadata (schema.org
# discovery metadata, dcterms:conformsTo) for every book; otherwise lists them (rule, impact,
# document, element). Needs FOLIO_ACE and FOLIO_CHROMIUM (from env.sh).
set -uo pipefail
# Works without sourcing env.sh first: fall back to the one install.sh wrote.
_envsh="${FOLIO_TOOLS:-$HOME/.cache/folio-tools}/env.sh"
if [[ -z "${FOLIO_ACE:-}" && -f "$_envsh" ]]; then source "$_envsh"; fi
: "${FOLIO_ACE:?FOLIO_ACE not set: run tests/validators/install.sh and source \$FOLIO_TOOLS/env.sh}"
(($#)) || { echo "usage: $0 FILE.epub..." >&2; exit 2; }
[[ -x "$FOLIO_ACE" ]] || { echo "ace: not found: $FOLIO_ACE" >&2; exit 2; }
# Puppeteer's own browser is never downloaded: Debian's chromium stands in. Ace launches it with
# --no-sandbox (needed as root) and Debian's launcher adds --disable-background-networking.
export PUPPETEER_EXECUTABLE_PATH="${FOLIO_CHROMIUM:-/usr/bin/chromium}"
export PUPPETEER_SKIP_DOWNLOAD=1
work=$(mktemp -d "${TMPDIR:-/tmp}/folio-ace.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0
n=0
for f in "$@"; do
  n=$((n + 1))
  if [[ ! -f "$f" ]]; then echo "ace: FAIL $f: no such file"; failed=1; continue; fi
  out="$work/$n"
  log=$("$FOLIO_ACE" --silent --force --outdir "$out" --tempdir "$work/tmp-$n" "$f" 2>&1)
  if [[ ! -f "$out/report.json" ]]; then
    echo "ace: FAIL $f: no report"
    printf '%s\n' "$log" | sed 's/^/  /'
    failed=1
    continue
  fi
  # One line per violation: rule (impact) document: element.
  violations=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const doc of r.assertions || []) {
      for (const a of doc.assertions || []) {
        const t = a["earl:test"] || {}, res = a["earl:result"] || {};
        const html = (res.html || "").replace(/\s+/g, " ").slice(0, 160);
        console.log(`${t["dct:title"]} (${t["earl:impact"]}) ${doc["earl:testSubject"].url}: ${html}`);
      }
    }
    // Ace only lists missing discovery metadata and conformance claim: folio requires them.
    for (const m of (r["a11y-metadata"] || {}).missing || []) {
      if (m.startsWith("schema:") || m === "dcterms:conformsTo") console.log(`metadata-missing (serious) package: ${m}`);
    }' "$out/report.json")
  if [[ -n "$violations" ]]; then
    echo "ace: FAIL $f ($(printf '%s\n' "$violations" | wc -l) violations)"
    printf '%s\n' "$violations" | sed 's/^/  /'
    failed=1
  else
    echo "ace: ok $f"
  fi
done
exit $failed
