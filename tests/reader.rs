//! The reader, specified on small inputs: one behaviour per test.

use folio::diagnostics::{Diagnostic, Severity};
use folio::model::*;
use folio::reader::{parse_page, Parsed};

fn page(source: &str) -> (Page, Vec<Diagnostic>) {
    let (parsed, diags) = parse_page("fs/test-page.md", source.as_bytes());
    match parsed {
        Some(Parsed::Page(p)) => (*p, diags),
        other => panic!("expected a page, got {other:?} with {diags:?}"),
    }
}

fn blocks(body: &str) -> Vec<Block> {
    page(&format!("---\ntitle: T\n---\n{body}")).0.blocks
}

fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
    diags.iter().map(|d| d.code).collect()
}

fn text_of(inlines: &[Inline]) -> String {
    folio::text::plain_text(inlines)
}

#[test]
fn callout_keeps_its_title_and_content() {
    let b = blocks(":::callout En bref\nL'usage est **gratuit**.\n:::\n");
    let [Block::Callout(c)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(c.title.as_deref(), Some("En bref"));
    assert!(c.is_summary());
    assert!(matches!(c.blocks.as_slice(), [Block::Paragraph(_)]));
}

#[test]
fn callout_closed_after_a_list_item_holds_the_whole_list() {
    let b = blocks(":::callout En Bref\nPour devenir:\n\n1. un;\n2. deux.\n   :::\n\nAprès.\n");
    let [Block::Callout(c), Block::Paragraph(after)] = b.as_slice() else { panic!("{b:?}") };
    assert!(matches!(c.blocks.as_slice(), [Block::Paragraph(_), Block::List(l)] if l.items.len() == 2));
    assert_eq!(text_of(&after.content), "Après.");
}

#[test]
fn unclosed_callout_runs_to_the_end_with_a_warning() {
    let (p, diags) = page("---\ntitle: T\n---\n:::callout À retenir\nFin.\n");
    assert!(matches!(p.blocks.as_slice(), [Block::Callout(_)]));
    assert_eq!(codes(&diags), ["container/unclosed"]);
    assert_eq!((diags[0].line, diags[0].col), (4, 1));
}

#[test]
fn quote_container_with_an_image_becomes_a_quote_figure() {
    let b = blocks("::: quote /images/a.png\n« Citation »\n:::\n");
    let [Block::QuoteFigure(q)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(q.image.as_ref().map(|i| i.src.as_str()), Some("/images/a.png"));
}

#[test]
fn table_container_unwraps_to_its_table_with_alignment() {
    let b = blocks(":::table\n| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n:::\n");
    let [Block::Table(t)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(t.alignments, [Align::Left, Align::Center, Align::Right]);
    assert_eq!(t.rows.len(), 1);
}

#[test]
fn fr_table_div_is_unwrapped() {
    let b = blocks("<div class=\"fr-table\">\n\n| a |\n| - |\n| 1 |\n\n</div>\n");
    assert!(matches!(b.as_slice(), [Block::Table(_)]), "{b:?}");
}

#[test]
fn dsfr_alert_becomes_a_callout_of_its_kind() {
    let b = blocks("<div class=\"fr-alert fr-alert--warning\">\n    <h3 class=\"fr-alert__title\">Attention</h3>\n    <p>Texte <b>important</b>.</p>\n</div>\n");
    let [Block::Callout(c)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!((c.kind, c.title.as_deref()), (CalloutKind::Warning, Some("Attention")));
    assert!(matches!(c.blocks.as_slice(), [Block::Paragraph(p)] if matches!(p.content[1], Inline::Strong(_))));
}

#[test]
fn dsfr_accordion_becomes_a_titled_section_with_markdown_inside() {
    let b = blocks("<section class=\"fr-accordion\">\n    <h3 class=\"fr-accordion__title\">\n        <button class=\"fr-accordion__btn\">\n        \n        <code>GET /api/v2/jwks</code></button>\n    </h3>\n    <div class=\"fr-collapse\">\n\n##### Description\n\nListe les clés.\n\n  </div>\n</section>\n");
    let [Block::Section(s)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(s.title, vec![Inline::Code("GET /api/v2/jwks".into())]);
    // The accordion's h3 comes right after the page title, so it is published at level 2 and
    // its h5 one below it (heading/level-shifted).
    assert_eq!(s.level, 2);
    assert!(matches!(s.blocks.as_slice(), [Block::Heading(h), Block::Paragraph(_)] if h.level == 3));
}

#[test]
fn html_link_becomes_a_link_with_its_title() {
    let b = blocks("Voir <a href=\"https://x.fr/cgu\" title=\"CGU\" target=\"_blank\">les conditions</a>.\n");
    let [Block::Paragraph(p)] = b.as_slice() else { panic!("{b:?}") };
    let Inline::Link(l) = &p.content[1] else { panic!("{p:?}") };
    assert_eq!(
        (l.href.as_str(), l.title.as_deref(), text_of(&l.content).as_str()),
        ("https://x.fr/cgu", Some("CGU"), "les conditions")
    );
}

#[test]
fn br_b_and_code_tags_become_inline_styles() {
    let b = blocks("a<br>b <b>gras</b> <code>x = 1</code>\n");
    let [Block::Paragraph(p)] = b.as_slice() else { panic!("{b:?}") };
    assert!(p.content.contains(&Inline::LineBreak));
    assert!(p.content.contains(&Inline::Strong(vec![Inline::Text("gras".into())])));
    assert!(p.content.contains(&Inline::Code("x = 1".into())));
}

#[test]
fn html_img_alone_becomes_a_figure_with_alt() {
    let b = blocks("<img src=\"/images/a.png\" alt=\"Logo\">\n");
    assert!(matches!(b.as_slice(), [Block::Figure(f)] if f.image.alt == "Logo"), "{b:?}");
}

#[test]
fn html_list_becomes_a_list() {
    let b = blocks("<ul>\n  <li>un</li>\n  <li>deux</li>\n</ul>\n");
    assert!(matches!(b.as_slice(), [Block::List(l)] if l.items.len() == 2 && l.start.is_none()), "{b:?}");
}

#[test]
fn html_paragraph_becomes_a_paragraph() {
    let b = blocks("<p>Un <em>texte</em>.</p>\n");
    assert!(matches!(b.as_slice(), [Block::Paragraph(p)] if text_of(&p.content) == "Un texte."), "{b:?}");
}

#[test]
fn script_and_iframe_are_dropped_with_a_diagnostic() {
    let (p, diags) = page("---\ntitle: T\n---\n<script>alert(1)</script>\n\n<iframe src=\"x\"></iframe>\n\nTexte.\n");
    assert_eq!(p.blocks.len(), 1);
    assert_eq!(codes(&diags), ["html/dropped", "html/dropped"]);
}

#[test]
fn hostile_markup_in_text_stays_text() {
    let b = blocks("Un `</topic>` et ]]> &amp; fin.\n");
    assert_eq!(folio::text::blocks_plain_text(&b), "Un </topic> et ]]> & fin.");
}

#[test]
fn post_list_component_becomes_a_page_list() {
    let b = blocks("{{ component(\"post-list\", { category: \"fs-pilotage\" }) }}\n");
    assert!(matches!(b.as_slice(), [Block::PageList(l)] if l.category == "fs-pilotage"), "{b:?}");
}

#[test]
fn card_component_becomes_a_card() {
    let b = blocks("{{ component(\"card-simple\", {\n  url: \"/fs/\",\n  title: \"Titre\",\n  description: \"Desc\",\n  tags: [\"A\", \"B\"],\n  orientation: \"horizontal\"\n}) }}\n");
    let [Block::Card(c)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(
        (c.href.as_str(), c.title.as_str(), c.description.as_deref(), c.tags.len()),
        ("/fs/", "Titre", Some("Desc"), 2)
    );
}

#[test]
fn links_component_lists_the_pages_seealso_keys() {
    let (p, _) =
        page("---\ntitle: T\nseealso:\n  - a\n  -\n  - b\n---\n{{ component(\"links\", { keys: seealso }) }}\n");
    let [Block::SeeAlsoList(l)] = p.blocks.as_slice() else { panic!("{:?}", p.blocks) };
    assert_eq!(l.items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["a", "b"]);
}

#[test]
fn component_import_vanishes_silently() {
    let (p, diags) =
        page("---\ntitle: T\n---\n{% from \"components/component.njk\" import component with context %}\n\nTexte.\n");
    assert_eq!(p.blocks.len(), 1);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn nunjucks_is_evaluated_with_the_page_data() {
    let (p, diags) = page("---\ntitle: T\nwho: monde\n---\n{% set x = 1 %}\n\nTexte {{ x }} {{ who }} fin.\n");
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(folio::text::blocks_plain_text(&p.blocks), "Texte 1 monde fin.");
}

#[test]
fn a_template_error_points_at_its_source_line_and_keeps_the_text() {
    let (p, diags) = page("---\ntitle: T\n---\nAvant.\n\n{{ oops( }}\n\nAprès.\n");
    assert_eq!((diags[0].code, diags[0].line, diags[0].col), ("nunjucks/syntax", 6, 1));
    assert_eq!(folio::text::blocks_plain_text(&p.blocks), "Avant.\n\n{{ oops( }}\n\nAprès.");
}

#[test]
fn starter_containers_become_alerts_and_accordions() {
    let b = blocks(":::warning Attention\nTexte.\n:::\n\n??? Question\nRéponse.\n???\n");
    let [Block::Callout(c), Block::Section(s)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!((c.kind, c.title.as_deref()), (CalloutKind::Warning, Some("Attention")));
    assert_eq!(folio::text::plain_text(&s.title), "Question");
}

#[test]
fn link_attributes_are_not_text() {
    let b = blocks("[Voir](https://example.org){.fr-link .fr-icon} la suite.\n");
    assert_eq!(folio::text::blocks_plain_text(&b), "Voir la suite.");
}

#[test]
fn several_html_siblings_on_one_line_all_reach_the_model() {
    let b = blocks("<p><strong>A</strong> : un.</p> <br> <p><strong>B</strong> : deux.</p> <p>C : trois.</p>\n");
    let text = folio::text::blocks_plain_text(&b);
    for word in ["un.", "deux.", "trois."] {
        assert!(text.contains(word), "{word} lost: {text}");
    }
}

#[test]
fn mermaid_fence_becomes_a_diagram_with_its_source() {
    let b = blocks("```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n");
    let [Block::Diagram(d)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(d.source, "sequenceDiagram\n  A->>B: hi\n");
    assert_eq!(d.digest.len(), 64);
}

#[test]
fn code_fence_keeps_its_language() {
    let b = blocks("```http\nGET / HTTP/1.1\n```\n");
    assert!(matches!(b.as_slice(), [Block::Code(c)] if c.language.as_deref() == Some("http")));
}

#[test]
fn heading_ids_follow_the_slug_rule_and_number_duplicates() {
    let (p, _) = page("---\ntitle: T\n---\n## Quels sont les acteurs ?\n\n### Exemple\n\n### Exemple\n");
    assert_eq!(p.anchors, ["quels-sont-les-acteurs", "exemple", "exemple-1"]);
}

#[test]
fn attribute_braces_set_a_heading_id_and_class() {
    let b = blocks("## Comparaison {#comparaison .fr-mt-4w}\n");
    let [Block::Heading(h)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!((h.attr.id.as_deref(), h.attr.classes.as_slice()), (Some("comparaison"), &["fr-mt-4w".to_string()][..]));
}

#[test]
fn blocks_know_their_line_and_column() {
    let b = blocks("\nPremier.\n\n  Second.\n");
    let pos: Vec<Pos> = b
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => p.pos,
            _ => Pos::default(),
        })
        .collect();
    assert_eq!(pos, [Pos { line: 5, col: 1 }, Pos { line: 7, col: 3 }]);
}

#[test]
fn permalink_false_makes_a_data_record() {
    let (parsed, _) =
        parse_page("home/ref/a.md", b"---\ntitle: Ameli\nimg: fi/ameli.png\norder: 20\npermalink: false\n---\n");
    let Some(Parsed::Record(r)) = parsed else { panic!("{parsed:?}") };
    assert_eq!(
        (r.title.as_deref(), r.order, r.fields["img"].as_str()),
        (Some("Ameli"), Some(20), Some("fi/ameli.png"))
    );
}

#[test]
fn page_without_key_gets_one_from_its_path() {
    let (parsed, _) = parse_page("fs/projet/projet-glossaire.md", b"---\ntitle: G\n---\n");
    let Some(Parsed::Page(p)) = parsed else { panic!() };
    assert_eq!(
        (p.key.as_str(), p.key_derived, p.url.as_str()),
        ("fs-projet-projet-glossaire", true, "/fs/projet/projet-glossaire/")
    );
}

#[test]
fn index_page_takes_its_folder_url() {
    let (parsed, _) = parse_page("fs/pilotage/index.md", b"---\ntitle: P\nlayout: layouts/page.njk\n---\n");
    let Some(Parsed::Page(p)) = parsed else { panic!() };
    assert_eq!((p.url.as_str(), p.kind), ("/fs/pilotage/", PageKind::Section));
}

#[test]
fn bom_and_crlf_are_read_transparently() {
    let (parsed, diags) = parse_page("a.md", "\u{feff}---\r\ntitle: T\r\n---\r\n\r\n## Titre\r\n".as_bytes());
    let Some(Parsed::Page(p)) = parsed else { panic!("{diags:?}") };
    assert_eq!((p.title.as_str(), p.anchors.as_slice()), ("T", &["titre".to_string()][..]));
}

#[test]
fn invalid_utf8_is_an_error_with_its_line() {
    let (_, diags) = parse_page("a.md", b"---\ntitle: T\n---\nCaf\xe9\n");
    assert_eq!((diags[0].code, diags[0].line, diags[0].severity), ("source/invalid-utf8", 4, Severity::Error));
}

#[test]
fn a_page_with_invalid_utf8_is_published_with_its_bad_bytes_as_replacement_characters() {
    let (parsed, _) = parse_page("a.md", b"---\ntitle: T\n---\nCaf\xe9 au lait.\n");
    let Some(Parsed::Page(p)) = parsed else { panic!("not published") };
    let [Block::Paragraph(para)] = p.blocks.as_slice() else { panic!("{:?}", p.blocks) };
    assert_eq!((p.title.as_str(), text_of(&para.content).as_str()), ("T", "Caf\u{fffd} au lait."));
}

#[test]
fn invalid_yaml_is_an_error_on_its_line_and_the_body_is_still_published() {
    let (parsed, diags) = parse_page("a.md", b"---\nkey: k\ntitle: [unclosed\n---\n# Titre\n");
    let Some(Parsed::Page(p)) = parsed else { panic!("not published") };
    assert_eq!(p.title, "Titre");
    assert_eq!(diags[0].code, "front-matter/invalid-yaml");
    assert!(diags[0].line >= 3, "{diags:?}");
}

#[test]
fn twenty_thousand_nested_quotes_are_flattened_not_fatal() {
    let (p, diags) = page(&format!("---\ntitle: T\n---\n{} fond\n", ">".repeat(20_000)));
    assert!(folio::text::blocks_plain_text(&p.blocks).contains("fond"));
    assert_eq!(codes(&diags), ["markdown/too-deep"]);
}

#[test]
fn two_thousand_nested_lists_are_flattened_not_fatal() {
    let (p, _) = page(&format!("---\ntitle: T\n---\n{}fond\n", "- ".repeat(2_000)));
    assert!(folio::text::blocks_plain_text(&p.blocks).contains("fond"));
}

#[test]
fn a_table_whose_delimiter_row_has_more_cells_stays_text_and_is_reported_at_its_line() {
    let (page, diags) = page("---\ntitle: T\n---\nAvant.\n\n| a | b |\n| --- | --- | --- |\n| 1 | 2 |\n");
    assert!(matches!(page.blocks.as_slice(), [Block::Paragraph(_), Block::Paragraph(_)]), "{:?}", page.blocks);
    let rejected: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "markdown/not-a-table").collect();
    assert_eq!(rejected.len(), 1, "{diags:?}");
    assert_eq!((rejected[0].line, rejected[0].col), (6, 1));
    assert!(rejected[0].message.contains("2 cells") && rejected[0].message.contains("delimiter row 3"));
}

#[test]
fn a_well_formed_table_and_escaped_pipes_raise_no_table_warning() {
    let (page, diags) = page("---\ntitle: T\n---\n| a \\| b | c |\n| --- | --- |\n| 1 | 2 |\n");
    assert!(matches!(page.blocks.as_slice(), [Block::Table(_)]), "{:?}", page.blocks);
    assert!(!codes(&diags).contains(&"markdown/not-a-table"), "{diags:?}");
}

#[test]
fn a_row_with_more_cells_than_the_header_keeps_their_text_in_the_last_cell_and_warns_at_its_line() {
    let (page, diags) =
        page("---\ntitle: T\n---\n| nom | motif |\n| --- | --- |\n| a | b |\n| id | `^[a-z]|[0-9]$` |\n");
    let [Block::Table(t)] = page.blocks.as_slice() else { panic!("{:?}", page.blocks) };
    assert_eq!(t.rows.len(), 2);
    assert!(t.rows.iter().all(|r| r.len() == 2), "{:?}", t.rows);
    assert_eq!(t.rows[1][1], vec![Inline::Code("^[a-z]|[0-9]$".into())]);
    let extra: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "markdown/extra-cells").collect();
    assert_eq!(extra.len(), 1, "{diags:?}");
    assert_eq!((extra[0].line, extra[0].severity), (7, folio::diagnostics::Severity::Warning));
}

#[test]
fn extra_cells_of_rows_without_outer_pipes_or_in_a_quote_are_kept_in_order() {
    let b = blocks("a | b\n--- | ---\n1 | 2 | 3 | *4*\n\n> | x |\n> | - |\n> | y | z |\n");
    let [Block::Table(t), Block::BlockQuote(q)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(text_of(&t.rows[0][1]), "2 | 3 | 4");
    let [Block::Table(quoted)] = q.blocks.as_slice() else { panic!("{q:?}") };
    assert_eq!(text_of(&quoted.rows[0][0]), "y | z");
}

#[test]
fn a_row_with_as_many_or_fewer_cells_than_the_header_is_not_reported() {
    let (_, diags) = page("---\ntitle: T\n---\n| a | b |\n| --- | --- |\n| 1 |\n| 1 | 2 \\| 3 |\n| 1 | 2 |\u{a0}\n");
    assert!(!codes(&diags).contains(&"markdown/extra-cells"), "{diags:?}");
}

/// Property: whatever the arrangement of an HTML block's elements and text runs (siblings on
/// one line, inline elements mixed with text, a `<p>` closed in a later paragraph), every word
/// of it reaches the model. The arrangements are drawn from a fixed-seed generator.
#[test]
fn every_word_of_any_html_block_reaches_the_model() {
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let pieces = [
        "<p>",
        "</p>",
        "<br>",
        " ",
        "\n",
        "<strong>",
        "</strong>",
        "<em>",
        "</em>",
        "<span>",
        "</span>",
        "<ul><li>",
        "</li></ul>",
        "\n\n",
    ];
    for case in 0..300 {
        let mut body = String::from("<p>");
        let mut words = Vec::new();
        for i in 0..(3 + next(12)) {
            let word = format!("mot{case}x{i}");
            body.push_str(pieces[next(pieces.len() as u64) as usize]);
            body.push_str(&word);
            words.push(word);
        }
        body.push_str("</p>\n");
        let text = folio::text::blocks_plain_text(&blocks(&body));
        for word in &words {
            assert!(text.contains(word.as_str()), "{word} lost from {body:?}: {text:?}");
        }
    }
}

#[test]
fn an_anchor_without_href_is_its_text_not_an_empty_link() {
    let (p, diags) =
        page("---\ntitle: T\n---\n## <a name=\"CCT\">Le CCT</a>\n\n<p><a id=\"x\">Cible</a> et texte.</p>\n");
    assert!(diags.is_empty(), "{diags:?}");
    let mut links = 0;
    folio::walk::visit_blocks(&p.blocks, &mut |b| {
        for run in folio::walk::block_inlines(b) {
            folio::walk::visit_inlines(run, &mut |i| links += usize::from(matches!(i, Inline::Link(_))));
        }
    });
    assert_eq!(links, 0);
    assert_eq!(folio::text::blocks_plain_text(&p.blocks), "Le CCT\n\nCible et texte.");
}

#[test]
fn a_link_to_an_html_anchor_lands_on_the_heading_of_its_section() {
    let a = "---\ntitle: A\n---\n## <a name=\"CCT\">Le CCT</a>\n\nTexte <a id=\"plus-bas\">ici</a>.\n";
    let b = "---\ntitle: B\n---\nVoir [le CCT](../a/#CCT) et [plus bas](../a/#plus-bas).\n";
    let sources = [("a.md".to_string(), a.as_bytes().to_vec()), ("b.md".to_string(), b.as_bytes().to_vec())];
    let read = folio::reader::read_sources(&sources, &folio::assets::AssetStore::empty(), SiteMeta::default());
    assert!(!read.diagnostics.iter().any(|d| d.code.starts_with("link/")), "{:?}", read.diagnostics);
    let page_b = read.corpus.pages.iter().find(|p| p.source == "b.md").expect("b");
    let mut targets = Vec::new();
    folio::walk::visit_blocks(&page_b.blocks, &mut |blk| {
        for run in folio::walk::block_inlines(blk) {
            folio::walk::visit_inlines(run, &mut |i| {
                if let Inline::Link(l) = i {
                    targets.push(l.target.clone());
                }
            });
        }
    });
    let to_heading = LinkTarget::Page { key: "a".into(), anchor: Some("le-cct".into()) };
    assert_eq!(targets, [to_heading.clone(), to_heading]);
}
