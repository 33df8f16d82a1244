//! Right-to-left words back in logical order, and Arabic back to letters. The guide draws
//! right-to-left text in visual order and Arabic in its joined presentation forms (see
//! `bidi.rs`): each right-to-left run (a word) is read back reversed, as poppler's `pdftotext`
//! reverses it, and its presentation forms then normalised (NFKC), as a reader searching the
//! text would.

use std::borrow::Cow;
use unicode_bidi::{bidi_class, BidiClass};
use unicode_normalization::UnicodeNormalization;

fn is_rtl(c: char) -> bool {
    // Every right-to-left character lies from Hebrew on: accented Latin skips the table search.
    c >= '\u{0590}' && matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// Letters and marks of a right-to-left word: what one reversed run holds.
fn in_rtl_run(c: char) -> bool {
    is_rtl(c) || (bidi_class(c) == BidiClass::NSM && !c.is_ascii())
}

/// Arabic presentation forms A and B: glyph shapes, not letters.
fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// `text` with each run of right-to-left characters reversed and its presentation forms
/// normalised; text without right-to-left characters is borrowed as it is.
pub fn logical(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(is_rtl) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<char> = Vec::new();
    for c in text.chars() {
        if in_rtl_run(c) {
            run.push(c);
            continue;
        }
        flush(&mut run, &mut out);
        out.push(c);
    }
    flush(&mut run, &mut out);
    Cow::Owned(out)
}

fn flush(run: &mut Vec<char>, out: &mut String) {
    // Marks alone (a Latin letter's combining accents) stay in their order.
    if !run.iter().any(|&c| is_rtl(c)) {
        out.extend(run.drain(..));
        return;
    }
    let reversed = run.drain(..).rev();
    for c in reversed {
        if is_presentation_form(c) {
            out.extend(std::iter::once(c).nfkc());
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::logical;

    #[test]
    fn arabic_drawn_in_visual_presentation_forms_reads_as_letters_in_logical_order() {
        // سلام drawn right to left: final meem, lam-alef ligature, initial seen.
        assert_eq!(logical("\u{FEE1}\u{FEFC}\u{FEB3}"), "سلام");
    }

    #[test]
    fn hebrew_words_are_reversed_and_latin_text_around_them_is_not() {
        assert_eq!(logical("Hébreu : םלוע םולש."), "Hébreu : עולם שלום.");
    }

    #[test]
    fn combining_accents_of_latin_letters_keep_their_order_beside_hebrew() {
        assert_eq!(logical("e\u{0301}\u{0323} םולש"), "e\u{0301}\u{0323} שלום");
    }

    #[test]
    fn text_without_right_to_left_characters_is_borrowed() {
        assert!(matches!(logical("日本語 et café"), std::borrow::Cow::Borrowed(_)));
    }
}
