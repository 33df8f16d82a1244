//! Mermaid diagrams drawn in pure Rust, without a browser: merman lays the diagram out with
//! the DejaVu fonts every output uses, resvg normalises the SVG (EPUBCheck-clean: no CSS, no
//! `foreignObject`) and rasterises it for genpdf.

use merman::svg::export::{NativeFontContext, NativeFontLimits};
use merman::svg::{SvgPipeline, SvgRenderOptions};
use merman::{
    Engine, MermaidConfig, OperationControl, RenderOutput, RenderRequest, Renderer, SvgEnvironment, SvgRequest,
};
use resvg::usvg;

/// A diagram drawn as self-contained SVG, with its size in CSS pixels.
pub struct DrawnSvg {
    pub svg: String,
    pub width: f64,
    pub height: f64,
}

pub struct MermaidRenderer {
    renderer: Renderer,
    fonts: NativeFontContext,
}

impl MermaidRenderer {
    pub fn new() -> Result<Self, String> {
        let fonts =
            NativeFontContext::from_font_bytes(font_bytes(), NativeFontLimits::default(), &OperationControl::new())
                .map_err(|e| format!("loading DejaVu for diagrams: {e}"))?;
        // `neutral` prints well in grey on paper and on e-ink.
        let site = MermaidConfig::from_value(
            serde_json::json!({"theme": "neutral", "look": "classic", "fontFamily": "DejaVu Sans"}),
        );
        Ok(MermaidRenderer { renderer: Renderer::new().with_engine(Engine::new().with_site_config(site)), fonts })
    }

    /// Mermaid source → normalised SVG. `id` prefixes every id inside it (unique per diagram).
    pub fn draw(&self, source: &str, id: &str) -> Result<DrawnSvg, String> {
        let request = SvgRequest {
            environment: SvgEnvironment::deterministic()
                .with_native_font_context(self.fonts.clone())
                .map_err(|e| e.to_string())?,
            options: SvgRenderOptions { diagram_id: Some(id.to_string()), ..Default::default() },
            pipeline: Some(SvgPipeline::resvg_safe()),
            ..Default::default()
        };
        let raw = match self.renderer.render(RenderRequest::svg(source, OperationControl::new(), request)) {
            Ok(RenderOutput::Svg(Some(svg))) => svg.svg().to_owned(),
            Ok(_) => return Err("no diagram in the source".into()),
            Err(e) => return Err(e.to_string()),
        };
        let tree = parse(&raw)?;
        let size = tree.size();
        let write = usvg::WriteOptions { preserve_text: true, id_prefix: Some(format!("{id}-")), ..Default::default() };
        let (width, height) = (f64::from(size.width()), f64::from(size.height()));
        Ok(DrawnSvg { svg: on_white_with_view_box(&tree.to_string(&write), width, height), width, height })
    }
}

/// The SVG with a `viewBox` (readers that lack one will not scale the picture to the page)
/// and a white background (a reader's night mode would otherwise draw its dark lines and
/// labels on black).
fn on_white_with_view_box(svg: &str, width: f64, height: f64) -> String {
    let Some(open_end) = svg.find("<svg").and_then(|start| svg[start..].find('>').map(|end| start + end)) else {
        return svg.to_string();
    };
    let (head, rest) = svg.split_at(open_end);
    let view_box = if head.contains("viewBox") { String::new() } else { format!(" viewBox=\"0 0 {width} {height}\"") };
    format!("{head}{view_box}>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>{}", &rest[1..])
}

fn font_bytes() -> [Vec<u8>; 4] {
    [dejavu::sans::regular(), dejavu::sans::bold(), dejavu::sans::oblique(), dejavu::sans_mono::regular()]
        .map(<[u8]>::to_vec)
}

/// Parses SVG with a font database holding only DejaVu, so text renders the same everywhere.
fn parse(svg: &str) -> Result<usvg::Tree, String> {
    let options =
        usvg::Options { fontdb: dejavu_database(), font_family: "DejaVu Sans".into(), ..usvg::Options::default() };
    usvg::Tree::from_str(svg, &options).map_err(|e| format!("invalid SVG: {e}"))
}

/// The font database of every diagram, loaded once: reading the four faces costs about as
/// much as parsing a diagram.
fn dejavu_database() -> std::sync::Arc<usvg::fontdb::Database> {
    static DATABASE: std::sync::OnceLock<std::sync::Arc<usvg::fontdb::Database>> = std::sync::OnceLock::new();
    let database = DATABASE.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for bytes in font_bytes() {
            db.load_font_data(bytes);
        }
        db.set_sans_serif_family("DejaVu Sans");
        db.set_serif_family("DejaVu Sans");
        db.set_monospace_family("DejaVu Sans Mono");
        std::sync::Arc::new(db)
    });
    std::sync::Arc::clone(database)
}

/// Rasterises SVG at `scale` × its CSS size, on white, as an opaque RGB image (genpdf
/// refuses alpha). `max_pixels` bounds the work for huge diagrams.
pub fn rasterize(svg: &str, scale: f32, max_pixels: u64) -> Result<image::DynamicImage, String> {
    let tree = parse(svg)?;
    let size = tree.size().to_int_size().scale_by(scale).ok_or("empty diagram")?;
    if u64::from(size.width()) * u64::from(size.height()) > max_pixels {
        return Err(format!("{}×{} pixels exceed the image limit", size.width(), size.height()));
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("cannot allocate the picture")?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    // Opaque pixels: premultiplied and straight RGB are the same.
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let image = image::RgbImage::from_raw(pixmap.width(), pixmap.height(), rgb).ok_or("picture size mismatch")?;
    Ok(image::DynamicImage::ImageRgb8(image))
}

#[cfg(test)]
mod tests {
    use super::on_white_with_view_box;

    #[test]
    fn a_drawn_diagram_gets_a_view_box_and_a_white_background() {
        let svg = on_white_with_view_box(
            "<svg width=\"120\" height=\"40\" xmlns=\"http://www.w3.org/2000/svg\"><path/></svg>",
            120.0,
            40.0,
        );
        assert_eq!(
            svg,
            "<svg width=\"120\" height=\"40\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 120 40\">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/><path/></svg>"
        );
    }

    #[test]
    fn an_existing_view_box_is_kept() {
        let svg = on_white_with_view_box("<svg viewBox=\"0 0 1 1\"></svg>", 1.0, 1.0);
        assert_eq!(svg.matches("viewBox").count(), 1);
    }
}
