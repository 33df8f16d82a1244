#!/usr/bin/env bash
# Eleventy 2 itself as the reference (shared/docs/validators.md, "Eleventy itself as the
# reference"): builds a copy of each shared corpus with the site's own Eleventy, each page
# without its layout, and saves what Eleventy prints with `--to=json` as
#   ${FOLIO_TOOLS}/eleventy/<corpus>.json
# which tests/eleventy_oracle.rs compares folio's model with.
#
# Usage: eleventy.sh [CORPUS…]   (default: every folder of ../shared/corpus beside the repo)
#
# Idempotent and cached: a corpus is rebuilt only when its files, this script or the Node
# version change (key: sha256 of them all), so a warm run takes about a second. The copy's
# node_modules is kept across rebuilds and reinstalled only when the package.json changes.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CORPORA="$REPO/../shared/corpus"
FOLIO_TOOLS="${FOLIO_TOOLS:-$HOME/.cache/folio-tools}"
OUT="$FOLIO_TOOLS/eleventy"
SCRIPT="$REPO/tests/validators/eleventy.sh"

log() { printf '[folio-tools] eleventy: %s\n' "$*" >&2; }
die() { printf '[folio-tools] ERROR: eleventy: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }

# sha256 of every file of a folder (path and content, in a stable order).
tree_hash() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

# The cache key of a corpus: its files, this script (how the copy is prepared) and Node.
corpus_key() {
  { tree_hash "$1"; sha256sum <"$SCRIPT"; node --version; } | sha256sum | cut -d' ' -f1
}

# Empties the copy but for node_modules, then copies the corpus into it. The corpus is
# read-only: its modes are not kept (the copy is edited), its timestamps are (Eleventy dates
# pages by them). Folders named site-config hold the site's Eleventy configuration, which the
# site's build lays over the top of the folder (franceconnect's SOURCE.md).
prepare_copy() {
  local src=$1 site=$2
  mkdir -p "$site"
  find "$site" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
  cp -R --preserve=timestamps "$src/." "$site/"
  find "$site" -path "$site/node_modules" -prune -o -exec chmod u+w {} +
  if [[ -d "$site/site-config" ]]; then
    cp -R --preserve=timestamps "$site/site-config/." "$site/"
    rm -rf "$site/site-config"
  fi
  rm -f "$site/package-lock.json" "$site/npm-shrinkwrap.json" "$site/yarn.lock" "$site/pnpm-lock.yaml"
}

# The sites' eleventy-img pulls an older sharp whose install script downloads a binary from a
# code host; sharp 0.33 ships its binary as npm packages.
pin_sharp() {
  node -e '
    const fs = require("fs"), file = process.argv[1];
    const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    pkg.overrides = { ...(pkg.overrides || {}), sharp: "0.33.5" };
    fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
  ' "$1/package.json"
}

# npm install in DIR/site, skipped when its node_modules was installed from this very
# package.json (and Node).
install_modules() {
  local name=$1 site="$2/site" npm_log="$2/npm.log" stamp want t0
  stamp="$site/node_modules/.folio-install-key"
  want=$({ sha256sum <"$site/package.json"; node --version; } | sha256sum | cut -d' ' -f1)
  if [[ -f "$stamp" && $(cat "$stamp") == "$want" && -f "$site/node_modules/@11ty/eleventy/package.json" ]]; then
    log "$name: node_modules up to date"
    return
  fi
  t0=$(now)
  log "$name: npm install (log: $npm_log)"
  rm -f "$stamp"
  if ! (cd "$site" && npm install --no-audit --no-fund --ignore-scripts) >"$npm_log" 2>&1; then
    tail -n 30 "$npm_log" >&2
    die "$name: npm install failed (full log: $npm_log)"
  fi
  [[ -f "$site/node_modules/@11ty/eleventy/package.json" ]] || die "$name: @11ty/eleventy missing after npm install"
  echo "$want" >"$stamp"
  log "$name: npm install done in $(( $(now) - t0 ))s"
}

# The site's global data folder, as Eleventy resolves it from the site's configuration (the
# configuration may print lines of its own: the answer is the marked one).
data_dir() {
  local answer
  answer=$(cd "$1" && node -e '
    const Eleventy = require("@11ty/eleventy");
    (async () => {
      const e = new Eleventy();
      await e.init();
      console.log("folio-data-dir=" + e.templateData.getDataDir());
    })().catch((err) => { console.error(err); process.exit(1); });
  ') || return 1
  answer=$(grep '^folio-data-dir=' <<<"$answer" | tail -n 1)
  [[ -n "$answer" ]] || return 1
  echo "${answer#folio-data-dir=}"
}

# Replaces each global data file that fetches over the network with an empty list: the build
# must not depend on the network, and what such data shows is not page content.
drop_network_data() {
  local name=$1 data=$2 file
  [[ -d "$data" ]] || return 0
  while IFS= read -r -d '' file; do
    if grep -Eq '@11ty/eleventy-fetch|(^|[^[:alnum:]_$])fetch[[:space:]]*\(' "$file"; then
      log "$name: network data ${file#"$data"/} replaced by an empty list"
      echo 'module.exports = [];' >"$file"
    fi
  done < <(find "$data" -type f \( -name '*.js' -o -name '*.cjs' \) -print0)
}

# Computed data comes last in the cascade: with it no page gets a layout, so each item's
# `content` is the page's own rendering, not the site's chrome around it.
no_layouts() {
  local name=$1 data=$2 existing
  mkdir -p "$data"
  existing=$(find "$data" -maxdepth 1 -name 'eleventyComputed.*' -print -quit)
  [[ -z "$existing" ]] || die "$name: the site already has $existing; merging it with { layout: false } is not supported"
  echo 'module.exports = { layout: false };' >"$data/eleventyComputed.js"
}

# Runs Eleventy in DIR/site and keeps the JSON array it prints (lines such as
# `[11ty/eleventy-base-blog] Excluding drafts.` may come before it).
run_eleventy() {
  local name=$1 site="$2/site" json=$3 raw="$2/eleventy.out" err="$2/eleventy.log"
  if ! (cd "$site" && npx --no-install @11ty/eleventy --to=json) >"$raw" 2>"$err"; then
    tail -n 40 "$err" >&2
    die "$name: Eleventy failed (stderr: $err, stdout: $raw)"
  fi
  node -e '
    const fs = require("fs"), [raw, json] = process.argv.slice(1);
    const lines = fs.readFileSync(raw, "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith("[")) continue;
      let items;
      try { items = JSON.parse(lines.slice(i).join("\n")); } catch { continue; }
      if (!Array.isArray(items) || !items.every((x) => "url" in x && "inputPath" in x && "content" in x)) continue;
      fs.writeFileSync(json + ".tmp", JSON.stringify(items));
      fs.renameSync(json + ".tmp", json);
      console.log(items.length);
      process.exit(0);
    }
    console.error("no JSON array of pages in " + raw);
    process.exit(1);
  ' "$raw" "$json" || die "$name: Eleventy printed no JSON array of pages (stdout: $raw)"
}

# Brings <corpus>.json up to date.
build_corpus() {
  local name=$1 src="$CORPORA/$1" dir="$OUT/$1" key data t0 pages
  local json="$OUT/$name.json" keyfile="$OUT/$name.key"
  [[ -f "$src/package.json" ]] || die "$name: $src has no package.json"
  key=$(corpus_key "$src")
  if [[ -f "$json" && -f "$keyfile" && $(cat "$keyfile") == "$key" ]]; then
    log "$name: up to date ($json)"
    return
  fi
  t0=$(now)
  rm -f "$json" "$keyfile"
  prepare_copy "$src" "$dir/site"
  pin_sharp "$dir/site"
  install_modules "$name" "$dir"
  data="$dir/site/$(data_dir "$dir/site")" ||
    die "$name: Eleventy could not read the site's configuration (if its node_modules is damaged: rm -rf $dir/site/node_modules)"
  drop_network_data "$name" "$data"
  no_layouts "$name" "$data"
  log "$name: running Eleventy (log: $dir/eleventy.log)"
  pages=$(run_eleventy "$name" "$dir" "$json")
  echo "$key" >"$keyfile"
  log "$name: $pages outputs in $(( $(now) - t0 ))s -> $json"
}

command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed (Node 20)"
if [[ ! -d "$CORPORA" ]]; then
  log "no shared corpora at $CORPORA: nothing to build"
  exit 0
fi
mkdir -p "$OUT"
if (($#)); then
  names=("$@")
else
  names=()
  for d in "$CORPORA"/*/; do
    if [[ -f "$d/package.json" ]]; then names+=("$(basename "$d")"); fi
  done
fi

# The corpora build side by side (each npm install is mostly waiting on the registry).
pids=()
for name in "${names[@]}"; do
  build_corpus "$name" &
  pids+=("$!")
done
failed=0
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || { log "${names[$i]}: FAILED"; failed=1; }
done
((failed == 0)) || die "some corpora could not be built (see above)"
log "ready: FOLIO_ELEVENTY=$OUT"
