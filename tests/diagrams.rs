//! Mermaid diagrams are drawn once, without a browser, and appear in every format.

mod common;

use folio::exporter::Exporter;
use folio::exporters::builtin;
use std::io::Read;

fn exporter(name: &str) -> Box<dyn Exporter> {
    builtin().into_iter().find(|e| e.name() == name).expect("exporter")
}

fn diagrams_read_back(loaded: &folio::build::Loaded, format: &str) -> usize {
    let e = exporter(format);
    let (sink, _) = common::export(loaded, e.as_ref(), &toml::Table::new());
    e.read_back(&sink).expect("read back").and_then(|rb| rb.counts).map_or(0, |c| c.diagrams)
}

fn pdf_diagrams(loaded: &folio::build::Loaded) -> usize {
    let options = toml::Table::new();
    let ctx = loaded.context(&options, folio::exporter::Limits::default());
    let guides = folio::exporters::pdf::render_guides(&ctx, &mut Vec::new()).expect("pdf");
    guides.iter().map(|g| g.record.plan.iter().filter(|(_, l)| l.starts_with("diagram")).count()).sum()
}

#[test]
fn every_diagram_of_the_real_corpus_is_drawn_in_epub_dita_and_pdf() {
    let Some(loaded) = common::load_real() else { return };
    let in_model = folio::diagrams::corpus_diagrams(&loaded.corpus).len();
    assert!(in_model >= 1);
    assert_eq!(loaded.diagrams.len(), in_model, "each distinct diagram is drawn once");
    assert_eq!(diagrams_read_back(&loaded, "epub"), in_model);
    assert_eq!(diagrams_read_back(&loaded, "dita"), in_model);
    assert_eq!(pdf_diagrams(&loaded), in_model);
}

#[test]
fn every_diagram_of_the_sample_is_drawn_in_epub_dita_and_pdf() {
    let loaded = common::load_sample();
    let in_model = folio::diagrams::corpus_diagrams(&loaded.corpus).len();
    assert_eq!(diagrams_read_back(&loaded, "epub"), in_model);
    assert_eq!(diagrams_read_back(&loaded, "dita"), in_model);
    assert_eq!(pdf_diagrams(&loaded), in_model);
}

#[test]
fn drawn_svg_is_self_contained_and_names_the_participants() {
    let loaded = common::load_fixture("diagrams");
    let (_, diagram) = folio::diagrams::corpus_diagrams(&loaded.corpus)[0];
    let drawn = loaded.diagrams.get(&diagram.digest).expect("the valid diagram is drawn");
    assert!(drawn.svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(!drawn.svg.contains("foreignObject") && !drawn.svg.contains("<style"));
    assert!(drawn.svg.contains("Usager") && drawn.svg.contains("Clic sur le bouton"));
    assert_eq!(drawn.description, "Sequence diagram between Usager, Service");
}

#[test]
fn invalid_diagram_is_reported_with_its_line_and_kept_as_source() {
    let loaded = common::load_fixture("diagrams");
    let invalid: Vec<_> = loaded.diagnostics.iter().filter(|d| d.code == "diagram/invalid").collect();
    assert_eq!(invalid.len(), 1, "{:?}", loaded.diagnostics);
    assert_eq!((invalid[0].file.as_str(), invalid[0].line), ("flux.md", 18));
    let (_, bad) = folio::diagrams::corpus_diagrams(&loaded.corpus)[1];
    assert!(loaded.diagrams.get(&bad.digest).is_none());
    let e = exporter("epub");
    let (sink, _) = common::export(&loaded, e.as_ref(), &toml::Table::new());
    let epub = sink.files.values().next().expect("the book");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(epub)).expect("zip");
    let mut chapter = String::new();
    archive.by_name("OEBPS/flux.xhtml").expect("the page's chapter").read_to_string(&mut chapter).expect("utf-8");
    let code = chapter.split("<pre").nth(1).expect("a code block");
    assert!(code.contains("U-&gt;&gt;"), "the invalid diagram's source is printed as code: {chapter}");
}

#[test]
fn drawing_is_deterministic() {
    let a = common::load_fixture("diagrams");
    let b = common::load_fixture("diagrams");
    let (_, d) = folio::diagrams::corpus_diagrams(&a.corpus)[0];
    assert_eq!(a.diagrams.get(&d.digest).map(|r| &r.svg), b.diagrams.get(&d.digest).map(|r| &r.svg));
}
