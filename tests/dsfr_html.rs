//! DSFR HTML (as the sites' component templates and Markdown containers print it) mapped to
//! meaning: one behaviour per test, on a page body (raw HTML in Markdown) and, where the
//! Nunjucks evaluator will hand it over whole, on an HTML fragment.

use folio::diagnostics::{Diagnostic, Severity};
use folio::model::*;
use folio::reader::html::{parse_fragment, to_blocks};
use folio::reader::{parse_page, PageCtx, Parsed};

fn page(body: &str) -> (Vec<Block>, Vec<Diagnostic>) {
    let source = format!("---\ntitle: T\n---\n{body}");
    let (parsed, diags) = parse_page("fs/test-page.md", source.as_bytes());
    match parsed {
        Some(Parsed::Page(p)) => (p.blocks, diags),
        other => panic!("expected a page, got {other:?} with {diags:?}"),
    }
}

fn blocks(body: &str) -> Vec<Block> {
    page(body).0
}

/// What the reader makes of a fragment handed over whole (a component's printed HTML).
fn fragment(html: &str) -> (Vec<Block>, Vec<Diagnostic>) {
    let mut ctx = PageCtx::new(html, "fs/fragment.md");
    let nodes = parse_fragment(html, 0..html.len(), ctx.max_depth);
    let blocks = to_blocks(&nodes, &mut ctx);
    (blocks, ctx.diags)
}

fn text(inlines: &[Inline]) -> String {
    folio::text::plain_text(inlines)
}

fn para(b: &Block) -> String {
    match b {
        Block::Paragraph(p) => text(&p.content),
        other => panic!("expected a paragraph, got {other:?}"),
    }
}

fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
    diags.iter().map(|d| d.code).collect()
}

/// franceconnect's `table.njk` rendered with a title, two headers and two rows, as Nunjucks
/// prints it (the `{% %}` lines left blank).
const TABLE_NJK: &str = r#"
<div class="fr-table fr-table--layout-fixed">
  <table>
    <caption>Claims <em>pivot</em></caption>
    <thead>
      <tr>
        
          <th scope="col">Claim</th>
        
          <th scope="col">Description</th>
        
      </tr>
    </thead>
    <tbody>
      
        <tr>
          
            <td><code>given_name</code></td>
          
            <td>Prénoms, voir <a href="/fs/donnees/">les données</a></td>
          
        </tr>
      
        <tr>
          
            <td><code>birthdate</code></td>
          
            <td>Date de <strong>naissance</strong></td>
          
        </tr>
      
    </tbody>
  </table>
</div>
"#;

fn check_table_njk(b: &[Block]) {
    let [caption, Block::Table(t)] = b else { panic!("{b:?}") };
    assert_eq!(para(caption), "Claims pivot");
    assert_eq!(t.header.iter().map(|c| text(c)).collect::<Vec<_>>(), ["Claim", "Description"]);
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[0][0], [Inline::Code("given_name".into())]);
    let [Inline::Text(before), Inline::Link(l)] = t.rows[0][1].as_slice() else { panic!("{:?}", t.rows[0][1]) };
    assert_eq!(
        (before.as_str(), l.href.as_str(), text(&l.content).as_str()),
        ("Prénoms, voir ", "/fs/donnees/", "les données")
    );
    assert!(matches!(t.rows[1][1].as_slice(), [Inline::Text(_), Inline::Strong(_)]));
    assert_eq!(t.alignments.len(), 2);
}

#[test]
fn table_component_on_its_lines_is_a_table_with_caption_header_and_cells() {
    check_table_njk(&blocks(TABLE_NJK));
}

#[test]
fn table_component_as_one_fragment_is_the_same_table() {
    let (b, diags) = fragment(TABLE_NJK);
    check_table_njk(&b);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn plain_table_without_thead_takes_its_row_of_th_as_header() {
    let b = blocks("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td><em>2</em></td></tr></table>\n");
    let [Block::Table(t)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(t.header.iter().map(|c| text(c)).collect::<Vec<_>>(), ["A", "B"]);
    assert_eq!(t.rows, [vec![vec![Inline::Text("1".into())], vec![Inline::Emphasis(vec![Inline::Text("2".into())])]]]);
}

#[test]
fn row_headers_in_tbody_stay_in_the_body() {
    let html = "<table><thead><tr><th>K</th><th>V</th></tr></thead>\
                <tbody><tr><th scope=\"row\">a</th><td>1</td></tr><tr><th>b</th><td>2</td></tr></tbody></table>\n";
    let b = blocks(html);
    let [Block::Table(t)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(t.rows.len(), 2);
    assert_eq!(text(&t.rows[1][0]), "b");
}

#[test]
fn markdown_table_in_an_fr_table_wrapper_stays_a_table() {
    let b = blocks("<div class=\"fr-table\">\n\n| A | B |\n| - | - |\n| 1 | 2 |\n\n</div>\n");
    assert!(matches!(b.as_slice(), [Block::Table(t)] if t.rows.len() == 1), "{b:?}");
}

/// eleventy-dsfr's `download.njk`, default (link) variant.
#[test]
fn download_link_keeps_the_file_link_then_its_format_and_size() {
    let html = r#"<p>
    <a class="fr-link fr-link--download" download href="/files/guide.pdf">
        Guide d'intégration <span class="fr-link__detail">PDF – 1,2 Mo</span>
    </a>
</p>
"#;
    for b in [blocks(html), fragment(html).0] {
        let [Block::Paragraph(p)] = b.as_slice() else { panic!("{b:?}") };
        let [Inline::Link(l), Inline::Text(detail)] = p.content.as_slice() else { panic!("{:?}", p.content) };
        assert_eq!(l.href, "/files/guide.pdf");
        assert_eq!(text(&l.content), "Guide d'intégration");
        assert_eq!(detail, " (PDF – 1,2 Mo)");
    }
}

#[test]
fn fr_download_block_keeps_link_detail_and_description() {
    let html = "<div class=\"fr-download\"><p><a href=\"/f/a.zip\" download class=\"fr-download__link\">Archive \
                <span class=\"fr-download__detail\">ZIP – 3 Mo</span></a></p>\
                <p class=\"fr-download__desc\">Tout le kit.</p></div>\n";
    let b = blocks(html);
    let [Block::Paragraph(p), desc] = b.as_slice() else { panic!("{b:?}") };
    assert!(matches!(p.content.as_slice(), [Inline::Link(l), Inline::Text(_)] if l.href == "/f/a.zip"));
    assert_eq!(text(&p.content), "Archive (ZIP – 3 Mo)");
    assert_eq!(para(desc), "Tout le kit.");
}

/// eleventy-dsfr's `card.njk` rendered with url, title, description, tags, a date, badges and
/// an image, exactly as printed (blank lines where the `{% %}` tags were).
const CARD_NJK: &str = r#"
<div class="fr-card fr-enlarge-link fr-card--horizontal-tier">
  <div class="fr-card__body">
    <div class="fr-card__content">
      
      <h3 class="fr-card__title">
        
          <a href="/fs/guide/">
            Intitulé carte
          </a>
        
      </h3>
      <p class="fr-card__desc">La carte donne des aperçus cliquables.</p>
      <div class="fr-card__start">
        
          
          <ul class="fr-tags-group" data-pagefind-ignore>
  
    <li><p class="fr-tag">label tag</p></li>
  
</ul>
        
        
          <p class="fr-card__detail fr-icon-time-fill">
            <time class="postlist-date" datetime="2023-06-21">
              21 juin 2023
            </time>
          </p>
          
      </div>
      
    </div>
    <div class="fr-card__footer">
      
    </div>
  </div>
  
    <div class="fr-card__header">
      
        <ul class="fr-badges-group">
          
            <li><p class="fr-badge fr-badge--green-emeraude">label badge</p></li>
          
        </ul>
      
      
        
          <div class="fr-card__img">
            <img class="fr-responsive-img fr-responsive-img--1x1" src="/img/placeholder.16x9.png" alt="">
          </div>
        
      
    </div>
  
</div>
"#;

fn check_card_njk(b: &[Block], diags: &[Diagnostic]) {
    let [Block::Card(c)] = b else { panic!("{b:?}") };
    assert_eq!(c.title, "Intitulé carte");
    assert_eq!(c.href, "/fs/guide/");
    assert_eq!(c.description.as_deref(), Some("La carte donne des aperçus cliquables. — 21 juin 2023 — label badge"));
    assert_eq!(c.tags, ["label tag"]);
    assert_eq!(codes(diags), ["html/card-image-dropped"]);
}

#[test]
fn card_component_on_its_lines_is_a_card_with_tags_detail_and_badge() {
    let (b, diags) = page(CARD_NJK);
    check_card_njk(&b, &diags);
}

#[test]
fn card_component_as_one_fragment_is_the_same_card() {
    let (b, diags) = fragment(CARD_NJK);
    check_card_njk(&b, &diags);
}

#[test]
fn card_with_an_external_url_links_to_its_footer_link() {
    let html = r#"<div class="fr-card">
  <div class="fr-card__body">
    <div class="fr-card__content">
      <h3 class="fr-card__title">Service externe</h3>
      <p class="fr-card__desc">Ailleurs.</p>
    </div>
    <div class="fr-card__footer">
      <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="https://example.org/" target="_blank">
        Voir plus
      </a>
    </div>
  </div>
</div>
"#;
    let (b, _) = fragment(html);
    let [Block::Card(c)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!((c.title.as_str(), c.href.as_str()), ("Service externe", "https://example.org/"));
    assert_eq!(c.description.as_deref(), Some("Ailleurs."));
}

/// eleventy-dsfr's `tile.njk`, and its download tile.
#[test]
fn tile_is_a_card() {
    let html = r#"<div class="fr-tile fr-enlarge-link">
  <div class="fr-tile__body">
    <div class="fr-tile__content">
      
      
      <h4 class="fr-tile__title">
        <a class="fr-tile__link" href="/fs/demarrer/"
           title="Démarrer">
          Démarrer
        </a>
      </h4>
      <p class="fr-tile__desc">Les premières étapes.</p>
    </div>
  </div>
  
</div>
"#;
    let b = blocks(html);
    let [Block::Card(c)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!((c.title.as_str(), c.href.as_str()), ("Démarrer", "/fs/demarrer/"));
    assert_eq!(c.description.as_deref(), Some("Les premières étapes."));
    let tile = "<div class=\"fr-tile fr-tile--download\"><div class=\"fr-tile__body\"><h4 class=\"fr-tile__title\">\
                <a href=\"/f/kit.zip\" download>Kit</a></h4><p class=\"fr-tile__desc\">Le kit.</p>\
                <p class=\"fr-tile__detail\">ZIP – 2 Mo</p></div></div>";
    let (b, _) = fragment(tile);
    let [Block::Card(c)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(c.href, "/f/kit.zip");
    assert_eq!(c.description.as_deref(), Some("Le kit. — ZIP – 2 Mo"));
}

/// eleventy-dsfr's `alert.njk` with a type and a title, as printed, handed over whole; then
/// written in a page (where, as markdown-it does on the site, a line indented by four spaces
/// after a blank line would be code: the description is not indented there).
#[test]
fn alert_with_title_is_a_callout_of_its_kind() {
    let printed = r#"<div class="fr-alert fr-alert--warning ">
    
        <h3 class="fr-alert__title">Attention</h3>
    
    Le service ferme le <strong>1er mai</strong>.
</div>
"#;
    let written = "<div class=\"fr-alert fr-alert--warning\">\n<h3 class=\"fr-alert__title\">Attention</h3>\n\n\
                   Le service ferme le **1er mai**.\n\n</div>\n";
    for (b, _) in [fragment(printed), page(written)] {
        let [Block::Callout(c)] = b.as_slice() else { panic!("{b:?}") };
        assert_eq!((c.kind, c.title.as_deref()), (CalloutKind::Warning, Some("Attention")));
        let [p] = c.blocks.as_slice() else { panic!("{:?}", c.blocks) };
        assert_eq!(para(p), "Le service ferme le 1er mai.");
    }
    for (kind, expected) in
        [("info", CalloutKind::Info), ("success", CalloutKind::Success), ("error", CalloutKind::Error)]
    {
        let (b, _) = fragment(&format!(
            "<div class=\"fr-alert fr-alert--{kind}\"><h3 class=\"fr-alert__title\">T</h3><p>x</p></div>"
        ));
        assert!(
            matches!(b.as_slice(), [Block::Callout(c)] if c.kind == expected && c.title.as_deref() == Some("T")),
            "{b:?}"
        );
    }
}

#[test]
fn small_alert_has_no_title_and_keeps_its_heading() {
    let html =
        "<div class=\"fr-alert fr-alert--info fr-alert--sm\">\n<h3>Pas un titre</h3>\n<p>Info courte.</p>\n</div>\n";
    let b = blocks(html);
    let [Block::Callout(c)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!((c.kind, c.title.as_deref()), (CalloutKind::Info, None));
    assert!(matches!(c.blocks.as_slice(), [Block::Heading(_), Block::Paragraph(_)]), "{:?}", c.blocks);
}

/// cct-mi's `callout.njk` with a link, handed over whole, then written in a page with its
/// button link not indented (indented after a blank line, it would be code, as on the site).
#[test]
fn callout_component_is_a_titled_note_with_its_text_and_button() {
    let html = r#"<div class="fr-callout">
  <h3 class="fr-callout__title">Besoin d'aide ?</h3>
  <p class="fr-callout__text">
    Écrivez-nous.
  </p>
  
    <a class="fr-btn" href="/contact/">
      Nous contacter
    </a>
  
</div>
"#;
    let written = "<div class=\"fr-callout\">\n  <h3 class=\"fr-callout__title\">Besoin d'aide ?</h3>\n  \
                   <p class=\"fr-callout__text\">\n    Écrivez-nous.\n  </p>\n\n\
                   <a class=\"fr-btn\" href=\"/contact/\">Nous contacter</a>\n\n</div>\n";
    for (b, _) in [fragment(html), page(written)] {
        let [Block::Callout(c)] = b.as_slice() else { panic!("{b:?}") };
        assert_eq!((c.kind, c.title.as_deref()), (CalloutKind::Note, Some("Besoin d'aide ?")));
        let [p, Block::Paragraph(button)] = c.blocks.as_slice() else { panic!("{:?}", c.blocks) };
        assert_eq!(para(p), "Écrivez-nous.");
        assert!(matches!(button.content.as_slice(), [Inline::Link(l)] if l.href == "/contact/"), "{button:?}");
    }
}

/// The `:::callout` container's HTML, Markdown inside, closed by `</div></div>` on one line.
#[test]
fn callout_container_html_as_one_fragment() {
    let html = "\n<div class=\"fr-callout\">\n    <h3 class=\"fr-callout__title\">En bref</h3>\n    \
                <div class=\"fr-callout__text\">\n<p>C'est <em>gratuit</em>.</p>\n</div></div>\n<p>Après.</p>\n";
    let (b, _) = fragment(html);
    let [Block::Callout(c), after] = b.as_slice() else { panic!("{b:?}") };
    assert!(c.is_summary());
    assert_eq!(c.blocks.len(), 1);
    assert_eq!(para(after), "Après.");
}

/// eleventy-dsfr's `highlight.njk`: a note without a title.
#[test]
fn highlight_is_an_untitled_note() {
    let html = "<div class=\"fr-highlight\">\n    <p>\n        À retenir.\n    </p>\n</div>\n";
    for (b, _) in [page(html), fragment(html)] {
        let [Block::Callout(c)] = b.as_slice() else { panic!("{b:?}") };
        assert_eq!((c.kind, c.title.as_deref()), (CalloutKind::Note, None));
        assert_eq!(para(&c.blocks[0]), "À retenir.");
    }
}

/// franceconnect's `quote.njk` with every parameter.
#[test]
fn quote_component_is_a_quote_figure_with_text_author_source_and_image() {
    let html = r#"
<figure class="fr-quote fr-quote--column">
  <blockquote cite="https://example.org/discours">
    <p>«&nbsp;L'identité numérique simplifie.&nbsp;»</p>
  </blockquote>
  <figcaption>
    <p class="fr-quote__author">Marie Dupont</p>
    <ul class="fr-quote__source">
      <li>
        <cite>Discours de 2023</cite>
      </li>
    </ul>
    <div class="fr-quote__image">
      <img src="/img/marie.jpg" class="fr-responsive-img" alt=""/>
    </div>
  </figcaption>
</figure>
"#;
    for (b, diags) in [page(html), fragment(html)] {
        let [Block::QuoteFigure(q)] = b.as_slice() else { panic!("{b:?}") };
        assert_eq!(q.image.as_ref().map(|i| i.src.as_str()), Some("/img/marie.jpg"));
        let [quote, author, Block::Paragraph(source), Block::Paragraph(cite)] = q.blocks.as_slice() else {
            panic!("{:?}", q.blocks)
        };
        assert_eq!(para(quote), "«\u{a0}L'identité numérique simplifie.\u{a0}»");
        assert_eq!(para(author), "Marie Dupont");
        assert!(matches!(source.content.as_slice(), [Inline::Emphasis(_)]), "{source:?}");
        assert_eq!(text(&source.content), "Discours de 2023");
        assert!(matches!(cite.content.as_slice(), [Inline::Link(l)] if l.href == "https://example.org/discours"));
        assert!(diags.is_empty(), "{diags:?}");
    }
}

#[test]
fn quote_without_image_or_source_keeps_its_text() {
    let html = "<figure class=\"fr-quote\"><blockquote><p>Texte</p></blockquote><figcaption>\
                <p class=\"fr-quote__author\">Auteur</p><ul class=\"fr-quote__source\"><li><cite></cite></li></ul>\
                <div class=\"fr-quote__image\"><img src=\"\" alt=\"\"/></div></figcaption></figure>\n";
    let b = blocks(html);
    let [Block::QuoteFigure(q)] = b.as_slice() else { panic!("{b:?}") };
    assert!(q.image.is_none());
    assert_eq!(q.blocks.iter().map(para).collect::<Vec<_>>(), ["Texte", "Auteur"]);
}

/// cct-mi's `accordionsgroup.njk` with two items.
#[test]
fn accordions_group_is_titled_sections_in_order() {
    let html = r#"
<div class="fr-accordions-group">
  
    <section class="fr-accordion">
      <h3 class="fr-accordion__title">
        <button class="fr-accordion__btn" aria-expanded="false" aria-controls="accordion-1">
          Première question
        </button>
      </h3>
      <div class="fr-collapse" id="accordion-1">
        <p>Réponse <a href="/un/">un</a>.</p>
      </div>
    </section>
  
    <section class="fr-accordion">
      <h3 class="fr-accordion__title">
        <button class="fr-accordion__btn" aria-expanded="false" aria-controls="accordion-2">
          Seconde question
        </button>
      </h3>
      <div class="fr-collapse" id="accordion-2">
        <ul><li>a</li><li>b</li></ul>
      </div>
    </section>
  
</div>
"#;
    // The fragment keeps the source's h3; a page publishes it right below its title (level 2).
    for ((b, _), level) in [(page(html), 2), (fragment(html), 3)] {
        let [Block::Section(one), Block::Section(two)] = b.as_slice() else { panic!("{b:?}") };
        assert_eq!((text(&one.title).as_str(), one.level), ("Première question", level));
        assert_eq!(para(&one.blocks[0]), "Réponse un.");
        assert_eq!(text(&two.title), "Seconde question");
        assert!(matches!(two.blocks.as_slice(), [Block::List(l)] if l.items.len() == 2));
    }
}

/// The `?::: Title` container: a section whose content is Markdown between wrapper lines.
#[test]
fn accordion_with_markdown_content_on_its_lines() {
    let html = "<section class=\"fr-accordion\">\n    <h3 class=\"fr-accordion__title\">\n        \
                <button class=\"fr-accordion__btn\">Titre</button>\n    </h3>\n    \
                <div class=\"fr-collapse\" id=\"accordion-1\">\n\nDu **Markdown**.\n\n</div>\n</section>\n";
    let b = blocks(html);
    let [Block::Section(s)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(text(&s.title), "Titre");
    assert!(matches!(s.blocks.as_slice(), [Block::Paragraph(p)] if matches!(p.content[1], Inline::Strong(_))), "{s:?}");
}

#[test]
fn tabs_are_sections_titled_by_their_tab() {
    let html = r#"<div class="fr-tabs">
  <ul class="fr-tabs__list" role="tablist" aria-label="Environnements">
    <li role="presentation">
      <button id="tab-1" class="fr-tabs__tab" tabindex="0" role="tab" aria-selected="true"
              aria-controls="tab-1-panel">Intégration</button>
    </li>
    <li role="presentation">
      <button id="tab-2" class="fr-tabs__tab" tabindex="-1" role="tab" aria-selected="false"
              aria-controls="tab-2-panel">Production</button>
    </li>
  </ul>
  <div id="tab-1-panel" class="fr-tabs__panel fr-tabs__panel--selected" role="tabpanel" aria-labelledby="tab-1"
       tabindex="0">
    <p>URL d'intégration.</p>
  </div>
  <div id="tab-2-panel" class="fr-tabs__panel" role="tabpanel" aria-labelledby="tab-2" tabindex="0">
    <p>URL de production.</p>
  </div>
</div>
"#;
    for (b, _) in [page(html), fragment(html)] {
        let titles: Vec<_> = b
            .iter()
            .map(|s| match s {
                Block::Section(s) => (text(&s.title), para(&s.blocks[0])),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            titles,
            [("Intégration".into(), "URL d'intégration.".into()), ("Production".into(), "URL de production.".into())]
        );
    }
}

/// `taggroup.njk` (linked tags) and a badge group: their labels, in one paragraph.
#[test]
fn tags_and_badges_are_their_text() {
    let html = r#"<ul class="fr-tags-group" data-pagefind-ignore>
  
    
    <li>
      <a href="/blog/tags/dsfr/" class="fr-tag">DSFR</a>
    </li>
  
    
    <li>
      <a href="/blog/tags/composant/" class="fr-tag">composant</a>
    </li>
  
</ul>
"#;
    let b = blocks(html);
    let [Block::Paragraph(p)] = b.as_slice() else { panic!("{b:?}") };
    let [Inline::Link(a), Inline::Text(sep), Inline::Link(_)] = p.content.as_slice() else { panic!("{p:?}") };
    assert_eq!((a.href.as_str(), sep.as_str()), ("/blog/tags/dsfr/", ", "));
    assert_eq!(text(&p.content), "DSFR, composant");
    let b = blocks(
        "<p>État : <span class=\"fr-badge fr-badge--success\">Validé</span></p>\n\n\
         <p class=\"fr-badge\">Nouveau</p>\n",
    );
    assert_eq!(b.iter().map(para).collect::<Vec<_>>(), ["État : Validé", "Nouveau"]);
}

#[test]
fn summary_is_a_list_of_its_links() {
    let html = r##"<nav class="fr-summary" role="navigation" aria-labelledby="fr-summary-title">
  <h2 class="fr-summary__title" id="fr-summary-title">Sommaire</h2>
  <ol class="fr-summary__list">
    <li><a class="fr-summary__link" href="#intro">Introduction</a></li>
    <li><a class="fr-summary__link" href="#usage">Usage</a>
      <ol class="fr-summary__list"><li><a class="fr-summary__link" href="#detail">Détail</a></li></ol>
    </li>
  </ol>
</nav>
"##;
    let b = blocks(html);
    let [title, Block::List(l)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(para(title), "Sommaire");
    assert_eq!(l.items.len(), 2);
    let Block::Paragraph(first) = &l.items[0].blocks[0] else { panic!("{l:?}") };
    assert!(matches!(&first.content[..], [Inline::Link(a)] if a.href == "#intro"), "{first:?}");
    assert!(matches!(l.items[1].blocks.as_slice(), [Block::Paragraph(_), Block::List(_)]));
}

fn assert_navigation_dropped(b: &[Block], diags: &[Diagnostic], what: &str, line: u32) {
    assert!(b.is_empty(), "{b:?}");
    let [d] = diags else { panic!("{diags:?}") };
    assert_eq!((d.code, d.severity, d.line), ("html/navigation-dropped", Severity::Note, line));
    assert!(d.message.contains(what), "{}", d.message);
}

/// franceconnect's `breadcrumb.njk`, its tag spread over lines.
#[test]
fn breadcrumb_is_dropped_with_a_note() {
    let html = r#"<nav
  role="navigation"
  class="fr-breadcrumb"
  aria-label="Vous êtes ici :">
  <button
    class="fr-breadcrumb__button"
    aria-expanded="false"
    aria-controls="breadcrumb-1">
    Voir le fil d'Ariane
  </button>
  <div class="fr-collapse" id="breadcrumb-1">
    <ol class="fr-breadcrumb__list">
      <li>
        <a class="fr-breadcrumb__link" href="/">Accueil</a>
      </li>
      <li>
        <a class="fr-breadcrumb__link" aria-current="page">
          Page
        </a>
      </li>
    </ol>
  </div>
</nav>
"#;
    let (b, diags) = page(&format!("\n{html}"));
    assert_navigation_dropped(&b, &diags, "breadcrumb", 5);
    let (b, diags) = fragment(html);
    assert_navigation_dropped(&b, &diags, "breadcrumb", 1);
}

/// `back_to_top.njk` as the Nunjucks evaluator hands it over.
#[test]
fn back_to_top_link_is_dropped_with_a_note() {
    let html =
        "<p>Fin.</p>\n<a class=\"fr-grid-row fr-grid-row--right fr-link fr-icon-arrow-up-fill fr-link--icon-left\" \
                href=\"#top\">\n  Haut de page\n</a>";
    let (b, diags) = fragment(html);
    assert_eq!(b.iter().map(para).collect::<Vec<_>>(), ["Fin."]);
    let [d] = diags.as_slice() else { panic!("{diags:?}") };
    assert_eq!((d.code, d.severity, d.line, d.col), ("html/navigation-dropped", Severity::Note, 2, 1));
    assert!(d.message.contains("back-to-top"));
}

/// `share.njk` (a wrapper on its lines) and the pagination.
#[test]
fn share_and_pagination_are_dropped_with_a_note() {
    let share = r#"<div class="fr-share">
  <ul class="fr-share__group">
    <li>
      <a class="fr-share__link fr-share__link--mail" href="mailto:?subject=x" title="Partager par courriel">
        Partager par courriel
      </a>
    </li>
  </ul>
</div>
"#;
    let (b, diags) = page(share);
    assert_navigation_dropped(&b, &diags, "share", 4);
    let pagination = "<nav role=\"navigation\" class=\"fr-pagination\" aria-label=\"Pagination\">\n  \
                      <ul class=\"fr-pagination__list\">\n    \
                      <li><a class=\"fr-pagination__link\" href=\"/blog/\">1</a></li>\n  </ul>\n</nav>\n";
    let (b, diags) = page(pagination);
    assert_navigation_dropped(&b, &diags, "pagination", 4);
}

#[test]
fn unknown_dsfr_component_keeps_its_text() {
    let html =
        "<div class=\"fr-notice fr-notice--info\">\n<div class=\"fr-container\">\n<p class=\"fr-notice__title\">\
                Service en maintenance</p>\n</div>\n</div>\n";
    let b = blocks(html);
    assert_eq!(b.iter().map(para).collect::<Vec<_>>(), ["Service en maintenance"]);
}

#[test]
fn sibling_elements_of_one_fragment_all_reach_the_model() {
    let (b, _) = fragment("<p>A</p> <br> <p>B</p> <p>C</p>");
    assert_eq!(b.iter().map(para).collect::<Vec<_>>(), ["A", "B", "C"]);
    let (b, _) = fragment("<p>A <em>a</em><p>B</p>texte <b>libre</b><div>D</div>E");
    assert_eq!(b.iter().map(para).collect::<Vec<_>>(), ["A a", "B", "texte libre", "D", "E"]);
    let (b, _) = fragment("<p>Liste :<ul><li>un<li>deux</ul>Fin</p>");
    let [intro, Block::List(l), end] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!((para(intro), l.items.len(), para(end)), ("Liste :".into(), 2, "Fin".into()));
}

#[test]
fn paragraph_whose_end_tag_comes_paragraphs_later_keeps_all_its_text() {
    let b = blocks("<p>\nPremier.\n\nSecond, *toujours* dans le p.\n</p>\n\nAprès.\n");
    let texts: Vec<String> = b.iter().map(para).collect();
    assert_eq!(texts.join(" | "), "Premier. Second, *toujours* dans le p. | Après.");
}

/// Siblings after an element's end tag on the same line of a page body.
#[test]
fn sibling_elements_on_one_line_of_a_page_all_reach_the_model() {
    let b = blocks("<p>A</p> <br> <p>B</p> <p>C</p>\n");
    assert_eq!(b.iter().map(para).collect::<Vec<_>>(), ["A", "B", "C"]);
}

/// The `:::callout` container's HTML written in a page: `</div></div>` on one line closes
/// both wrappers.
#[test]
fn callout_container_html_closed_by_two_end_tags_on_one_line() {
    let html = "<div class=\"fr-callout\">\n    <h3 class=\"fr-callout__title\">En bref</h3>\n    \
                <div class=\"fr-callout__text\">\n\nTexte **gras**.\n\n</div></div>\n\nAprès.\n";
    let (b, diags) = page(html);
    let [Block::Callout(c), after] = b.as_slice() else { panic!("{b:?} {diags:?}") };
    assert_eq!((c.title.as_deref(), c.blocks.len()), (Some("En bref"), 1));
    assert_eq!(para(after), "Après.");
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn text_in_a_table_but_in_no_cell_is_kept_before_the_table_with_a_warning() {
    let (b, diags) = page("<table><tr><td>A</td></tr>Stray words<tr><td>B</td></tr></table>\n");
    let [Block::Paragraph(stray), Block::Table(t)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!((text(&stray.content).as_str(), t.rows.len()), ("Stray words", 1));
    assert!(codes(&diags).contains(&"html/table-stray-content"), "{diags:?}");
}

#[test]
fn an_element_in_a_row_but_in_no_cell_is_kept_with_a_warning() {
    let (b, diags) = page("<table><tr><td>A</td><p>Between cells</p></tr></table>\n");
    let [Block::Paragraph(stray), Block::Table(_)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(text(&stray.content), "Between cells");
    assert!(codes(&diags).contains(&"html/table-stray-content"), "{diags:?}");
}

#[test]
fn a_table_nested_outside_any_cell_is_kept_as_its_own_table() {
    let b = blocks("<table><tr><td>Outer</td></tr><table><tr><td>Inner</td></tr></table></table>\n");
    let tables: Vec<String> = b
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(text(&t.header.concat())),
            _ => None,
        })
        .collect();
    assert_eq!(tables, ["Inner", "Outer"]);
}

#[test]
fn rows_wrapped_in_an_unknown_element_stay_rows() {
    let b = blocks("<table><tr><th>H</th></tr><div><tr><td>In a wrapper</td></tr></div></table>\n");
    let [Block::Table(t)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(text(&t.rows[0][0]), "In a wrapper");
}

#[test]
fn a_script_inside_preformatted_text_is_reported_as_dropped() {
    let (b, diags) = page("<pre>before <script>alert(1)</script>after</pre>\n");
    let [Block::Code(code)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(code.text, "before after");
    assert!(codes(&diags).contains(&"html/dropped"), "{diags:?}");
}

#[test]
fn card_text_outside_its_title_description_and_tags_follows_the_description() {
    let (b, _) = fragment(
        r#"<div class="fr-card"><div class="fr-card__body"><h3 class="fr-card__title"><a href="/x/">Title</a></h3>
<p class="fr-card__desc">Description.</p><div class="fr-card__footer"><p>Footer words</p></div></div></div>"#,
    );
    let [Block::Card(card)] = b.as_slice() else { panic!("{b:?}") };
    assert_eq!(card.description.as_deref(), Some("Description. — Footer words"));
}
