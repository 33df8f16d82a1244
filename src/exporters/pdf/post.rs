//! The post-pass over genpdf's file, with a current lopdf: compressed streams, bookmarks at
//! the recorded positions, links on the contents lines, proper metadata, and canonical
//! bytes (objects renumbered in reading order, sorted dictionaries, fixed dates, `/ID` from
//! a hash of the content), so that the same model always gives the same file.

use super::state::{PassRecord, Rect, Spot};
use crate::exporter::BuildTime;
use anyhow::Context as _;
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

const PT_PER_MM: f64 = 72.0 / 25.4;

pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: String,
    pub lang: String,
    pub build_time: BuildTime,
    pub paper_height: f64,
}

/// A bookmark: its title, the anchor key of its target, and its children.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineItem {
    pub title: String,
    pub key: String,
    pub children: Vec<OutlineItem>,
}

pub fn finish(mut doc: Document, meta: &Meta, record: &PassRecord, outline: &[OutlineItem]) -> anyhow::Result<Vec<u8>> {
    let pages: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    drop_unused_fonts(&mut doc, &pages);
    compress_streams(&mut doc)?;
    let place = Placer { pages: &pages, spots: &record.spots, paper_height: meta.paper_height };
    add_links(&mut doc, &place, &record.toc_links)?;
    let outlines = add_outline(&mut doc, &place, outline);
    let info = doc.add_object(info_dictionary(meta));
    let catalog = doc.catalog_mut().context("PDF without a catalog")?;
    catalog.set("Lang", Object::String(meta.lang.as_bytes().to_vec(), StringFormat::Literal));
    catalog.remove(b"Metadata");
    if let Some(outlines) = outlines {
        catalog.set("Outlines", outlines);
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    doc.trailer.set("Info", info);
    let mut canonical = canonical_copy(doc);
    // The identifier is a hash of the file written without it, never held as a second copy.
    let mut measure = HashingCounter::default();
    canonical.save_to(&mut measure).context("writing the PDF")?;
    let digest = measure.hasher.finalize();
    let id = Object::String(digest.get(..16).unwrap_or(&[]).to_vec(), StringFormat::Hexadecimal);
    canonical.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    // The file comes out a few bytes longer for its `/ID`: sized once, never grown by copying.
    let mut out = Vec::with_capacity(measure.bytes + 128);
    canonical.save_to(&mut out).context("writing the PDF")?;
    Ok(out)
}

/// Hashes what is written to it and counts its bytes, holding none of them.
#[derive(Default)]
struct HashingCounter {
    hasher: Sha256,
    bytes: usize,
}

impl std::io::Write for HashingCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.hasher.update(buf);
        self.bytes += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Deflates every stream not yet compressed (fonts, page contents), in parallel.
fn compress_streams(doc: &mut Document) -> anyhow::Result<()> {
    use rayon::prelude::*;
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| match o {
            Object::Stream(s) => Some(s),
            _ => None,
        })
        .collect();
    streams.par_iter_mut().try_for_each(|stream| super::merge::deflate_stream(stream))
}

/// genpdf embeds every face of every family it loads; only the faces some page selects
/// (`/Fn size Tf`) are kept. The canonical copy then leaves the others' objects out.
fn drop_unused_fonts(doc: &mut Document, pages: &[ObjectId]) {
    let mut used: BTreeSet<Vec<u8>> = BTreeSet::new();
    for page in pages {
        let content = doc.get_page_content(*page);
        let tokens: Vec<&[u8]> = content.split(|b| b.is_ascii_whitespace()).filter(|t| !t.is_empty()).collect();
        for (i, token) in tokens.iter().enumerate() {
            if *token == b"Tf" {
                if let Some(name) = i.checked_sub(2).and_then(|n| tokens.get(n)).and_then(|t| t.strip_prefix(b"/")) {
                    used.insert(name.to_vec());
                }
            }
        }
    }
    let mut font_dicts: BTreeSet<ObjectId> = BTreeSet::new();
    for page in pages {
        if let Ok((_, resources)) = doc.get_page_resources(*page) {
            for id in resources {
                if let Ok(Object::Reference(fonts)) = doc.get_dictionary(id).and_then(|r| r.get(b"Font")) {
                    font_dicts.insert(*fonts);
                }
            }
        }
    }
    for id in font_dicts {
        if let Ok(fonts) = doc.get_dictionary_mut(id) {
            let unused: Vec<Vec<u8>> = fonts.iter().map(|(k, _)| k.clone()).filter(|k| !used.contains(k)).collect();
            for key in unused {
                fonts.remove(&key);
            }
        }
    }
}

struct Placer<'a> {
    pages: &'a [ObjectId],
    spots: &'a BTreeMap<String, Spot>,
    paper_height: f64,
}

impl Placer<'_> {
    fn page(&self, page: usize) -> Option<ObjectId> {
        self.pages.get(page.checked_sub(1)?).copied()
    }

    /// `[page /XYZ left top null]` for an anchor, a little above its first line.
    fn destination(&self, key: &str) -> Option<Object> {
        let spot = self.spots.get(key)?;
        let page = self.page(spot.page)?;
        let top = ((self.paper_height - spot.y + 3.0) * PT_PER_MM) as f32;
        Some(Object::Array(vec![
            Object::Reference(page),
            Object::Name(b"XYZ".to_vec()),
            Object::Integer(0),
            Object::Real(top),
            Object::Null,
        ]))
    }

    fn rect(&self, r: &Rect) -> Object {
        let pt = |v: f64| Object::Real((v * PT_PER_MM) as f32);
        Object::Array(vec![pt(r.x0), pt(self.paper_height - r.y1), pt(r.x1), pt(self.paper_height - r.y0)])
    }
}

/// Makes every contents line a link to the page it names.
fn add_links(doc: &mut Document, place: &Placer<'_>, links: &[(Rect, String)]) -> anyhow::Result<()> {
    for (rect, key) in links {
        let (Some(page), Some(dest)) = (place.page(rect.page), place.destination(key)) else { continue };
        let mut annot = Dictionary::new();
        annot.set("Type", Object::Name(b"Annot".to_vec()));
        annot.set("Subtype", Object::Name(b"Link".to_vec()));
        annot.set("Rect", place.rect(rect));
        annot.set("Border", Object::Array(vec![Object::Integer(0), Object::Integer(0), Object::Integer(0)]));
        annot.set("Dest", dest);
        let annot_id = doc.add_object(annot);
        let page_dict = doc.get_object_mut(page).and_then(Object::as_dict_mut).context("page object")?;
        match page_dict.get_mut(b"Annots") {
            Ok(Object::Array(list)) => list.push(Object::Reference(annot_id)),
            _ => page_dict.set("Annots", Object::Array(vec![Object::Reference(annot_id)])),
        }
    }
    Ok(())
}

/// Builds the `/Outlines` tree; entries whose target was never placed are skipped.
fn add_outline(doc: &mut Document, place: &Placer<'_>, items: &[OutlineItem]) -> Option<ObjectId> {
    let root = doc.new_object_id();
    let (first, last, count) = add_outline_level(doc, place, items, root)?;
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"Outlines".to_vec()));
    dict.set("First", first);
    dict.set("Last", last);
    dict.set("Count", Object::Integer(count));
    doc.objects.insert(root, Object::Dictionary(dict));
    Some(root)
}

/// Adds siblings under `parent`; returns (first, last, number of visible descendants).
fn add_outline_level(
    doc: &mut Document,
    place: &Placer<'_>,
    items: &[OutlineItem],
    parent: ObjectId,
) -> Option<(ObjectId, ObjectId, i64)> {
    let placed: Vec<(&OutlineItem, Object)> =
        items.iter().filter_map(|i| place.destination(&i.key).map(|d| (i, d))).collect();
    let ids: Vec<ObjectId> = placed.iter().map(|_| doc.new_object_id()).collect();
    let mut count = 0;
    for (n, ((item, dest), id)) in placed.iter().zip(&ids).enumerate() {
        let mut dict = Dictionary::new();
        dict.set("Title", text_string(&item.title));
        dict.set("Parent", parent);
        dict.set("Dest", dest.clone());
        if let Some(prev) = n.checked_sub(1).and_then(|p| ids.get(p)) {
            dict.set("Prev", *prev);
        }
        if let Some(next) = ids.get(n + 1) {
            dict.set("Next", *next);
        }
        count += 1;
        if let Some((first, last, _)) = add_outline_level(doc, place, &item.children, *id) {
            dict.set("First", first);
            dict.set("Last", last);
            // Closed by default: only parts show, as in a book's table of contents.
            dict.set("Count", Object::Integer(-(item.children.len() as i64)));
        }
        doc.objects.insert(*id, Object::Dictionary(dict));
    }
    Some((*ids.first()?, *ids.last()?, count))
}

/// A PDF text string: UTF-16BE with a byte order mark, so any viewer reads accents right.
pub fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn pdf_date(time: BuildTime) -> Object {
    let (y, mo, d, h, mi, s) = time.civil();
    Object::String(format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z").into_bytes(), StringFormat::Literal)
}

fn info_dictionary(meta: &Meta) -> Dictionary {
    let mut info = Dictionary::new();
    info.set("Title", text_string(&meta.title));
    info.set("Author", text_string(&meta.author));
    info.set("Subject", text_string(&meta.subject));
    info.set("Keywords", text_string(&meta.keywords));
    info.set("Creator", text_string("folio"));
    info.set("Producer", text_string("folio (genpdf 0.2, lopdf)"));
    info.set("CreationDate", pdf_date(meta.build_time));
    info.set("ModDate", pdf_date(meta.build_time));
    info
}

/// The document with only the objects reachable from the trailer, numbered in the order a
/// breadth-first walk meets them (dictionary keys sorted), with sorted dictionaries; objects
/// are moved, not copied, so a long guide is never held twice.
fn canonical_copy(mut doc: Document) -> Document {
    let mut numbers: BTreeMap<ObjectId, u32> = BTreeMap::new();
    let mut order: Vec<ObjectId> = Vec::new();
    let mut queue: VecDeque<ObjectId> = VecDeque::new();
    for key in [b"Root".as_slice(), b"Info".as_slice()] {
        if let Ok(Object::Reference(id)) = doc.trailer.get(key) {
            queue.push_back(*id);
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id) {
            continue;
        }
        let Some(object) = doc.objects.get(&id) else { continue };
        order.push(id);
        numbers.insert(id, order.len() as u32);
        collect_references(object, &mut queue);
    }
    let mut out = Document::with_version("1.7");
    for id in &order {
        if let (Some(mut object), Some(n)) = (doc.objects.remove(id), numbers.get(id)) {
            renumber(&mut object, &numbers);
            out.objects.insert((*n, 0), object);
        }
    }
    out.max_id = order.len() as u32;
    for key in [b"Root".as_slice(), b"Info".as_slice()] {
        if let Ok(object) = doc.trailer.get(key) {
            let mut object = object.clone();
            renumber(&mut object, &numbers);
            out.trailer.set(key.to_vec(), object);
        }
    }
    out
}

fn sorted_entries(dict: &Dictionary) -> Vec<(&Vec<u8>, &Object)> {
    let mut entries: Vec<(&Vec<u8>, &Object)> = dict.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

fn collect_references(object: &Object, queue: &mut VecDeque<ObjectId>) {
    match object {
        Object::Reference(id) => queue.push_back(*id),
        Object::Array(items) => items.iter().for_each(|o| collect_references(o, queue)),
        Object::Dictionary(dict) => sorted_entries(dict).into_iter().for_each(|(_, o)| collect_references(o, queue)),
        Object::Stream(stream) => {
            sorted_entries(&stream.dict).into_iter().for_each(|(_, o)| collect_references(o, queue))
        }
        Object::Null
        | Object::Boolean(_)
        | Object::Integer(_)
        | Object::Real(_)
        | Object::Name(_)
        | Object::String(..) => {}
    }
}

/// `dict` with its keys sorted and its references renumbered.
fn renumbered_dict(dict: Dictionary, numbers: &BTreeMap<ObjectId, u32>) -> Dictionary {
    let mut entries: Vec<(Vec<u8>, Object)> = dict.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.iter_mut().for_each(|(_, value)| renumber(value, numbers));
    entries.into_iter().collect()
}

/// Points every reference at its object's new number; one to an unreachable object becomes null.
fn renumber(object: &mut Object, numbers: &BTreeMap<ObjectId, u32>) {
    match object {
        Object::Reference(id) => {
            *object = numbers.get(id).map_or(Object::Null, |n| Object::Reference((*n, 0)));
        }
        Object::Array(items) => items.iter_mut().for_each(|o| renumber(o, numbers)),
        Object::Dictionary(dict) => *dict = renumbered_dict(std::mem::take(dict), numbers),
        Object::Stream(stream) => stream.dict = renumbered_dict(std::mem::take(&mut stream.dict), numbers),
        Object::Null
        | Object::Boolean(_)
        | Object::Integer(_)
        | Object::Real(_)
        | Object::Name(_)
        | Object::String(..) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_are_utf16_with_a_byte_order_mark() {
        let Object::String(bytes, _) = text_string("é") else { panic!() };
        assert_eq!(bytes, vec![0xFE, 0xFF, 0x00, 0xE9]);
    }

    #[test]
    fn dates_come_from_the_build_time() {
        let Object::String(bytes, _) = pdf_date(BuildTime { epoch_seconds: 1_709_294_400 }) else { panic!() };
        assert_eq!(bytes, b"D:20240301120000Z");
    }
}
