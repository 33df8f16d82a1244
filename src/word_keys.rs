//! Words as the audit compares them, each reduced to a key in the same pass that finds it.
//!
//! A word is a maximal run of alphanumeric characters, compared without case. The audit only
//! asks whether a word is somewhere in an output, so a vocabulary holds 64-bit keys, not
//! strings: finding, lower-casing and hashing a word is one walk over its bytes, and looking
//! it up compares two integers.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// A lower-cased word's identity: a hash of its lower-cased characters, final sigma folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WordKey(u64);

/// A set of words. Keys are already well mixed, so the table takes them as they are.
pub type WordSet = HashSet<WordKey, BuildHasherDefault<KeyHasher>>;
/// A map from words.
pub type WordMap<V> = HashMap<WordKey, V, BuildHasherDefault<KeyHasher>>;

/// Hashes a `WordKey` to itself.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is reached from `WordKey`; any other input is still hashed.
        bytes.iter().for_each(|&b| self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(MULTIPLIER));
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// Each ASCII byte's lower case if it is a letter or a digit, else 0 (a separator).
const ASCII_WORD: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;
const SEED: u64 = 0x243f_6a88_85a3_08d3;

/// One more lower-cased character of a word.
#[inline(always)]
fn mix(hash: u64, unit: u32) -> u64 {
    (hash ^ u64::from(unit)).wrapping_mul(MULTIPLIER).rotate_left(29)
}

/// The key of a word of `units` characters: its length mixed in, then every bit spread
/// (murmur3's finaliser), since the key is its own hash in a table.
#[inline(always)]
fn finish(hash: u64, units: u64) -> WordKey {
    let mut h = hash ^ units.wrapping_mul(MULTIPLIER);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    WordKey(h)
}

/// Calls `on_word` with the key and byte range of every word of `text`, in order.
#[inline]
pub fn for_each_word(text: &str, mut on_word: impl FnMut(WordKey, Range<usize>)) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let (start, first) = match next_word_start(text, at) {
            Some(found) => found,
            None => return,
        };
        let (mut hash, mut units) = (SEED, 0u64);
        at = start;
        let mut next = Some(first);
        while let Some(unit) = next {
            at += unit.len;
            match unit.lower {
                Lower::One(lower) => {
                    hash = mix(hash, lower);
                    units += 1;
                }
                Lower::Char(c) => {
                    for l in c.to_lowercase() {
                        hash = mix(hash, u32::from(fold_final_sigma(l)));
                        units += 1;
                    }
                }
            }
            next = word_char(text, at);
        }
        on_word(finish(hash, units), start..at);
    }
}

/// The key of `word`, as `for_each_word` gives it for a text that is this one word (the
/// word characters of any other text, run together).
pub fn key_of(word: &str) -> WordKey {
    let (mut hash, mut units) = (SEED, 0u64);
    for c in word.chars().filter(|c| c.is_alphanumeric()) {
        for l in c.to_lowercase() {
            hash = mix(hash, u32::from(fold_final_sigma(l)));
            units += 1;
        }
    }
    finish(hash, units)
}

/// A character of a word: its length in bytes and what it hashes as.
struct Unit {
    len: usize,
    lower: Lower,
}

enum Lower {
    /// Already lower case (ASCII and Latin-1, from the tables).
    One(u32),
    /// To lower-case with Unicode's tables.
    Char(char),
}

/// The word character at byte `at` of `text`, if there is one.
#[inline(always)]
fn word_char(text: &str, at: usize) -> Option<Unit> {
    let b = *text.as_bytes().get(at)?;
    if b < 0x80 {
        let lower = ASCII_WORD[usize::from(b)];
        return (lower != 0).then_some(Unit { len: 1, lower: Lower::One(u32::from(lower)) });
    }
    let c = text[at..].chars().next()?;
    non_ascii_unit(c)
}

/// A character past ASCII as a word character, or `None` for a separator. Latin-1 and the
/// general punctuation block, most of what French text holds past ASCII, are answered by
/// tables; Unicode's own lookups are slower.
#[inline(always)]
fn non_ascii_unit(c: char) -> Option<Unit> {
    let len = c.len_utf8();
    match u32::from(c) {
        code @ 0x80..=0xFF => {
            let lower = LATIN_1_WORD[code as usize - 0x80];
            (lower != 0).then_some(Unit { len, lower: Lower::One(u32::from(lower)) })
        }
        0x2000..=0x206F => None,
        _ => c.is_alphanumeric().then_some(Unit { len, lower: Lower::Char(c) }),
    }
}

/// U+0080 to U+00FF: each letter's or digit's lower case (its code, one byte), else 0.
const LATIN_1_WORD: [u8; 128] = {
    let mut table = [0u8; 128];
    // Feminine and masculine ordinals, superscripts, micro sign and vulgar fractions.
    let symbols = [0xAA, 0xB2, 0xB3, 0xB5, 0xB9, 0xBA, 0xBC, 0xBD, 0xBE];
    let mut i = 0;
    while i < symbols.len() {
        table[symbols[i] - 0x80] = symbols[i] as u8;
        i += 1;
    }
    let mut code = 0xC0;
    while code <= 0xFF {
        if code != 0xD7 && code != 0xF7 {
            table[code - 0x80] = if code <= 0xDE { code + 0x20 } else { code } as u8;
        }
        code += 1;
    }
    table
};

/// The first word character at or after byte `at`, with its offset.
#[inline(always)]
fn next_word_start(text: &str, mut at: usize) -> Option<(usize, Unit)> {
    let bytes = text.as_bytes();
    while at < bytes.len() {
        let b = bytes[at];
        if b < 0x80 {
            let lower = ASCII_WORD[usize::from(b)];
            if lower != 0 {
                return Some((at, Unit { len: 1, lower: Lower::One(u32::from(lower)) }));
            }
            at += 1;
        } else {
            let c = text[at..].chars().next()?;
            if let Some(unit) = non_ascii_unit(c) {
                return Some((at, unit));
            }
            at += c.len_utf8();
        }
    }
    None
}

/// `ς` keys as `σ`: `str::to_lowercase` writes a capital sigma at a word's end as `ς`, one
/// character at a time it is `σ`, and a reader sees one letter.
#[inline(always)]
fn fold_final_sigma(c: char) -> char {
    if c == 'ς' {
        'σ'
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(text: &str) -> Vec<(WordKey, &str)> {
        let mut found = Vec::new();
        for_each_word(text, |key, range| found.push((key, &text[range])));
        found
    }

    #[test]
    fn words_are_the_runs_of_letters_and_digits_between_anything_else() {
        let found: Vec<&str> = words_of("  Un, deux-trois\u{a0}été 42x … l’œil ").into_iter().map(|(_, w)| w).collect();
        assert_eq!(found, ["Un", "deux", "trois", "été", "42x", "l", "œil"]);
    }

    #[test]
    fn a_word_keys_alike_in_any_case() {
        assert_eq!(key_of("FranceConnect"), key_of("franceconnect"));
        assert_eq!(key_of("ÉTÉ"), key_of("été"));
        assert_eq!(key_of("DéJÀ"), key_of("déjà"));
        assert_eq!(key_of("ΟΔΟΣ"), key_of("οδος"));
        assert_eq!(key_of("ΟΔΟΣ"), key_of(&"ΟΔΟΣ".to_lowercase()));
    }

    #[test]
    fn different_words_key_differently() {
        let words = ["a", "b", "ab", "ba", "aa", "été", "ete", "1", "11", "a1", "σ", "ο"];
        let keys: WordSet = words.iter().map(|w| key_of(w)).collect();
        assert_eq!(keys.len(), words.len());
    }

    #[test]
    fn the_keys_of_a_text_are_the_keys_of_its_words() {
        for (key, word) in words_of("Le Déjà-vu de l'ÉTÉ 2024") {
            assert_eq!(key, key_of(word));
        }
    }

    #[test]
    fn the_key_of_a_text_of_several_words_is_of_their_characters_run_together() {
        assert_eq!(key_of("un-deux"), key_of("undeux"));
        assert_ne!(key_of(""), key_of("un"));
    }

    #[test]
    fn the_tables_answer_as_unicode_does() {
        let tabled = (0..=0xFFu32).chain(0x2000..=0x206F).filter_map(char::from_u32);
        for c in tabled {
            let text = c.to_string();
            let mut found = Vec::new();
            for_each_word(&text, |key, range| found.push((key, range)));
            if c.is_alphanumeric() {
                let lower: String = c.to_lowercase().collect();
                assert_eq!(lower.chars().count(), 1, "{c:?}");
                assert_eq!(found, [(key_of(&lower), 0..text.len())], "{c:?}");
            } else {
                assert!(found.is_empty(), "{c:?}");
            }
        }
    }

    #[test]
    fn the_words_of_a_large_vocabulary_never_collide() {
        let words: Vec<String> = (0..200_000u32).map(|i| format!("w{i}")).collect();
        let keys: WordSet = words.iter().map(|w| key_of(w)).collect();
        assert_eq!(keys.len(), words.len());
    }
}
