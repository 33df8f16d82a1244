//! Joining the chunks of a guide into one PDF, and sharing what they have in common.
//!
//! Each chunk is a complete genpdf document with its own copy of every font and of every
//! picture it draws. The join moves every chunk's pages under the first chunk's page tree as
//! the chunk is drawn, keeping one copy of each object that is byte for byte the same
//! (`share.rs`). The result does not depend on how the guide was cut: the post-pass numbers
//! objects in reading order from the catalog.

use super::images::stand_in_number;
use super::share::{redirect, type_name, SharedObjects};
use crate::deflate::{Framing, Level};
use anyhow::Context as _;
use image::DynamicImage;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Condvar, Mutex};

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

/// Joins the drawn chunks of a guide into one document as they finish, in their order
/// whatever order they finish in, each shared with those before it (`share.rs`), so that one
/// copy of the fonts is held however long the guide.
#[derive(Default)]
pub struct Joiner {
    next: usize,
    waiting: BTreeMap<usize, Document>,
    joined: Option<Joined>,
}

struct Joined {
    doc: Document,
    root: ObjectId,
    kids: Vec<Object>,
    groups: Vec<Object>,
    shared: SharedObjects,
}

impl Joiner {
    /// Takes chunk number `index` (from 0), joining it and any that waited for it.
    pub fn add(&mut self, index: usize, chunk: Document) -> anyhow::Result<()> {
        self.waiting.insert(index, chunk);
        while let Some(chunk) = self.waiting.remove(&self.next) {
            self.append(chunk)?;
            self.next += 1;
        }
        Ok(())
    }

    fn append(&mut self, mut doc: Document) -> anyhow::Result<()> {
        let Some(joined) = &mut self.joined else {
            let mut shared = SharedObjects::default();
            shared.absorb(&mut doc.objects);
            let root = pages_root(&doc)?;
            let kids = doc.get_pages().into_values().map(Object::Reference).collect();
            let groups = optional_content_groups(&doc);
            self.joined = Some(Joined { doc, root, kids, groups, shared });
            return Ok(());
        };
        doc.renumber_objects_with(joined.doc.max_id + 1);
        joined.doc.max_id = doc.max_id;
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let mut groups = optional_content_groups(&doc);
        let catalog = doc.trailer.get(b"Root").and_then(Object::as_reference).ok();
        let mut objects = std::mem::take(&mut doc.objects);
        objects.retain(|id, object| Some(*id) != catalog && type_name(object) != Some(b"Pages"));
        let moved = joined.shared.absorb(&mut objects);
        groups.iter_mut().for_each(|group| redirect(group, &moved));
        joined.groups.extend(groups);
        joined.doc.objects.extend(objects);
        for page in pages {
            if let Ok(dict) = joined.doc.get_object_mut(page).and_then(Object::as_dict_mut) {
                dict.set("Parent", Object::Reference(joined.root));
            }
            joined.kids.push(Object::Reference(page));
        }
        Ok(())
    }

    /// The guide, once every chunk has been added.
    pub fn finish(self) -> anyhow::Result<Document> {
        anyhow::ensure!(self.waiting.is_empty(), "a chunk of the guide is missing: it cannot be joined");
        let Joined { mut doc, root, kids, groups, .. } = self.joined.context("a guide without pages")?;
        let tree = doc.get_object_mut(root).and_then(Object::as_dict_mut).context("the guide's page tree")?;
        tree.set("Count", Object::Integer(kids.len() as i64));
        tree.set("Kids", Object::Array(kids));
        set_optional_content_groups(&mut doc, groups)?;
        Ok(doc)
    }
}

/// The joiner shared by the drawing threads. A thread waits before drawing a chunk too far
/// ahead of the next one to join, so a slow chunk never leaves the others piling up.
pub struct JoinQueue {
    state: Mutex<Queued>,
    progressed: Condvar,
    ahead: usize,
}

impl JoinQueue {
    /// A queue letting threads draw at most `ahead` chunks past the next one to join.
    pub fn new(ahead: usize) -> JoinQueue {
        JoinQueue { state: Mutex::new(Queued::default()), progressed: Condvar::new(), ahead }
    }

    /// Waits until chunk `index` may be drawn; fails once another chunk has failed.
    pub fn turn(&self, index: usize) -> anyhow::Result<Turn<'_>> {
        let mut state = self.lock()?;
        while !state.abandoned && index > state.joiner.next + self.ahead {
            state = self.progressed.wait(state).map_err(|_| poisoned())?;
        }
        anyhow::ensure!(!state.abandoned, "another chunk of the guide failed");
        Ok(Turn { queue: self, index, done: false })
    }

    fn add(&self, index: usize, chunk: Document) -> anyhow::Result<()> {
        let added = self.lock()?.joiner.add(index, chunk);
        self.progressed.notify_all();
        added
    }

    /// Releases the waiting threads when a chunk cannot be drawn.
    fn abandon(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.abandoned = true;
        }
        self.progressed.notify_all();
    }

    pub fn finish(self) -> anyhow::Result<Document> {
        self.state.into_inner().map_err(|_| poisoned())?.joiner.finish()
    }

    fn lock(&self) -> anyhow::Result<std::sync::MutexGuard<'_, Queued>> {
        self.state.lock().map_err(|_| poisoned())
    }
}

/// The joiner, and whether a chunk failed, so that no thread waits for it any longer.
#[derive(Default)]
struct Queued {
    joiner: Joiner,
    abandoned: bool,
}

/// A chunk's turn to be drawn. Dropped without being completed (the chunk failed, or its
/// thread panicked), it releases the other threads rather than leave them waiting for it.
pub struct Turn<'q> {
    queue: &'q JoinQueue,
    index: usize,
    done: bool,
}

impl Turn<'_> {
    /// Hands the drawn chunk over to be joined.
    pub fn complete(mut self, chunk: Document) -> anyhow::Result<()> {
        self.done = true;
        self.queue.add(self.index, chunk)
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.queue.abandon();
        }
    }
}

fn poisoned() -> anyhow::Error {
    anyhow::anyhow!("a chunk of the guide failed while being joined")
}

fn pages_root(doc: &Document) -> anyhow::Result<ObjectId> {
    let catalog = doc.catalog().context("a chunk without a catalog")?;
    catalog.get(b"Pages").and_then(Object::as_reference).context("a chunk without a page tree")
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
