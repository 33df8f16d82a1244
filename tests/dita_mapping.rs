//! How model elements map to DITA, one behaviour per test, on pages built in the test.

mod common;

use folio::assets::AssetStore;
use folio::build::Loaded;
use folio::diagnostics::Diagnostic;
use folio::diagrams::{DiagramStore, RenderedDiagram};
use folio::exporter::{BuildTime, MemorySink};
use folio::exporters::dita::DitaExporter;
use folio::model::*;
use std::collections::BTreeMap;

fn pos(line: u32) -> Pos {
    Pos { line, col: 1 }
}

fn text(s: &str) -> Vec<Inline> {
    vec![Inline::Text(s.to_string())]
}

fn page(key: &str, blocks: Vec<Block>) -> Page {
    Page {
        key: key.to_string(),
        key_derived: false,
        url: format!("/{key}/"),
        source: format!("{key}.md"),
        title: format!("Titre {key}"),
        summary: None,
        category: None,
        tags: Vec::new(),
        breadcrumb: Vec::new(),
        order: None,
        kind: PageKind::Question,
        navigation: None,
        see_also: Vec::new(),
        anchor_aliases: Vec::new(),
        language: "fr".into(),
        anchors: anchors(&blocks),
        extra: BTreeMap::new(),
        blocks,
    }
}

fn anchors(blocks: &[Block]) -> Vec<String> {
    let mut ids = Vec::new();
    folio::walk::visit_blocks(blocks, &mut |b| {
        if let Block::Heading(h) = b {
            ids.extend(h.attr.id.clone());
        } else if let Block::Section(s) = b {
            ids.extend(s.attr.id.clone());
        }
    });
    ids
}

fn heading(level: u8, id: &str, title: &str, line: u32) -> Block {
    Block::Heading(Box::new(HeadingBlock {
        pos: pos(line),
        level,
        attr: Attr { id: Some(id.into()), classes: vec![] },
        content: text(title),
    }))
}

fn para(content: Vec<Inline>, line: u32) -> Block {
    Block::Paragraph(ParagraphBlock { pos: pos(line), content })
}

fn link(target: LinkTarget, label: &str) -> Inline {
    Inline::Link(Box::new(Link { pos: pos(1), href: "HREF".into(), target, title: None, content: text(label) }))
}

fn loaded(pages: Vec<Page>, diagrams: DiagramStore) -> Loaded {
    let site = SiteMeta { title: "Site".into(), language: "fr".into(), ..SiteMeta::default() };
    let corpus = Corpus { format_version: FORMAT_VERSION, site, pages, records: vec![], sections: vec![] };
    Loaded {
        corpus,
        assets: AssetStore::empty(),
        diagrams,
        build_time: BuildTime { epoch_seconds: common::EPOCH },
        diagnostics: vec![],
        bytes_read: 0,
    }
}

/// Exports the pages; returns the conbody/taskbody part of the first topic, and everything.
fn body_of(pages: Vec<Page>) -> (String, MemorySink, Vec<Diagnostic>) {
    export_with(pages, DiagramStore::empty())
}

fn export_with(pages: Vec<Page>, diagrams: DiagramStore) -> (String, MemorySink, Vec<Diagnostic>) {
    let key = pages[0].key.clone();
    let (sink, diags) = common::export(&loaded(pages, diagrams), &DitaExporter, &toml::Table::new());
    let topic = String::from_utf8(sink.files[&format!("topics/{key}.dita")].clone()).unwrap();
    let start = topic.find("body>").map_or(0, |i| topic[..i].rfind('<').unwrap());
    (topic[start..].to_string(), sink, diags)
}

fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
    diags.iter().map(|d| d.code).collect()
}

#[test]
fn callout_becomes_note_with_its_title() {
    let callout = Block::Callout(CalloutBlock {
        pos: pos(3),
        kind: CalloutKind::Note,
        title: Some("À retenir".into()),
        blocks: vec![para(text("x"), 4)],
    });
    let (body, _, _) = body_of(vec![page("p", vec![callout])]);
    assert!(body.contains(r#"<note type="other" othertype="À retenir" outputclass="callout">"#), "{body}");
}

#[test]
fn warning_alert_becomes_attention_note_keeping_its_title() {
    let alert = Block::Callout(CalloutBlock {
        pos: pos(3),
        kind: CalloutKind::Warning,
        title: Some("Attention".into()),
        blocks: vec![],
    });
    let (body, _, _) = body_of(vec![page("p", vec![alert])]);
    assert!(body.contains(r#"<note type="attention" outputclass="alert-warning">"#), "{body}");
    assert!(body.contains(r#"<p outputclass="note-title"><b>Attention</b></p>"#), "{body}");
}

#[test]
fn callout_inside_a_callout_joins_the_outer_note_with_a_diagnostic() {
    let inner = Block::Callout(CalloutBlock {
        pos: pos(4),
        kind: CalloutKind::Info,
        title: Some("Dedans".into()),
        blocks: vec![para(text("y"), 5)],
    });
    let outer = Block::Callout(CalloutBlock { pos: pos(3), kind: CalloutKind::Note, title: None, blocks: vec![inner] });
    let (body, _, diags) = body_of(vec![page("p", vec![outer])]);
    assert_eq!(body.matches("<note").count(), 1, "{body}");
    assert!(body.contains("<b>Dedans</b>") && body.contains("<p>y</p>"), "{body}");
    assert_eq!(codes(&diags), ["dita/nested-note"]);
}

#[test]
fn h2_becomes_a_section_and_deeper_headings_nested_sectiondivs() {
    let blocks = vec![
        para(text("intro"), 1),
        heading(2, "a", "A", 2),
        heading(3, "b", "B", 3),
        heading(4, "c", "C", 4),
        para(text("in c"), 5),
        heading(3, "d", "D", 6),
        heading(2, "e", "E", 7),
    ];
    let (body, _, _) = body_of(vec![page("p", blocks)]);
    let shape: Vec<&str> =
        body.lines().map(str::trim).filter(|l| l.starts_with("<section") || l.starts_with("</section")).collect();
    assert_eq!(
        shape,
        [
            r#"<section id="a" outputclass="h2">"#,
            r#"<sectiondiv id="b" outputclass="h3">"#,
            r#"<sectiondiv id="c" outputclass="h4">"#,
            "</sectiondiv>",
            "</sectiondiv>",
            r#"<sectiondiv id="d" outputclass="h3">"#,
            "</sectiondiv>",
            "</section>",
            r#"<section id="e" outputclass="h2">"#,
            "</section>",
        ],
        "{body}"
    );
    assert!(body.starts_with("<conbody>\n    <p>intro</p>"), "{body}");
}

#[test]
fn headings_without_a_shallower_open_section_become_sections() {
    let blocks =
        vec![heading(3, "a", "A", 1), heading(3, "b", "B", 2), heading(2, "c", "C", 3), heading(3, "d", "D", 4)];
    let (body, _, _) = body_of(vec![page("p", blocks)]);
    assert!(
        body.contains(r#"<section id="a" outputclass="h3">"#) && body.contains(r#"<section id="b" outputclass="h3">"#),
        "{body}"
    );
    assert!(body.contains(r#"<sectiondiv id="d" outputclass="h3">"#), "{body}");
}

#[test]
fn accordion_becomes_a_sectiondiv_of_the_heading_above_and_later_blocks_follow_it() {
    let accordion = Block::Section(Box::new(SectionBlock {
        pos: pos(2),
        level: 3,
        attr: Attr { id: Some("acc".into()), classes: vec![] },
        title: text("GET /x"),
        blocks: vec![heading(5, "desc", "Description", 3), para(text("d"), 4)],
    }));
    let blocks = vec![heading(3, "top", "Top", 1), accordion, para(text("after"), 5)];
    let (body, _, _) = body_of(vec![page("p", blocks)]);
    assert!(body.contains(r#"<sectiondiv id="acc" outputclass="h3">"#), "{body}");
    assert!(body.contains(r#"<sectiondiv id="desc" outputclass="h5">"#), "{body}");
    let after = body.find("<p>after</p>").unwrap();
    assert!(body[..after].ends_with("</sectiondiv>\n      "), "after the accordion, inside the section: {body}");
}

#[test]
fn accordion_with_no_section_open_is_a_section_and_blocks_after_it_get_an_untitled_one() {
    let accordion = Block::Section(Box::new(SectionBlock {
        pos: pos(1),
        level: 3,
        attr: Attr { id: Some("acc".into()), classes: vec![] },
        title: text("T"),
        blocks: vec![],
    }));
    let (body, _, _) = body_of(vec![page("p", vec![accordion, para(text("after"), 2)])]);
    assert!(body.contains(r#"<section id="acc" outputclass="h3">"#), "{body}");
    assert!(body.contains("<section>\n      <p>after</p>"), "{body}");
}

#[test]
fn numbered_headings_make_a_task_with_steps_and_a_result() {
    let summary = Block::Callout(CalloutBlock {
        pos: pos(6),
        kind: CalloutKind::Note,
        title: Some("En bref".into()),
        blocks: vec![],
    });
    let blocks = vec![
        para(text("avant"), 1),
        heading(3, "s1", "1. Demander", 2),
        para(text("info"), 3),
        heading(3, "s2", "2. Intégrer", 4),
        summary,
    ];
    let (body, sink, _) = body_of(vec![page("p", blocks)]);
    assert!(sink.files.contains_key("topics/p.dita"));
    assert!(body.starts_with("<taskbody>\n    <context>\n      <p>avant</p>"), "{body}");
    assert!(
        body.contains("<step id=\"s1\">\n        <cmd>Demander</cmd>\n        <info>\n          <p>info</p>"),
        "{body}"
    );
    assert!(body.contains("<step id=\"s2\">\n        <cmd>Intégrer</cmd>\n      </step>"), "{body}");
    assert!(body.contains("<result>\n      <note type=\"other\" othertype=\"En bref\""), "{body}");
}

#[test]
fn headings_out_of_sequence_keep_the_page_a_concept() {
    let blocks = vec![heading(3, "s1", "1. Demander", 1), heading(3, "s2", "3. Intégrer", 2)];
    let (body, _, _) = body_of(vec![page("p", blocks)]);
    assert!(body.starts_with("<conbody>"), "{body}");
}

#[test]
fn internal_link_points_at_the_target_topic_and_element() {
    let target = LinkTarget::Page { key: "q".into(), anchor: Some("1-etape".into()) };
    let p = page("p", vec![para(vec![link(target, "voir")], 1)]);
    let q = page("q", vec![heading(2, "1-etape", "1 étape", 1)]);
    let (body, sink, _) = body_of(vec![p, q]);
    assert!(body.contains(r#"<xref href="q.dita#q/id-1-etape" format="dita">voir</xref>"#), "{body}");
    let target = String::from_utf8(sink.files["topics/q.dita"].clone()).unwrap();
    assert!(target.contains(r#"<section id="id-1-etape""#), "anchor ids are made valid XML names: {target}");
}

#[test]
fn external_link_is_an_external_html_xref() {
    let p = page("p", vec![para(vec![link(LinkTarget::External { url: "https://a.fr/?x=1&y=2".into() }, "a")], 1)]);
    let (body, _, _) = body_of(vec![p]);
    assert!(
        body.contains(r#"<xref href="https://a.fr/?x=1&amp;y=2" scope="external" format="html">a</xref>"#),
        "{body}"
    );
}

#[test]
fn broken_link_is_plain_text() {
    let p = page("p", vec![para(vec![link(LinkTarget::Broken { reason: "gone".into() }, "perdu")], 1)]);
    let (body, _, diags) = body_of(vec![p]);
    assert!(body.contains("<p>perdu</p>"), "{body}");
    assert!(diags.is_empty(), "the reader has already reported it: {diags:?}");
}

#[test]
fn link_in_a_heading_keeps_its_text_with_a_diagnostic() {
    let h = Block::Heading(Box::new(HeadingBlock {
        pos: pos(2),
        level: 2,
        attr: Attr { id: Some("h".into()), classes: vec![] },
        content: vec![link(LinkTarget::External { url: "https://a.fr".into() }, "lien")],
    }));
    let (body, _, diags) = body_of(vec![page("p", vec![h])]);
    assert!(body.contains("<title>lien</title>"), "{body}");
    assert_eq!(codes(&diags), ["dita/link-in-title"]);
    assert_eq!(diags[0].line, 2);
}

#[test]
fn table_is_a_cals_table_with_header_alignment_and_padded_rows() {
    let table = Block::Table(Box::new(TableBlock {
        pos: pos(1),
        alignments: vec![Align::Left, Align::Right],
        header: vec![text("a"), text("b")],
        rows: vec![vec![text("1")]],
    }));
    let (body, _, _) = body_of(vec![page("p", vec![table])]);
    assert!(body.contains(r#"<tgroup cols="2">"#), "{body}");
    assert!(body.contains(r#"<colspec colname="c2" colnum="2" align="right"/>"#), "{body}");
    assert!(body.contains("<thead>") && body.contains("<entry>1</entry>"), "{body}");
    assert!(body.contains("<entry/>"), "the short row is padded: {body}");
}

#[test]
fn line_breaks_split_paragraphs_and_table_entries() {
    let content = vec![Inline::Text("a".into()), Inline::LineBreak, Inline::Text("b".into())];
    let table = Block::Table(Box::new(TableBlock {
        pos: pos(2),
        alignments: vec![],
        header: vec![text("h")],
        rows: vec![vec![content.clone()]],
    }));
    let (body, _, diags) = body_of(vec![page("p", vec![para(content, 1), table])]);
    assert!(body.contains("<p>a</p>\n    <p>b</p>"), "{body}");
    assert!(body.contains("<entry><p>a</p><p>b</p></entry>"), "{body}");
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn code_block_keeps_its_language_as_outputclass() {
    let code = Block::Code(CodeBlock { pos: pos(1), language: Some("json".into()), text: "{\"a\": 1}\n".into() });
    let (body, _, _) = body_of(vec![page("p", vec![code])]);
    assert!(body.contains("<codeblock outputclass=\"language-json\">{\"a\": 1}\n</codeblock>"), "{body}");
}

#[test]
fn diagram_without_drawing_is_a_fig_with_its_source() {
    let d = Block::Diagram(Box::new(DiagramBlock {
        pos: pos(1),
        language: "mermaid".into(),
        source: "A->>B: hi".into(),
        digest: "ab12".into(),
    }));
    let (body, sink, _) = body_of(vec![page("p", vec![d])]);
    assert!(body.contains("<fig outputclass=\"diagram\">\n      <codeblock outputclass=\"language-mermaid\">A-&gt;&gt;B: hi</codeblock>"), "{body}");
    assert!(!sink.files.keys().any(|k| k.ends_with(".svg")));
}

#[test]
fn drawn_diagram_is_an_svg_image_with_alt_and_its_source() {
    let digest = "0123456789abcdef0123456789abcdef".to_string();
    let mut store = DiagramStore::empty();
    let svg = RenderedDiagram {
        svg: "<svg/>".into(),
        width: 10.0,
        height: 10.0,
        description: "Sequence diagram between A, B".into(),
    };
    store.insert(digest.clone(), svg);
    let d = Block::Diagram(Box::new(DiagramBlock {
        pos: pos(1),
        language: "mermaid".into(),
        source: "A->>B: hi".into(),
        digest,
    }));
    let (body, sink, _) = export_with(vec![page("p", vec![d])], store);
    assert!(body.contains(r#"<image href="../images/diagrams/0123456789abcdef.svg" placement="break"><alt>Sequence diagram between A, B</alt></image>"#), "{body}");
    assert!(body.contains("<codeblock outputclass=\"language-mermaid\">"), "{body}");
    assert_eq!(sink.files["images/diagrams/0123456789abcdef.svg"], b"<svg/>");
}

#[test]
fn figure_is_a_fig_with_title_and_image_alt() {
    let image = Image {
        pos: pos(1),
        src: "https://a.fr/i.png".into(),
        target: LinkTarget::External { url: "https://a.fr/i.png".into() },
        alt: "Alt".into(),
        title: None,
    };
    let fig = Block::Figure(Box::new(FigureBlock { pos: pos(1), image, caption: text("Légende") }));
    let (body, _, _) = body_of(vec![page("p", vec![fig])]);
    assert!(body.contains("<fig>\n      <title>Légende</title>\n      <image href=\"https://a.fr/i.png\" scope=\"external\" placement=\"break\"><alt>Alt</alt></image>"), "{body}");
}

#[test]
fn quote_becomes_lq() {
    let q = Block::BlockQuote(BlockQuoteBlock { pos: pos(1), blocks: vec![para(text("cité"), 1)] });
    let (body, _, _) = body_of(vec![page("p", vec![q])]);
    assert!(body.contains("<lq>\n      <p>cité</p>\n    </lq>"), "{body}");
}

#[test]
fn card_and_page_list_are_lists_of_xrefs() {
    let card = Block::Card(Box::new(CardBlock {
        pos: pos(1),
        title: "Carte".into(),
        description: Some("desc".into()),
        href: "/q/".into(),
        target: LinkTarget::Page { key: "q".into(), anchor: None },
        tags: vec!["t".into()],
    }));
    let item = PageListItem { key: "q".into(), title: "Titre q".into(), summary: None, tags: vec![] };
    let list = Block::PageList(PageListBlock { pos: pos(2), category: "cat".into(), items: vec![item] });
    let (body, _, _) = body_of(vec![page("p", vec![card, list]), page("q", vec![])]);
    assert!(
        body.contains(r#"<ul outputclass="card">"#)
            && body.contains(r#"<p><xref href="q.dita#q" format="dita">Carte</xref></p>"#),
        "{body}"
    );
    assert!(body.contains(r#"<p outputclass="tags"><keyword>t</keyword></p>"#), "{body}");
    assert!(
        body.contains(r#"<ul outputclass="page-list cat">"#)
            && body.contains(r#"<xref href="q.dita#q" format="dita">Titre q</xref>"#),
        "{body}"
    );
}

#[test]
fn front_matter_becomes_the_prolog() {
    let mut p = page("p", vec![]);
    p.tags = vec!["FranceConnect".into()];
    p.category = Some("fs-projet".into());
    p.summary = Some("Résumé".into());
    p.extra.insert("img".into(), serde_json::json!("fs/a.png"));
    let (_, sink, _) = body_of(vec![p]);
    let topic = String::from_utf8(sink.files["topics/p.dita"].clone()).unwrap();
    assert!(topic.contains("<shortdesc>Résumé</shortdesc>"));
    assert!(topic.contains("<revised modified=\"2024-03-01\"/>"));
    assert!(topic.contains("<category>fs-projet</category>"));
    assert!(topic.contains("<keyword>FranceConnect</keyword>"));
    assert!(topic.contains(r#"<othermeta name="img" content="fs/a.png"/>"#));
    assert!(topic.contains(r#"<resourceid id="p" appname="folio"/>"#));
}

#[test]
fn page_key_that_is_not_an_xml_name_gets_a_valid_topic_id_and_keeps_its_key_as_resourceid() {
    let (sink, _) = common::export(
        &loaded(vec![page("1 page", vec![])], DiagramStore::empty()),
        &DitaExporter,
        &toml::Table::new(),
    );
    let topic = String::from_utf8(sink.files["topics/id-1-page.dita"].clone()).unwrap();
    assert!(topic.contains(r#"<concept id="id-1-page""#), "{topic}");
    assert!(topic.contains(r#"<resourceid id="1 page" appname="folio"/>"#), "{topic}");
}

/// One of each block, and each again inside a list item, a note, a quote and an accordion:
/// the combinations the corpora may not have yet must still be valid DITA.
fn image(line: u32, target: LinkTarget) -> Image {
    Image { pos: pos(line), src: "i.png".into(), target, alt: "alt".into(), title: Some("t".into()) }
}

/// Every inline, with the combinations DITA restricts (an image in bold, a link in a title).
fn rich_inlines(line: u32) -> Vec<Inline> {
    vec![
        Inline::Strong(vec![
            Inline::Image(Box::new(image(line, LinkTarget::External { url: "https://a.fr/i.png".into() }))),
            Inline::Text("gras".into()),
        ]),
        Inline::Emphasis(vec![link(LinkTarget::External { url: "https://a.fr".into() }, "lien")]),
        Inline::Strikethrough(text("barré")),
        Inline::Code("code".into()),
        Inline::SoftBreak,
        Inline::Image(Box::new(image(line, LinkTarget::Broken { reason: "x".into() }))),
        Inline::Link(Box::new(Link {
            pos: pos(line),
            href: "h".into(),
            target: LinkTarget::External { url: "https://a.fr".into() },
            title: Some("titre".into()),
            content: vec![Inline::Image(Box::new(image(
                line,
                LinkTarget::External { url: "https://a.fr/j.png".into() },
            )))],
        })),
        Inline::LineBreak,
        Inline::Text("fin".into()),
    ]
}

fn every_block(line: u32) -> Vec<Block> {
    let rich = rich_inlines(line);
    let item = ListItem { blocks: vec![para(rich.clone(), line), heading(4, &format!("li{line}"), "Titre", line)] };
    vec![
        heading(5, &format!("h{line}"), "Titre", line),
        para(rich.clone(), line),
        Block::List(ListBlock { pos: pos(line), start: Some(3), items: vec![item] }),
        Block::Code(CodeBlock { pos: pos(line), language: None, text: "x".into() }),
        Block::Diagram(Box::new(DiagramBlock {
            pos: pos(line),
            language: "mermaid".into(),
            source: "A->>B: x".into(),
            digest: "ff".into(),
        })),
        Block::Table(Box::new(TableBlock {
            pos: pos(line),
            alignments: vec![Align::Center],
            header: vec![rich.clone()],
            rows: vec![],
        })),
        Block::Figure(Box::new(FigureBlock {
            pos: pos(line),
            image: image(line, LinkTarget::Broken { reason: "x".into() }),
            caption: rich.clone(),
        })),
        Block::Card(Box::new(CardBlock {
            pos: pos(line),
            title: "c".into(),
            description: None,
            href: "h".into(),
            target: LinkTarget::Broken { reason: "x".into() },
            tags: vec![],
        })),
        Block::SeeAlsoList(SeeAlsoListBlock {
            pos: pos(line),
            items: vec![SeeAlso {
                pos: Pos::default(),
                key: "nope".into(),
                target: LinkTarget::Broken { reason: "x".into() },
            }],
        }),
        Block::ThematicBreak(ThematicBreakBlock { pos: pos(line) }),
        Block::Raw(RawBlock { pos: pos(line), format: "html".into(), text: "<div>".into() }),
    ]
}

fn containers(line: u32, inner: Vec<Block>) -> Vec<Block> {
    let quote = Block::QuoteFigure(Box::new(QuoteFigureBlock { pos: pos(line), image: None, blocks: inner.clone() }));
    let callout = Block::Callout(CalloutBlock {
        pos: pos(line),
        kind: CalloutKind::Error,
        title: Some("E".into()),
        blocks: inner.clone(),
    });
    vec![
        Block::BlockQuote(BlockQuoteBlock { pos: pos(line), blocks: vec![quote, callout.clone()] }),
        Block::Callout(CalloutBlock {
            pos: pos(line),
            kind: CalloutKind::Note,
            title: None,
            blocks: vec![callout, Block::BlockQuote(BlockQuoteBlock { pos: pos(line), blocks: inner.clone() })],
        }),
        Block::List(ListBlock { pos: pos(line), start: None, items: vec![ListItem { blocks: inner.clone() }] }),
        Block::Section(Box::new(SectionBlock {
            pos: pos(line),
            level: 3,
            attr: Attr { id: Some(format!("s{line}")), classes: vec![] },
            title: text("Acc"),
            blocks: inner,
        })),
    ]
}

#[test]
fn every_block_in_every_container_is_valid_dita() {
    let mut blocks = every_block(1);
    blocks.extend(containers(2, every_block(3)));
    blocks.push(heading(2, "deux", "Deux", 4));
    blocks.extend(containers(5, every_block(6)));
    blocks.extend(every_block(7));
    // A task's steps hold no heading, so the blocks that carry one are left out there.
    let mut steps = vec![para(text("contexte"), 1), heading(2, "e1", "1. Un", 2)];
    steps.extend(every_block(3).into_iter().filter(|b| !matches!(b, Block::Heading(_) | Block::List(_))));
    steps.push(heading(2, "e2", "2. Deux", 4));
    let (sink, diags) = common::export(
        &loaded(vec![page("p", blocks), page("t", steps)], DiagramStore::empty()),
        &DitaExporter,
        &toml::Table::new(),
    );
    assert!(String::from_utf8(sink.files["topics/t.dita"].clone()).unwrap().contains("<task"));
    for code in [
        "dita/nested-note",
        "dita/nested-quote",
        "dita/image-as-text",
        "dita/list-start",
        "dita/strikethrough",
        "dita/thematic-break",
        "dita/table-empty-body",
        "dita/image-title",
        "dita/link-in-title",
    ] {
        assert!(codes(&diags).contains(&code), "{code} reported");
    }
    if common::validator_available("command -v xmllint && test -f /usr/share/dita-ot/catalog-dita.xml") {
        let dir = common::scratch("dita-every-block");
        let paths = common::write_sink(&sink, &dir);
        let refs: Vec<&std::path::Path> =
            paths.iter().map(|p| p.as_path()).filter(|p| p.extension().is_some_and(|e| e != "svg")).collect();
        common::run_validator("dita-validate.sh", &refs);
    }
}

#[test]
fn section_without_index_page_and_several_categories_become_topicheads() {
    let mut a = page("a", vec![]);
    a.category = Some("cat-a".into());
    let b = page("b", vec![]);
    let orphan = page("orphan", vec![]);
    let groups = vec![
        CategoryGroup { category: Some("cat-a".into()), pages: vec!["a".into()] },
        CategoryGroup { category: None, pages: vec!["b".into()] },
    ];
    let section = Section { url: "/s/".into(), title: "Rubrique".into(), index: None, groups, children: vec![] };
    let mut loaded = loaded(vec![a, b, orphan], DiagramStore::empty());
    loaded.corpus.sections = vec![section];
    let (sink, _) = common::export(&loaded, &DitaExporter, &toml::Table::new());
    let map = String::from_utf8(sink.files["site.ditamap"].clone()).unwrap();
    let heads: Vec<&str> = map.lines().map(str::trim).filter(|l| l.starts_with("<navtitle>")).collect();
    assert_eq!(
        heads[..5],
        [
            "<navtitle>Rubrique</navtitle>",
            "<navtitle>cat-a</navtitle>",
            "<navtitle>Titre a</navtitle>",
            "<navtitle>Rubrique</navtitle>",
            "<navtitle>Titre b</navtitle>",
        ],
        "{map}"
    );
    assert!(map.contains("<topichead>\n    <topicmeta>\n      <navtitle>Rubrique"), "{map}");
    assert!(map.contains(r#"<topichead outputclass="category">"#), "{map}");
    assert!(
        map.contains(r#"<topicref href="topics/orphan.dita" type="concept">"#),
        "pages outside the tree still get a topicref"
    );
    if common::validator_available("command -v xmllint && test -f /usr/share/dita-ot/catalog-dita.xml") {
        let dir = common::scratch("dita-topichead");
        let paths = common::write_sink(&sink, &dir);
        let refs: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
        common::run_validator("dita-validate.sh", &refs);
    }
}
