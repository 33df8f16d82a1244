//! How each model element reaches an EPUB chapter, on small hand-built corpora.

mod common;

use folio::assets::AssetStore;
use folio::build::Loaded;
use folio::diagnostics::Diagnostic;
use folio::diagrams::{DiagramStore, RenderedDiagram};
use folio::exporter::{BuildTime, Exporter, Limits, MemorySink};
use folio::exporters::epub::EpubExporter;
use folio::model::*;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

const AT: Pos = Pos { line: 7, col: 1 };

fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

fn para(content: Vec<Inline>) -> Block {
    Block::Paragraph(ParagraphBlock { pos: AT, content })
}

fn heading(level: u8, id: &str, title: &str) -> Block {
    Block::Heading(Box::new(HeadingBlock {
        pos: AT,
        level,
        attr: Attr { id: Some(id.to_string()), classes: vec![] },
        content: vec![text(title)],
    }))
}

fn link(target: LinkTarget, label: &str) -> Inline {
    Inline::Link(Box::new(Link {
        pos: AT,
        href: "as-written".to_string(),
        target,
        title: None,
        content: vec![text(label)],
    }))
}

fn to_page(key: &str, anchor: Option<&str>) -> LinkTarget {
    LinkTarget::Page { key: key.to_string(), anchor: anchor.map(str::to_string) }
}

fn image(path: &str, alt: &str) -> Image {
    Image {
        pos: AT,
        src: format!("/{path}"),
        target: LinkTarget::Asset { path: path.to_string() },
        alt: alt.to_string(),
        title: None,
    }
}

fn page(key: &str, blocks: Vec<Block>) -> Page {
    Page {
        key: key.to_string(),
        key_derived: false,
        url: format!("/{key}/"),
        source: format!("{key}.md"),
        title: format!("Titre de {key}"),
        summary: None,
        category: None,
        tags: vec![],
        breadcrumb: vec![],
        order: None,
        kind: PageKind::Question,
        navigation: None,
        see_also: vec![],
        anchor_aliases: Vec::new(),
        language: "fr".into(),
        anchors: vec![],
        extra: BTreeMap::new(),
        blocks,
    }
}

fn corpus(pages: Vec<Page>) -> Corpus {
    Corpus {
        format_version: FORMAT_VERSION,
        site: SiteMeta {
            title: "Site".to_string(),
            url: "https://site.example/".to_string(),
            language: "fr".to_string(),
            description: "Description".to_string(),
            publisher: "Éditeur".to_string(),
        },
        pages,
        records: vec![],
        sections: vec![],
    }
}

fn loaded(corpus: Corpus, diagrams: DiagramStore) -> Loaded {
    let assets = AssetStore::new(&common::root().join("tests/fixtures/epub-images")).unwrap();
    Loaded {
        corpus,
        assets,
        diagrams,
        build_time: BuildTime { epoch_seconds: common::EPOCH },
        diagnostics: vec![],
        bytes_read: 0,
    }
}

/// Exports with the given limits; returns every text file of the book and the diagnostics.
fn export_with(loaded: &Loaded, limits: Limits) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let options = toml::Table::new();
    let ctx = loaded.context(&options, limits);
    let mut sink = MemorySink::default();
    let mut diags = Vec::new();
    EpubExporter.export(&ctx, &mut sink, &mut diags).unwrap();
    let bytes = sink.files.into_values().next().unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        files.insert(file.name().to_string(), String::from_utf8_lossy(&content).into_owned());
    }
    (files, diags)
}

/// The chapter of page `a` when the book holds pages `a` (with `blocks`) and `b`.
fn chapter_of(blocks: Vec<Block>) -> (String, Vec<Diagnostic>) {
    let b = page("b", vec![heading(2, "1-etape", "Étape un"), heading(2, "suite", "Suite")]);
    let loaded = loaded(corpus(vec![page("a", blocks), b]), DiagramStore::empty());
    let (mut files, diags) = export_with(&loaded, Limits::default());
    (files.remove("OEBPS/a.xhtml").unwrap(), diags)
}

fn codes(diags: &[Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.code).collect()
}

#[test]
fn link_to_another_page_points_at_its_chapter_and_anchor() {
    let (xhtml, _) = chapter_of(vec![para(vec![link(to_page("b", Some("suite")), "la suite")])]);
    assert!(xhtml.contains("<a href=\"b.xhtml#suite\">la suite</a>"), "{xhtml}");
}

#[test]
fn anchor_starting_with_a_digit_gets_a_valid_xml_id_on_both_ends() {
    let (xhtml, _) = chapter_of(vec![para(vec![link(to_page("b", Some("1-etape")), "étape")])]);
    assert!(xhtml.contains("<a href=\"b.xhtml#id-1-etape\">"), "{xhtml}");
    let b = page("b", vec![heading(2, "1-etape", "Étape un")]);
    let (files, _) = export_with(&loaded(corpus(vec![b]), DiagramStore::empty()), Limits::default());
    assert!(files["OEBPS/b.xhtml"].contains("<h2 id=\"id-1-etape\">Étape un</h2>"));
}

#[test]
fn link_inside_the_same_page_is_a_bare_fragment() {
    let (xhtml, _) = chapter_of(vec![heading(2, "ici", "Ici"), para(vec![link(to_page("a", Some("ici")), "ici")])]);
    assert!(xhtml.contains("<a href=\"#ici\">ici</a>"), "{xhtml}");
}

#[test]
fn external_link_stays_external() {
    let target = LinkTarget::External { url: "https://openid.net/?a=1&b=2".to_string() };
    let (xhtml, _) = chapter_of(vec![para(vec![link(target, "OpenID")])]);
    assert!(xhtml.contains("<a href=\"https://openid.net/?a=1&amp;b=2\">OpenID</a>"), "{xhtml}");
}

#[test]
fn javascript_link_becomes_text_with_a_diagnostic() {
    let target = LinkTarget::External { url: "javascript:alert(1)".to_string() };
    let (xhtml, diags) = chapter_of(vec![para(vec![link(target, "cliquez")])]);
    assert!(xhtml.contains("<p>cliquez</p>"), "{xhtml}");
    assert!(!xhtml.contains("javascript"), "{xhtml}");
    assert!(codes(&diags).contains(&"epub/unsafe-link"));
}

#[test]
fn broken_link_becomes_plain_text() {
    let target = LinkTarget::Broken { reason: "names no page".to_string() };
    let (xhtml, _) = chapter_of(vec![para(vec![text("voir "), link(target, "la doc")])]);
    assert!(xhtml.contains("<p>voir la doc</p>"), "{xhtml}");
}

#[test]
fn download_link_points_at_the_site_and_is_not_embedded() {
    let target = LinkTarget::Asset { path: "files/kit intégration.zip".to_string() };
    let loaded = loaded(corpus(vec![page("a", vec![para(vec![link(target, "le kit")])])]), DiagramStore::empty());
    let (files, _) = export_with(&loaded, Limits::default());
    assert!(
        files["OEBPS/a.xhtml"].contains("<a href=\"https://site.example/files/kit%20int%C3%A9gration.zip\">le kit</a>")
    );
    assert!(!files.keys().any(|k| k.ends_with(".zip")));
}

#[test]
fn markup_in_text_stays_text() {
    let (xhtml, _) = chapter_of(vec![para(vec![text("</p> ]]> & <script>alert(1)</script>")])]);
    assert!(xhtml.contains("<p>&lt;/p&gt; ]]&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</p>"), "{xhtml}");
}

#[test]
fn raw_html_is_shown_escaped_never_injected() {
    let raw = Block::Raw(RawBlock {
        pos: AT,
        format: "html".to_string(),
        text: "<button onclick=\"x()\">Go</button>".to_string(),
    });
    let (xhtml, _) = chapter_of(vec![raw]);
    assert!(
        xhtml.contains("<pre class=\"raw raw-html\">&lt;button onclick=\"x()\"&gt;Go&lt;/button&gt;</pre>"),
        "{xhtml}"
    );
}

#[test]
fn control_characters_are_removed_with_a_diagnostic() {
    let (xhtml, diags) = chapter_of(vec![para(vec![text("a\u{1}b\u{B}c")])]);
    assert!(xhtml.contains("<p>abc</p>"), "{xhtml}");
    let diag = diags.iter().find(|d| d.code == "epub/invalid-char").expect("diagnostic");
    assert_eq!((diag.file.as_str(), diag.line), ("a.md", 7));
}

#[test]
fn callout_becomes_an_aside_with_its_title_and_kind() {
    let callout = Block::Callout(CalloutBlock {
        pos: AT,
        kind: CalloutKind::Warning,
        title: Some("Attention au jeton".to_string()),
        blocks: vec![para(vec![text("Vérifiez-le.")])],
    });
    let (xhtml, _) = chapter_of(vec![callout]);
    assert!(xhtml.contains("<aside class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\">Attention au jeton</p>\n<p>Vérifiez-le.</p>\n</aside>"), "{xhtml}");
}

#[test]
fn untitled_alert_is_labelled_by_its_kind() {
    let callout = Block::Callout(CalloutBlock {
        pos: AT,
        kind: CalloutKind::Info,
        title: None,
        blocks: vec![para(vec![text("Bon à savoir.")])],
    });
    let (xhtml, _) = chapter_of(vec![callout]);
    assert!(xhtml.contains("<p class=\"callout-title\">Information</p>"), "{xhtml}");
}

#[test]
fn quote_becomes_a_figure_with_a_blockquote() {
    let quote = Block::QuoteFigure(Box::new(QuoteFigureBlock {
        pos: AT,
        image: None,
        blocks: vec![para(vec![text("« Simple. »")])],
    }));
    let (xhtml, _) = chapter_of(vec![quote]);
    // French text: the spaces inside « » are no-break spaces.
    assert!(
        xhtml
            .contains("<figure class=\"quote\">\n<blockquote>\n<p>«\u{a0}Simple.\u{a0}»</p>\n</blockquote>\n</figure>"),
        "{xhtml}"
    );
}

#[test]
fn table_has_a_header_row_and_keeps_alignment() {
    let table = Block::Table(Box::new(TableBlock {
        pos: AT,
        alignments: vec![Align::None, Align::Right],
        header: vec![vec![text("nom")], vec![text("valeur")]],
        rows: vec![vec![vec![Inline::Code("scope".to_string())], vec![text("openid")]]],
    }));
    let (xhtml, _) = chapter_of(vec![table]);
    assert!(
        xhtml.contains(
            "<thead><tr><th scope=\"col\">nom</th><th scope=\"col\" class=\"align-right\">valeur</th></tr></thead>"
        ),
        "{xhtml}"
    );
    assert!(xhtml.contains("<tr><td><code>scope</code></td><td class=\"align-right\">openid</td></tr>"), "{xhtml}");
}

#[test]
fn code_keeps_its_language_class() {
    let code =
        Block::Code(CodeBlock { pos: AT, language: Some("http".to_string()), text: "GET / HTTP/1.1\n".to_string() });
    let (xhtml, _) = chapter_of(vec![code]);
    assert!(xhtml.contains("<pre><code class=\"language-http\">GET / HTTP/1.1\n</code></pre>"), "{xhtml}");
}

#[test]
fn asset_image_is_embedded_with_its_alt_text() {
    let figure = Block::Figure(Box::new(FigureBlock {
        pos: AT,
        image: image("images/ok.png", "Un pictogramme"),
        caption: vec![text("Légende")],
    }));
    let loaded = loaded(corpus(vec![page("a", vec![figure])]), DiagramStore::empty());
    let (files, diags) = export_with(&loaded, Limits::default());
    assert!(files["OEBPS/a.xhtml"].contains("<figure><img class=\"figure\" src=\"assets/images/ok.png\" alt=\"Un pictogramme\"/><figcaption>Légende</figcaption></figure>"));
    assert!(files.contains_key("OEBPS/assets/images/ok.png"));
    assert!(files["OEBPS/content.opf"].contains("media-type=\"image/png\""));
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn missing_image_becomes_a_placeholder_with_a_diagnostic() {
    let (xhtml, diags) = chapter_of(vec![para(vec![Inline::Image(Box::new(image("images/absent.png", "Schéma")))])]);
    assert!(xhtml.contains("<span class=\"image-missing\">[Image non disponible\u{a0}: Schéma]</span>"), "{xhtml}");
    assert!(codes(&diags).contains(&"epub/image-unusable"), "{diags:?}");
}

#[test]
fn undecodable_image_becomes_a_placeholder_with_a_diagnostic() {
    let loaded = loaded(
        corpus(vec![page("a", vec![para(vec![Inline::Image(Box::new(image("images/not-an-image.png", "Logo")))])])]),
        DiagramStore::empty(),
    );
    let (files, diags) = export_with(&loaded, Limits::default());
    assert!(files["OEBPS/a.xhtml"].contains("[Image non disponible\u{a0}: Logo]"));
    assert!(!files.keys().any(|k| k.contains("not-an-image")));
    assert!(codes(&diags).contains(&"epub/image-unusable"), "{diags:?}");
}

#[test]
fn image_claiming_more_pixels_than_the_limit_is_not_decoded_nor_embedded() {
    let loaded = loaded(
        corpus(vec![page("a", vec![para(vec![Inline::Image(Box::new(image("images/huge.png", "Énorme")))])])]),
        DiagramStore::empty(),
    );
    let (files, diags) = export_with(&loaded, Limits { max_image_pixels: 1_000_000 });
    assert!(files["OEBPS/a.xhtml"].contains("[Image non disponible\u{a0}: Énorme]"));
    let diag = diags.iter().find(|d| d.code == "epub/image-unusable").expect("diagnostic");
    assert!(diag.message.contains("100000×100000"), "{}", diag.message);
}

#[test]
fn image_outside_the_assets_folder_is_not_embedded() {
    let remote = Image {
        pos: AT,
        src: "https://cdn.example/x.png".to_string(),
        target: LinkTarget::External { url: "https://cdn.example/x.png".to_string() },
        alt: "X".to_string(),
        title: None,
    };
    let (xhtml, diags) = chapter_of(vec![para(vec![Inline::Image(Box::new(remote))])]);
    assert!(!xhtml.contains("<img"), "{xhtml}");
    assert!(codes(&diags).contains(&"epub/image-remote"));
}

fn diagram_block() -> (DiagramBlock, Block) {
    let diagram = DiagramBlock {
        pos: AT,
        language: "mermaid".to_string(),
        source: "sequenceDiagram\nA->>B: hi\n".to_string(),
        digest: "ab12cd34ef56ab12cd34ef56".to_string(),
    };
    (diagram.clone(), Block::Diagram(Box::new(diagram)))
}

#[test]
fn rendered_diagram_is_embedded_as_svg_with_its_description() {
    let (diagram, block) = diagram_block();
    let mut store = DiagramStore::empty();
    let svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>";
    store.insert(
        diagram.digest.clone(),
        RenderedDiagram {
            svg: svg.to_string(),
            width: 10.0,
            height: 10.0,
            description: "Sequence diagram between A, B".to_string(),
        },
    );
    let (files, _) = export_with(&loaded(corpus(vec![page("a", vec![block])]), store), Limits::default());
    assert!(files["OEBPS/a.xhtml"].contains("<figure class=\"diagram\"><img src=\"images/diagram-ab12cd34ef56.svg\" alt=\"Sequence diagram between A, B\"/></figure>"));
    assert_eq!(files["OEBPS/images/diagram-ab12cd34ef56.svg"], svg);
    assert!(files["OEBPS/content.opf"].contains("media-type=\"image/svg+xml\""));
}

#[test]
fn diagram_without_rendering_shows_its_source_as_code() {
    let (_, block) = diagram_block();
    let (xhtml, _) = chapter_of(vec![block]);
    assert!(xhtml.contains("<pre class=\"diagram-source\"><code class=\"language-mermaid\">sequenceDiagram\nA-&gt;&gt;B: hi\n</code></pre>"), "{xhtml}");
}

#[test]
fn chapter_shows_breadcrumb_title_lead_body_and_see_also() {
    let mut a = page("a", vec![para(vec![text("Corps.")])]);
    a.summary = Some("La réponse courte.".to_string());
    a.breadcrumb = vec![Crumb { title: "Accueil B".to_string(), href: "/b/".to_string(), target: to_page("b", None) }];
    a.see_also = vec![SeeAlso { pos: Pos::default(), key: "b".to_string(), target: to_page("b", None) }];
    let (files, _) = export_with(&loaded(corpus(vec![a, page("b", vec![])]), DiagramStore::empty()), Limits::default());
    let xhtml = &files["OEBPS/a.xhtml"];
    let order = [
        "<li><a href=\"b.xhtml\">Accueil B</a></li>",
        "<h1 id=\"folio-title\">Titre de a</h1>",
        "<p class=\"lead\">La réponse courte.</p>",
        "<p>Corps.</p>",
        "<h2 id=\"folio-see-also\">Voir aussi</h2>",
        "<li><a href=\"b.xhtml\">Titre de b</a></li>",
    ];
    let positions: Vec<usize> =
        order.iter().map(|s| xhtml.find(s).unwrap_or_else(|| panic!("{s} missing in {xhtml}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{xhtml}");
}

#[test]
fn a_heading_id_used_twice_is_given_once_with_a_diagnostic() {
    let (xhtml, diags) = chapter_of(vec![heading(2, "meme", "Un"), heading(2, "meme", "Deux")]);
    assert!(xhtml.contains("<h2 id=\"meme\">Un</h2>") && xhtml.contains("<h2>Deux</h2>"), "{xhtml}");
    assert!(codes(&diags).contains(&"epub/duplicate-id"));
}

#[test]
fn a_heading_cannot_take_an_id_of_the_template() {
    let (xhtml, _) = chapter_of(vec![heading(2, "folio-title", "Piège")]);
    assert!(xhtml.contains("<h2 id=\"folio-title-2\">Piège</h2>"), "{xhtml}");
}

#[test]
fn body_h1_becomes_h2_so_the_title_is_the_only_h1() {
    let (xhtml, _) = chapter_of(vec![heading(1, "grand", "Grand titre")]);
    assert_eq!(xhtml.matches("<h1").count(), 1);
    assert!(xhtml.contains("<h2 id=\"grand\">Grand titre</h2>"), "{xhtml}");
}

#[test]
fn section_without_landing_page_opens_at_its_first_page_in_the_nav() {
    let mut book = corpus(vec![page("a", vec![heading(2, "h", "Intertitre")]), page("b", vec![])]);
    book.sections = vec![Section {
        url: "/groupe/".to_string(),
        title: "Groupe".to_string(),
        index: None,
        groups: vec![CategoryGroup { category: None, pages: vec!["a".to_string(), "b".to_string()] }],
        children: vec![],
    }];
    let (files, _) = export_with(&loaded(book, DiagramStore::empty()), Limits::default());
    let nav = &files["OEBPS/nav.xhtml"];
    // The group opens the first page's file; the page's own entry points at its title, so
    // that the two NCX entries never share a play order.
    let order = [
        "<a href=\"a.xhtml\">Groupe</a>",
        "<a href=\"a.xhtml#folio-title\">Titre de a</a>",
        "<a href=\"a.xhtml#h\">Intertitre</a>",
        "<a href=\"b.xhtml\">Titre de b</a>",
    ];
    let positions: Vec<usize> =
        order.iter().map(|s| nav.find(s).unwrap_or_else(|| panic!("{s} missing in {nav}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{nav}");
    let before_b = &nav[..positions[3]];
    assert_eq!(before_b.matches("<ol>").count() - before_b.matches("</ol>").count(), 2, "b sits inside Groupe: {nav}");
    assert!(files["OEBPS/contents.xhtml"].contains("<li><span>Groupe</span>"));
}
