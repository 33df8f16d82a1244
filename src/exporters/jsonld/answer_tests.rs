use super::*;
use crate::diagrams::RenderedDiagram;
use crate::model::*;
use std::collections::BTreeMap;

fn page(key: &str, url: &str, title: &str) -> Page {
    Page {
        key: key.into(),
        key_derived: false,
        url: url.into(),
        source: format!("{key}.md"),
        title: title.into(),
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
        anchors: Vec::new(),
        extra: BTreeMap::new(),
        blocks: Vec::new(),
    }
}

fn corpus() -> Corpus {
    Corpus {
        format_version: FORMAT_VERSION,
        site: SiteMeta { url: "https://site.fr/".into(), language: "fr".into(), ..SiteMeta::default() },
        pages: vec![page("etapes", "/fs/etapes/", "Quelles étapes ?")],
        records: Vec::new(),
        sections: Vec::new(),
    }
}

/// Renders blocks with the given diagram store; returns the HTML and the diagnostics.
fn render_with(blocks: &[Block], diagrams: &DiagramStore) -> (String, Vec<Diagnostic>) {
    let corpus = corpus();
    let urls = SiteUrls::new(&corpus).unwrap();
    let env = AnswerEnv { urls: &urls, diagrams };
    let mut diags = Vec::new();
    let mut writer = AnswerWriter::new(&env, "page.md", &mut diags);
    writer.blocks_to_html(blocks);
    let html = writer.finish();
    (html, diags)
}

fn render(blocks: &[Block]) -> (String, Vec<Diagnostic>) {
    render_with(blocks, &DiagramStore::empty())
}

fn pos() -> Pos {
    Pos { line: 3, col: 1 }
}

fn para(content: Vec<Inline>) -> Block {
    Block::Paragraph(ParagraphBlock { pos: pos(), content })
}

fn text(t: &str) -> Inline {
    Inline::Text(t.into())
}

fn link(href: &str, target: LinkTarget, label: &str) -> Inline {
    Inline::Link(Box::new(Link {
        pos: pos(),
        href: href.into(),
        target,
        title: Some("a title".into()),
        content: vec![text(label)],
    }))
}

#[test]
fn paragraph_text_is_escaped() {
    let (html, diags) = render(&[para(vec![text("a < b & \"c\" </script>")])]);
    assert_eq!(html, "<p>a &lt; b &amp; \"c\" &lt;/script&gt;</p>");
    assert!(diags.is_empty());
}

#[test]
fn emphasis_and_strong_keep_their_tags() {
    let (html, _) = render(&[para(vec![Inline::Emphasis(vec![text("a")]), Inline::Strong(vec![text("b")])])]);
    assert_eq!(html, "<p><em>a</em><strong>b</strong></p>");
}

#[test]
fn internal_link_becomes_absolute_with_its_anchor_and_loses_its_title() {
    let target = LinkTarget::Page { key: "etapes".into(), anchor: Some("etape-1".into()) };
    let (html, _) = render(&[para(vec![link("../etapes/#etape-1", target, "étape 1")])]);
    assert_eq!(html, "<p><a href=\"https://site.fr/fs/etapes/#etape-1\">étape 1</a></p>");
}

#[test]
fn asset_link_becomes_a_site_url() {
    let (html, _) =
        render(&[para(vec![link("/files/kit.zip", LinkTarget::Asset { path: "files/kit.zip".into() }, "kit")])]);
    assert_eq!(html, "<p><a href=\"https://site.fr/files/kit.zip\">kit</a></p>");
}

#[test]
fn broken_link_keeps_only_its_text() {
    let (html, _) = render(&[para(vec![link("../doc.md", LinkTarget::Broken { reason: "missing".into() }, "doc")])]);
    assert_eq!(html, "<p>doc</p>");
}

#[test]
fn javascript_link_keeps_only_its_text() {
    let target = LinkTarget::External { url: "javascript:alert(1)".into() };
    let (html, _) = render(&[para(vec![link("javascript:alert(1)", target, "x")])]);
    assert_eq!(html, "<p>x</p>");
}

#[test]
fn external_link_href_is_attribute_escaped() {
    let target = LinkTarget::External { url: "https://x.fr/?a=1&b=2".into() };
    let (html, _) = render(&[para(vec![link("https://x.fr/?a=1&b=2", target, "x")])]);
    assert_eq!(html, "<p><a href=\"https://x.fr/?a=1&amp;b=2\">x</a></p>");
}

#[test]
fn heading_keeps_its_level_but_not_its_id() {
    let heading = Block::Heading(Box::new(HeadingBlock {
        pos: pos(),
        level: 2,
        attr: Attr { id: Some("acteurs".into()), classes: vec!["x".into()] },
        content: vec![text("Acteurs")],
    }));
    assert_eq!(render(&[heading]).0, "<h2>Acteurs</h2>");
}

#[test]
fn tight_list_items_have_no_paragraphs_and_start_is_reported() {
    let list = Block::List(ListBlock {
        pos: pos(),
        start: Some(3),
        items: vec![ListItem { blocks: vec![para(vec![text("un")])] }],
    });
    let (html, diags) = render(&[list]);
    assert_eq!(html, "<ol><li>un</li></ol>");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, DEGRADED);
}

#[test]
fn code_block_becomes_a_paragraph_with_line_breaks_and_a_note() {
    let code = Block::Code(CodeBlock { pos: pos(), language: Some("http".into()), text: "GET /a\nHost: <x>\n".into() });
    let (html, diags) = render(&[code]);
    assert_eq!(html, "<p>GET /a<br>Host: &lt;x&gt;</p>");
    assert_eq!((diags[0].code, diags[0].line), (DEGRADED, 3));
}

#[test]
fn table_becomes_a_list_of_rows_with_headers() {
    let table = Block::Table(Box::new(TableBlock {
        pos: pos(),
        alignments: vec![Align::None, Align::None],
        header: vec![vec![text("Nom")], vec![text("Rôle")]],
        rows: vec![vec![vec![text("FC")], vec![text("pivot")]]],
    }));
    let (html, diags) = render(&[table]);
    assert_eq!(html, "<ul><li><b>Nom</b> : FC ; <b>Rôle</b> : pivot</li></ul>");
    assert_eq!(diags.len(), 1);
}

#[test]
fn figure_becomes_a_link_to_the_image() {
    let image = Image {
        pos: pos(),
        src: "/images/a.png".into(),
        target: LinkTarget::Asset { path: "images/a.png".into() },
        alt: "Schéma".into(),
        title: None,
    };
    let (html, diags) = render(&[Block::Figure(Box::new(FigureBlock { pos: pos(), image, caption: Vec::new() }))]);
    assert_eq!(html, "<p><a href=\"https://site.fr/images/a.png\">Schéma</a></p>");
    assert_eq!(diags[0].code, DEGRADED);
}

#[test]
fn unrendered_diagram_is_written_as_its_source() {
    let diagram = Block::Diagram(Box::new(DiagramBlock {
        pos: pos(),
        language: "mermaid".into(),
        source: "sequenceDiagram\nA->>B: hi".into(),
        digest: "d1".into(),
    }));
    let (html, diags) = render(&[diagram]);
    assert_eq!(html, "<p>sequenceDiagram<br>A-&gt;&gt;B: hi</p>");
    assert!(diags[0].message.contains("source"));
}

#[test]
fn rendered_diagram_is_written_as_its_description() {
    let mut store = DiagramStore::empty();
    let svg = "<svg/>".to_string();
    store.insert(
        "d1".into(),
        RenderedDiagram { svg, width: 10.0, height: 10.0, description: "Sequence diagram between A, B".into() },
    );
    let diagram = Block::Diagram(Box::new(DiagramBlock {
        pos: pos(),
        language: "mermaid".into(),
        source: "x".into(),
        digest: "d1".into(),
    }));
    let (html, diags) = render_with(&[diagram], &store);
    assert_eq!(html, "<p>Sequence diagram between A, B</p>");
    assert!(diags[0].message.contains("description"));
}

#[test]
fn raw_block_is_escaped_text_never_markup() {
    let raw = Block::Raw(RawBlock { pos: pos(), format: "html".into(), text: "<button onclick=x>Go</button>".into() });
    let (html, diags) = render(&[raw]);
    assert_eq!(html, "<p>&lt;button onclick=x&gt;Go&lt;/button&gt;</p>");
    assert_eq!(diags.len(), 1);
}

#[test]
fn callout_title_becomes_strong_text() {
    let callout = Block::Callout(CalloutBlock {
        pos: pos(),
        kind: CalloutKind::Warning,
        title: Some("Attention".into()),
        blocks: vec![para(vec![text("x")])],
    });
    assert_eq!(render(&[callout]).0, "<p><strong>Attention</strong></p><p>x</p>");
}

#[test]
fn see_also_list_links_to_pages_by_their_title() {
    let list = Block::SeeAlsoList(SeeAlsoListBlock {
        pos: pos(),
        items: vec![
            SeeAlso {
                pos: Pos::default(),
                key: "etapes".into(),
                target: LinkTarget::Page { key: "etapes".into(), anchor: None },
            },
            SeeAlso {
                pos: Pos::default(),
                key: "absent".into(),
                target: LinkTarget::Broken { reason: "unknown key".into() },
            },
        ],
    });
    let (html, _) = render(&[list]);
    assert_eq!(html, "<ul><li><a href=\"https://site.fr/fs/etapes/\">Quelles étapes ?</a></li><li>absent</li></ul>");
}

#[test]
fn thematic_break_is_left_out_with_a_note() {
    let (html, diags) = render(&[Block::ThematicBreak(ThematicBreakBlock { pos: pos() })]);
    assert_eq!(html, "");
    assert_eq!(diags.len(), 1);
}

#[test]
fn image_inside_a_link_does_not_nest_anchors() {
    let image = Image {
        pos: pos(),
        src: "/a.png".into(),
        target: LinkTarget::Asset { path: "a.png".into() },
        alt: "logo".into(),
        title: None,
    };
    let inner = Inline::Link(Box::new(Link {
        pos: pos(),
        href: "https://x.fr".into(),
        target: LinkTarget::External { url: "https://x.fr".into() },
        title: None,
        content: vec![Inline::Image(Box::new(image))],
    }));
    let (html, _) = render(&[para(vec![inner])]);
    assert_eq!(html, "<p><a href=\"https://x.fr\">logo</a></p>");
}

#[test]
fn strikethrough_is_plain_text_with_a_note() {
    let (html, diags) = render(&[para(vec![Inline::Strikethrough(vec![text("old")])])]);
    assert_eq!(html, "<p>old</p>");
    assert_eq!(diags[0].code, DEGRADED);
}

#[test]
fn spaces_at_the_ends_of_a_heading_are_trimmed() {
    let heading = Block::Heading(Box::new(HeadingBlock {
        pos: pos(),
        level: 3,
        attr: Attr::default(),
        content: vec![text(" "), Inline::Code("GET /jwks".into()), text(" ")],
    }));
    assert_eq!(render(&[heading]).0, "<h3>GET /jwks</h3>");
}
