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
use image::{DynamicImage, GenericImageView, RgbImage};

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
    let format = reader.format().ok_or_else(|| "not an image format folio can draw in PDF (PNG, JPEG, GIF)".to_string())?;
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

/// A genpdf image element drawing `image` at its fitted size, centred.
pub fn image_element(image: DynamicImage, theme: &Theme, state: &Shared) -> Result<FittedImage, String> {
    let (px_w, px_h) = image.dimensions();
    let (w, h) = fitted_size(theme, px_w, px_h);
    let natural_w = f64::from(px_w.max(1)) * 25.4 / GENPDF_DPI;
    let scale = w / natural_w;
    let element = genpdf::elements::Image::from_dynamic_image(image)
        .map_err(|e| e.to_string())?
        .with_scale(Scale::new(scale, scale))
        .with_alignment(Alignment::Center);
    Ok(FittedImage { image: element, height: h, state: state.clone() })
}

/// The one place where a rendered diagram becomes pixels for the PDF: its SVG rasterised at
/// 200/96 of its CSS size. `image_element` then places it at no more than its natural size
/// at genpdf's 300 dpi, so the print resolution is never below 300 dpi.
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
        DynamicImage::ImageRgba8(img)
            .write_to(&mut bytes, image::ImageOutputFormat::Png)
            .unwrap();
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
