//! A page's text from its content stream: the text-showing operators (`Tj`, `TJ`, `'`, `"`)
//! decoded through each font's `/ToUnicode` map, in drawing order. Where each glyph lands
//! decides what separates it from the one before, as poppler's `pdftotext` decides: a new
//! baseline starts a line, a gap of a tenth of the font size (or a step back) starts a word,
//! whether it comes from a space glyph, a `TJ` offset or a text-positioning operator.

use super::fonts::Font;
use lopdf::content::Content;
use lopdf::Object;
use rustc_hash::FxHashMap;

/// A gap wider than this share of the font size separates two words.
const WORD_GAP: f64 = 0.1;
/// Glyphs drawn back over the previous one by more than this share of its size start a word.
const OVERLAP: f64 = 0.2;
/// Baselines further apart than this share of the font size are two lines.
const LINE_GAP: f64 = 0.5;

/// An affine transformation `[a b c d e f]`, as PDF writes them.
type Matrix = [f64; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`.
fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// The text of one page: lines separated by `\n`, words by a space.
pub fn page_text(content: &[u8], fonts: &FxHashMap<Vec<u8>, &Font>) -> anyhow::Result<String> {
    let mut page = PageText {
        fonts,
        ctm: IDENTITY,
        saved: Vec::new(),
        tm: IDENTITY,
        tlm: IDENTITY,
        font: None,
        size: 0.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        scale: 1.0,
        leading: 0.0,
        rise: 0.0,
        last: None,
        out: String::new(),
    };
    for operation in Content::decode_iter(content) {
        let operation = operation.map_err(|e| anyhow::anyhow!("reading a page's content stream: {e}"))?;
        page.apply(&operation.operator, &operation.operands);
    }
    Ok(page.out)
}

struct PageText<'f> {
    fonts: &'f FxHashMap<Vec<u8>, &'f Font>,
    ctm: Matrix,
    saved: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    font: Option<&'f Font>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scale: f64,
    leading: f64,
    rise: f64,
    /// Where the previous glyph ended (x, baseline y) and its size, on the page.
    last: Option<(f64, f64, f64)>,
    out: String,
}

fn num(operands: &[Object], i: usize) -> f64 {
    match operands.get(i) {
        Some(Object::Integer(n)) => *n as f64,
        Some(Object::Real(r)) => f64::from(*r),
        _ => 0.0,
    }
}

impl<'f> PageText<'f> {
    fn apply(&mut self, operator: &str, operands: &[Object]) {
        let n = |i| num(operands, i);
        match operator {
            "q" => self.saved.push(self.ctm),
            "Q" => self.ctm = self.saved.pop().unwrap_or(IDENTITY),
            "cm" => self.ctm = multiply(&[n(0), n(1), n(2), n(3), n(4), n(5)], &self.ctm),
            "BT" => (self.tm, self.tlm) = (IDENTITY, IDENTITY),
            "Tf" => {
                let name = operands.first().and_then(|o| o.as_name().ok()).unwrap_or_default();
                self.font = self.fonts.get(name).copied();
                self.size = n(1);
            }
            "Tc" => self.char_spacing = n(0),
            "Tw" => self.word_spacing = n(0),
            "Tz" => self.scale = n(0) / 100.0,
            "TL" => self.leading = n(0),
            "Ts" => self.rise = n(0),
            "Td" => self.move_line(n(0), n(1)),
            "TD" => {
                self.leading = -n(1);
                self.move_line(n(0), n(1));
            }
            "Tm" => {
                self.tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                self.tm = self.tlm;
            }
            "T*" => self.move_line(0.0, -self.leading),
            "Tj" => self.show(operands.first()),
            "'" => {
                self.move_line(0.0, -self.leading);
                self.show(operands.first());
            }
            "\"" => {
                (self.word_spacing, self.char_spacing) = (n(0), n(1));
                self.move_line(0.0, -self.leading);
                self.show(operands.get(2));
            }
            "TJ" => {
                let Some(Ok(items)) = operands.first().map(Object::as_array) else { return };
                for item in items {
                    match item {
                        Object::String(..) => self.show(Some(item)),
                        Object::Integer(_) | Object::Real(_) => {
                            let shift = -num(std::slice::from_ref(item), 0) / 1000.0 * self.size * self.scale;
                            self.tm = multiply(&[1.0, 0.0, 0.0, 1.0, shift, 0.0], &self.tm);
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn move_line(&mut self, x: f64, y: f64) {
        self.tlm = multiply(&[1.0, 0.0, 0.0, 1.0, x, y], &self.tlm);
        self.tm = self.tlm;
    }

    fn show(&mut self, string: Option<&Object>) {
        let (Some(font), Some(Object::String(bytes, _))) = (self.font, string) else { return };
        let width = if font.two_byte { 2 } else { 1 };
        for code in bytes.chunks(width) {
            let code = code.iter().fold(0u32, |c, &b| c << 8 | u32::from(b));
            let device = multiply(&self.tm, &self.ctm);
            let (x, y) = (device[4] + self.rise * device[2], device[5] + self.rise * device[3]);
            let size = self.size * device[2].hypot(device[3]);
            let spacing = if width == 1 && code == 32 { self.word_spacing } else { 0.0 };
            let advance = (font.width(code) / 1000.0 * self.size + self.char_spacing + spacing) * self.scale;
            self.tm = multiply(&[1.0, 0.0, 0.0, 1.0, advance, 0.0], &self.tm);
            let end = multiply(&self.tm, &self.ctm)[4] + self.rise * device[2];
            let Some(text) = font.unicode.get(&code) else { continue };
            self.place(text, x, y, end, size);
        }
    }

    /// Appends a glyph's text, after a line break or a space when it stands apart from the previous one.
    fn place(&mut self, text: &str, x: f64, y: f64, end: f64, size: f64) {
        if text.chars().all(char::is_whitespace) {
            self.separate(' ');
        } else if let Some((last_end, last_y, last_size)) = self.last {
            let size = size.max(last_size);
            if (y - last_y).abs() > LINE_GAP * size {
                self.separate('\n');
            } else if x - last_end > WORD_GAP * size || last_end - x > OVERLAP * size {
                self.separate(' ');
            }
        }
        if !text.chars().all(char::is_whitespace) {
            self.out.push_str(text);
        }
        self.last = Some((end, y, size));
    }

    /// Ends the current word (`' '`) or line (`'\n'`); a line ends without trailing spaces.
    fn separate(&mut self, separator: char) {
        if separator == '\n' {
            let kept = self.out.trim_end_matches(' ').len();
            self.out.truncate(kept);
        }
        match self.out.chars().last() {
            None | Some('\n') => {}
            Some(' ') if separator == ' ' => {}
            _ => self.out.push(separator),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of a content stream drawn with `F1` (Latin-1 codes) and `F2` (two-byte codes
    /// for an emoji and a kanji, as a fallback font draws them).
    fn text(content: &str) -> String {
        let latin = Font::simple_for_tests();
        let fallback = Font::mapped_for_tests(&[(0x0a21, "\u{1F600}"), (0x0a22, "語")]);
        let fonts = FxHashMap::from_iter([(b"F1".to_vec(), &latin), (b"F2".to_vec(), &fallback)]);
        page_text(content.as_bytes(), &fonts).expect("the content stream reads")
    }

    #[test]
    fn a_tj_offset_wider_than_a_tenth_of_the_font_size_separates_words() {
        // -300 moves 3 points right at 10 points; 20 (kerning) moves 0.2 points back.
        assert_eq!(text("BT /F1 10 Tf 72 700 Td [(Bon) -300 (jour) 20 (ne)] TJ ET"), "Bon journe");
    }

    #[test]
    fn a_space_glyph_separates_words() {
        assert_eq!(text("BT /F1 10 Tf 72 700 Td (deux mots) Tj ET"), "deux mots");
    }

    #[test]
    fn each_new_baseline_starts_a_line() {
        let page =
            "BT /F1 10 Tf 12 TL 72 700 Td (un) Tj 0 -12 Td (deux) Tj T* (trois) Tj ET BT 72 600 Td (quatre) Tj ET";
        assert_eq!(text(page), "un\ndeux\ntrois\nquatre");
    }

    #[test]
    fn text_blocks_side_by_side_are_glued_only_when_they_touch() {
        // "ab" is 10 points wide at 10 points: a block starting at 82 continues its word.
        let touching = "BT /F1 10 Tf 72 700 Td (ab) Tj ET BT /F1 10 Tf 82 700 Td (cd) Tj ET";
        let apart = "BT /F1 10 Tf 72 700 Td (ab) Tj ET BT /F1 10 Tf 90 700 Td (cd) Tj ET";
        assert_eq!((text(touching), text(apart)), ("abcd".to_string(), "ab cd".to_string()));
    }

    #[test]
    fn a_fallback_font_run_is_read_within_its_line() {
        let page = "BT /F1 10 Tf 72 700 Td (Nihon ) Tj /F2 10 Tf <0a22> Tj /F1 10 Tf ( et ) Tj /F2 10 Tf <0a21> Tj ET";
        assert_eq!(text(page), "Nihon 語 et \u{1F600}");
    }

    #[test]
    fn the_current_transformation_places_the_text() {
        // Scaled by 2 then moved: the second block lands where the first ends.
        let page = "q 2 0 0 2 0 0 cm BT /F1 10 Tf 36 350 Td (ab) Tj ET Q BT /F1 20 Tf 92 700 Td (cd) Tj ET";
        assert_eq!(text(page), "abcd");
    }
}
