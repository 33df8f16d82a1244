//! Right-to-left text (Arabic, Hebrew). genpdf draws characters left to right as given and
//! neither shapes nor reorders them, so each line that holds right-to-left text is put in
//! visual order here (the Unicode bidi algorithm, per line after line breaking) and its Arabic
//! words in their joined presentation forms, which DejaVu Sans draws. Text extraction reads
//! glyphs drawn in visual order back in logical order (poppler's `pdftotext` reorders
//! right-to-left runs), and the presentation forms back to letters under NFKC.

use super::state::mm;
use ar_reshaper::config::LigaturesFlags;
use ar_reshaper::{ArabicReshaper, Language, ReshaperConfig};
use genpdf::fonts::FontCache;
use genpdf::render::TextSection;
use genpdf::style::Style;
use std::borrow::Cow;
use unicode_bidi::{bidi_class, get_base_direction, BidiClass, Direction, Level, ParagraphBidiInfo};

/// A piece of a line in drawing order; `logical` is set for a right-to-left word.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    pub text: String,
    pub style: Style,
    pub logical: Option<String>,
}

fn is_rtl(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

pub fn has_rtl(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(is_rtl)
}

/// Whether a paragraph reads right to left: its first strong character is.
pub fn rtl_paragraph(text: &str) -> bool {
    has_rtl(text) && get_base_direction(text) == Direction::Rtl
}

fn reshaper() -> ArabicReshaper {
    // Lam-alef ligatures only (DejaVu Sans has them), and diacritics kept: they are text.
    let mut config = ReshaperConfig::new(Language::Arabic, LigaturesFlags::default());
    config.support_ligatures = true;
    config.delete_harakat = false;
    ArabicReshaper::new(config)
}

/// `text` in its joined Arabic forms (logical order), or as it is when it has no Arabic.
pub fn shaped(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(|c| bidi_class(c) == BidiClass::AL) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(reshaper().reshape(text))
}

/// The line's pieces in drawing order: `None` when it has no right-to-left text, so that such
/// lines are drawn exactly as before.
pub fn visual(pieces: &[(String, Style)], rtl_base: bool) -> Option<Vec<Drawn>> {
    let text: String = pieces.iter().map(|(t, _)| t.as_str()).collect();
    if !has_rtl(&text) {
        return None;
    }
    let styles: Vec<Style> = pieces.iter().flat_map(|(t, st)| t.chars().map(move |_| *st)).collect();
    let level = if rtl_base { Level::rtl() } else { Level::ltr() };
    let info = ParagraphBidiInfo::new(&text, Some(level));
    let (levels, runs) = info.visual_runs(0..text.len());
    let index: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let char_at = |byte: usize| index.partition_point(|&i| i < byte);
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Drawn> = Vec::new();
    for run in runs {
        let (start, end) = (char_at(run.start), char_at(run.end));
        let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
        let mut parts = Vec::new();
        let mut k = start;
        while k < end {
            let style = styles.get(k).copied().unwrap_or_default();
            let word = chars.get(k).copied().is_some_and(is_word_char);
            let len = (k..end)
                .take_while(|&j| {
                    chars.get(j).copied().is_some_and(|c| is_word_char(c) == word) && styles.get(j) == Some(&style)
                })
                .count()
                .max(1);
            let part: String = chars.get(k..k + len).unwrap_or(&[]).iter().collect();
            k += len;
            parts.push(if rtl { drawn_rtl(&part, style, word) } else { Drawn { text: part, style, logical: None } });
        }
        if rtl {
            parts.reverse();
        }
        out.extend(parts);
    }
    Some(merge_plain(out))
}

/// Neighbouring pieces that are not right-to-left words joined when they share a style.
fn merge_plain(pieces: Vec<Drawn>) -> Vec<Drawn> {
    let mut out: Vec<Drawn> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match out.last_mut() {
            Some(last) if last.logical.is_none() && piece.logical.is_none() && last.style == piece.style => {
                last.text.push_str(&piece.text)
            }
            _ => out.push(piece),
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    is_rtl(c) || bidi_class(c) == BidiClass::NSM
}

/// A right-to-left word shaped and reversed (marks kept after their letter), or other text
/// of a right-to-left run reversed with its brackets mirrored.
fn drawn_rtl(part: &str, style: Style, word: bool) -> Drawn {
    if !word {
        return Drawn { text: part.chars().rev().map(mirrored).collect(), style, logical: None };
    }
    Drawn { text: reversed_keeping_marks(&shaped(part)), style, logical: Some(part.to_string()) }
}

fn reversed_keeping_marks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut marks: Vec<char> = Vec::new();
    for c in text.chars().rev() {
        if bidi_class(c) == BidiClass::NSM {
            marks.push(c);
        } else {
            out.push(c);
            out.extend(marks.drain(..).rev());
        }
    }
    out.extend(marks.drain(..).rev());
    out
}

fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        _ => c,
    }
}

/// Prints a line's pieces into `section`: as given when it has no right-to-left text (so such
/// lines keep their bytes), else in drawing order.
pub fn print_line(
    section: &mut TextSection<'_, '_, '_>,
    cache: &FontCache,
    pieces: &[(String, Style)],
    rtl_base: bool,
) -> Result<(), genpdf::error::Error> {
    match drawable(cache, pieces, rtl_base) {
        Some(drawn) => drawn.iter().try_for_each(|d| section.print_str(&d.text, d.style)),
        None => pieces.iter().try_for_each(|(text, style)| section.print_str(text, *style)),
    }
}

/// The width of a line as `print_line` draws it, in mm.
pub fn line_width(cache: &FontCache, pieces: &[(String, Style)], rtl_base: bool) -> f64 {
    match drawable(cache, pieces, rtl_base) {
        Some(drawn) => drawn.iter().map(|d| mm(d.style.str_width(cache, &d.text))).sum(),
        None => pieces.iter().map(|(t, st)| mm(st.str_width(cache, t))).sum(),
    }
}

/// `visual`, with a word whose joined forms the font lacks left in its plain letters.
fn drawable(cache: &FontCache, pieces: &[(String, Style)], rtl_base: bool) -> Option<Vec<Drawn>> {
    let mut drawn = visual(pieces, rtl_base)?;
    for piece in &mut drawn {
        let Some(logical) = &piece.logical else { continue };
        let font = cache.get_rt_font(piece.style.font(cache));
        if piece.text.chars().any(|c| font.glyph(c).id().0 == 0) {
            piece.text = reversed_keeping_marks(logical);
        }
    }
    Some(drawn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str, rtl_base: bool) -> Vec<(String, Option<String>)> {
        let pieces = vec![(line.to_string(), Style::new())];
        visual(&pieces, rtl_base).unwrap_or_default().into_iter().map(|d| (d.text, d.logical)).collect()
    }

    #[test]
    fn a_line_without_right_to_left_text_is_left_alone() {
        assert_eq!(visual(&[("Écritures du monde".to_string(), Style::new())], false), None);
    }

    #[test]
    fn hebrew_words_are_drawn_last_first_and_each_reversed() {
        let words = texts("Hébreu : שלום עולם.", false);
        let drawn: String = words.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(drawn, "Hébreu : םלוע םולש.");
        let logical: Vec<&str> = words.iter().filter_map(|(_, l)| l.as_deref()).collect();
        assert_eq!(logical, ["עולם", "שלום"]);
    }

    #[test]
    fn arabic_words_are_drawn_in_joined_forms_with_the_lam_alef_ligature() {
        assert_eq!(texts("سلام", true), [("\u{FEE1}\u{FEFC}\u{FEB3}".to_string(), Some("سلام".to_string()))]);
    }

    #[test]
    fn a_paragraph_reads_right_to_left_when_its_first_strong_letter_does() {
        assert!(rtl_paragraph("« مرحبا » says hello"));
        assert!(!rtl_paragraph("Arabe : مرحبا"));
    }

    #[test]
    fn brackets_in_right_to_left_text_are_mirrored() {
        let drawn: String = texts("שלום (עולם)", true).into_iter().map(|(t, _)| t).collect();
        assert_eq!(drawn, "(םלוע) םולש");
    }
}
