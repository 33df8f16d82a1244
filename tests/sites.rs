//! End to end on the shared sites of the Eleventy + DSFR family: their Nunjucks evaluated with
//! their own `_includes`, `_data` and directory data, their containers and components read.

mod common;

use folio::model::*;

const SITES: [&str; 3] = ["franceconnect", "eleventy-dsfr", "cct-mi"];

/// Codes that would mean a construct the site makes evaluable was not understood.
const NOT_UNDERSTOOD: [&str; 6] = [
    "nunjucks/unknown-component",
    "container/unknown",
    "nunjucks/syntax",
    "nunjucks/eval-failed",
    "nunjucks/undefined",
    "nunjucks/unknown-shortcode",
];

#[test]
fn every_construct_of_the_shared_sites_is_understood() {
    for site in SITES {
        let Some(loaded) = common::load_shared_site(site) else { continue };
        let found: Vec<String> = loaded
            .diagnostics
            .iter()
            .filter(|d| NOT_UNDERSTOOD.contains(&d.code))
            .map(|d| format!("{} {}: {}", d.code, d.location(), d.message))
            .collect();
        assert!(found.is_empty(), "{site}: {found:#?}");
    }
}

#[test]
fn no_template_code_is_left_in_the_text_of_the_shared_sites() {
    for site in SITES {
        let Some(loaded) = common::load_shared_site(site) else { continue };
        for page in &loaded.corpus.pages {
            let mut text = folio::text::blocks_plain_text(&without_code(&page.blocks));
            text.push_str(&page.title);
            assert!(!text.contains("{{") && !text.contains("{%"), "{site} {}: {text}", page.source);
        }
    }
}

/// The blocks a reader sees as prose: code and diagrams (which may show template code on
/// purpose, as the starter's documentation does) left out.
fn without_code(blocks: &[Block]) -> Vec<Block> {
    blocks.iter().filter(|b| !matches!(b, Block::Code(_) | Block::Diagram(_))).cloned().collect()
}

fn page<'a>(loaded: &'a folio::build::Loaded, source: &str) -> &'a Page {
    loaded.corpus.pages.iter().find(|p| p.source == source).unwrap_or_else(|| panic!("no page {source}"))
}

fn count(blocks: &[Block], pred: &dyn Fn(&Block) -> bool) -> usize {
    let mut n = 0;
    folio::walk::visit_blocks(blocks, &mut |b| {
        if pred(b) {
            n += 1;
        }
    });
    n
}

#[test]
fn the_starter_table_component_becomes_a_table() {
    let Some(loaded) = common::load_shared_site("eleventy-dsfr") else { return };
    let p = page(&loaded, "fr/blog/posts/tableau.md");
    assert_eq!(count(&p.blocks, &|b| matches!(b, Block::Table(t) if t.rows.len() == 5)), 1);
}

#[test]
fn the_starter_alert_containers_and_components_become_callouts() {
    let Some(loaded) = common::load_shared_site("eleventy-dsfr") else { return };
    let p = page(&loaded, "fr/blog/posts/alerte.md");
    assert!(
        count(&p.blocks, &|b| matches!(b, Block::Callout(c) if c.kind != CalloutKind::Note)) >= 2,
        "{:#?}",
        p.blocks
    );
}

#[test]
fn the_starter_accordions_become_titled_sections() {
    let Some(loaded) = common::load_shared_site("eleventy-dsfr") else { return };
    let p = page(&loaded, "fr/blog/posts/accordeon.md");
    assert!(count(&p.blocks, &|b| matches!(b, Block::Section(s) if !s.title.is_empty())) >= 2, "{:#?}", p.blocks);
}

#[test]
fn cct_component_tables_keep_their_rows() {
    let Some(loaded) = common::load_shared_site("cct-mi") else { return };
    let p = page(&loaded, "fr/1-chapeau/x-glossaire.md");
    assert!(count(&p.blocks, &|b| matches!(b, Block::Table(t) if t.rows.len() > 5)) >= 1, "{:#?}", p.blocks);
}
