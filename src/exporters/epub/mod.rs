//! EPUB 3: one book, `<name>.epub`, that EPUBCheck accepts with no error and no warning.
//!
//! The chapters, title page and contents page are XHTML written here (see `writer`,
//! `blocks`, `inlines`, `pages`). epub-builder assembles them with the nav document, the
//! NCX and the package document; `package` then rewrites its archive so that the bytes
//! depend only on the model and the build time, and patches the few places where
//! epub-builder 0.8 cannot say what the book needs (see `exporters/epub/README.md`).

mod a11y;
mod blocks;
mod entry;
mod inlines;
mod media;
mod nav_lists;
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

    // Chapters, pictures decoded to be checked, the archive and its read-back.
    fn relative_cost(&self) -> u32 {
        4
    }

    fn is_main_file(&self, path: &str) -> bool {
        path.ends_with(".epub")
    }

    fn description(&self) -> &'static str {
        "an EPUB 3 book (<name>.epub): one chapter per page, nested contents, embedded images"
    }

    fn export(&self, ctx: &ExportContext, sink: &mut dyn Sink, diags: &mut Vec<Diagnostic>) -> anyhow::Result<()> {
        let name = book_name(ctx)?;
        // A corpus in several languages makes one book per language, NAME-LANG.epub.
        for (language, corpus) in crate::languages::books(ctx.corpus) {
            let file = match &language {
                Some(language) => format!("{name}-{}.epub", crate::text::slugify(language)),
                None => format!("{name}.epub"),
            };
            let book = ExportContext { corpus: &corpus, ..*ctx };
            sink.write_with(&file, &mut |out| write_book(&book, diags, out).context("building the EPUB"))?;
        }
        Ok(())
    }

    fn read_back(&self, files: &dyn crate::exporter::Outputs) -> anyhow::Result<Option<crate::fidelity::ReadBack>> {
        readback::read_back(files)
    }
}

/// Writes the whole book to `out`.
///
/// Where every page and picture goes is decided first, page by page in parallel. epub-builder
/// lists the documents (package document, nav, NCX) from their listings alone, which is
/// sequential work, so it runs while the chapters are written. Chapters are written and
/// compressed in parallel, a window at a time, each with its own diagnostics, and go into
/// the archive in reading order: the book and its diagnostics do not depend on scheduling.
/// The archive is streamed: `mimetype`, the documents as they are compressed, then what
/// epub-builder wrote and the pictures.
pub fn write_book(
    ctx: &ExportContext,
    diags: &mut Vec<Diagnostic>,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let ((plan, entries, listings), media) = rayon::join(
        || {
            let plan = plan::BookPlan::new(ctx.corpus);
            let entries = toc::toc_entries(ctx.corpus, &plan);
            let listings = pages::listings(ctx.corpus, &plan);
            (plan, entries, listings)
        },
        || media::Media::for_book(ctx),
    );
    let mut book = entry::Archive::new(out, package::zip_time(ctx.build_time.civil()));
    book.add(&entry::Entry::stored("mimetype".to_string(), package::MIMETYPE.as_bytes().to_vec())?)?;
    let mut skeleton = None;
    // In place: the writer stays on this thread while epub-builder runs on another.
    let written = rayon::in_place_scope(|scope| {
        scope.spawn(|_| skeleton = Some(package::skeleton(ctx, &listings, &entries, &media)));
        write_documents(ctx, &plan, &media, diags, &mut book)
    })?;
    let listed: Vec<&str> = listings.iter().map(|l| l.file.as_str()).collect();
    anyhow::ensure!(written == listed, "the written documents differ from the listed ones");
    let skeleton = skeleton.context("epub-builder did not run")??;
    package::finish(ctx, &skeleton, &written, &entries, &media, book)
}

/// Chapters written and compressed side by side before they go into the archive: a large
/// book then holds a window's compressed chapters, not all of them.
const CHAPTER_WINDOW: usize = 512;

/// Writes every document of the book into `book`, in reading order; returns their file names.
fn write_documents<W: std::io::Write>(
    ctx: &ExportContext,
    plan: &plan::BookPlan,
    media: &media::Media,
    diags: &mut Vec<Diagnostic>,
    book: &mut entry::Archive<W>,
) -> anyhow::Result<Vec<String>> {
    let mut files = Vec::with_capacity(ctx.corpus.pages.len() + 2);
    let mut add = |(file, entry): package::Packed, book: &mut entry::Archive<W>| -> anyhow::Result<()> {
        book.add(&entry)?;
        files.push(file);
        Ok(())
    };
    add(package::pack(pages::title_page(ctx, plan, media, diags))?, book)?;
    add(package::pack(pages::contents_page(ctx, plan, media, diags))?, book)?;
    for window in ctx.corpus.pages.chunks(CHAPTER_WINDOW) {
        let chapters: Vec<(anyhow::Result<package::Packed>, Vec<Diagnostic>)> = window
            .par_iter()
            .map(|page| {
                let mut found = Vec::new();
                let chapter = pages::chapter(ctx, plan, page, media, &mut found);
                (package::pack(chapter), found)
            })
            .collect();
        for (chapter, mut found) in chapters {
            add(chapter?, book)?;
            diags.append(&mut found);
        }
    }
    Ok(files)
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
    [&site.title, &site.url]
        .into_iter()
        .map(|t| t.trim())
        .find(|t| !t.is_empty())
        .unwrap_or("Documentation")
        .to_string()
}

/// The book's language: its pages' one language, else the site's, or `und` (undetermined)
/// when the config gives none, since a package must declare one.
pub fn book_language(corpus: &crate::model::Corpus) -> String {
    language_tag(crate::languages::book_language(corpus))
}

/// A language tag as the package and documents declare it (`und` when there is none).
pub fn language_tag(language: &str) -> String {
    let (clean, _) = crate::text::xml_safe(language.trim());
    if clean.is_empty() {
        "und".to_string()
    } else {
        clean.into_owned()
    }
}

/// The book's identifier: a UUID v5 of the site URL, so that every edition of one site
/// is the same book for a reading system.
pub fn book_uuid(site_url: &str) -> uuid::Uuid {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, site_url.as_bytes())
}
