//! What the read-back needs of a font: the text each character code stands for (its
//! `/ToUnicode` map) and how far each code advances the pen (its widths), read once per font
//! object and shared by every page that uses it.

use lopdf::{Dictionary, Document, Object, ObjectId};
use rustc_hash::FxHashMap;

/// One font as the read-back sees it.
#[derive(Debug, Default)]
pub struct Font {
    /// Codes are two bytes (a composite font, `/Type0`) or one (a simple font).
    pub two_byte: bool,
    /// Code → the text it stands for; a code without an entry stands for nothing.
    pub unicode: FxHashMap<u32, Box<str>>,
    /// Code → advance in thousandths of the font size.
    widths: FxHashMap<u32, f64>,
    default_width: f64,
}

impl Font {
    /// The font dictionary `dict`, its maps read from `doc`.
    pub fn read(doc: &Document, dict: &Dictionary) -> Font {
        let two_byte = dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Type0");
        let unicode = stream_bytes(doc, dict, b"ToUnicode").map(|map| to_unicode(&map)).unwrap_or_default();
        let mut font = Font { two_byte, unicode, ..Font::default() };
        if two_byte {
            let descendant = deref(doc, dict.get(b"DescendantFonts").ok())
                .and_then(|o| o.as_array().ok())
                .and_then(|a| deref(doc, a.first()))
                .and_then(|o| o.as_dict().ok());
            if let Some(cid) = descendant {
                font.default_width = number(deref(doc, cid.get(b"DW").ok())).unwrap_or(1000.0);
                if let Some(w) = deref(doc, cid.get(b"W").ok()).and_then(|o| o.as_array().ok()) {
                    font.widths = cid_widths(doc, w);
                }
            }
        } else {
            let first = number(deref(doc, dict.get(b"FirstChar").ok())).unwrap_or(0.0) as u32;
            if let Some(w) = deref(doc, dict.get(b"Widths").ok()).and_then(|o| o.as_array().ok()) {
                let widths =
                    w.iter().enumerate().filter_map(|(i, o)| Some((first + i as u32, number(deref(doc, Some(o)))?)));
                font.widths = widths.collect();
            }
        }
        font
    }

    /// A simple font whose codes stand for their Latin-1 characters, each half an em wide.
    #[cfg(test)]
    pub fn simple_for_tests() -> Font {
        let unicode = (32..=255u32).filter_map(|c| Some((c, char::from_u32(c)?.to_string().into()))).collect();
        Font { two_byte: false, unicode, widths: FxHashMap::default(), default_width: 500.0 }
    }

    /// A composite font (two-byte codes) mapping `codes`, each glyph half an em wide.
    #[cfg(test)]
    pub fn mapped_for_tests(codes: &[(u32, &str)]) -> Font {
        let unicode = codes.iter().map(|&(c, t)| (c, t.into())).collect();
        Font { two_byte: true, unicode, widths: FxHashMap::default(), default_width: 500.0 }
    }

    /// The advance of `code`, in thousandths of the font size.
    pub fn width(&self, code: u32) -> f64 {
        self.widths.get(&code).copied().unwrap_or(self.default_width)
    }
}

fn deref<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a Object> {
    doc.dereference(object?).ok().map(|(_, o)| o)
}

fn number(object: Option<&Object>) -> Option<f64> {
    match object? {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// The decoded content of the stream under `key`.
fn stream_bytes(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    let stream = deref(doc, dict.get(key).ok())?.as_stream().ok()?;
    stream.get_plain_content_with_limit(lopdf::DEFAULT_MAX_DECOMPRESSED_SIZE).ok()
}

/// A CID font's `/W` array: `c [w1 w2 …]` gives codes from `c` on, `c1 c2 w` one width to a range.
fn cid_widths(doc: &Document, w: &[Object]) -> FxHashMap<u32, f64> {
    let mut widths = FxHashMap::default();
    let mut i = 0;
    while i < w.len() {
        let Some(first) = number(deref(doc, w.get(i))) else { break };
        match deref(doc, w.get(i + 1)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate() {
                    if let Some(n) = number(Some(o)) {
                        widths.insert(first as u32 + k as u32, n);
                    }
                }
                i += 2;
            }
            last => {
                let (Some(last), Some(n)) = (number(last), number(deref(doc, w.get(i + 2)))) else { break };
                for code in first as u32..=(last as u32).min(first as u32 + 0xFFFF) {
                    widths.insert(code, n);
                }
                i += 3;
            }
        }
    }
    widths
}

/// A `/ToUnicode` CMap's `bfchar` and `bfrange` entries: code → text.
pub fn to_unicode(cmap: &[u8]) -> FxHashMap<u32, Box<str>> {
    let mut map = FxHashMap::default();
    let tokens = tokens(cmap);
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            Token::Keyword(b"beginbfchar") => {
                i += 1;
                while let (Some(Token::Hex(code)), Some(Token::Hex(text))) = (tokens.get(i), tokens.get(i + 1)) {
                    map.insert(code_of(code), utf16_text(text));
                    i += 2;
                }
            }
            Token::Keyword(b"beginbfrange") => {
                i += 1;
                while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) = (tokens.get(i), tokens.get(i + 1)) {
                    let (lo, hi) = (code_of(lo), code_of(hi));
                    match tokens.get(i + 2) {
                        Some(Token::Hex(start)) => {
                            for (k, code) in (lo..=hi.min(lo + 0xFFFF)).enumerate() {
                                map.insert(code, utf16_text(&incremented(start, k as u16)));
                            }
                            i += 3;
                        }
                        Some(Token::Array(texts)) => {
                            for (code, text) in (lo..=hi).zip(texts) {
                                map.insert(code, utf16_text(text));
                            }
                            i += 3;
                        }
                        _ => break,
                    }
                }
            }
            _ => i += 1,
        }
    }
    map
}

#[derive(Debug)]
enum Token<'a> {
    Hex(Vec<u8>),
    Array(Vec<Vec<u8>>),
    Keyword(&'a [u8]),
}

/// The hex strings, arrays of hex strings and bare words of a CMap; the rest is skipped.
fn tokens(cmap: &[u8]) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut array: Option<Vec<Vec<u8>>> = None;
    let mut i = 0;
    while i < cmap.len() {
        match cmap[i] {
            b'<' if cmap.get(i + 1) != Some(&b'<') => {
                let end = cmap[i..].iter().position(|&b| b == b'>').map_or(cmap.len(), |p| i + p);
                let hex = hex_bytes(&cmap[i + 1..end]);
                match &mut array {
                    Some(items) => items.push(hex),
                    None => out.push(Token::Hex(hex)),
                }
                i = end + 1;
            }
            b'[' => {
                array = Some(Vec::new());
                i += 1;
            }
            b']' => {
                out.extend(array.take().map(Token::Array));
                i += 1;
            }
            b'%' => i += cmap[i..].iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(cmap.len() - i),
            b if b.is_ascii_alphabetic() => {
                let len = cmap[i..].iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(cmap.len() - i);
                out.push(Token::Keyword(&cmap[i..i + len]));
                i += len;
            }
            _ => i += 1,
        }
    }
    out
}

fn hex_bytes(hex: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = hex.iter().filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8)).collect();
    digits.chunks(2).map(|pair| pair[0] << 4 | pair.get(1).copied().unwrap_or(0)).collect()
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0, |code, &b| code << 8 | u32::from(b))
}

/// A `bfrange` destination `k` codes on: its last byte pair counts up.
fn incremented(start: &[u8], k: u16) -> Vec<u8> {
    let mut out = start.to_vec();
    if let [.., hi, lo] = out.as_mut_slice() {
        let [h, l] = u16::from_be_bytes([*hi, *lo]).wrapping_add(k).to_be_bytes();
        (*hi, *lo) = (h, l);
    }
    out
}

/// UTF-16BE bytes as text; a lone surrogate becomes U+FFFD.
fn utf16_text(bytes: &[u8]) -> Box<str> {
    let units: Vec<u16> = bytes.chunks(2).map(|p| u16::from_be_bytes([p[0], p.get(1).copied().unwrap_or(0)])).collect();
    char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect::<String>().into()
}

/// Every font object the pages name, read once: composite fonts are shared by every page.
pub fn fonts_by_object(doc: &Document, ids: impl Iterator<Item = ObjectId>) -> FxHashMap<ObjectId, Font> {
    use rayon::prelude::*;
    let mut ids: Vec<ObjectId> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_par_iter().filter_map(|id| Some((id, Font::read(doc, doc.get_dictionary(id).ok()?)))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_entries_map_codes_to_text_with_surrogate_pairs_joined() {
        let map = to_unicode(b"2 beginbfchar\n<0003> <0020>\n<0a21> <d83dde00>\nendbfchar\n");
        assert_eq!((&*map[&3], &*map[&0x0a21]), (" ", "\u{1F600}"));
    }

    #[test]
    fn bfrange_entries_count_up_or_take_their_array_in_turn() {
        let map = to_unicode(b"beginbfrange\n<0010> <0012> <0041>\n<0020> <0021> [<00660069> <00e9>]\nendbfrange");
        let text: Vec<&str> = [0x10, 0x11, 0x12, 0x20, 0x21].iter().map(|c| &*map[c]).collect();
        assert_eq!(text, ["A", "B", "C", "fi", "é"]);
    }

    #[test]
    fn cid_widths_read_both_forms_of_the_w_array() {
        let w = vec![
            Object::Integer(3),
            Object::Array(vec![Object::Integer(317), Object::Real(400.5)]),
            Object::Integer(10),
            Object::Integer(12),
            Object::Integer(600),
        ];
        let widths = cid_widths(&Document::new(), &w);
        assert_eq!((widths[&3], widths[&4], widths[&11]), (317.0, 400.5, 600.0));
        assert!(!widths.contains_key(&5));
    }
}
