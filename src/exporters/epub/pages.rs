//! The XHTML documents of the book: the title page, the contents page and one chapter
//! per page.

use super::inlines::Href;
use super::media::Media;
use super::plan::{BookPlan, CONTENTS_FILE, TITLE_FILE};
use super::writer::{escape_clean, Writer};
use crate::diagnostics::Diagnostic;
use crate::exporter::ExportContext;
use crate::model::{Page, PageKind, Section};
use std::collections::BTreeSet;

/// What a document is, for the guide and the landmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentRole {
    TitlePage,
    Contents,
    Chapter,
}

/// One finished XHTML document of the book; what the package says of it is its `Listing`.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: String,
    pub xhtml: String,
}

/// What the package lists of a document, known before the document is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub file: String,
    pub title: String,
    pub role: DocumentRole,
    pub page_key: Option<String>,
}

/// The listing of every document, in reading order: title page, contents, one chapter per
/// page. The document builders below take their file and title from the same helpers.
pub fn listings(corpus: &crate::model::Corpus, plan: &BookPlan) -> Vec<Listing> {
    let labels = crate::languages::book_labels(corpus);
    let front = [
        (TITLE_FILE, labels.title_page, DocumentRole::TitlePage),
        (CONTENTS_FILE, labels.contents, DocumentRole::Contents),
    ];
    let mut out: Vec<Listing> = front
        .into_iter()
        .map(|(file, title, role)| Listing { file: file.to_string(), title: title.to_string(), role, page_key: None })
        .collect();
    out.extend(corpus.pages.iter().map(|page| Listing {
        file: chapter_file(plan, page),
        title: super::plan::display_title(page),
        role: DocumentRole::Chapter,
        page_key: Some(page.key.clone()),
    }));
    out
}

fn chapter_file(plan: &BookPlan, page: &Page) -> String {
    plan.file(&page.key).unwrap_or("chapter.xhtml").to_string()
}

/// One chapter: breadcrumb, title, abstract as lead, body, "Voir aussi".
pub fn chapter(
    ctx: &ExportContext,
    plan: &BookPlan,
    page: &Page,
    media: &Media,
    diags: &mut Vec<Diagnostic>,
) -> Document {
    let file = chapter_file(plan, page);
    let title = super::plan::display_title(page);
    let mut w = Writer::new(ctx, plan, media, diags, &page.source, Some(&page.key));
    w.labels = crate::labels::for_language(&page.language);
    for id in super::plan::TEMPLATE_IDS {
        w.reserve_id(id);
    }
    // The document head first, so the chapter is built in one buffer, never copied.
    w.push(&document_head(&super::language_tag(&page.language), &title));
    let kind = match page.kind {
        PageKind::Question => "question",
        PageKind::Section => "section",
        PageKind::Other => "other",
    };
    w.push(&format!("<section class=\"chapter chapter-{kind}\" epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"folio-title\">\n"));
    breadcrumb(&mut w, page);
    if page.title.trim().is_empty() {
        w.warn(
            crate::codes::EPUB_UNTITLED_PAGE,
            format!("the page has no title; its chapter is titled by its key `{}`", page.key),
        );
    }
    w.push("<h1 id=\"folio-title\">");
    w.prose(&title);
    w.push("</h1>\n");
    if let Some(summary) = page.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        w.push("<p class=\"lead\">");
        w.prose(summary);
        w.push("</p>\n");
    }
    w.blocks_to_xhtml(&page.blocks);
    if !page.see_also.is_empty() {
        w.pos = crate::model::Pos::default();
        w.push("<nav class=\"see-also\" aria-labelledby=\"folio-see-also\">\n<h2 id=\"folio-see-also\">");
        w.text(w.labels.see_also);
        w.push("</h2>\n");
        w.see_also_list(&page.see_also, "see-also-list");
        w.push("</nav>\n");
    }
    w.push("</section>\n");
    w.push(DOCUMENT_TAIL);
    let xhtml = std::mem::take(&mut w.out);
    Document { file, xhtml }
}

/// The trail of parent pages, linked to their chapters.
fn breadcrumb(w: &mut Writer, page: &Page) {
    if page.breadcrumb.is_empty() {
        return;
    }
    let label = w.attr(w.labels.breadcrumb);
    w.push(&format!("<nav class=\"breadcrumb\" id=\"folio-breadcrumb\" aria-label=\"{label}\">\n<ol>\n"));
    for crumb in &page.breadcrumb {
        w.push("<li>");
        w.linked_text(&crumb.target, &crumb.title);
        w.push("</li>\n");
    }
    w.push("</ol>\n</nav>\n");
}

/// Site title, description, publisher and date.
pub fn title_page(ctx: &ExportContext, plan: &BookPlan, media: &Media, diags: &mut Vec<Diagnostic>) -> Document {
    let site = &ctx.corpus.site;
    let mut w = Writer::new(ctx, plan, media, diags, "folio.toml", None);
    w.push("<section class=\"titlepage\" epub:type=\"titlepage\">\n<h1 class=\"book-title\">");
    w.text(&super::book_title(site));
    w.push("</h1>\n");
    for (class, value) in [("book-description", &site.description), ("book-publisher", &site.publisher)] {
        if !value.trim().is_empty() {
            w.push(&format!("<p class=\"{class}\">"));
            w.text(value);
            w.push("</p>\n");
        }
    }
    let date = ctx.build_time.date();
    let (year, month, day, ..) = ctx.build_time.civil();
    let spoken = w.labels.date(year, month, day);
    w.push(&format!("<p class=\"book-date\"><time datetime=\"{date}\">{}</time></p>\n", escape_clean(&spoken)));
    if let Href::To(href) = w.href(&crate::model::LinkTarget::External { url: site.url.clone() }) {
        w.push(&format!("<p class=\"book-url\"><a href=\"{href}\">"));
        w.text(&site.url);
        w.push("</a></p>\n");
    }
    w.push("</section>\n");
    let body = std::mem::take(&mut w.out);
    let xhtml = document(ctx, &super::book_title(site), &body);
    Document { file: TITLE_FILE.to_string(), xhtml }
}

/// The printed table of contents: sections and their pages, as links.
pub fn contents_page(ctx: &ExportContext, plan: &BookPlan, media: &Media, diags: &mut Vec<Diagnostic>) -> Document {
    let mut w = Writer::new(ctx, plan, media, diags, "folio.toml", None);
    let contents = w.labels.contents;
    w.push("<nav class=\"contents\" role=\"doc-toc\" aria-labelledby=\"contents-title\">\n<h1 id=\"contents-title\">");
    w.text(contents);
    w.push("</h1>\n<ol>\n");
    let mut listed = BTreeSet::new();
    for section in &ctx.corpus.sections {
        contents_section(&mut w, section, &mut listed);
    }
    for page in ctx.corpus.pages.iter().filter(|p| !listed.contains(&p.key)) {
        contents_page_item(&mut w, &page.key, &page.title);
        w.push("</li>\n");
    }
    w.push("</ol>\n</nav>\n");
    let body = std::mem::take(&mut w.out);
    let xhtml = document(ctx, contents, &body);
    Document { file: CONTENTS_FILE.to_string(), xhtml }
}

fn contents_section(w: &mut Writer, section: &Section, listed: &mut BTreeSet<String>) {
    match &section.index {
        Some(key) => {
            listed.insert(key.clone());
            contents_page_item(w, key, &section.title);
        }
        None => {
            w.push("<li><span>");
            w.text(&section.title);
            w.push("</span>");
        }
    }
    let pages: Vec<&String> = section.groups.iter().flat_map(|g| &g.pages).collect();
    if !pages.is_empty() || !section.children.is_empty() {
        w.push("\n<ol>\n");
        for key in pages {
            listed.insert(key.clone());
            let title = w.plan.title(key).unwrap_or(key).to_string();
            contents_page_item(w, key, &title);
            w.push("</li>\n");
        }
        for child in &section.children {
            contents_section(w, child, listed);
        }
        w.push("</ol>\n");
    }
    w.push("</li>\n");
}

/// Opens `<li>` with a link to the page's chapter; the caller closes it.
fn contents_page_item(w: &mut Writer, key: &str, title: &str) {
    w.push("<li>");
    let target = crate::model::LinkTarget::Page { key: key.to_string(), anchor: None };
    w.linked_text(&target, title);
}

/// An XHTML content document around `body`.
fn document(ctx: &ExportContext, title: &str, body: &str) -> String {
    let mut xhtml = document_head(&super::book_language(ctx.corpus), title);
    xhtml.push_str(body);
    xhtml.push_str(DOCUMENT_TAIL);
    xhtml
}

/// Everything of an XHTML content document before its body's content.
fn document_head(language: &str, title: &str) -> String {
    let lang = escape_clean(language);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{lang}\" lang=\"{lang}\">\n\
         <head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n<body>\n",
        escape_clean(title)
    )
}

/// What closes an XHTML content document after its body's content.
const DOCUMENT_TAIL: &str = "</body>\n</html>\n";
