//! Keeping one copy of each object that is byte for byte the same: the fonts every chunk
//! embeds, a diagram drawn twice.
//!
//! Sharing is repeated until nothing more can be shared, since sharing a font file makes the
//! font descriptors that point at it identical too. The objects already shared are indexed by
//! their content, so each chunk is shared against the chunks before it as it is joined, and
//! the guide never holds more than one copy of its fonts. Pages, page trees and catalogs always
//! stay themselves.

use lopdf::{Dictionary, Object, ObjectId};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

type Digested = [u8; 32];

/// The objects kept so far, by the digest of their content.
#[derive(Default)]
pub struct SharedObjects {
    kept: HashMap<Digested, ObjectId>,
}

impl SharedObjects {
    /// Shares `objects` among themselves and with those kept before, removing every copy and
    /// pointing what referred to it at the object kept; returns where each removed object went.
    pub fn absorb(&mut self, objects: &mut BTreeMap<ObjectId, Object>) -> BTreeMap<ObjectId, ObjectId> {
        let contents: HashMap<ObjectId, Digested> = objects
            .iter()
            .filter_map(|(id, o)| match o {
                Object::Stream(s) => Some((*id, Sha256::digest(&s.content).into())),
                _ => None,
            })
            .collect();
        let mut moved: BTreeMap<ObjectId, ObjectId> = BTreeMap::new();
        loop {
            let mut first_of: HashMap<Digested, ObjectId> = HashMap::new();
            let mut replaced: BTreeMap<ObjectId, ObjectId> = BTreeMap::new();
            for (id, object) in objects.iter() {
                if matches!(type_name(object), Some(b"Page" | b"Pages" | b"Catalog")) {
                    continue;
                }
                let mut hasher = Sha256::new();
                hash_object(object, contents.get(id), &mut hasher);
                let digest: Digested = hasher.finalize().into();
                let first = match self.kept.get(&digest) {
                    Some(kept) => *kept,
                    None => *first_of.entry(digest).or_insert(*id),
                };
                if first != *id {
                    replaced.insert(*id, first);
                }
            }
            if replaced.is_empty() {
                // This round's digests are those of the objects as they stay.
                self.kept.extend(first_of);
                return moved;
            }
            for id in replaced.keys() {
                objects.remove(id);
            }
            for object in objects.values_mut() {
                redirect(object, &replaced);
            }
            for target in moved.values_mut() {
                if let Some(next) = replaced.get(target) {
                    *target = *next;
                }
            }
            moved.extend(replaced);
        }
    }
}

/// The `/Type` of a dictionary or stream.
pub fn type_name(object: &Object) -> Option<&[u8]> {
    let dict = match object {
        Object::Dictionary(dict) => dict,
        Object::Stream(stream) => &stream.dict,
        _ => return None,
    };
    dict.get(b"Type").and_then(Object::as_name).ok()
}

/// Feeds an unambiguous encoding of `object` to the hasher; a stream's content is fed as
/// its precomputed digest.
fn hash_object(object: &Object, content: Option<&Digested>, h: &mut Sha256) {
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

/// Points every reference to a replaced object at its replacement.
pub fn redirect(object: &mut Object, replaced: &BTreeMap<ObjectId, ObjectId>) {
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
    use lopdf::{Document, Stream};

    fn font_file(doc: &mut Document) -> ObjectId {
        doc.add_object(Stream::new(Dictionary::new(), b"the same font bytes".to_vec()))
    }

    fn descriptor(doc: &mut Document, file: ObjectId) -> ObjectId {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"FontDescriptor".to_vec()));
        d.set("FontFile2", Object::Reference(file));
        doc.add_object(d)
    }

    #[test]
    fn identical_objects_are_shared_up_the_chain_of_references() {
        let mut doc = Document::with_version("1.7");
        let files = [font_file(&mut doc), font_file(&mut doc)];
        let descriptors: Vec<ObjectId> = files.iter().map(|f| descriptor(&mut doc, *f)).collect();
        let array = doc.add_object(Object::Array(descriptors.iter().map(|d| Object::Reference(*d)).collect()));
        SharedObjects::default().absorb(&mut doc.objects);
        assert_eq!(doc.objects.len(), 3, "one font file, one descriptor, the array");
        let kept = doc.get_object(array).and_then(Object::as_array).unwrap();
        assert_eq!(kept[0], kept[1]);
    }

    #[test]
    fn a_later_chunk_is_shared_with_what_was_kept_before_it() {
        let mut first = Document::with_version("1.7");
        let kept_file = font_file(&mut first);
        let kept_descriptor = descriptor(&mut first, kept_file);
        let mut later = Document::with_version("1.7");
        later.max_id = 10;
        let file = font_file(&mut later);
        let copy = descriptor(&mut later, file);
        let mut shared = SharedObjects::default();
        shared.absorb(&mut first.objects);
        let moved = shared.absorb(&mut later.objects);
        assert!(later.objects.is_empty(), "both copies go to the first chunk's objects");
        assert_eq!(moved.get(&copy), Some(&kept_descriptor));
    }

    #[test]
    fn identical_pages_stay_distinct() {
        let mut doc = Document::with_version("1.7");
        for _ in 0..2 {
            let mut page = Dictionary::new();
            page.set("Type", Object::Name(b"Page".to_vec()));
            doc.add_object(page);
        }
        SharedObjects::default().absorb(&mut doc.objects);
        assert_eq!(doc.objects.len(), 2);
    }
}
