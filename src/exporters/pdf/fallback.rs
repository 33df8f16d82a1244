//! Fallback fonts for text DejaVu cannot draw (CJK, emoji): the fonts named by
//! `[output.pdf] fallback_fonts`, then those of the Debian packages `fonts-droid-fallback` and
//! `fonts-symbola` in the standard font folders. A guide loads one only when its text needs
//! it, since every face is embedded whole (megabytes each).

use anyhow::Context as _;
use genpdf::fonts::{Font, FontCache, FontData, FontFamily};
use genpdf::style::Style;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Font folders searched, and the files looked for in them, in order of preference.
const FONT_DIRS: &[&str] = &["/usr/share/fonts", "/usr/local/share/fonts"];
const STANDARD_FONTS: &[&str] =
    &["truetype/droid/DroidSansFallbackFull.ttf", "truetype/ancient-scripts/Symbola_hint.ttf", "truetype/Symbola.ttf"];

/// A fallback font file, read and parsed.
pub struct Fallback {
    pub path: PathBuf,
    bytes: Vec<u8>,
    font: rusttype::Font<'static>,
}

impl Fallback {
    fn load(path: &Path) -> anyhow::Result<Fallback> {
        let bytes = std::fs::read(path).with_context(|| format!("reading fallback font {}", path.display()))?;
        let font = rusttype::Font::from_bytes(bytes.clone())
            .map_err(|e| anyhow::anyhow!("fallback font {} is not a TrueType font: {e}", path.display()))?;
        Ok(Fallback { path: path.to_path_buf(), bytes, font })
    }

    fn covers(&self, c: char) -> bool {
        self.font.glyph(c).id().0 != 0
    }

    /// The one face set for all four styles: these fonts have no bold or italic, and each
    /// face is embedded whole.
    pub fn family(&self) -> anyhow::Result<FontFamily<FontData>> {
        let face = FontData::new(self.bytes.clone(), None)
            .map_err(|e| anyhow::anyhow!("fallback font {}: {e}", self.path.display()))?;
        Ok(FontFamily { regular: face.clone(), bold: face.clone(), italic: face.clone(), bold_italic: face })
    }
}

/// The configured fallback files, then the standard ones present on this machine.
pub fn candidates(configured: &[PathBuf]) -> Vec<PathBuf> {
    let standard = FONT_DIRS.iter().flat_map(|dir| STANDARD_FONTS.iter().map(move |f| Path::new(dir).join(f)));
    configured.iter().cloned().chain(standard.filter(|p| p.is_file())).collect()
}

/// The fallbacks a guide needs: each candidate that draws some of `missing` not drawn by an
/// earlier one. Nothing is read when nothing is missing.
pub fn select(candidates: &[PathBuf], missing: &BTreeSet<char>) -> anyhow::Result<Vec<Arc<Fallback>>> {
    let mut left: BTreeSet<char> = missing.clone();
    let mut chosen = Vec::new();
    for path in candidates {
        if left.is_empty() {
            break;
        }
        let fallback = Fallback::load(path)?;
        let before = left.len();
        left.retain(|&c| !fallback.covers(c));
        if left.len() < before {
            chosen.push(Arc::new(fallback));
        }
    }
    Ok(chosen)
}

fn has_glyph(cache: &FontCache, font: Font, c: char) -> bool {
    cache.get_rt_font(font).glyph(c).id().0 != 0
}

/// The style whose font draws `c`: `style` itself when its font has the glyph (or no font
/// has it), else `style` in the first fallback family that has it.
pub fn style_for(cache: &FontCache, fallbacks: &[FontFamily<Font>], style: Style, c: char) -> Option<Style> {
    if c.is_ascii() || c.is_whitespace() || has_glyph(cache, style.font(cache), c) {
        return Some(style);
    }
    fallbacks.iter().find(|f| has_glyph(cache, f.get(style), c)).map(|f| style.with_font_family(*f))
}

/// `text` cut into runs, each in a style whose font draws it where one does.
pub fn runs(cache: &FontCache, fallbacks: &[FontFamily<Font>], text: &str, style: Style) -> Vec<(String, Style)> {
    if text.is_ascii() || fallbacks.is_empty() {
        return vec![(text.to_string(), style)];
    }
    let mut out: Vec<(String, Style)> = Vec::new();
    for c in text.chars() {
        let chosen = style_for(cache, fallbacks, style, c).unwrap_or(style);
        match out.last_mut() {
            Some((run, s)) if *s == chosen => run.push(c),
            _ => out.push((c.to_string(), chosen)),
        }
    }
    out
}
