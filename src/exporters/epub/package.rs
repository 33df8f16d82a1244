//! Assembling the book: epub-builder writes the package document, nav and NCX around our
//! XHTML; its archive is then rewritten so that the bytes are reproducible.
//!
//! What epub-builder 0.8 gets wrong for us, and what is done about it here:
//! - it stamps zip entries with the current time and offers no access to its zip writer:
//!   the book is written by `entry::Archive` instead, `mimetype` first and stored, then our
//!   documents as they are compressed, then epub-builder's entries read back with `zip`,
//!   every entry dated from the build time, in a fixed order. So that nothing is compressed
//!   twice, epub-builder is given our documents and pictures empty (it only lists them):
//!   they are compressed once, in parallel, by `pack`, and their compressed bytes go into
//!   the book as they are;
//! - it has no `dc:publisher` and no language on the package or nav: patched in;
//! - its NCX declares a depth of 1 and no `dtb:uid`: patched in;
//! - it numbers every navPoint of the NCX in turn, so entries that point at the same place (an
//!   index-less section and the first page under it) get different `playOrder`s, which
//!   EPUBCheck refuses (RSC-005): renumbered, one `playOrder` per target, in reading order;
//! - it gives `dc:language` and `dc:creator` the same id: no creator is set (the publisher
//!   is the one responsible for the book);
//! - its toc nav has no DPUB-ARIA role to match its `epub:type`: `doc-toc` patched in;
//! - its landmarks are empty unless documents have a reference type: title page, contents
//!   and the first chapter have one.

use super::entry::{Archive, Entry};
use super::media::Media;
use super::pages::{Document, DocumentRole, Listing};
use super::toc::ChapterToc;
use super::writer::escape_clean;
use crate::exporter::ExportContext;
use anyhow::{anyhow, bail, Context};
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, Toc, TocElement, ZipLibrary};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Write};

const STYLESHEET: &str = include_str!("../../../exporters/epub/style.css");
const OPF: &str = "OEBPS/content.opf";
const NAV: &str = "OEBPS/nav.xhtml";
const NCX: &str = "OEBPS/toc.ncx";

/// A written document's file name and its compressed entry.
pub type Packed = (String, Entry);

/// Compresses a written document, by its file name; its XHTML is dropped here.
pub fn pack(doc: Document) -> anyhow::Result<Packed> {
    let entry = Entry::deflate(format!("OEBPS/{}", doc.file), doc.xhtml.as_bytes())?;
    Ok((doc.file, entry))
}

/// What epub-builder wrote, and the book's contents, which `finish` writes into its nav and NCX.
pub struct Skeleton {
    archive: Vec<u8>,
    contents: Toc,
}

/// epub-builder's archive for these listings: the package document, nav, NCX, container and
/// stylesheet, with every document and picture listed but given empty (their bytes come
/// from `finish`), and the contents its nav and NCX will list.
///
/// epub-builder is given the title of a document only where its landmarks and guide show it:
/// it writes the nav's and NCX's lists with several copies of them in memory at once, so the
/// lists are written by `nav_lists` (into `finish`'s documents) from the same contents.
pub fn skeleton(
    ctx: &ExportContext,
    listings: &[Listing],
    entries: &BTreeMap<String, ChapterToc>,
    media: &Media,
) -> anyhow::Result<Skeleton> {
    // Every listing is built before the first one is added. Building them between
    // epub-builder's zip entries, each of which allocates and frees a large compressor
    // state, left small live strings inside every freed state: the heap fragmented and
    // kept a large block per chapter.
    let mut first_chapter = true;
    let mut contents = Toc::new();
    let listed: Vec<EpubContent<std::io::Empty>> = listings
        .iter()
        .map(|listing| {
            let mut content = content_of(listing, entries, &mut first_chapter);
            let shown = if content.reftype.is_some() { content.toc.title.clone() } else { String::new() };
            let stub = TocElement::new(content.toc.url.as_str(), shown).level(content.toc.level);
            let element = std::mem::replace(&mut content.toc, stub);
            // As epub-builder's `add_content`: an untitled document is not in the contents.
            if !element.title.is_empty() {
                contents.add(element);
            }
            content
        })
        .collect();
    let mut builder = EpubBuilder::new(ZipLibrary::new().map_err(epub_err)?).map_err(epub_err)?;
    describe(&mut builder, ctx, media)?;
    builder.stylesheet(STYLESHEET.as_bytes()).map_err(epub_err)?;
    for (name, resource) in media.resources() {
        builder.add_resource(name, std::io::empty(), resource.media_type).map_err(epub_err)?;
    }
    for content in listed {
        builder.add_content(content).map_err(epub_err)?;
    }
    let mut archive = Vec::new();
    builder.generate(&mut archive).map_err(epub_err)?;
    Ok(Skeleton { archive, contents })
}

/// Finishes the book, whose `mimetype` and documents (`written`, file names inside `OEBPS/`)
/// are already in `book`: epub-builder's skeleton, patched, without its empty entries for
/// those documents, and the pictures.
pub fn finish<W: Write>(
    ctx: &ExportContext,
    skeleton: &Skeleton,
    written: &[String],
    entries: &BTreeMap<String, ChapterToc>,
    media: &Media,
    book: Archive<W>,
) -> anyhow::Result<()> {
    let patches = Patches {
        language: escape_clean(&super::book_language(ctx.corpus)),
        publisher: escape_clean(&ctx.corpus.site.publisher),
        uid: super::book_uuid(&ctx.corpus.site.url).urn().to_string(),
        depth: super::toc::depth(entries),
    };
    let written: BTreeSet<String> = written.iter().map(|file| format!("OEBPS/{file}")).collect();
    repack(skeleton, pack_resources(media)?, &written, &patches, book)
}

/// Every picture compressed on its own, by its path in the archive.
fn pack_resources(media: &Media) -> anyhow::Result<BTreeMap<String, Entry>> {
    let resources: Vec<(&String, &super::media::Resource)> = media.resources().collect();
    resources
        .par_iter()
        .map(|(name, resource)| {
            let path = format!("OEBPS/{name}");
            Ok((path.clone(), Entry::deflate(path, &resource.bytes)?))
        })
        .collect()
}

/// Title, language, description, identifier, dates and accessibility metadata.
fn describe(builder: &mut EpubBuilder<ZipLibrary>, ctx: &ExportContext, media: &Media) -> anyhow::Result<()> {
    let site = &ctx.corpus.site;
    builder.epub_version(EpubVersion::V30);
    builder.set_title(clean(&super::book_title(site)));
    builder.add_language(super::book_language(ctx.corpus));
    if !site.description.trim().is_empty() {
        builder.add_description(clean(&site.description));
    }
    builder.set_generator("folio");
    builder.set_toc_name(crate::languages::book_labels(ctx.corpus).contents);
    builder.set_uuid(super::book_uuid(&site.url));
    let time = chrono::DateTime::from_timestamp(ctx.build_time.epoch_seconds, 0)
        .ok_or_else(|| anyhow!("build time {} is out of range", ctx.build_time.epoch_seconds))?;
    builder.set_modified_date(time);
    builder.set_publication_date(time);
    let facts = super::a11y::Facts::of_book(ctx.corpus, media);
    for (property, value) in super::a11y::metadata(&facts, &site.language) {
        // MetadataOpfV3 writes its content verbatim: the values hold no markup characters.
        builder.add_metadata_opf(Box::new(MetadataOpfV3::new(property.to_string(), value)));
    }
    Ok(())
}

fn clean(text: &str) -> String {
    crate::text::xml_safe(text).0.into_owned()
}

/// An `EpubContent` with its place in the navigation and, for the opening documents and the
/// first chapter, the reference type that makes the landmarks.
fn content_of(
    doc: &Listing,
    entries: &BTreeMap<String, ChapterToc>,
    first_chapter: &mut bool,
) -> EpubContent<std::io::Empty> {
    let entry = doc.page_key.as_deref().and_then(|k| entries.get(k));
    let reftype = match doc.role {
        DocumentRole::TitlePage => Some(ReferenceType::TitlePage),
        DocumentRole::Contents => Some(ReferenceType::Toc),
        DocumentRole::Chapter if std::mem::take(first_chapter) => Some(ReferenceType::Text),
        DocumentRole::Chapter => None,
    };
    let element = match entry {
        Some(entry) => nav_element(&doc.file, entry),
        None => TocElement::new(doc.file.as_str(), clean(&doc.title)),
    };
    // Listed only: the document itself is compressed by `pack`.
    let mut content = EpubContent::new(doc.file.as_str(), std::io::empty()).title(element.title).level(element.level);
    for child in element.children {
        content = content.child(child);
    }
    match reftype {
        Some(r) => content.reftype(r),
        None => content,
    }
}

/// The chapter's entry with its headings, inside the entries of the index-less sections
/// that open with it.
fn nav_element(file: &str, entry: &ChapterToc) -> TocElement {
    // An entry needs words to be read out: an untitled page is named by its file.
    let title = if entry.title.trim().is_empty() { file.to_string() } else { clean(&entry.title) };
    // The NCX may not give one target two play orders: under the entry of an index-less
    // section (which points at the file), the chapter's own entry points at its title.
    let own = if entry.wrappers.is_empty() { file.to_string() } else { format!("{file}#folio-title") };
    let mut element = TocElement::new(own.as_str(), title).level(entry.level);
    for (href, title) in &entry.headings {
        element = element.child(TocElement::new(href.as_str(), clean(title)).level(entry.level + 1));
    }
    for (title, level) in entry.wrappers.iter().rev() {
        element = TocElement::new(file, clean(title)).level(*level).child(element);
    }
    element
}

fn epub_err(e: epub_builder::Error) -> anyhow::Error {
    anyhow!("epub-builder: {e}")
}

/// Values patched into epub-builder's documents (already escaped).
struct Patches {
    language: String,
    publisher: String,
    uid: String,
    depth: i32,
}

/// What goes into one entry of the book: bytes epub-builder wrote (read back and patched),
/// or one of our files, already compressed.
enum Content {
    Generated(Vec<u8>),
    Ours(Entry),
}

/// Reads epub-builder's archive and appends it to `book`: `META-INF/`, the package document
/// and the rest in epub-builder's order, all dated as the book is. Its `mimetype` and its
/// empty entries for the documents in `written` are left out (the book has them already);
/// entries named in `ours` take their already compressed bytes from there.
fn repack<W: Write>(
    skeleton: &Skeleton,
    mut ours: BTreeMap<String, Entry>,
    written: &BTreeSet<String>,
    patches: &Patches,
    mut book: Archive<W>,
) -> anyhow::Result<()> {
    let generated = Cursor::new(skeleton.archive.as_slice());
    let mut archive = zip::ZipArchive::new(generated).context("reading epub-builder's archive")?;
    let mut entries: Vec<(String, Content)> = Vec::new();
    let mut listed = 0;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i)?;
        let name = file.name().to_string();
        if written.contains(&name) {
            listed += 1;
            continue;
        }
        if let Some(entry) = ours.remove(&name) {
            entries.push((name, Content::Ours(entry)));
            continue;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        if name == "mimetype" {
            anyhow::ensure!(bytes == MIMETYPE.as_bytes(), "epub-builder's mimetype changed");
            continue;
        }
        patch(&name, &mut bytes, patches, &skeleton.contents)?;
        entries.push((name, Content::Generated(bytes)));
    }
    if let Some(name) = ours.keys().next() {
        bail!("epub-builder's archive has no entry `{name}`: its layout changed");
    }
    anyhow::ensure!(
        listed == written.len(),
        "epub-builder's archive lacks some of the written documents: its layout changed"
    );
    let rank = |name: &str| match name {
        n if n.starts_with("META-INF/") => 0,
        OPF => 1,
        _ => 2,
    };
    entries.sort_by_key(|(name, _)| rank(name));
    // The package document, nav and NCX list every chapter, so they are large on a large
    // corpus: they are compressed side by side.
    let entries: Vec<Entry> =
        entries.into_par_iter().map(|(name, content)| compressed(name, content)).collect::<anyhow::Result<_>>()?;
    for entry in entries {
        book.add(&entry)?;
    }
    book.finish()?;
    Ok(())
}

/// The contents of `mimetype`, the first entry of the book, stored (OCF).
pub const MIMETYPE: &str = "application/epub+zip";

/// Everything after `mimetype` is deflated.
fn compressed(name: String, content: Content) -> anyhow::Result<Entry> {
    match content {
        Content::Ours(entry) => Ok(entry),
        Content::Generated(bytes) => Entry::deflate(name, &bytes),
    }
}

/// The build time as a zip timestamp, clamped to the years a zip can hold.
pub fn zip_time((year, month, day, hour, minute, second): (i64, u32, u32, u32, u32, u32)) -> zip::DateTime {
    let year = year.clamp(1980, 2107) as u16;
    let narrow = |v: u32| u8::try_from(v).unwrap_or(0);
    zip::DateTime::from_date_and_time(year, narrow(month), narrow(day), narrow(hour), narrow(minute), narrow(second))
        .unwrap_or_default()
}

/// `</dc:title>`, followed by `dc:publisher` when there is one (it may not be empty).
fn publisher_after_title(publisher: &str) -> String {
    if publisher.trim().is_empty() {
        "</dc:title>".to_string()
    } else {
        format!("</dc:title>\n    <dc:publisher>{publisher}</dc:publisher>")
    }
}

fn patch(name: &str, bytes: &mut Vec<u8>, p: &Patches, contents: &Toc) -> anyhow::Result<()> {
    let replacements: Vec<(&str, String)> = match name {
        OPF => vec![
            (
                "unique-identifier=\"epub-id-1\">",
                format!("unique-identifier=\"epub-id-1\" xml:lang=\"{}\">", p.language),
            ),
            ("</dc:title>", publisher_after_title(&p.publisher)),
        ],
        NAV => vec![
            (
                "xmlns:epub=\"http://www.idpf.org/2007/ops\">",
                format!("xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{0}\" lang=\"{0}\">", p.language),
            ),
            // DPUB-ARIA's role for the toc, which Ace requires beside its epub:type.
            (
                "<nav epub:type = \"toc\" id=\"toc\">",
                "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">".to_string(),
            ),
            ("<nav epub:type = \"landmarks\">", "<nav epub:type=\"landmarks\" hidden=\"hidden\">".to_string()),
        ],
        NCX => vec![
            (
                "<meta name=\"dtb:depth\" content=\"1\" />",
                format!(
                    "<meta name=\"dtb:uid\" content=\"{}\" />\n    <meta name=\"dtb:depth\" content=\"{}\" />",
                    p.uid, p.depth
                ),
            ),
            (
                "xmlns=\"http://www.daisy.org/z3986/2005/ncx/\">",
                format!("xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" xml:lang=\"{}\">", p.language),
            ),
        ],
        _ => return Ok(()),
    };
    let mut text = String::from_utf8(std::mem::take(bytes)).with_context(|| format!("{name} is not UTF-8"))?;
    for (from, to) in replacements {
        if text.matches(from).count() != 1 {
            bail!("epub-builder's {name} no longer contains `{from}` exactly once: its template changed");
        }
        text = text.replacen(from, &to, 1);
    }
    // The contents go in last: the replacements above look for their text in the template only.
    text = match name {
        NCX => unique_play_orders(&replace_list(name, &text, "<navMap>\n", "\n  </navMap>", |out| {
            super::nav_lists::push_ncx_points(contents, out)
        })?)?,
        NAV => {
            replace_list(name, &text, "</h1>\n", "\n  </nav>", |out| super::nav_lists::push_nav_list(contents, out))?
        }
        _ => text,
    };
    // The templates leave a blank line for every optional field not set.
    let mut kept = String::with_capacity(text.len());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        kept.push_str(line);
        kept.push('\n');
    }
    *bytes = kept.into_bytes();
    Ok(())
}

/// `text` with what lies between `open` (which it holds once) and the first `close` after it
/// replaced by what `list` writes: epub-builder's list of the contents in its nav or NCX, by ours.
fn replace_list(
    name: &str,
    text: &str,
    open: &str,
    close: &str,
    list: impl FnOnce(&mut String),
) -> anyhow::Result<String> {
    let template_changed = || anyhow!("epub-builder's {name} has no single `{open}` … `{close}`: its template changed");
    if text.matches(open).count() != 1 {
        return Err(template_changed());
    }
    let start = text.find(open).ok_or_else(template_changed)? + open.len();
    let end = start + text[start..].find(close).ok_or_else(template_changed)?;
    let mut out = String::from(&text[..start]);
    list(&mut out);
    out.push_str(&text[end..]);
    Ok(out)
}

/// The NCX with one `playOrder` per target: every navPoint that points where an earlier one
/// points takes its number, the others are numbered on from 1 in document order. epub-builder
/// writes each navPoint's `<content src>` after its opening tag and before its children, so
/// the n-th `playOrder` belongs to the n-th `src`.
fn unique_play_orders(ncx: &str) -> anyhow::Result<String> {
    const ORDER: &str = "playOrder=\"";
    const SRC: &str = "<content src=\"";
    let targets: Vec<&str> = ncx
        .match_indices(SRC)
        .map(|(i, _)| {
            let value = &ncx[i + SRC.len()..];
            value.find('"').map(|end| &value[..end])
        })
        .collect::<Option<_>>()
        .context("an NCX `<content src=` is not closed")?;
    let mut numbers: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut out = String::with_capacity(ncx.len());
    let mut rest = ncx;
    let mut targets = targets.into_iter();
    while let Some(at) = rest.find(ORDER) {
        let value = &rest[at + ORDER.len()..];
        let end = value.find('"').context("an NCX `playOrder` is not closed")?;
        let target =
            targets.next().context("an NCX navPoint has no `<content src>`: epub-builder's template changed")?;
        let next = numbers.len() + 1;
        let number = *numbers.entry(target).or_insert(next);
        out.push_str(&rest[..at + ORDER.len()]);
        out.push_str(&number.to_string());
        rest = &value[end..];
    }
    let unpaired = targets.next().is_some();
    anyhow::ensure!(!unpaired, "an NCX `<content src>` has no navPoint: epub-builder's template changed");
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::unique_play_orders;

    #[test]
    fn navpoints_to_one_target_share_one_play_order_and_others_are_numbered_on() {
        let point = |n: usize, src: &str, inner: &str| {
            let label = "<navLabel><text>t</text></navLabel>";
            format!("<navPoint playOrder=\"{n}\" id=\"p{n}\">{label}<content src=\"{src}\"/>{inner}</navPoint>")
        };
        let ncx = format!(
            "<navMap>{}{}</navMap>",
            point(1, "a.xhtml", ""),
            point(2, "b.xhtml", &point(3, "b.xhtml", &(point(4, "b.xhtml#t", "") + &point(5, "c.xhtml", "")))),
        );
        let fixed = unique_play_orders(&ncx).unwrap();
        let orders: Vec<&str> = fixed.split("playOrder=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
        assert_eq!(orders, ["1", "2", "2", "3", "4"]);
        // Nothing but the numbers changed.
        let unnumbered = |s: &str| s.chars().filter(|c| !c.is_ascii_digit()).collect::<String>();
        assert_eq!(unnumbered(&fixed), unnumbered(&ncx));
    }

    #[test]
    fn an_ncx_whose_navpoints_and_targets_do_not_pair_is_refused() {
        let ncx = "<navPoint playOrder=\"1\"><navPoint playOrder=\"2\"><content src=\"a\"/>";
        assert!(unique_play_orders(ncx).is_err());
    }
}
