#!/usr/bin/env bash
# pdf-check.sh FILE.pdf...  — qpdf --check must exit 0; pdffonts must report every font embedded;
# pdftotext must extract some text.
set -uo pipefail
(($#)) || { echo "usage: $0 FILE.pdf..." >&2; exit 2; }
for t in qpdf pdffonts pdftotext; do command -v $t >/dev/null || { echo "pdf-check: $t not installed" >&2; exit 2; }; done
failed=0
for f in "$@"; do
  bad=()
  if [[ ! -f "$f" ]]; then echo "pdf-check: FAIL $f: no such file"; failed=1; continue; fi
  q=$(qpdf --check "$f" 2>&1); rc=$?
  ((rc == 0)) || bad+=("qpdf --check exit $rc:" "$q")
  fo=$(pdffonts "$f" 2>&1); rc=$?
  if ((rc != 0)); then
    bad+=("pdffonts exit $rc:" "$fo")
  else
    # rows after the ---- rule: name type encoding emb sub uni object ID; emb is 5th field from the end.
    notemb=$(printf '%s\n' "$fo" | awk 'seen && NF >= 7 && $(NF-4) != "yes" { print } /^-----/ { seen = 1 }')
    [[ -z "$notemb" ]] || bad+=("fonts not embedded:" "$notemb")
  fi
  txt=$(pdftotext -enc UTF-8 "$f" - 2>&1); rc=$?
  if ((rc != 0)); then bad+=("pdftotext exit $rc:" "$txt")
  # grep, not ${txt//…}: bash's substitution takes minutes on the text of a thousand pages.
  elif ! grep -q '[^[:space:]]' <<<"$txt"; then bad+=("pdftotext extracted no text"); fi
  if ((${#bad[@]})); then
    echo "pdf-check: FAIL $f"; printf '%s\n' "${bad[@]}" | sed 's/^/  /'; failed=1
  else
    echo "pdf-check: ok $f"
  fi
done
exit $failed
