//! The source → model stage of the fidelity report, checked against a count written apart from
//! it: the test reads the source files itself (front matter, Nunjucks, then Markdown through
//! pulldown-cmark and HTML through a tag stripper of its own), reads the model back from
//! `json/corpus.json`, and compares both as multisets of words. The report's figure must agree
//! with it within half a point on each shared corpus.

mod common;

use folio::assets::AssetStore;
use folio::model::SiteMeta;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

type Bag = BTreeMap<String, usize>;

// ---------------------------------------------------------------- spec tests on small inputs

fn audit_of(rel: &str, source: &str) -> folio::source_audit::PageAudit {
    let read = folio::reader::read_sources(
        &[(rel.to_string(), source.as_bytes().to_vec())],
        &AssetStore::empty(),
        SiteMeta::default(),
    );
    assert_eq!(read.source_audit.len(), 1, "one page, one audit");
    read.source_audit.into_iter().next().expect("audit")
}

#[test]
fn a_page_with_nothing_lost_is_found_whole() {
    let page = "---\ntitle: Étapes d'intégration\n---\n# Préparer\n\n\
                Un [lien](https://a.fr/x) et ![Logo FC](/l.png).\n\n<div class=\"fr-callout\">\n\
                <p>Texte <b>gras</b> &eacute;t&eacute;.</p>\n</div>\n\n```json\n{\"a\": 1}\n```\n";
    let audit = audit_of("a.md", page);
    assert_eq!(audit.words, 14, "{audit:?}");
    assert_eq!(audit.found, audit.words, "{audit:?}");
    assert!(audit.losses.is_empty(), "{audit:?}");
}

#[test]
fn an_html_block_that_loses_a_sibling_paragraph_shows_the_loss_at_its_line() {
    // The model is built by hand for this one: it holds the first paragraph of the block and
    // not the second, as a reader that drops a sibling `<p>` would leave it.
    let text = "---\ntitle: Titre\n---\nIntro.\n\n<div class=\"fr-alert\">\n<p>Premier paragraphe gardé</p>\n\
                <p>Second paragraphe perdu ici</p>\n</div>\n";
    let body_offset = text.find("Intro").expect("body");
    let paragraph = |s: &str, line| {
        folio::model::Block::Paragraph(folio::model::ParagraphBlock {
            pos: folio::model::Pos { line, col: 1 },
            content: vec![folio::model::Inline::Text(s.into())],
        })
    };
    let (parsed, _) = folio::reader::parse_page("p.md", text.as_bytes());
    let Some(folio::reader::Parsed::Page(mut page)) = parsed else { panic!("a page") };
    page.blocks = vec![paragraph("Intro.", 4), paragraph("Premier paragraphe gardé", 7)];
    let line_of = |offset: usize| folio::model::Pos { line: text[..offset].matches('\n').count() as u32 + 1, col: 1 };
    let audit = folio::source_audit::audit_page(text, body_offset, true, &[], &page, &line_of);
    assert_eq!((audit.words, audit.found), (9, 5), "{audit:?}");
    assert_eq!(audit.losses.len(), 1, "{audit:?}");
    assert_eq!((audit.losses[0].line, audit.losses[0].missing), (8, 4), "{audit:?}");
    assert_eq!(audit.losses[0].words, "second paragraphe perdu ici");
}

#[test]
fn the_reader_keeps_every_paragraph_of_an_html_block_and_the_audit_says_so() {
    let page = "---\ntitle: Titre\n---\nIntro.\n\n<div class=\"fr-alert\">\n<p>Premier paragraphe gardé</p>\n\
                <p>Second paragraphe ici</p>\n</div>\n";
    let audit = audit_of("p.md", page);
    assert_eq!((audit.words, audit.found), (8, 8), "{audit:?}");
}

#[test]
fn a_word_the_model_lacks_is_placed_at_its_rendered_line() {
    // A dropped `<form>` (html/dropped): its label is text a reader of the site sees.
    let page =
        "---\ntitle: Titre\n---\nAvant.\n\n<form action=\"/x\">\n<label>Votre courriel</label>\n</form>\n\nAprès.\n";
    let audit = audit_of("f.md", page);
    assert_eq!(audit.words - audit.found, 2, "{audit:?}");
    assert_eq!(audit.losses.first().map(|l| (l.line, l.words.as_str())), Some((7, "votre courriel")), "{audit:?}");
}

// ---------------------------------------------------------------- the shared corpora

fn corpus_dir(name: &str) -> Option<PathBuf> {
    let dir = common::root().join("../shared/corpus").join(name);
    if dir.join("content").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("../shared/corpus/{name} is missing, and CI=true requires it");
    }
    eprintln!("skipped: ../shared/corpus/{name} is not beside the project");
    None
}

/// Builds the JSON format of a shared corpus; returns its report and its corpus.json.
fn build_json(name: &str, dir: &Path) -> (serde_json::Value, serde_json::Value) {
    let out = common::scratch(&format!("source-audit-{name}"));
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("build")
        .args(["--format", "json", "--quiet", "--jobs", "2"])
        .arg("--content")
        .arg(dir.join("content"))
        .arg("--assets")
        .arg(dir.join("public"))
        .arg("--out")
        .arg(&out)
        .current_dir(&out)
        .env("SOURCE_DATE_EPOCH", "1709294400")
        .output()
        .expect("folio runs");
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(
            &std::fs::read(p)
                .unwrap_or_else(|e| panic!("{}: {e}\n{}", p.display(), String::from_utf8_lossy(&output.stderr))),
        )
        .expect("json")
    };
    (read(&out.join("report.json")), read(&out.join("json/corpus.json")))
}

/// The independent figure of one corpus, with its totals.
struct Independent {
    words: usize,
    found: usize,
    pages: BTreeMap<String, (usize, usize)>,
}

impl Independent {
    fn percent(&self) -> f64 {
        self.found as f64 * 100.0 / self.words.max(1) as f64
    }
}

fn independent(dir: &Path, corpus: &serde_json::Value) -> Independent {
    let models: BTreeMap<String, Bag> = corpus["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| (p["source"].as_str().expect("source").to_string(), model_bag(p)))
        .collect();
    // Pages the site's JavaScript keeps out of the build (a draft's computed `permalink: false`)
    // are records; Eleventy builds them nowhere either (tests/eleventy_oracle.rs holds that).
    let records: Vec<&str> =
        corpus["records"].as_array().expect("records").iter().filter_map(|r| r["source"].as_str()).collect();
    let mut result = Independent { words: 0, found: 0, pages: BTreeMap::new() };
    for (rel, path) in sources(&dir.join("content")) {
        if records.contains(&rel.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("utf-8 source");
        let Some(source) = source_bag(&text) else { continue };
        let empty = Bag::new();
        let model = models.get(&rel).unwrap_or(&empty);
        let words: usize = source.values().sum();
        let found: usize = source.iter().map(|(w, n)| (*n).min(model.get(w).copied().unwrap_or(0))).sum();
        if std::env::var("FOLIO_AUDIT_DEBUG").is_ok_and(|p| p == rel) {
            for (w, n) in &source {
                let m = model.get(w).copied().unwrap_or(0);
                if m < *n {
                    eprintln!("{rel}: `{w}` source {n}, model {m}");
                }
            }
        }
        result.words += words;
        result.found += found;
        result.pages.insert(rel, (words, found));
    }
    result
}

fn check_corpus(name: &str) {
    let Some(dir) = corpus_dir(name) else { return };
    let (report, corpus) = build_json(name, &dir);
    let stage = &report["source_to_model"];
    let reported = stage["words_found_percent"].as_f64().expect("source_to_model.words_found_percent");
    let ind = independent(&dir, &corpus);
    let audited: Vec<&str> =
        stage["pages"].as_array().expect("pages").iter().map(|p| p["file"].as_str().expect("file")).collect();
    let counted: Vec<&str> = ind.pages.keys().map(String::as_str).collect();
    assert_eq!(audited, counted, "{name}: the report audits the pages the test counts");
    let losses: Vec<String> = stage["largest_losses"]
        .as_array()
        .expect("losses")
        .iter()
        .take(8)
        .map(|l| {
            format!(
                "{}:{} ({}) {}",
                l["file"].as_str().unwrap_or(""),
                l["line"],
                l["missing"],
                l["words"].as_str().unwrap_or("")
            )
        })
        .collect();
    eprintln!(
        "{name}: report source→model {reported:.2}% of {} words; independent {:.2}% ({} of {} words)\n  {}",
        stage["words_total"],
        ind.percent(),
        ind.found,
        ind.words,
        losses.join("\n  ")
    );
    // Where the two counts disagree most: the first place to look when they drift apart.
    let mut apart: Vec<(i64, String)> = stage["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| {
            let file = p["file"].as_str().expect("file").to_string();
            let lost = p["words"].as_i64().unwrap_or(0) - p["found"].as_i64().unwrap_or(0);
            let (w, f) = ind.pages.get(&file).copied().unwrap_or((0, 0));
            let gap = lost - (w as i64 - f as i64);
            (gap, format!("{file}: report {} lost of {}, independent {} of {w}", lost, p["words"], w - f))
        })
        .filter(|(gap, _)| *gap != 0)
        .collect();
    apart.sort_by_key(|(gap, _)| -gap.abs());
    let apart: Vec<&str> = apart.iter().take(5).map(|(_, s)| s.as_str()).collect();
    eprintln!("  pages where the counts of lost words differ most:\n    {}", apart.join("\n    "));
    assert!(
        (reported - ind.percent()).abs() <= 0.5,
        "{name}: the report says {reported:.2}%, the independent count {:.2}%",
        ind.percent()
    );
    assert!(
        reported >= 99.5,
        "{name}: READER LOSSES: only {reported:.2}% of the source's words reach the model (target 99.5%); \
         largest losses:\n  {}",
        losses.join("\n  ")
    );
}

#[test]
fn franceconnect_source_to_model_matches_the_independent_count() {
    check_corpus("franceconnect");
}

#[test]
fn eleventy_dsfr_source_to_model_matches_the_independent_count() {
    check_corpus("eleventy-dsfr");
}

#[test]
fn cct_mi_source_to_model_matches_the_independent_count() {
    check_corpus("cct-mi");
}

// ---------------------------------------------------------------- the independent count

/// Content-relative path and full path of every `.md` page, names starting with `_` or `.`
/// left out, as Eleventy leaves them out.
fn sources(content: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut pending = vec![content.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("folder").flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('_') || name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let kind = entry.file_type().expect("type");
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() && name.ends_with(".md") {
                let rel = path.strip_prefix(content).expect("inside").to_string_lossy().replace('\\', "/");
                out.push((rel, path));
            }
        }
    }
    out.sort();
    out
}

/// Lower-cased runs of letters and digits.
fn tokens(text: &str, bag: &mut Bag) {
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        *bag.entry(word.to_lowercase()).or_default() += 1;
    }
}

/// The words of a page's source a reader sees, or `None` for a record (`permalink: false`).
fn source_bag(text: &str) -> Option<Bag> {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let mut bag = Bag::new();
    let mut body = text.as_str();
    if let Some(rest) = text.strip_prefix("---\n") {
        let close = rest.find("\n---").map(|n| n + 1).or_else(|| rest.starts_with("---").then_some(0));
        if let Some(close) = close {
            let yaml = &rest[..close];
            let after = &rest[close + 3..];
            body = after.strip_prefix('\n').unwrap_or(after);
            if let Ok(serde_yaml::Value::Mapping(front)) = serde_yaml::from_str::<serde_yaml::Value>(yaml) {
                if front.get("permalink").and_then(serde_yaml::Value::as_bool) == Some(false) {
                    return None;
                }
                match front.get("title") {
                    Some(serde_yaml::Value::String(t)) => tokens(t, &mut bag),
                    Some(serde_yaml::Value::Number(n)) => tokens(&n.to_string(), &mut bag),
                    _ => {}
                }
            }
        }
    }
    let body = lines_shown(&without_nunjucks(body));
    tokens(&markdown_text(&body), &mut bag);
    Some(bag)
}

/// Keys of component arguments whose values are not shown as text.
const HIDDEN_KEYS: &[&str] = &[
    "type",
    "href",
    "url",
    "src",
    "path",
    "pictogram",
    "date",
    "id",
    "class",
    "classes",
    "icon",
    "size",
    "level",
    "target",
    "orientation",
];

/// Nunjucks out: `{# #}` and `{% %}` dropped (the content of `{% raw %}` kept as written);
/// `{{ }}` replaced by its string literals, each its own paragraph, except a component's name
/// and values of keys that are not text (`HIDDEN_KEYS`).
fn without_nunjucks(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find('{') {
        let (before, tag) = rest.split_at(open);
        out.push_str(before);
        if let Some(inner) = tag.strip_prefix("{#") {
            rest = inner.find("#}").map_or("", |n| &inner[n + 2..]);
        } else if let Some(inner) = tag.strip_prefix("{%") {
            let Some(n) = inner.find("%}") else {
                rest = "";
                continue;
            };
            let name = inner[..n].trim_matches(|c: char| c == '-' || c.is_whitespace());
            rest = &inner[n + 2..];
            if name == "raw" {
                let end = find_endraw(rest).unwrap_or((rest.len(), rest.len()));
                out.push_str(&rest[..end.0]);
                rest = &rest[end.1..];
            }
        } else if let Some(inner) = tag.strip_prefix("{{") {
            let (literals, len) = expression_literals(inner);
            for literal in literals {
                out.push_str("\n\n");
                out.push_str(&literal);
                out.push_str("\n\n");
            }
            rest = &inner[len..];
        } else {
            out.push('{');
            rest = &tag[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Where `{% endraw %}` starts and ends in `text`.
fn find_endraw(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(n) = text[from..].find("{%") {
        let start = from + n;
        let close = text[start..].find("%}")? + start;
        if text[start + 2..close].trim_matches(|c: char| c == '-' || c.is_whitespace()) == "endraw" {
            return Some((start, close + 2));
        }
        from = close;
    }
    None
}

/// The string literals of an expression that starts `text` (after `{{`), and the length up to
/// and with its closing `}}`.
fn expression_literals(text: &str) -> (Vec<String>, usize) {
    let bytes = text.as_bytes();
    let mut literals = Vec::new();
    let (mut i, mut depth) = (0, 0usize);
    let mut key = String::new();
    let mut word = String::new();
    let mut component_name = text.trim_start().starts_with("component(");
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'') => {
                let mut literal = String::new();
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != q {
                    let at = if bytes[j] == b'\\' { j + 1 } else { j };
                    let c = text[at.min(text.len() - 1)..].chars().next().expect("char");
                    literal.push(c);
                    j = at + c.len_utf8();
                }
                i = j + 1;
                if std::mem::take(&mut component_name) {
                    continue;
                }
                if !HIDDEN_KEYS.contains(&key.as_str()) {
                    literals.push(literal);
                }
                continue;
            }
            b'{' => depth += 1,
            b'}' if depth == 0 && bytes.get(i + 1) == Some(&b'}') => return (literals, i + 2),
            b'}' => depth = depth.saturating_sub(1),
            b':' => key = std::mem::take(&mut word),
            c if c.is_ascii_alphanumeric() || c == b'_' => word.push(c as char),
            b' ' | b'\t' | b'\n' => {}
            _ => word.clear(),
        }
        i += 1;
    }
    (literals, text.len())
}

/// Line rules outside code fences: container lines keep what they show (a callout's or an
/// alert's title, an accordion's; not a container's name nor a quote's image), and
/// markdown-it-attrs blocks (`{.class}`, `{#id}`) go.
fn lines_shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) && trimmed.chars().all(|c| c == f.chars().next().unwrap_or('`')) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let c = trimmed.chars().next().unwrap_or('`');
            fence = Some(trimmed.chars().take_while(|&x| x == c).collect());
            out.push_str(line);
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix(":::") {
            let rest = rest.trim_start_matches(':').trim();
            let (name, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            out.push('\n');
            if name != "quote" && !args.trim().is_empty() {
                out.push_str(args.trim());
                out.push_str("\n\n");
            }
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("???") {
            let title = rest.trim_start_matches('?').trim();
            out.push('\n');
            if title != "accordionsgroup" {
                out.push_str(title);
                out.push_str("\n\n");
            }
            continue;
        }
        out.push_str(&without_attribute_blocks(line));
    }
    out
}

fn without_attribute_blocks(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find(['{']) {
        let tail = &rest[open..];
        let attrs = matches!(tail.as_bytes().get(1), Some(b'.' | b'#')) && tail.find('}').is_some();
        out.push_str(&rest[..open]);
        if attrs {
            rest = &tail[tail.find('}').expect("brace") + 1..];
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The text pulldown-cmark finds in a Markdown body: text and code as they are; raw HTML
/// through `html_text`; link and image destinations left out (alt text is text events).
fn markdown_text(body: &str) -> String {
    let mut out = String::new();
    let mut indented = false;
    for event in Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                indented = matches!(kind, CodeBlockKind::Indented);
                out.push('\n');
            }
            Event::End(TagEnd::CodeBlock) => {
                indented = false;
                out.push('\n');
            }
            // An indented "code block" in these sites is indented HTML.
            Event::Text(t) if indented => out.push_str(&html_text(&t)),
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Html(h) | Event::InlineHtml(h) => out.push_str(&html_text(&h)),
            Event::SoftBreak | Event::HardBreak | Event::Rule => out.push('\n'),
            Event::End(_) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Text of an HTML fragment: comments, `script` and `style` out, tags out with their `alt` and
/// `title` values kept, character references decoded.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&html_escape::decode_html_entities(&rest[..lt]));
        let tail = &rest[lt..];
        if let Some(comment) = tail.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |n| &comment[n + 3..]);
            continue;
        }
        let lower = tail.get(..8).unwrap_or(tail).to_ascii_lowercase();
        if lower.starts_with("<script") || lower.starts_with("<style") {
            let closer = if lower.starts_with("<script") { "</script>" } else { "</style>" };
            rest = tail.to_ascii_lowercase().find(closer).map_or("", |n| &tail[n + closer.len()..]);
            continue;
        }
        let is_tag = tail[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
        let Some(gt) = tail.find('>').filter(|_| is_tag) else {
            out.push('<');
            rest = &tail[1..];
            continue;
        };
        let tag = &tail[..gt];
        for attr in ["alt=", "title="] {
            let mut from = 0;
            while let Some(n) = tag[from..].find(attr) {
                let at = from + n + attr.len();
                let before = tag.as_bytes()[from + n - 1];
                from = at;
                if !before.is_ascii_whitespace() {
                    continue;
                }
                let q = tag[at..].chars().next().unwrap_or(' ');
                if q == '"' || q == '\'' {
                    if let Some(end) = tag[at + 1..].find(q) {
                        out.push(' ');
                        out.push_str(&html_escape::decode_html_entities(&tag[at + 1..at + 1 + end]));
                        out.push(' ');
                    }
                }
            }
        }
        out.push(' ');
        rest = &tail[gt + 1..];
    }
    out.push_str(&html_escape::decode_html_entities(rest));
    out
}

/// The words of one page of the model, read from its JSON: its title and, in its blocks, the
/// text-bearing strings (text, code, alt, titles, captions, descriptions, summaries, diagram
/// sources), inline runs joined as they read.
fn model_bag(page: &serde_json::Value) -> Bag {
    let mut text = String::new();
    text.push_str(page["title"].as_str().unwrap_or(""));
    text.push('\n');
    model_strings(&page["blocks"], &mut text);
    let mut bag = Bag::new();
    tokens(&text, &mut bag);
    bag
}

const INLINE_TYPES: &[&str] =
    &["text", "code", "emphasis", "strong", "strikethrough", "link", "image", "line_break", "soft_break"];
const TEXT_KEYS: &[&str] = &["value", "text", "alt", "title", "description", "summary", "source", "caption"];
const NESTED_KEYS: &[&str] = &["value", "content", "blocks", "items", "header", "rows", "image", "caption", "title"];

fn model_strings(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Array(items) => {
            for item in items {
                model_strings(item, out);
                if item.is_array() {
                    out.push('\n');
                }
            }
        }
        serde_json::Value::Object(map) => {
            let kind = map.get("type").and_then(|t| t.as_str()).unwrap_or("");
            if matches!(kind, "line_break" | "soft_break") {
                out.push(' ');
                return;
            }
            for (key, v) in map {
                match v {
                    serde_json::Value::String(s) if TEXT_KEYS.contains(&key.as_str()) => {
                        // Inline text runs read on from each other; any other string stands alone.
                        let glued = key == "value" && INLINE_TYPES.contains(&kind);
                        if key == "source" && kind != "diagram" {
                            continue;
                        }
                        if !glued {
                            out.push('\n');
                        }
                        out.push_str(s);
                        if !glued {
                            out.push('\n');
                        }
                    }
                    serde_json::Value::Array(_) | serde_json::Value::Object(_)
                        if NESTED_KEYS.contains(&key.as_str()) =>
                    {
                        model_strings(v, out);
                        // A block's title and its content are read apart.
                        if !kind.is_empty() && !INLINE_TYPES.contains(&kind) {
                            out.push('\n');
                        }
                    }
                    _ => {}
                }
            }
            if !kind.is_empty() && !INLINE_TYPES.contains(&kind) {
                out.push('\n');
            }
        }
        _ => {}
    }
}
