//! The hostile corpus, end to end: `tests/fixtures/hostile/` (every way a page can be wrong)
//! plus pages too big to commit, generated into a scratch copy, built once through the `folio`
//! binary in every format. Each test checks one promise of that single build.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Peak memory the whole build may use.
const MAX_RSS_BYTES: u64 = 1 << 30;

/// Pages reported as errors, with the code that says why: `leak.md` (outside the content)
/// is refused, the others are published, their bad bytes or front matter left out.
const REFUSED: &[(&str, &str)] = &[
    ("invalid-utf8.md", "source/invalid-utf8"),
    ("leak.md", "source/outside"),
    ("bad-yaml.md", "front-matter/invalid-yaml"),
    ("duplicate-yaml-key.md", "front-matter/invalid-yaml"),
    ("front-matter-list.md", "front-matter/invalid-yaml"),
    ("no-closing-fence.md", "front-matter/unclosed"),
];

/// Published pages with something wrong in them: (file, code) for each problem.
const REPAIRED: &[(&str, &str)] = &[
    ("duplicate-b.md", "page/duplicate-key"),
    ("empty.md", "front-matter/missing-title"),
    ("ill-typed.md", "front-matter/ill-typed"),
    ("deep-quotes.md", "markdown/too-deep"),
    ("deep-lists.md", "markdown/too-deep"),
    ("generated/deep-containers.md", "container/too-deep"),
    ("generated/deep-html.md", "dita/nested-quote"),
    ("unclosed-containers.md", "container/unclosed"),
    ("unclosed-containers.md", "container/unknown"),
    ("unclosed-containers.md", "html/unclosed"),
    ("hostile-html.md", "html/dropped"),
    ("hostile-html.md", "link/unsafe-scheme"),
    ("hostile-links.md", "html/dropped"),
    ("hostile-links.md", "link/unsafe-scheme"),
    ("unknown-nunjucks.md", "nunjucks/undefined"),
    ("unknown-nunjucks.md", "nunjucks/eval-failed"),
    ("unknown-nunjucks.md", "nunjucks/syntax"),
    ("unknown-nunjucks.md", "nunjucks/unknown-component"),
    ("unknown-nunjucks.md", "nunjucks/bad-arguments"),
    ("invalid-mermaid.md", "diagram/invalid"),
    ("missing-image.md", "link/broken"),
    ("corrupt-image.md", "epub/image-unusable"),
    ("corrupt-image.md", "pdf/image"),
    ("huge-image.md", "epub/image-unusable"),
    ("huge-image.md", "pdf/image"),
    ("escaping-image.md", "asset/outside"),
    ("symlink-image.md", "asset/outside"),
    ("outside-paths.md", "asset/outside"),
    ("outside-paths.md", "link/broken"),
    ("outside-paths.md", "link/unsafe-scheme"),
    ("control-chars.md", "epub/invalid-char"),
    ("control-chars.md", "dita/invalid-xml-char"),
    ("control-chars.md", "pdf/control-char"),
    ("deep-quotes.md", "pdf/too-deep"),
];

struct Built {
    out: PathBuf,
    status: Option<i32>,
    stderr: String,
    report: Value,
    /// Peak resident set of the `folio` process, in bytes.
    peak_rss: u64,
}

/// The one build every test of this file reads.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let content = common::scratch("hostile-content");
        copy_tree(&common::root().join("tests/fixtures/hostile"), &content);
        generate_big_pages(&content.join("generated"));
        let out = common::scratch("hostile-out");
        let stderr_path = out.with_extension("stderr");
        let stderr_file = std::fs::File::create(&stderr_path).expect("stderr file");
        let child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["build", "--quiet", "--jobs", "2", "--content"])
            .arg(&content)
            .arg("--out")
            .arg(&out)
            .current_dir(&content)
            .env("SOURCE_DATE_EPOCH", "1709294400")
            .stdout(std::process::Stdio::null())
            .stderr(stderr_file)
            .spawn()
            .expect("folio starts");
        let (status, peak_rss) = wait_with_peak_rss(child);
        let stderr = std::fs::read_to_string(&stderr_path).expect("stderr");
        let report = serde_json::from_slice(&std::fs::read(out.join("report.json")).expect("report.json"))
            .expect("report is json");
        Built { out, status, stderr, report, peak_rss }
    })
}

/// Waits for `child` with `wait4`, which hands back that very process's resource usage: its
/// peak RSS, whatever else the test process runs at the same time.
fn wait_with_peak_rss(child: std::process::Child) -> (Option<i32>, u64) {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value, and `wait4` writes only into the two
    // locals it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed: {}", std::io::Error::last_os_error());
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // Linux reports ru_maxrss in kilobytes.
    (code, usage.ru_maxrss as u64 * 1024)
}

/// Copies a folder, keeping symbolic links as links (the fixture's escaping links must stay
/// links, never become copies of what they point at).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture").flatten() {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().expect("file type");
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&src).expect("read link"), &dst).expect("symlink");
        } else if kind.is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}

/// Pages too big to commit: a 6 MB page and nesting 20,000 deep, in containers and in HTML.
fn generate_big_pages(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("huge-page.md"), huge_page(6 << 20, visible_bytes())).expect("write huge page");
    let mut containers = String::from("---\nkey: deep-containers\ntitle: Conteneurs imbriqués\n---\n\n");
    containers.push_str(&"::: callout\n".repeat(20_000));
    containers.push_str("Au fond des conteneurs.\n");
    containers.push_str(&":::\n".repeat(20_000));
    std::fs::write(dir.join("deep-containers.md"), containers).expect("write");
    let mut html = String::from("---\nkey: deep-html\ntitle: HTML imbriqué\n---\n\n");
    html.push_str(&"<div><blockquote>".repeat(20_000));
    html.push_str("Au fond du HTML.");
    html.push_str(&"</blockquote></div>".repeat(20_000));
    html.push_str("\n\nEmphase : ");
    html.push_str(&"*_".repeat(10_000));
    html.push('x');
    html.push_str(&"_*".repeat(10_000));
    html.push_str("\n\nCrochets : ");
    html.push_str(&"[".repeat(20_000));
    html.push_str(&"](x)".repeat(20_000));
    html.push('\n');
    std::fs::write(dir.join("deep-html.md"), html).expect("write");
}

/// Bytes of the 6 MB page that are printed; the rest is commented-out drafts, which the
/// reader must scan but no exporter receives. `FOLIO_HOSTILE_VISIBLE_BYTES` raises it (6291456:
/// all of it, about 2,000 printed pages in one chapter), to check that a chapter that long
/// still stays under the memory bound; it is left small by default to keep the suite fast.
fn visible_bytes() -> usize {
    std::env::var("FOLIO_HOSTILE_VISIBLE_BYTES").ok().and_then(|v| v.parse().ok()).unwrap_or(256 << 10)
}

/// A realistic page of at least `size` bytes, `visible` of them published: sections with a
/// heading, paragraphs, a list, now and then a table, each followed by the commented-out draft
/// of an older version (headings, paragraphs and lists inside `<!-- … -->`). Deterministic.
fn huge_page(size: usize, visible: usize) -> String {
    const WORDS: &[&str] = &[
        "le",
        "fournisseur",
        "de",
        "service",
        "transmet",
        "une",
        "demande",
        "d'authentification",
        "au",
        "serveur",
        "qui",
        "vérifie",
        "l'identité",
        "l'usager",
        "et",
        "renvoie",
        "un",
        "jeton",
        "signé",
        "avec",
        "les",
        "données",
        "demandées",
        "selon",
        "périmètre",
        "accordé",
        "lors",
        "l'habilitation",
        "du",
        "projet",
    ];
    let mut n = 0usize;
    let mut sentence = |len: usize| {
        let words: Vec<&str> = (0..len).map(|i| WORDS[(n * 7 + i * 13 + i / 3) % WORDS.len()]).collect();
        n += 1;
        let mut s = words.join(" ");
        s[..1].make_ascii_uppercase();
        s + "."
    };
    let mut section_text = |sentences: usize, n_section: usize| {
        let mut text = String::new();
        for _ in 0..2 {
            text.push_str(&(0..sentences).map(|i| sentence(8 + i % 9)).collect::<Vec<_>>().join(" "));
            text.push_str("\n\n");
        }
        for i in 0..5 {
            text.push_str(&format!("- point {i} : {}\n", sentence(6)));
        }
        text.push('\n');
        if n_section.is_multiple_of(10) {
            text.push_str("| clé | valeur | remarque |\n| --- | --- | --- |\n");
            for i in 0..8 {
                text.push_str(&format!("| k{i} | {} | {} |\n", sentence(3), sentence(4)));
            }
            text.push('\n');
        }
        text
    };
    let mut page =
        String::from("---\nkey: huge-page\ntitle: Une page de six mégaoctets\nabstract: Elle doit passer.\n---\n\n");
    let sections = visible.div_ceil(2500).max(1);
    let draft_bytes = size.saturating_sub(visible) / sections + 1;
    // A page asked to be all visible gets sections until it reaches its size.
    let mut section = 0;
    while section < sections || page.len() < size.min(visible) {
        section += 1;
        page.push_str(&format!("## Partie {section}\n\n"));
        page.push_str(&section_text(10, section));
        let start = page.len();
        page.push_str(&format!(
            "<!-- Ancienne version de la partie {section}, gardée pour mémoire.\n\n### Brouillon {section}\n\n"
        ));
        while page.len() - start < draft_bytes {
            page.push_str(&section_text(40, 1));
        }
        page.push_str("-->\n\n");
    }
    assert!(page.len() >= size, "the huge page is only {} bytes", page.len());
    page
}

fn diagnostics() -> &'static [Value] {
    built().report["diagnostics"].as_array().expect("diagnostics")
}

fn diagnostics_of<'a>(file: &str, code: &str) -> Vec<&'a Value> {
    diagnostics().iter().filter(|d| d["file"] == file && d["code"] == code).collect()
}

fn corpus() -> &'static Value {
    static CORPUS: OnceLock<Value> = OnceLock::new();
    CORPUS.get_or_init(|| {
        folio::exporters::json::read_json(&std::fs::read(built().out.join("json/corpus.json")).expect("corpus.json"))
            .expect("json")
    })
}

/// Every published page as (key, title).
fn published() -> Vec<(String, String)> {
    corpus()["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| (p["key"].as_str().expect("key").to_string(), p["title"].as_str().expect("title").to_string()))
        .collect()
}

/// Every output file, by path relative to the output folder.
fn files() -> &'static BTreeMap<PathBuf, Vec<u8>> {
    static FILES: OnceLock<BTreeMap<PathBuf, Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| common::tree(&built().out))
}

fn outputs_with(suffix: &str) -> Vec<PathBuf> {
    files().keys().filter(|p| p.to_string_lossy().ends_with(suffix)).map(|p| built().out.join(p)).collect()
}

fn one_output(suffix: &str) -> PathBuf {
    let found = outputs_with(suffix);
    assert_eq!(found.len(), 1, "one {suffix} file expected: {found:?}");
    found[0].clone()
}

/// The text of every entry of a zip archive (the EPUB), by name.
fn unzip_text(path: &Path) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).expect("epub")).expect("zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read entry");
            (entry.name().to_string(), String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

/// XML-escaped, as a title appears in a chapter or topic.
fn xml_escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_build_exits_1_without_a_panic() {
    let b = built();
    assert_eq!(b.status, Some(1), "errors exit 1; stderr:\n{}", b.stderr);
    assert!(!b.stderr.contains("panicked"), "{}", b.stderr);
    for (format, f) in b.report["formats"].as_object().expect("formats") {
        assert_eq!(f["ok"], true, "{format} failed: {}", f["error"]);
    }
    assert_eq!(b.report["formats"].as_object().expect("formats").len(), 5, "every format ran");
}

#[test]
fn every_refused_page_is_reported_as_an_error_with_file_and_line() {
    for (file, code) in REFUSED {
        let found = diagnostics_of(file, code);
        assert!(!found.is_empty(), "no {code} for {file}");
        for d in found {
            assert_eq!(d["severity"], "error", "{d}");
            let line = d["line"].as_u64().expect("line");
            assert!(line >= 1, "{code} for {file} has no line: {d}");
            assert!(built().stderr.contains(&format!("{file}:{line}")), "stderr does not point at {file}:{line}");
        }
    }
}

#[test]
fn every_repaired_page_is_reported_with_file_and_line() {
    let missing: Vec<String> = REPAIRED
        .iter()
        .filter(|(file, code)| !diagnostics_of(file, code).iter().any(|d| d["line"].as_u64().is_some_and(|l| l >= 1)))
        .map(|(file, code)| format!("{file}: {code}"))
        .collect();
    assert!(missing.is_empty(), "not reported with a line: {missing:?}");
}

#[test]
fn refused_pages_are_absent_and_every_other_page_is_in_the_model() {
    let keys: Vec<String> = published().into_iter().map(|(k, _)| k).collect();
    assert!(!keys.contains(&"leak".to_string()), "leak should have been refused");
    for key in [
        "invalid",
        "bad-yaml",
        "duplicate-yaml-key",
        "front-matter-list",
        "no-closing-fence",
        "healthy",
        "bom-crlf",
        "twin",
        "twin-2",
        "empty",
        "deep-quotes",
        "deep-lists",
        "deep-containers",
        "deep-html",
        "huge-page",
        "hostile-html",
        "hostile-links",
        "control-chars",
        "xml-breaking",
        "long-words",
        "wide-table",
        "unknown-nunjucks",
        "invalid-mermaid",
        "corrupt-image",
        "missing-image",
        "huge-image",
        "outside-paths",
        "escaping-image",
        "symlink-image",
        "ill-typed",
        "unclosed-containers",
    ] {
        assert!(keys.contains(&key.to_string()), "{key} missing from the model: {keys:?}");
    }
}

#[test]
fn every_published_page_has_its_epub_chapter() {
    let epub = unzip_text(&one_output(".epub"));
    let chapters: String = epub
        .iter()
        .filter(|(n, _)| n.ends_with(".xhtml") && !n.ends_with("nav.xhtml"))
        .map(|(_, t)| t.as_str())
        .collect();
    for (key, title) in published() {
        assert!(chapters.contains(&xml_escaped(&clean(&title))), "{key}: no chapter titled {title:?}");
    }
}

#[test]
fn every_published_page_has_its_dita_topic() {
    let topics: String = outputs_with(".dita").iter().map(|p| std::fs::read_to_string(p).expect("topic")).collect();
    for (key, title) in published() {
        assert!(topics.contains(&xml_escaped(&clean(&title))), "{key}: no topic titled {title:?}");
    }
}

#[test]
fn every_published_page_has_its_jsonld_graph() {
    let graphs: Vec<Value> = outputs_with(".jsonld")
        .iter()
        .filter(|p| p.to_string_lossy().contains("/pages/"))
        .map(|p| serde_json::from_slice(&std::fs::read(p).expect("jsonld")).expect("jsonld is json"))
        .collect();
    let text = graphs.iter().map(Value::to_string).collect::<String>();
    for (key, title) in published() {
        let quoted = serde_json::to_string(&title).expect("json string");
        assert!(text.contains(&quoted), "{key}: no JSON-LD names {title:?}");
    }
    assert_eq!(graphs.len(), published().len(), "one graph per page");
}

#[test]
fn every_published_page_is_printed_in_the_pdf() {
    if !common::validator_available("command -v pdftotext") {
        return;
    }
    let out =
        Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(one_output(".pdf")).arg("-").output().expect("pdftotext");
    assert!(out.status.success());
    let text = squeeze(&String::from_utf8_lossy(&out.stdout));
    for (key, title) in published() {
        let first_words: String = squeeze(&clean(&title)).split(' ').take(3).collect::<Vec<_>>().join(" ");
        assert!(text.contains(&first_words), "{key}: {first_words:?} not printed");
    }
}

/// Titles as the XML formats write them: without the characters XML 1.0 forbids.
fn clean(title: &str) -> String {
    title
        .chars()
        .filter(|c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

#[test]
fn no_output_holds_a_byte_of_a_file_outside_the_assets() {
    let mut secrets = vec!["root:x:0:0".to_string()];
    let hostname = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let hostname = hostname.trim();
    // A short host name could appear by chance; only a distinctive one is a proof.
    if hostname.len() >= 8 {
        secrets.push(hostname.to_string());
    }
    for (path, bytes) in files() {
        let text = String::from_utf8_lossy(bytes);
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{} embeds {secret:?} from outside the assets", path.display());
        }
        for name in ["evil.png", "passwd", "hostname"] {
            assert!(!path.to_string_lossy().ends_with(name), "{} was copied", path.display());
        }
    }
}

#[test]
fn the_drafts_commented_out_in_the_huge_page_publish_nothing() {
    let huge =
        corpus()["pages"].as_array().expect("pages").iter().find(|p| p["key"] == "huge-page").expect("huge page");
    let text = huge.to_string();
    assert!(text.contains("Partie 1") && !text.contains("Brouillon") && !text.contains("Ancienne version"));
    for (path, bytes) in files() {
        assert!(!String::from_utf8_lossy(bytes).contains("Brouillon"), "{} publishes a draft", path.display());
    }
}

#[test]
fn no_jsonld_snippet_can_be_closed_early_by_page_text() {
    for path in outputs_with(".html") {
        let html = std::fs::read_to_string(&path).expect("snippet").to_lowercase();
        assert_eq!(html.matches("</script").count(), 1, "{}", path.display());
    }
}

#[test]
fn the_image_claiming_30000_by_30000_pixels_is_refused_by_the_pixel_limit() {
    for code in ["epub/image-unusable", "pdf/image"] {
        let found = diagnostics_of("huge-image.md", code);
        assert!(
            found
                .iter()
                .any(|d| d["message"].as_str().is_some_and(|m| m.contains("30000×30000") && m.contains("limit"))),
            "{code} does not name the pixel limit: {found:?}"
        );
    }
}

#[test]
fn peak_memory_stays_under_1_gb() {
    let b = built();
    eprintln!("hostile build: peak RSS {} MB", b.peak_rss >> 20);
    assert!(b.peak_rss > 0, "no RSS measured");
    assert!(b.peak_rss < MAX_RSS_BYTES, "peak RSS {} MB", b.peak_rss >> 20);
}

#[test]
fn epubcheck_accepts_the_hostile_book() {
    let probe = "source \"${FOLIO_TOOLS:-$HOME/.cache/folio-tools}/env.sh\" 2>/dev/null; test -f \"$FOLIO_EPUBCHECK_JAR\" && command -v java";
    if common::validator_available(probe) {
        common::run_validator("epubcheck.sh", &[&one_output(".epub")]);
    }
}

#[test]
fn every_dita_topic_and_map_is_valid_against_the_dtds() {
    if !common::validator_available("command -v xmllint && test -f /usr/share/dita-ot/catalog-dita.xml") {
        return;
    }
    let mut paths = outputs_with(".dita");
    paths.extend(outputs_with(".ditamap"));
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    common::run_validator("dita-validate.sh", &refs);
}

#[test]
fn the_pdf_passes_qpdf_and_embeds_every_font() {
    if common::validator_available("command -v pdftotext && command -v qpdf && command -v pdffonts") {
        common::run_validator("pdf-check.sh", &[&one_output(".pdf")]);
    }
}

#[test]
fn every_jsonld_file_passes_pyld_and_schemaorg_validate() {
    let probe = r#". "${FOLIO_TOOLS:-$HOME/.cache/folio-tools}/env.sh" && test -x "$FOLIO_SCHEMAORG_VALIDATE" && test -f "$FOLIO_SCHEMAORG_CONTEXT" && "$FOLIO_PYTHON" -c 'import pyld'"#;
    if !common::validator_available(probe) {
        return;
    }
    let paths = outputs_with(".jsonld");
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    common::run_validator("jsonld-check.py", &refs);
}
