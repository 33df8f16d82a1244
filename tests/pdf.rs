//! The PDF exporter, checked from the outside: validators, extracted text, bookmarks,
//! page numbers, and the layout plan of `content/`.

mod common;

use folio::build::Loaded;
use folio::diagnostics::Diagnostic;
use folio::exporter::Limits;
use folio::exporters::pdf::{render_guides, PdfExporter, RenderedGuide};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn render(loaded: &Loaded) -> (Vec<RenderedGuide>, Vec<Diagnostic>) {
    let options = toml::Table::new();
    let ctx = loaded.context(&options, Limits::default());
    let mut diags = Vec::new();
    let guides = render_guides(&ctx, &mut diags).expect("pdf renders");
    (guides, diags)
}

struct Built {
    loaded: Loaded,
    guide: RenderedGuide,
    diags: Vec<Diagnostic>,
    path: PathBuf,
}

fn build(name: &str, loaded: Loaded) -> Built {
    let (mut guides, diags) = render(&loaded);
    assert_eq!(guides.len(), 1, "the default is one guide");
    let guide = guides.remove(0);
    let path = common::scratch(name).join("guide.pdf");
    std::fs::write(&path, &guide.bytes).unwrap();
    Built { loaded, guide, diags, path }
}

fn sample() -> &'static Built {
    static SAMPLE: OnceLock<Built> = OnceLock::new();
    SAMPLE.get_or_init(|| build("pdf-sample", common::load_sample()))
}

fn real() -> Option<&'static Built> {
    static REAL: OnceLock<Option<Built>> = OnceLock::new();
    REAL.get_or_init(|| common::load_real().map(|l| build("pdf-real", l))).as_ref()
}

fn pdftotext(path: &Path, args: &[&str]) -> String {
    let out = Command::new("pdftotext")
        .args(args)
        .arg("-enc")
        .arg("UTF-8")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn page_text(path: &Path, page: usize) -> String {
    let n = page.to_string();
    pdftotext(path, &["-f", &n, "-l", &n])
}

/// Text with every run of whitespace (no-break spaces included) turned into one space.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn python() -> String {
    std::env::var("FOLIO_PYTHON").unwrap_or_else(|_| {
        let venv = std::env::var("HOME").unwrap_or_default() + "/.cache/folio-tools/venv/bin/python";
        if Path::new(&venv).exists() {
            venv
        } else {
            "python3".to_string()
        }
    })
}

fn poppler_available() -> bool {
    common::validator_available("command -v pdftotext && command -v qpdf && command -v pdffonts")
}

#[test]
fn content_and_real_corpus_guides_pass_qpdf_and_embed_every_font() {
    if !poppler_available() {
        return;
    }
    let mut files = vec![sample().path.clone()];
    files.extend(real().map(|b| b.path.clone()));
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    common::run_validator("pdf-check.sh", &paths);
}

fn outline(path: &Path) -> Vec<serde_json::Value> {
    let script = common::root().join("tests/validators/pdf-outline.py");
    let out = Command::new(python()).arg(script).arg(path).output().expect("python runs");
    assert!(out.status.success(), "pdf-outline.py failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn assert_every_chapter_has_a_bookmark_on_its_title_page(built: &Built) {
    let entries = outline(&built.path);
    for (key, _) in built.guide.chapter_pages() {
        let page = built.loaded.corpus.pages.iter().find(|p| p.key == key).unwrap();
        let entry = entries
            .iter()
            .find(|e| e["depth"] == 1 && e["title"] == page.title.as_str())
            .unwrap_or_else(|| panic!("no bookmark for chapter {:?}", page.title));
        let n = entry["page"].as_u64().unwrap() as usize;
        let text = normalize(&page_text(&built.path, n));
        assert!(
            text.contains(&normalize(&page.title)),
            "bookmark of {:?} leads to page {n}, which does not show it",
            page.title
        );
    }
}

#[test]
fn every_chapter_has_a_bookmark_pointing_at_the_page_of_its_title() {
    if !common::validator_available(&format!("{} -c 'import pypdf'", python())) || !poppler_available() {
        return;
    }
    assert_every_chapter_has_a_bookmark_on_its_title_page(sample());
    if let Some(real) = real() {
        assert_every_chapter_has_a_bookmark_on_its_title_page(real);
    }
}

/// The number printed after `title` in the contents pages: at its first occurrence followed
/// by the leader and a number (a longer entry may start with the same words).
fn printed_number(contents: &str, title: &str) -> Option<usize> {
    contents.match_indices(title).find_map(|(at, _)| {
        let rest = contents.get(at + title.len()..)?;
        let digits: String = rest
            .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    })
}

fn assert_contents_numbers_are_true(built: &Built) {
    let first_part = built.guide.record.spots.get("part:1").unwrap().page;
    let contents: String = (2..first_part)
        .map(|n| pdftotext(&built.path, &["-layout", "-f", &n.to_string(), "-l", &n.to_string()]))
        .collect::<Vec<_>>()
        .join("\n");
    let contents = normalize(&contents);
    let chapters = built.guide.chapter_pages();
    assert!(!chapters.is_empty());
    for (key, _) in chapters {
        let page = built.loaded.corpus.pages.iter().find(|p| p.key == key).unwrap();
        let title = normalize(&page.title);
        let n = printed_number(&contents, &title).unwrap_or_else(|| panic!("{title:?} has no number in the contents"));
        let text = normalize(&page_text(&built.path, n));
        assert!(text.contains(&title), "contents says {title:?} is on page {n}, but that page reads:\n{text}");
    }
}

#[test]
fn every_contents_entry_names_the_page_its_chapter_starts_on() {
    if !poppler_available() {
        return;
    }
    assert_contents_numbers_are_true(sample());
    if let Some(real) = real() {
        assert_contents_numbers_are_true(real);
    }
}

/// The text of the text blocks (running header and footer cropped away, so that they do not
/// cut a word running over a page break), without whitespace, with line-end hyphens between
/// letters and code-wrap markers removed.
fn joined_text(path: &Path) -> String {
    let theme = folio::exporters::pdf::theme::Theme::load(None).unwrap();
    let pt = |mm: f64| (mm * 72.0 / 25.4).round() as i64;
    let top = pt(theme.margin_top + theme.header_height) - 6;
    let bottom = pt(theme.paper_height - theme.margin_bottom) + 3;
    let (y, h) = (top.to_string(), (bottom - top).to_string());
    let raw = pdftotext(path, &["-raw", "-x", "0", "-y", &y, "-W", "2000", "-H", &h]);
    let chars: Vec<char> = raw.replace('↩', "").chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let gap = chars[i + 1..].iter().take_while(|n| n.is_whitespace()).count();
        let at_line_end = chars[i + 1..i + 1 + gap].iter().any(|&n| n == '\n' || n == '\u{c}');
        let between_letters = i > 0
            && chars[i - 1].is_alphabetic()
            && at_line_end
            && chars.get(i + 1 + gap).is_some_and(|n| n.is_alphabetic());
        let dropped = c.is_whitespace() || (c == '-' && between_letters);
        if !dropped {
            out.push(c);
        }
    }
    out
}

#[test]
fn no_word_of_the_real_corpus_is_lost() {
    let Some(real) = real() else { return };
    if !poppler_available() {
        return;
    }
    let haystack = joined_text(&real.path);
    let mut lost = Vec::new();
    for page in &real.loaded.corpus.pages {
        // A drawn diagram carries its source as a picture, not as text.
        let mut blocks = page.blocks.clone();
        folio::walk::visit_blocks_mut(&mut blocks, &mut |b| {
            if let folio::model::Block::Diagram(d) = b {
                if real.loaded.diagrams.get(&d.digest).is_some() {
                    d.source.clear();
                }
            }
        });
        let text = format!(
            "{}\n{}\n{}",
            page.title,
            page.summary.clone().unwrap_or_default(),
            folio::text::blocks_plain_text(&blocks)
        );
        for word in text.split_whitespace() {
            if word.chars().any(|c| real.guide.unprintable.contains(&c)) {
                continue;
            }
            if !haystack.contains(word) {
                lost.push(format!("{}: {word}", page.source));
            }
        }
    }
    assert!(lost.is_empty(), "{} words missing from the PDF:\n{}", lost.len(), lost.join("\n"));
}

/// A page as `pdftotext -bbox` sees it: width, height, and each word with its box.
type PageBoxes = (f64, f64, Vec<(String, [f64; 4])>);

/// (page width, page height, words with their boxes) from `pdftotext -bbox`.
fn boxes(path: &Path) -> Vec<PageBoxes> {
    let html = pdftotext(path, &["-bbox"]);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let at = tag.find(&key).unwrap() + key.len();
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut pages = Vec::new();
    for chunk in html.split("<page ").skip(1) {
        let (w, h) = (attr(chunk, "width"), attr(chunk, "height"));
        let words = chunk
            .split("<word ")
            .skip(1)
            .map(|t| {
                let text = t.split('>').nth(1).unwrap_or("").split('<').next().unwrap_or("").to_string();
                (text, [attr(t, "xMin"), attr(t, "yMin"), attr(t, "xMax"), attr(t, "yMax")])
            })
            .collect();
        pages.push((w, h, words));
    }
    pages
}

fn edge() -> &'static Built {
    static EDGE: OnceLock<Built> = OnceLock::new();
    EDGE.get_or_init(|| build("pdf-edge", common::load_fixture("pdf-edge")))
}

#[test]
fn no_glyph_leaves_the_page_even_for_a_huge_word_and_a_forty_column_table() {
    if !poppler_available() {
        return;
    }
    let pages = boxes(&edge().path);
    let mut words = 0;
    for (n, (w, h, list)) in pages.iter().enumerate() {
        for (text, [x0, y0, x1, y1]) in list {
            words += 1;
            let inside = *x0 >= 0.0 && *y0 >= 0.0 && *x1 <= *w && *y1 <= *h;
            assert!(inside, "page {}: {text:?} at [{x0}, {y0}, {x1}, {y1}] leaves the {w}×{h} page", n + 1);
        }
    }
    assert!(words > 100, "the fixture should print many words, found {words}");
}

#[test]
fn a_word_wider_than_the_line_is_split_not_dropped() {
    if !poppler_available() {
        return;
    }
    let haystack = joined_text(&edge().path);
    let word: String = (0..5000).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    assert!(haystack.contains(&word), "the 5,000-character word is not all there");
    assert!(haystack.contains("Colonne40") && haystack.contains("valeur-40-tres-longue"));
    assert!(haystack.contains(&format!("x='{}'", "0123456789".repeat(300))), "the long code line lost characters");
}

#[test]
fn layout_plan_of_the_sample_corpus() {
    let plan = sample().guide.plan();
    common::snapshot_settings().bind(|| insta::assert_snapshot!("pdf__layout_plan", plan));
}

#[test]
fn two_exports_are_byte_identical() {
    let loaded = common::load_sample();
    let (first, _) = common::export(&loaded, &PdfExporter, &toml::Table::new());
    let (second, _) = common::export(&loaded, &PdfExporter, &toml::Table::new());
    assert_eq!(first.files.keys().collect::<Vec<_>>(), vec!["guide.pdf"]);
    assert!(first.files == second.files, "two exports of the same corpus differ");
}

#[test]
fn the_guide_is_the_same_file_however_many_chunks_it_is_laid_out_in() {
    let Some(loaded) = common::load_real() else { return };
    let in_pool = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool");
        pool.install(|| render(&loaded).0.remove(0))
    };
    let (one, three) = (in_pool(1), in_pool(3));
    assert_eq!(one.record.pages, three.record.pages);
    assert!(one.bytes == three.bytes, "the guide laid out in 1 and in 3 chunks differs");
}

#[test]
fn a_picture_drawn_on_several_pages_is_embedded_once() {
    let Some(real) = real() else { return };
    if !poppler_available() {
        return;
    }
    let out = Command::new("pdfimages").arg("-list").arg(&real.path).output().expect("pdfimages runs");
    let listing = String::from_utf8_lossy(&out.stdout);
    // Columns: page num type width height color comp bpc enc interp object ID …
    let objects: Vec<&str> = listing.lines().skip(2).filter_map(|l| l.split_whitespace().nth(10)).collect();
    let distinct: std::collections::BTreeSet<&str> = objects.iter().copied().collect();
    assert!(objects.len() > distinct.len(), "the real corpus draws some pictures twice: {listing}");
    let text = String::from_utf8_lossy(&real.guide.bytes);
    let image_objects = text.matches("/Subtype/Image").count() + text.matches("/Subtype /Image").count();
    assert_eq!(image_objects, distinct.len(), "one image object per distinct picture");
}

#[test]
fn metadata_is_readable_text_with_the_build_date_and_language() {
    if !poppler_available() {
        return;
    }
    let out = Command::new("pdfinfo").arg(&sample().path).output().unwrap();
    let info = String::from_utf8(out.stdout).unwrap();
    assert!(info.contains("Title:           FranceConnect — exemple folio"), "{info}");
    assert!(info.contains("Author:          Direction interministerielle du numérique"), "{info}");
    assert!(info.contains("CreationDate:    Fri Mar  1 12:00:00 2024 UTC"), "{info}");
    let bytes = &sample().guide.bytes;
    assert!(bytes.windows(9).any(|w| w == b"/Lang(fr)" || w == b"/Lang (fr"), "no /Lang in the catalog");
}

#[test]
fn contents_lines_are_links() {
    let built = sample();
    let links = built.guide.record.toc_links.len();
    let entries = built
        .guide
        .outline
        .iter()
        .map(|p| 1 + p.children.iter().map(|c| 1 + c.children.len()).sum::<usize>())
        .sum::<usize>();
    assert_eq!(links, entries, "one link per contents line");
    let annots = built.guide.bytes.windows(13).filter(|w| w == b"/Subtype/Link").count();
    assert_eq!(annots, links);
}

#[test]
fn callouts_tables_and_images_are_placed_in_the_plan() {
    let plan = sample().guide.plan();
    for expected in ["callout", "table", "figure", "code", "list of"] {
        assert!(plan.contains(expected), "the plan never places a {expected}:\n{plan}");
    }
}

#[test]
fn a_rendered_diagram_is_drawn_as_a_picture_with_its_description() {
    let built = sample();
    assert!(!built.diags.iter().any(|d| d.code == "pdf/diagram-as-source"), "{:?}", built.diags);
    assert!(built.guide.record.plan.iter().any(|(_, l)| l.starts_with("diagram")));
    if poppler_available() {
        let text = joined_text(&built.path);
        assert!(!text.contains("sequenceDiagram"), "the source is not printed when the diagram is drawn");
        assert!(text.contains("Diagrammedeséquenceentre"), "the caption describes the diagram, in French");
    }
}

#[test]
fn a_rendering_that_cannot_be_rasterised_falls_back_to_its_source_with_a_note() {
    let mut loaded = common::load_sample();
    let diagrams = folio::diagrams::corpus_diagrams(&loaded.corpus);
    let (_, diagram) = diagrams.first().expect("the sample has a diagram");
    let digest = diagram.digest.clone();
    let broken = folio::diagrams::RenderedDiagram {
        svg: "<not-svg".into(),
        width: 10.0,
        height: 10.0,
        description: "Diagramme factice pour le test".into(),
    };
    loaded.diagrams.insert(digest, broken);
    let (guides, diags) = render(&loaded);
    assert!(diags.iter().any(|d| d.code == "pdf/diagram-as-source"), "{diags:?}");
    assert!(guides[0].record.plan.iter().any(|(_, l)| l.starts_with("diagram")));
}

#[test]
fn without_a_rendering_a_diagram_is_printed_as_its_source_silently() {
    let mut loaded = common::load_sample();
    loaded.diagrams = folio::diagrams::DiagramStore::empty();
    let (guides, diags) = render(&loaded);
    assert!(!diags.iter().any(|d| d.code == "pdf/diagram-as-source"));
    if poppler_available() {
        let path = common::scratch("pdf-no-diagram").join("guide.pdf");
        std::fs::write(&path, &guides[0].bytes).unwrap();
        assert!(joined_text(&path).contains("sequenceDiagram"));
    }
}

#[test]
fn guides_come_from_the_options_with_sections_and_categories() {
    let loaded = common::load_sample();
    let options: toml::Table = toml::from_str(
        r#"guides = [{ name = "pilotage", title = "Piloter", subtitle = "Le guide", sections = ["/fs/pilotage/", "fs-projet"] }]"#,
    )
    .unwrap();
    let (sink, _) = common::export(&loaded, &PdfExporter, &options);
    assert_eq!(sink.files.keys().collect::<Vec<_>>(), vec!["pilotage.pdf"]);
}

/// The benchmark: pages per second for the real-corpus guide, every pass and the post-pass
/// included (run with `--release` for meaningful numbers).
#[test]
fn body_text_is_hyphenated_but_headings_never_are() {
    if !poppler_available() {
        return;
    }
    let built = edge();
    let page = built.guide.record.spots.get("page:edge-hyphenation").unwrap().page;
    let text = pdftotext(&built.path, &["-raw", "-f", &page.to_string(), "-l", &page.to_string()]);
    let heading =
        "Anticonstitutionnellement internationalisation responsabilisation décentralisation transformationnelle";
    assert!(normalize(&text).contains(heading), "the heading was cut:\n{text}");
    let hyphenated =
        text.lines().filter(|l| l.ends_with('-') && l.chars().rev().nth(1).is_some_and(char::is_alphabetic)).count();
    assert!(hyphenated > 0, "no body line ends with a hyphen:\n{text}");
}
