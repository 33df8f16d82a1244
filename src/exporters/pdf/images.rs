//! Pictures: asset images decoded safely, and diagrams.
//!
//! genpdf draws images through `image` 0.23 and refuses an alpha channel, so every picture
//! is flattened onto white first. Its size is fixed here, not by genpdf (which assumes
//! 300 dpi and never checks that an image fits).

use super::elements::FittedImage;
use super::state::Shared;
use super::theme::Theme;
use crate::diagrams::RenderedDiagram;
use crate::exporter::ExportContext;
use genpdf::{Alignment, Scale};
use image::{DynamicImage, RgbImage};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// genpdf places images at this resolution unless told otherwise.
const GENPDF_DPI: f64 = 300.0;
/// Web images are drawn for 96 CSS pixels per inch.
const CSS_PX_MM: f64 = 25.4 / 96.0;

/// Reads and decodes an asset image. The pixel count is checked on the header, before any
/// decoding, so that a tiny file claiming a billion pixels costs nothing.
pub fn load_asset_image(ctx: &ExportContext, path: &str) -> Result<DynamicImage, String> {
    let bytes = ctx.assets.read(path).map_err(|e| e.to_string())?;
    decode_capped(&bytes, ctx.limits.max_image_pixels)
}

pub fn decode_capped(bytes: &[u8], max_pixels: u64) -> Result<DynamicImage, String> {
    let reader = image::io::Reader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("unreadable image: {e}"))?;
    let format =
        reader.format().ok_or_else(|| "not an image format folio can draw in PDF (PNG, JPEG, GIF)".to_string())?;
    let (w, h) = reader.into_dimensions().map_err(|e| format!("unreadable image header: {e}"))?;
    let pixels = u64::from(w) * u64::from(h);
    if pixels > max_pixels {
        return Err(format!("image of {w}×{h} pixels exceeds the limit of {max_pixels} pixels"));
    }
    let image = image::load_from_memory_with_format(bytes, format).map_err(|e| format!("undecodable image: {e}"))?;
    Ok(flatten_on_white(&image))
}

/// Composites an image with alpha onto a white background (genpdf refuses alpha).
pub fn flatten_on_white(image: &DynamicImage) -> DynamicImage {
    let rgba = image.to_rgba8();
    let (w, h) = rgba.dimensions();
    let mut rgb = RgbImage::new(w, h);
    for (x, y, px) in rgba.enumerate_pixels() {
        let [r, g, b, a] = px.0;
        let blend = |c: u8| ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255) as u8;
        rgb.put_pixel(x, y, image::Rgb([blend(r), blend(g), blend(b)]));
    }
    DynamicImage::ImageRgb8(rgb)
}

/// Size in mm: the CSS size, shrunk to the text width and to the maximum image height.
pub fn fitted_size(theme: &Theme, px_w: u32, px_h: u32) -> (f64, f64) {
    let (pw, ph) = (f64::from(px_w.max(1)), f64::from(px_h.max(1)));
    let mut w = (pw * CSS_PX_MM).min(theme.text_width());
    let max_h = theme.image_max_height.min(theme.text_height() - 20.0);
    if w * ph / pw > max_h {
        w = max_h * pw / ph;
    }
    (w, w * ph / pw)
}

/// A decoded picture, or why it cannot be drawn.
pub type Picture = Result<Arc<DynamicImage>, String>;

/// Pictures decoded or rasterised once per build of the guides and shared by every pass and
/// every chunk: decoding a photo or rasterising a diagram at print resolution costs far more
/// than laying out the page around it.
///
/// genpdf never sees the pixels. It places a one-pixel stand-in whose colour is the picture's
/// number, stretched to the picture's size; the post-pass swaps each stand-in for the real
/// picture (`substitute_pictures`). So a picture is copied, compressed and embedded once
/// however many times and passes it is drawn.
#[derive(Default)]
pub struct PictureCache {
    entries: Mutex<HashMap<String, Slot>>,
}

struct Slot {
    number: u32,
    picture: Arc<OnceLock<Picture>>,
}

impl PictureCache {
    /// The picture under `key`, made by `make` the first time, with its number. Two threads
    /// asking for the same key wait for one computation; different keys never wait.
    pub fn get(
        &self,
        key: &str,
        make: impl FnOnce() -> Result<DynamicImage, String>,
    ) -> Result<(u32, Arc<DynamicImage>), String> {
        let (number, cell) = {
            let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let next = u32::try_from(entries.len() + 1).unwrap_or(u32::MAX);
            let slot = entries.entry(key.to_string()).or_insert_with(|| Slot { number: next, picture: Arc::default() });
            (slot.number, slot.picture.clone())
        };
        let picture = cell.get_or_init(|| make().map(Arc::new)).clone()?;
        Ok((number, picture))
    }

    /// The pictures that were drawn, by number.
    pub fn by_number(&self) -> HashMap<u32, Arc<DynamicImage>> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.values().filter_map(|slot| Some((slot.number, slot.picture.get()?.clone().ok()?))).collect()
    }
}

/// The colour of the stand-in pixel of picture `number` (numbers fit 24 bits; 0 is unused).
pub fn stand_in_pixel(number: u32) -> [u8; 3] {
    let [_, r, g, b] = number.min(0x00FF_FFFF).to_be_bytes();
    [r, g, b]
}

/// The number a stand-in pixel carries.
pub fn stand_in_number([r, g, b]: [u8; 3]) -> u32 {
    u32::from_be_bytes([0, r, g, b])
}

/// A genpdf element placing the stand-in of picture `number`, whose pixels measure
/// `px_w`×`px_h`, at its fitted size, centred.
pub fn image_element(
    number: u32,
    (px_w, px_h): (u32, u32),
    theme: &Theme,
    state: &Shared,
) -> Result<FittedImage, String> {
    let (w, h) = fitted_size(theme, px_w, px_h);
    // genpdf draws a pixel 25.4 / 300 mm wide at scale 1.
    let scale = |mm: f64| mm * GENPDF_DPI / 25.4;
    let pixel = RgbImage::from_pixel(1, 1, image::Rgb(stand_in_pixel(number)));
    let element = genpdf::elements::Image::from_dynamic_image(DynamicImage::ImageRgb8(pixel))
        .map_err(|e| e.to_string())?
        .with_scale(Scale::new(scale(w), scale(h)))
        .with_alignment(Alignment::Center);
    Ok(FittedImage { image: element, height: h, state: state.clone() })
}

/// The one place where a rendered diagram becomes pixels for the PDF: its SVG rasterised at
/// 200/96 of its CSS size. `image_element` then places it at no more than its CSS size, so
/// the print resolution is never below 200 dpi.
pub fn rasterize_diagram(diagram: &RenderedDiagram) -> Result<DynamicImage, String> {
    const SCALE: f32 = 200.0 / 96.0;
    crate::mermaid::rasterize(&diagram.svg, SCALE, 40_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_with_alpha() -> Vec<u8> {
        let mut img = image::RgbaImage::new(2, 1);
        img.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
        img.put_pixel(1, 0, image::Rgba([255, 0, 0, 255]));
        let mut bytes = Vec::new();
        DynamicImage::ImageRgba8(img).write_to(&mut bytes, image::ImageOutputFormat::Png).unwrap();
        bytes
    }

    #[test]
    fn transparent_pixels_become_white_and_opaque_ones_keep_their_colour() {
        let image = decode_capped(&png_with_alpha(), 100).unwrap();
        let rgb = image.to_rgb8();
        assert_eq!(rgb.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(rgb.get_pixel(1, 0).0, [255, 0, 0]);
        assert!(!image.color().has_alpha());
    }

    #[test]
    fn images_over_the_pixel_cap_are_refused_before_decoding() {
        let err = decode_capped(&png_with_alpha(), 1).unwrap_err();
        assert!(err.contains("exceeds the limit"), "{err}");
    }

    #[test]
    fn wide_images_shrink_to_the_text_width_and_tall_ones_to_the_max_height() {
        let theme = Theme::load(None).unwrap();
        let (w, _) = fitted_size(&theme, 4000, 1000);
        assert!((w - theme.text_width()).abs() < 1e-6);
        let (_, h) = fitted_size(&theme, 100, 4000);
        assert!(h <= theme.image_max_height + 1e-6);
    }
}
