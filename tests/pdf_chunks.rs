//! A chapter, or a contents, longer than a drawn chunk may be is cut where a page starts
//! cleanly, so that memory stays bounded however long one page of the site or the whole guide
//! is, and the guide reads the same.

mod common;

use folio::exporter::Limits;
use folio::exporters::pdf::{render_guides, RenderedGuide};
use std::sync::OnceLock;

/// One page of about a dozen printed pages: sections with a heading, paragraphs and a list.
fn long_chapter() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = common::scratch("pdf-long-chapter");
        let mut page = String::from("---\nkey: long\ntitle: Un long chapitre\n---\n\n");
        for section in 1..=40 {
            page.push_str(&format!("## Partie {section}\n\n"));
            for _ in 0..3 {
                page.push_str(&"Le fournisseur de service transmet une demande au serveur. ".repeat(8));
                page.push_str("\n\n");
            }
            page.push_str("- un point\n- un autre point\n\n");
        }
        std::fs::write(dir.join("long.md"), page).expect("write the long page");
        dir
    })
}

/// Many short pages with a few sections each: a contents of several printed pages.
fn many_pages() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = common::scratch("pdf-long-contents");
        for n in 1..=60 {
            let mut page = format!("---\nkey: page-{n}\ntitle: Page numéro {n}\n---\n\n");
            for section in 1..=4 {
                page.push_str(&format!("## Section {section} de la page {n}\n\nUn paragraphe court.\n\n"));
            }
            std::fs::write(dir.join(format!("page-{n}.md")), page).expect("write a page");
        }
        dir
    })
}

fn render(chunk_pages: usize) -> RenderedGuide {
    render_folder(long_chapter(), chunk_pages)
}

fn render_folder(folder: &std::path::Path, chunk_pages: usize) -> RenderedGuide {
    let loaded = common::load_folder(folder);
    let mut options = toml::Table::new();
    options.insert("chunk_pages".into(), toml::Value::Integer(chunk_pages as i64));
    let ctx = loaded.context(&options, Limits::default());
    render_guides(&ctx, &mut Vec::new()).expect("pdf renders").remove(0)
}

fn cut() -> &'static RenderedGuide {
    static CUT: OnceLock<RenderedGuide> = OnceLock::new();
    CUT.get_or_init(|| render(3))
}

#[test]
fn a_long_chapter_is_drawn_in_several_pieces() {
    let whole = render(1000);
    assert!(whole.record.pages > 9, "the chapter takes {} pages", whole.record.pages);
    // Cover, contents, part page and chapter: one piece each when nothing is cut.
    assert_eq!(whole.pieces, 4);
    assert!(cut().pieces >= 4 + 2, "{} pieces", cut().pieces);
}

#[test]
fn no_piece_of_the_chapter_passes_the_chunk_size() {
    let record = &cut().record;
    let starts: Vec<usize> = (0..cut().pieces).filter_map(|p| record.unit_pages.get(&p).copied()).collect();
    let ends = starts.iter().skip(1).copied().chain([record.pages + 1]);
    for (start, end) in starts.iter().zip(ends) {
        assert!(end - start <= 3, "a piece from page {start} to page {end}");
    }
}

#[test]
fn a_cut_chapter_gives_the_same_file_as_a_whole_one() {
    assert!(cut().bytes == render(1000).bytes, "the guide changed when its chapter was cut");
}

#[test]
fn a_long_contents_is_cut_into_pieces_and_gives_the_same_file() {
    let whole = render_folder(many_pages(), 1000);
    let contents_pages = whole.record.unit_pages.get(&2).zip(whole.record.unit_pages.get(&1)).map(|(b, a)| b - a);
    assert!(contents_pages.is_some_and(|n| n > 4), "the contents takes {contents_pages:?} pages");
    let cut = render_folder(many_pages(), 2);
    // Each chapter here fits in two pages: only the contents can make more pieces than units.
    let units = 2 + 1 + 60;
    assert!(cut.pieces > units, "{} pieces for {units} units", cut.pieces);
    assert!(cut.bytes == whole.bytes, "the guide changed when its contents was cut");
}
