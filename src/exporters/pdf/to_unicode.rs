//! printpdf writes a font's `/ToUnicode` map with characters beyond the Basic Multilingual
//! Plane as five or six hex digits (`<1f600>`), which PDF readers cannot read: such a
//! character (an emoji) is written back as UTF-16 surrogates (`<d83dde00>`), so that text
//! extraction finds it.

use lopdf::{Document, Object};

/// Rewrites every `/ToUnicode` map of the document: the streams that map glyphs with
/// `bfchar` (printpdf nests the font dictionaries that name them, so they are found by content).
pub fn fix_astral_characters(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else { continue };
        let content = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        if !content.windows(BFCHAR.len()).any(|w| w == BFCHAR) {
            continue;
        }
        if let Some(fixed) = fixed_map(&content) {
            // Written plain: the post-pass deflates every stream.
            stream.dict.remove(b"Filter");
            stream.set_content(fixed);
        }
    }
}

const BFCHAR: &[u8] = b"beginbfchar";

/// The map with each `<glyph> <code point>` line beyond the BMP rewritten, or `None` if none is.
fn fixed_map(content: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(content).ok()?;
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match astral_line(line) {
            Some(fixed) => {
                out.push_str(&fixed);
                changed = true;
            }
            None => out.push_str(line),
        }
    }
    changed.then(|| out.into_bytes())
}

fn astral_line(line: &str) -> Option<String> {
    let (glyph, rest) = line.trim_end().split_once(' ')?;
    let hex = rest.strip_prefix('<')?.strip_suffix('>')?;
    if hex.len() <= 4 {
        return None;
    }
    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    let mut units = [0u16; 2];
    let utf16: String = c.encode_utf16(&mut units).iter().map(|u| format!("{u:04x}")).collect();
    Some(format!("{glyph} <{utf16}>\n"))
}

#[cfg(test)]
mod tests {
    use super::fixed_map;

    #[test]
    fn a_character_beyond_the_bmp_is_mapped_to_its_surrogate_pair() {
        let fixed = fixed_map(b"1 beginbfchar\r\n<0a21> <1f600>\n<0a22> <00e9>\nendbfchar\r\n").unwrap();
        assert_eq!(
            String::from_utf8(fixed).unwrap(),
            "1 beginbfchar\r\n<0a21> <d83dde00>\n<0a22> <00e9>\nendbfchar\r\n"
        );
    }

    #[test]
    fn a_map_within_the_bmp_is_left_alone() {
        assert_eq!(fixed_map(b"<0a22> <00e9>\n"), None);
    }
}
