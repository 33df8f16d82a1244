//! Pictures inside the book: asset images (read only through `AssetStore`, checked before
//! they are embedded) and rendered diagrams.
//!
//! Every picture is collected in one pass over the model before any chapter is written, so
//! that chapters can be written in parallel against a read-only `Media`. The pass visits
//! pictures in the order the chapters show them, which keeps package names (`a.png`,
//! `a-2.png`…) exactly as they were when chapters registered pictures one after another.

use crate::assets::AssetStore;
use crate::exporter::ExportContext;
use crate::model::{Block, Image, Inline, LinkTarget};
use crate::walk::{block_inlines, visit_blocks, visit_inlines};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

/// One file of the package besides the XHTML documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
}

/// The pictures a book embeds, by their path inside the package.
#[derive(Debug, Default)]
pub struct Media {
    resources: BTreeMap<String, Resource>,
    /// Asset path → its name in the package, or why it cannot be embedded. Each asset is
    /// read and decoded once, however many pages show it.
    assets: BTreeMap<String, Result<String, String>>,
    used_names: BTreeSet<String>,
    /// Diagram digest → characters XML forbids that its SVG lost, reported at each use.
    removed_from_diagrams: BTreeMap<String, usize>,
    pictures: PictureCount,
}

/// The pictures the chapters show, each use counted, and those with no text alternative:
/// what the package's accessibility metadata may claim.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PictureCount {
    pub shown: usize,
    pub without_alt: usize,
}

impl PictureCount {
    fn count(&mut self, alt: &str) {
        self.shown += 1;
        self.without_alt += usize::from(alt.trim().is_empty());
    }
}

/// An image format that EPUB reading systems must support and that folio can decode to
/// check it (WebP is a core EPUB type too, but image 0.23 cannot decode it reliably).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
}

impl ImageKind {
    pub fn media_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Gif => "gif",
        }
    }
}

/// Checks that `bytes` are a picture EPUB allows, no larger than `max_pixels`, that decodes
/// completely. The size is read from the header before anything is decoded, so a small
/// file claiming a huge picture costs nothing.
pub fn inspect_image(bytes: &[u8], max_pixels: u64) -> Result<ImageKind, String> {
    use image::ImageFormat;
    let reader =
        image::io::Reader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| format!("cannot read it: {e}"))?;
    let format = reader.format().ok_or_else(|| "it is not a picture in a known format".to_string())?;
    let kind = match format {
        ImageFormat::Png => ImageKind::Png,
        ImageFormat::Jpeg => ImageKind::Jpeg,
        ImageFormat::Gif => ImageKind::Gif,
        other => return Err(format!("{other:?} pictures are not embedded (PNG, JPEG and GIF are)")),
    };
    let (width, height) = reader.into_dimensions().map_err(|e| format!("cannot read its size: {e}"))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels {
        return Err(format!("it has {width}×{height} pixels, more than the limit of {max_pixels}"));
    }
    image::load_from_memory_with_format(bytes, format).map_err(|e| format!("it does not decode: {e}"))?;
    Ok(kind)
}

/// A picture a chapter shows, in the order the chapter writer meets it.
enum Picture<'a> {
    Asset { path: &'a str, alt: &'a str },
    Diagram { digest: &'a str, svg: &'a str, alt: &'a str },
}

/// An asset image read and checked: its bytes and format, or why it is not embedded.
type Checked = Result<(Vec<u8>, ImageKind), String>;

impl Media {
    /// Every picture of the book's chapters, registered in reading order.
    ///
    /// Each page's pictures are listed, and each distinct asset decoded, in parallel: decoding
    /// is most of the work. Only giving package names, which must follow the reading order,
    /// is sequential.
    pub fn for_book(ctx: &ExportContext) -> Media {
        let per_page: Vec<Vec<Picture>> =
            ctx.corpus.pages.par_iter().map(|page| pictures_of(ctx, &page.blocks)).collect();
        let distinct: BTreeSet<&str> = per_page
            .iter()
            .flatten()
            .filter_map(|p| if let Picture::Asset { path, .. } = p { Some(*path) } else { None })
            .collect();
        let mut checked: BTreeMap<&str, Checked> = distinct
            .into_par_iter()
            .map(|path| (path, check_asset(ctx.assets, path, ctx.limits.max_image_pixels)))
            .collect();
        let mut media = Media::default();
        for picture in per_page.iter().flatten() {
            match *picture {
                Picture::Asset { path, alt } => {
                    if let Some(result) = checked.remove(path) {
                        let outcome = result.map(|(bytes, kind)| media.embed(path, bytes, kind));
                        media.assets.insert(path.to_string(), outcome);
                    }
                    // A picture that cannot be embedded is shown as a text placeholder.
                    if matches!(media.assets.get(path), Some(Ok(_))) {
                        media.pictures.count(alt);
                    }
                }
                Picture::Diagram { digest, svg, alt } => {
                    media.add_diagram(digest, svg);
                    media.pictures.count(alt);
                }
            }
        }
        media
    }

    /// The package path of an asset image collected by `for_book`, or why it is not embedded.
    pub fn asset_image(&self, path: &str) -> Result<String, String> {
        match self.assets.get(path) {
            Some(known) => known.clone(),
            None => Err("it was not collected before the chapters were written".to_string()),
        }
    }

    /// How many characters XML forbids the diagram's SVG lost when it was embedded.
    pub fn removed_from_diagram(&self, digest: &str) -> usize {
        self.removed_from_diagrams.get(digest).copied().unwrap_or(0)
    }

    /// The package path of a rendered diagram (see `add_diagram`).
    pub fn diagram_name(digest: &str) -> String {
        let prefix: String = digest.chars().filter(char::is_ascii_alphanumeric).take(12).collect();
        format!("images/diagram-{prefix}.svg")
    }

    /// Embeds a checked asset image under a name of its own; returns that name.
    fn embed(&mut self, path: &str, bytes: Vec<u8>, kind: ImageKind) -> String {
        let name = self.unique_name(&asset_name(path, kind.extension()));
        self.resources.insert(name.clone(), Resource { bytes, media_type: kind.media_type() });
        name
    }

    /// Embeds a rendered diagram once and returns its path in the package.
    /// A diagram repeated on many pages is cleaned and copied once, not at every use.
    pub fn add_diagram(&mut self, digest: &str, svg: &str) -> String {
        let name = Self::diagram_name(digest);
        if !self.resources.contains_key(&name) {
            let (clean, removed) = crate::text::xml_safe(svg);
            self.resources
                .insert(name.clone(), Resource { bytes: clean.as_bytes().to_vec(), media_type: "image/svg+xml" });
            self.removed_from_diagrams.insert(digest.to_string(), removed);
        }
        self.used_names.insert(name.clone());
        name
    }

    fn unique_name(&mut self, name: &str) -> String {
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let mut candidate = name.to_string();
        let mut n = 2;
        while self.used_names.contains(&candidate) {
            candidate = format!("{stem}-{n}.{ext}");
            n += 1;
        }
        self.used_names.insert(candidate.clone());
        candidate
    }

    /// Every resource, in path order.
    pub fn resources(&self) -> impl Iterator<Item = (&String, &Resource)> {
        self.resources.iter()
    }

    /// The pictures the chapters show (see `PictureCount`).
    pub fn pictures(&self) -> PictureCount {
        self.pictures
    }
}

/// The pictures `blocks` show, in the order the chapter writer meets them: a figure's image
/// before its caption, a block's own pictures before those of its child blocks.
fn pictures_of<'a>(ctx: &'a ExportContext, blocks: &'a [Block]) -> Vec<Picture<'a>> {
    let mut found = Vec::new();
    visit_blocks(blocks, &mut |block| {
        match block {
            Block::Figure(f) => found.extend(asset_of(&f.image)),
            Block::QuoteFigure(q) => found.extend(q.image.as_ref().and_then(asset_of)),
            Block::Diagram(d) => {
                if let Some(rendered) = ctx.diagrams.get(&d.digest) {
                    found.push(Picture::Diagram { digest: &d.digest, svg: &rendered.svg, alt: &rendered.description });
                }
            }
            Block::Heading(_)
            | Block::Paragraph(_)
            | Block::List(_)
            | Block::BlockQuote(_)
            | Block::Code(_)
            | Block::Table(_)
            | Block::Callout(_)
            | Block::Section(_)
            | Block::Card(_)
            | Block::PageList(_)
            | Block::SeeAlsoList(_)
            | Block::ThematicBreak(_)
            | Block::Raw(_) => {}
        }
        for run in block_inlines(block) {
            visit_inlines(run, &mut |inline| {
                if let Inline::Image(image) = inline {
                    found.extend(asset_of(image));
                }
            });
        }
    });
    found
}

/// Only pictures of the assets folder are embedded; the writer reports the others.
fn asset_of(image: &Image) -> Option<Picture<'_>> {
    match &image.target {
        LinkTarget::Asset { path } => Some(Picture::Asset { path, alt: &image.alt }),
        LinkTarget::Page { .. } | LinkTarget::External { .. } | LinkTarget::Broken { .. } => None,
    }
}

/// Reads an asset image and checks it (see `inspect_image`).
fn check_asset(assets: &AssetStore, path: &str, max_pixels: u64) -> Checked {
    let bytes = assets.read(path).map_err(|e| format!("{e:#}"))?;
    let kind = inspect_image(&bytes, max_pixels)?;
    Ok((bytes, kind))
}

/// `assets/<path>` with every character outside `[A-Za-z0-9._-]` replaced, and the
/// extension of the format actually found.
fn asset_name(path: &str, extension: &str) -> String {
    let safe: Vec<String> = path
        .split('/')
        .map(|part| {
            part.chars()
                .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '-' })
                .collect()
        })
        .collect();
    let joined = safe.join("/");
    let stem = match joined.rsplit_once('.') {
        Some((stem, _)) if !stem.ends_with('/') && !stem.is_empty() => stem.to_string(),
        _ => joined,
    };
    format!("assets/{stem}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::DynamicImage::new_rgb8(width, height).write_to(&mut bytes, image::ImageOutputFormat::Png).unwrap();
        bytes
    }

    #[test]
    fn a_small_png_is_accepted() {
        assert_eq!(inspect_image(&png(4, 3), 100), Ok(ImageKind::Png));
    }

    #[test]
    fn a_picture_above_the_pixel_limit_is_refused() {
        let err = inspect_image(&png(20, 20), 100).unwrap_err();
        assert!(err.contains("20×20"), "{err}");
    }

    #[test]
    fn bytes_that_are_no_picture_are_refused() {
        assert!(inspect_image(b"PK\x03\x04 not an image", 100).is_err());
    }

    #[test]
    fn a_truncated_png_is_refused() {
        let bytes = png(30, 30);
        assert!(inspect_image(&bytes[..bytes.len() / 2], 10_000).is_err());
    }

    #[test]
    fn asset_names_are_plain_and_take_the_real_extension() {
        assert_eq!(asset_name("images/fs/mire fc.PNG", "png"), "assets/images/fs/mire-fc.png");
        assert_eq!(asset_name("images/photo", "jpg"), "assets/images/photo.jpg");
    }
}
