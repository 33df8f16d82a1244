//! Reading the guides back for the fidelity audit, in-process: each guide is loaded with
//! lopdf (without its pictures, font programs and link annotations, which hold no text) and its
//! pages are decoded in parallel, each through its fonts' `/ToUnicode` maps (`page.rs`), then
//! dropped once its words are heard. No outside tool is needed at build time; poppler's
//! `pdftotext` stays the independent check in the tests (`tests/pdf_readback.rs`), which find
//! the same words. Line-end hyphens are joined, as a reader would, and so are code lines the
//! guide wrapped with its `↩` marker; right-to-left words are read in logical order.

mod fonts;
mod logical;
mod page;

use crate::exporter::Outputs;
use crate::fidelity::ReadBack;
use anyhow::Context;
use fonts::Font;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub fn read_back(files: &dyn Outputs) -> anyhow::Result<Option<ReadBack>> {
    let mut read = ReadBack::default();
    for name in files.paths().into_iter().filter(|n| n.ends_with(".pdf")) {
        let doc = load(&files.read(name)?).with_context(|| format!("reading {name} back"))?;
        read = read.merge(read_guide(&doc).with_context(|| format!("reading {name} back"))?);
    }
    Ok(Some(read))
}

/// The guide's objects that can hold text or say where it is drawn.
pub fn load(bytes: &[u8]) -> anyhow::Result<Document> {
    let options = LoadOptions { filter: Some(keep_for_text), ..LoadOptions::default() };
    Ok(Document::load_mem_with_options(bytes, options)?)
}

/// Leaves out pictures and font programs (streams with a `/Subtype` or a `/Length1`),
/// annotations, actions and outline entries, and keeps of each page only where its content and
/// resources are: the bulk of a guide, none of it text, would otherwise be held while it is read.
fn keep_for_text(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    let skip = match object {
        Object::Stream(stream) => stream.dict.has(b"Subtype") || stream.dict.has(b"Length1"),
        Object::Dictionary(dict) if dict.has_type(b"Page") => {
            let kept = [&b"Type"[..], b"Parent", b"Contents", b"Resources"];
            let extra: Vec<Vec<u8>> = dict.iter().map(|(k, _)| k.clone()).filter(|k| !kept.contains(&&k[..])).collect();
            for key in &extra {
                dict.remove(key);
            }
            false
        }
        Object::Dictionary(dict) => dict.has_type(b"Annot") || dict.has(b"S") || dict.has(b"Title"),
        _ => false,
    };
    // lopdf keeps `object` itself when it read it directly, and the returned copy when it read
    // it from an object stream, which never holds a stream: content streams are not copied.
    if skip {
        return None;
    }
    let copy = match object {
        Object::Stream(_) => Object::Null,
        _ => object.clone(),
    };
    Some((id, copy))
}

/// The words of one guide, its pages decoded in parallel.
pub fn read_guide(doc: &Document) -> anyhow::Result<ReadBack> {
    let (pages, fonts) = pages_and_fonts(doc);
    ReadBack::gather_texts(pages.into_par_iter().map(|(number, id)| {
        let text = page_words(doc, id, &fonts).with_context(|| format!("page {number}"))?;
        Ok(Some((text, None)))
    }))
}

/// The text of a guide's pages as the audit hears them, page after page: what a person
/// compares with another extractor's, where the audit keeps only the words' keys.
pub fn guide_text(bytes: &[u8]) -> anyhow::Result<String> {
    let doc = load(bytes)?;
    let (pages, fonts) = pages_and_fonts(&doc);
    let mut text = String::new();
    for (number, id) in pages {
        text.push_str(&page_words(&doc, id, &fonts).with_context(|| format!("page {number}"))?);
        text.push('\n');
    }
    Ok(text)
}

/// The guide's pages by number, and every font they reference by object.
fn pages_and_fonts(doc: &Document) -> (Vec<(u32, ObjectId)>, FxHashMap<ObjectId, Font>) {
    let pages: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    let font_ids = pages.iter().flat_map(|&(_, id)| font_entries(doc, id)).filter_map(|(_, f)| f.ok());
    let fonts = fonts::fonts_by_object(doc, font_ids);
    (pages, fonts)
}

/// The text of one page as its words are read: lines joined where the guide wrapped them.
pub fn page_words(doc: &Document, page: ObjectId, fonts: &FxHashMap<ObjectId, Font>) -> anyhow::Result<String> {
    let entries = font_entries(doc, page);
    let inline: Vec<(&[u8], Font)> =
        entries.iter().filter_map(|(name, f)| f.err().map(|dict| (*name, Font::read(doc, dict)))).collect();
    let mut by_name: FxHashMap<Vec<u8>, &Font> = FxHashMap::default();
    for (name, font) in &entries {
        if let Some(font) = font.ok().and_then(|id| fonts.get(&id)) {
            by_name.insert(name.to_vec(), font);
        }
    }
    by_name.extend(inline.iter().map(|(name, font)| (name.to_vec(), font)));
    let content = doc.get_page_content_with_limit(page, lopdf::DEFAULT_MAX_DECOMPRESSED_SIZE)?;
    read_page(&content, &by_name)
}

/// A content stream's text as a reader reads it: wrapped lines joined, right-to-left words in
/// logical order.
fn read_page(content: &[u8], fonts: &FxHashMap<Vec<u8>, &Font>) -> anyhow::Result<String> {
    let text = page::page_text(content, fonts)?;
    Ok(logical::logical(&join_wrapped_lines(&text)).into_owned())
}

/// A page's fonts by resource name: the font object, or its dictionary when written inline.
fn font_entries(doc: &Document, page: ObjectId) -> Vec<(&[u8], Result<ObjectId, &Dictionary>)> {
    let Ok((direct, referenced)) = doc.get_page_resources(page) else { return Vec::new() };
    let resources = direct.into_iter().chain(referenced.into_iter().filter_map(|id| doc.get_dictionary(id).ok()));
    let mut entries: Vec<(&[u8], Result<ObjectId, &Dictionary>)> = Vec::new();
    for resources in resources {
        let Ok((_, Object::Dictionary(font_dict))) = resources.get(b"Font").and_then(|f| doc.dereference(f)) else {
            continue;
        };
        for (name, value) in font_dict.iter() {
            if entries.iter().any(|(n, _)| *n == name.as_slice()) {
                continue;
            }
            match value {
                Object::Reference(id) => entries.push((name, Ok(*id))),
                Object::Dictionary(dict) => entries.push((name, Err(dict))),
                _ => {}
            }
        }
    }
    entries
}

/// `inté-\ngration` → `intégration`; `eyJzdWIi↩\nOiI3` → `eyJzdWIiOiI3`.
fn join_wrapped_lines(text: &str) -> String {
    let marker = format!("{}\n", super::text::WRAP_MARKER);
    text.replace("-\n", "").replace(&marker, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_words_and_wrapped_code_lines_are_joined() {
        assert_eq!(join_wrapped_lines("inté-\ngration eyJzd↩\nWIi"), "intégration eyJzdWIi");
    }

    /// One page drawn with `F1`, a font whose codes are their own Latin-1 characters.
    fn read(content: &str) -> String {
        let font = Font::simple_for_tests();
        let fonts = FxHashMap::from_iter([(b"F1".to_vec(), &font)]);
        read_page(content.as_bytes(), &fonts).expect("the content stream reads")
    }

    #[test]
    fn a_word_hyphenated_at_a_line_end_is_read_whole() {
        let page = r"BT /F1 10 Tf 72 700 Td (Une int\351-) Tj 0 -12 Td (gration) Tj ET";
        assert_eq!(read(page), "Une intégration");
    }

    #[test]
    fn a_hyphen_ending_the_page_joins_nothing() {
        assert_eq!(read("BT /F1 10 Tf 72 700 Td (avant-) Tj ET"), "avant-");
    }

    #[test]
    fn right_to_left_presentation_forms_read_as_letters_in_logical_order() {
        let font = Font::mapped_for_tests(&[(1, "\u{FEE1}"), (2, "\u{FEFC}"), (3, "\u{FEB3}")]);
        let fonts = FxHashMap::from_iter([(b"F2".to_vec(), &font)]);
        let page = b"BT /F2 10 Tf 72 700 Td <000100020003> Tj ET";
        assert_eq!(read_page(page, &fonts).expect("reads"), "سلام");
    }
}
