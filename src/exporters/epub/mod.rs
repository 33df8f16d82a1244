//! EPUB 3: one book, `<name>.epub`, that EPUBCheck accepts with no error and no warning.
//!
//! The chapters, title page and contents page are XHTML written here (see `writer`,
//! `blocks`, `inlines`, `pages`). epub-builder assembles them with the nav document, the
//! NCX and the package document; `package` then rewrites its archive so that the bytes
//! depend only on the model and the build time, and patches the few places where
//! epub-builder 0.8 cannot say what the book needs (see `exporters/epub/README.md`).

mod blocks;
mod entry;
mod inlines;
mod media;
mod package;
mod pages;
mod plan;
mod readback;
mod toc;
mod writer;

use crate::diagnostics::Diagnostic;
use crate::exporter::{ExportContext, Exporter, Sink};
use anyhow::{bail, Context};
use rayon::prelude::*;

pub struct EpubExporter;

impl Exporter for EpubExporter {
    fn name(&self) -> &'static str {
        "epub"
    }

    fn description(&self) -> &'static str {
        "an EPUB 3 book (<name>.epub): one chapter per page, nested contents, embedded images"
    }

    fn export(&self, ctx: &ExportContext, sink: &mut dyn Sink, diags: &mut Vec<Diagnostic>) -> anyhow::Result<()> {
        let name = book_name(ctx)?;
        sink.write_with(&format!("{name}.epub"), &mut |out| write_book(ctx, diags, out).context("building the EPUB"))
    }

    fn read_back(&self, files: &dyn crate::exporter::Outputs) -> anyhow::Result<Option<crate::fidelity::ReadBack>> {
        readback::read_back(files)
    }
}

/// Writes the whole book to `out`.
///
/// Where every page and picture goes is decided first, page by page in parallel. epub-builder
/// lists the documents (package document, nav, NCX) from their listings alone, which is
/// sequential work, so it runs while the chapters are written. Chapters are written
/// and compressed in parallel, each with its own diagnostics, then joined in reading order:
/// the book and its diagnostics do not depend on scheduling. Each chapter's XHTML is
/// dropped as soon as it is compressed.
pub fn write_book(ctx: &ExportContext, diags: &mut Vec<Diagnostic>, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let ((plan, entries, listings), media) = rayon::join(
        || {
            let plan = plan::BookPlan::new(ctx.corpus);
            let entries = toc::toc_entries(ctx.corpus, &plan);
            let listings = pages::listings(ctx.corpus, &plan);
            (plan, entries, listings)
        },
        || media::Media::for_book(ctx),
    );
    let time = package::zip_time(ctx.build_time.civil());
    let (skeleton, documents) = rayon::join(
        || package::skeleton(ctx, &listings, &entries, &media),
        || write_documents(ctx, &plan, &media, diags),
    );
    let documents = documents?;
    let written: Vec<&str> = documents.iter().map(|(file, _)| file.as_str()).collect();
    let listed: Vec<&str> = listings.iter().map(|l| l.file.as_str()).collect();
    anyhow::ensure!(written == listed, "the written documents differ from the listed ones");
    package::finish(ctx, &skeleton?, documents, &entries, &media, time, out)
}

/// Every document of the book, compressed, with its file name, in reading order.
fn write_documents(
    ctx: &ExportContext,
    plan: &plan::BookPlan,
    media: &media::Media,
    diags: &mut Vec<Diagnostic>,
) -> anyhow::Result<Vec<package::Packed>> {
    let mut documents = vec![
        package::pack(pages::title_page(ctx, plan, media, diags))?,
        package::pack(pages::contents_page(ctx, plan, media, diags))?,
    ];
    let chapters: Vec<(anyhow::Result<package::Packed>, Vec<Diagnostic>)> = ctx
        .corpus
        .pages
        .par_iter()
        .map(|page| {
            let mut found = Vec::new();
            let chapter = pages::chapter(ctx, plan, page, media, &mut found);
            (package::pack(chapter), found)
        })
        .collect();
    for (chapter, mut found) in chapters {
        documents.push(chapter?);
        diags.append(&mut found);
    }
    Ok(documents)
}

/// The file name of the book, without `.epub`: `[output.epub] name`, else a slug of the
/// site title.
pub fn book_name(ctx: &ExportContext) -> anyhow::Result<String> {
    let name = match ctx.options.get("name") {
        None => crate::text::slugify(&ctx.corpus.site.title),
        Some(toml::Value::String(s)) => s.trim().to_string(),
        Some(other) => bail!("[output.epub] name must be a string, not {}", other.type_str()),
    };
    if name.contains(['/', '\\']) || name.starts_with('.') || name.chars().any(char::is_control) {
        bail!("[output.epub] name must be a plain file name, not {name:?}");
    }
    Ok(if name.is_empty() { "book".to_string() } else { name })
}

/// The chapter file of every page, by page key, as the book names them (inside `OEBPS/`).
pub fn chapter_files(corpus: &crate::model::Corpus) -> std::collections::BTreeMap<String, String> {
    plan::BookPlan::new(corpus).files().clone()
}

/// The book's title: the site's, else its URL, since a package must have one.
pub fn book_title(site: &crate::model::SiteMeta) -> String {
    [&site.title, &site.url].into_iter().map(|t| t.trim()).find(|t| !t.is_empty()).unwrap_or("Documentation").to_string()
}

/// The book's language: the site's, or `und` (undetermined) when the config gives none,
/// since a package must declare one.
pub fn book_language(site: &crate::model::SiteMeta) -> String {
    let (clean, _) = crate::text::xml_safe(site.language.trim());
    if clean.is_empty() { "und".to_string() } else { clean.into_owned() }
}

/// The book's identifier: a UUID v5 of the site URL, so that every edition of one site
/// is the same book for a reading system.
pub fn book_uuid(site_url: &str) -> uuid::Uuid {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, site_url.as_bytes())
}
