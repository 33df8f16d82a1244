//! Joining the chunks of a guide into one PDF, and sharing what they have in common.
//!
//! Each chunk is a complete genpdf document with its own copy of every font and of every
//! picture it draws. The join moves every chunk's pages under the first chunk's page tree;
//! `share_identical_objects` then keeps one copy of each object that is byte for byte the
//! same (fonts across chunks, a diagram drawn twice), until nothing more can be shared.
//! The result does not depend on how the guide was cut: the post-pass numbers objects in
//! reading order from the catalog.

use super::images::stand_in_number;
use crate::deflate::{Framing, Level};
use anyhow::Context as _;
use image::DynamicImage;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A chunk's PDF read back, its page contents deflated (fonts are left for after the join,
/// when one copy of each is left).
pub fn read_chunk(bytes: &[u8], fix_astral_characters: bool) -> anyhow::Result<Document> {
    let mut doc = Document::load_mem(bytes).context("reading a chunk of the guide back")?;
    if fix_astral_characters {
        super::to_unicode::fix_astral_characters(&mut doc);
    }
    let contents: Vec<ObjectId> = doc.get_pages().into_values().flat_map(|page| doc.get_page_contents(page)).collect();
    for id in contents {
        if let Ok(Object::Stream(stream)) = doc.get_object_mut(id) {
            deflate_stream(stream)?;
        }
    }
    Ok(doc)
}

/// Deflates a stream not compressed yet, at libdeflate's default level, when that makes it
/// smaller (lopdf's own `compress` uses zlib's level 9: several times slower for a few per
/// cent on fonts).
pub fn deflate_stream(stream: &mut Stream) -> anyhow::Result<()> {
    if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
        return Ok(());
    }
    let compressed = deflate(&stream.content, Level::DEFAULT)?;
    if compressed.len() + 19 < stream.content.len() {
        stream.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        stream.set_content(compressed);
    }
    Ok(())
}

/// One document holding the pages of `chunks`, in order.
pub fn join(chunks: Vec<Document>) -> anyhow::Result<Document> {
    let mut docs = chunks.into_iter();
    let mut out = docs.next().context("a guide without pages")?;
    let root = pages_root(&out)?;
    let mut kids: Vec<Object> = out.get_pages().into_values().map(Object::Reference).collect();
    let mut groups = optional_content_groups(&out);
    for mut doc in docs {
        doc.renumber_objects_with(out.max_id + 1);
        out.max_id = doc.max_id;
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        groups.extend(optional_content_groups(&doc));
        let catalog = doc.trailer.get(b"Root").and_then(Object::as_reference).ok();
        for (id, object) in std::mem::take(&mut doc.objects) {
            if Some(id) != catalog && type_name(&object) != Some(b"Pages") {
                out.objects.insert(id, object);
            }
        }
        for page in pages {
            if let Ok(dict) = out.get_object_mut(page).and_then(Object::as_dict_mut) {
                dict.set("Parent", Object::Reference(root));
            }
            kids.push(Object::Reference(page));
        }
    }
    let tree = out.get_object_mut(root).and_then(Object::as_dict_mut).context("the guide's page tree")?;
    tree.set("Count", Object::Integer(kids.len() as i64));
    tree.set("Kids", Object::Array(kids));
    set_optional_content_groups(&mut out, groups)?;
    Ok(out)
}

fn pages_root(doc: &Document) -> anyhow::Result<ObjectId> {
    let catalog = doc.catalog().context("a chunk without a catalog")?;
    catalog.get(b"Pages").and_then(Object::as_reference).context("a chunk without a page tree")
}

fn type_name(object: &Object) -> Option<&[u8]> {
    let dict = match object {
        Object::Dictionary(dict) => dict,
        Object::Stream(stream) => &stream.dict,
        _ => return None,
    };
    dict.get(b"Type").and_then(Object::as_name).ok()
}

/// printpdf puts each page's layer in an optional content group listed in the catalog.
fn optional_content_groups(doc: &Document) -> Vec<Object> {
    let groups = doc
        .catalog()
        .and_then(|c| c.get(b"OCProperties"))
        .and_then(|p| doc.dereference(p))
        .and_then(|(_, p)| p.as_dict())
        .and_then(|p| p.get(b"OCGs"))
        .and_then(Object::as_array);
    groups.cloned().unwrap_or_default()
}

fn set_optional_content_groups(doc: &mut Document, groups: Vec<Object>) -> anyhow::Result<()> {
    if groups.is_empty() {
        return Ok(());
    }
    let mut defaults = Dictionary::new();
    defaults.set("Order", Object::Array(groups.clone()));
    defaults.set("RBGroups", Object::Array(Vec::new()));
    let mut properties = Dictionary::new();
    properties.set("OCGs", Object::Array(groups));
    properties.set("D", Object::Dictionary(defaults));
    doc.catalog_mut().context("the guide's catalog")?.set("OCProperties", Object::Dictionary(properties));
    Ok(())
}

/// Swaps every one-pixel stand-in (see `images::PictureCache`) for the picture whose number
/// its colour carries, deflated at the fast level: on raw RGB the slow levels spend several
/// times the time for a few per cent.
pub fn substitute_pictures(doc: &mut Document, pictures: &HashMap<u32, Arc<DynamicImage>>) -> anyhow::Result<()> {
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else { continue };
        if !is_stand_in(&stream.dict) {
            continue;
        }
        let pixel = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        let number = match pixel.as_slice() {
            [r, g, b, ..] => stand_in_number([*r, *g, *b]),
            _ => anyhow::bail!("a picture stand-in without its pixel"),
        };
        let picture = pictures.get(&number).with_context(|| format!("no picture numbered {number}"))?;
        // Pictures are flattened on white, so RGB already: borrowed, not copied.
        let converted;
        let rgb = match picture.as_rgb8() {
            Some(rgb) => rgb,
            None => {
                converted = picture.to_rgb8();
                &converted
            }
        };
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"XObject".to_vec()));
        dict.set("Subtype", Object::Name(b"Image".to_vec()));
        dict.set("Width", Object::Integer(i64::from(rgb.width())));
        dict.set("Height", Object::Integer(i64::from(rgb.height())));
        dict.set("ColorSpace", Object::Name(b"DeviceRGB".to_vec()));
        dict.set("BitsPerComponent", Object::Integer(8));
        dict.set("Interpolate", Object::Boolean(true));
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        *stream = Stream::new(dict, deflate(rgb.as_raw(), Level::FAST)?);
    }
    Ok(())
}

fn deflate(bytes: &[u8], level: Level) -> anyhow::Result<Vec<u8>> {
    crate::deflate::deflate(bytes, level, Framing::Zlib).context("deflating a PDF stream")
}

fn is_stand_in(dict: &Dictionary) -> bool {
    let int = |key: &[u8]| dict.get(key).and_then(Object::as_i64).ok();
    dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image".as_slice())
        && int(b"Width") == Some(1)
        && int(b"Height") == Some(1)
}

/// Replaces every object by the first of its identical copies, repeatedly, since sharing a
/// font file makes the font descriptors that point at it identical too. Pages, the page tree
/// and the catalog always stay themselves.
pub fn share_identical_objects(doc: &mut Document) {
    let contents: HashMap<ObjectId, [u8; 32]> = doc
        .objects
        .iter()
        .filter_map(|(id, o)| match o {
            Object::Stream(s) => Some((*id, Sha256::digest(&s.content).into())),
            _ => None,
        })
        .collect();
    loop {
        let mut first_of: HashMap<[u8; 32], ObjectId> = HashMap::new();
        let mut replaced: BTreeMap<ObjectId, ObjectId> = BTreeMap::new();
        for (id, object) in &doc.objects {
            if matches!(type_name(object), Some(b"Page" | b"Pages" | b"Catalog")) {
                continue;
            }
            let mut hasher = Sha256::new();
            hash_object(object, contents.get(id), &mut hasher);
            let first = *first_of.entry(hasher.finalize().into()).or_insert(*id);
            if first != *id {
                replaced.insert(*id, first);
            }
        }
        if replaced.is_empty() {
            return;
        }
        for id in replaced.keys() {
            doc.objects.remove(id);
        }
        for object in doc.objects.values_mut() {
            redirect(object, &replaced);
        }
        for (_, value) in doc.trailer.iter_mut() {
            redirect(value, &replaced);
        }
    }
}

/// Feeds an unambiguous encoding of `object` to the hasher; a stream's content is fed as
/// its precomputed digest.
fn hash_object(object: &Object, content: Option<&[u8; 32]>, h: &mut Sha256) {
    match object {
        Object::Null => h.update(b"n"),
        Object::Boolean(b) => h.update(if *b { b"t" } else { b"f" }),
        Object::Integer(i) => {
            h.update(b"i");
            h.update(i.to_le_bytes());
        }
        Object::Real(r) => {
            h.update(b"r");
            h.update(r.to_le_bytes());
        }
        Object::Name(n) => hash_bytes(b'N', n, h),
        Object::String(s, format) => {
            hash_bytes(if matches!(format, lopdf::StringFormat::Literal) { b'L' } else { b'X' }, s, h)
        }
        Object::Reference((n, g)) => {
            h.update(b"R");
            h.update(n.to_le_bytes());
            h.update(g.to_le_bytes());
        }
        Object::Array(items) => {
            hash_bytes(b'A', &(items.len() as u64).to_le_bytes(), h);
            items.iter().for_each(|o| hash_object(o, None, h));
        }
        Object::Dictionary(dict) => hash_dict(dict, h),
        Object::Stream(stream) => {
            hash_dict(&stream.dict, h);
            h.update(b"S");
            match content {
                Some(digest) => h.update(digest),
                None => h.update(Sha256::digest(&stream.content)),
            }
        }
    }
}

fn hash_dict(dict: &Dictionary, h: &mut Sha256) {
    let mut entries: Vec<(&Vec<u8>, &Object)> = dict.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    hash_bytes(b'D', &(entries.len() as u64).to_le_bytes(), h);
    for (key, value) in entries {
        hash_bytes(b'K', key, h);
        hash_object(value, None, h);
    }
}

fn hash_bytes(tag: u8, bytes: &[u8], h: &mut Sha256) {
    h.update([tag]);
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

fn redirect(object: &mut Object, replaced: &BTreeMap<ObjectId, ObjectId>) {
    match object {
        Object::Reference(id) => {
            if let Some(first) = replaced.get(id) {
                *id = *first;
            }
        }
        Object::Array(items) => items.iter_mut().for_each(|o| redirect(o, replaced)),
        Object::Dictionary(dict) => dict.iter_mut().for_each(|(_, o)| redirect(o, replaced)),
        Object::Stream(stream) => stream.dict.iter_mut().for_each(|(_, o)| redirect(o, replaced)),
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

    fn font_file(doc: &mut Document) -> ObjectId {
        doc.add_object(Stream::new(Dictionary::new(), b"the same font bytes".to_vec()))
    }

    #[test]
    fn identical_objects_are_shared_up_the_chain_of_references() {
        let mut doc = Document::with_version("1.7");
        let files = [font_file(&mut doc), font_file(&mut doc)];
        let descriptors: Vec<ObjectId> = files
            .iter()
            .map(|f| {
                let mut d = Dictionary::new();
                d.set("Type", Object::Name(b"FontDescriptor".to_vec()));
                d.set("FontFile2", Object::Reference(*f));
                doc.add_object(d)
            })
            .collect();
        let array = doc.add_object(Object::Array(descriptors.iter().map(|d| Object::Reference(*d)).collect()));
        share_identical_objects(&mut doc);
        assert_eq!(doc.objects.len(), 3, "one font file, one descriptor, the array");
        let kept = doc.get_object(array).and_then(Object::as_array).unwrap();
        assert_eq!(kept[0], kept[1]);
    }

    #[test]
    fn identical_pages_stay_distinct() {
        let mut doc = Document::with_version("1.7");
        for _ in 0..2 {
            let mut page = Dictionary::new();
            page.set("Type", Object::Name(b"Page".to_vec()));
            doc.add_object(page);
        }
        share_identical_objects(&mut doc);
        assert_eq!(doc.objects.len(), 2);
    }
}
