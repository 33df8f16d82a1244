//! Helpers shared by every writer: plain text of inlines, slugs, XML-safe text.

use crate::model::{Block, Inline};

/// The text of a run of inlines, as a reader would say it: breaks become spaces,
/// images contribute their alt text.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain_text(inlines, &mut out);
    out
}

/// `plain_text`, borrowed when the inlines are one run of text (most headings).
pub fn plain_text_cow(inlines: &[Inline]) -> std::borrow::Cow<'_, str> {
    match inlines {
        [Inline::Text(t) | Inline::Code(t)] => std::borrow::Cow::Borrowed(t),
        _ => std::borrow::Cow::Owned(plain_text(inlines)),
    }
}

fn push_plain_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => push_plain_text(c, out),
            Inline::LineBreak | Inline::SoftBreak => out.push(' '),
            Inline::Link(l) => push_plain_text(&l.content, out),
            Inline::Image(i) => out.push_str(&i.alt),
        }
    }
}

/// Plain text of blocks, paragraphs separated by blank lines.
pub fn blocks_plain_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    BlockText { out: &mut out, started: false, diagrams: true }.blocks(blocks);
    out
}

/// Appends the plain text of blocks to `out`, as `blocks_plain_text` gives it, leaving out
/// diagram sources when `diagrams` is false. One buffer for a whole corpus: the fidelity audit
/// runs this over every page.
pub fn push_blocks_plain_text(blocks: &[Block], diagrams: bool, out: &mut String) {
    BlockText { out, started: false, diagrams }.blocks(blocks);
}

/// Writes one part after another, a blank line between two parts.
struct BlockText<'o> {
    out: &'o mut String,
    started: bool,
    diagrams: bool,
}

impl BlockText<'_> {
    fn part(&mut self) -> &mut String {
        if std::mem::replace(&mut self.started, true) {
            self.out.push_str("\n\n");
        }
        self.out
    }

    fn str(&mut self, text: &str) {
        self.part().push_str(text);
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        let out = self.part();
        push_plain_text(inlines, out);
    }

    fn blocks(&mut self, blocks: &[Block]) {
        blocks.iter().for_each(|b| self.block(b));
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(h) => self.inlines(&h.content),
            Block::Paragraph(p) => self.inlines(&p.content),
            Block::List(l) => l.items.iter().for_each(|i| self.blocks(&i.blocks)),
            Block::BlockQuote(q) => self.blocks(&q.blocks),
            Block::Code(c) => self.str(&c.text),
            Block::Diagram(d) => self.str(if self.diagrams { &d.source } else { "" }),
            Block::Table(t) => {
                for row in std::iter::once(&t.header).chain(&t.rows) {
                    let out = self.part();
                    for (i, cell) in row.iter().enumerate() {
                        if i > 0 {
                            out.push_str(" | ");
                        }
                        push_plain_text(cell, out);
                    }
                }
            }
            Block::Figure(f) => self.str(&f.image.alt),
            Block::Callout(c) => {
                if let Some(title) = &c.title {
                    self.str(title);
                }
                self.blocks(&c.blocks);
            }
            Block::QuoteFigure(q) => self.blocks(&q.blocks),
            Block::Section(s) => {
                self.inlines(&s.title);
                self.blocks(&s.blocks);
            }
            Block::Card(c) => {
                self.str(&c.title);
                if let Some(d) = &c.description {
                    self.str(d);
                }
            }
            Block::PageList(l) => {
                for item in &l.items {
                    self.str(&item.title);
                    if let Some(s) = &item.summary {
                        self.str(s);
                    }
                }
            }
            Block::SeeAlsoList(_) | Block::ThematicBreak(_) => {}
            Block::Raw(r) => self.str(&r.text),
        }
    }
}

/// Eleventy's `slugify`: lower case, accents folded to ASCII, apostrophes dropped,
/// every other run of non-alphanumerics turned into one `-`, no `-` at either end.
pub fn slugify(text: &str) -> String {
    let mut slug = Slug { out: String::with_capacity(text.len()), pending_dash: false };
    for ch in text.chars() {
        // Most headings are ASCII: their characters are looked at directly.
        if ch.is_ascii() {
            match ch as u8 {
                b if b.is_ascii_alphanumeric() => slug.push(b.to_ascii_lowercase()),
                b'\'' | b'"' => {}
                _ => slug.pending_dash = true,
            }
            continue;
        }
        if matches!(ch, '’' | '‘' | '“' | '”') {
            continue;
        }
        match fold_to_ascii(ch) {
            Some(folded) => folded.bytes().for_each(|b| slug.push(b)),
            None => slug.pending_dash = true,
        }
    }
    slug.out
}

/// A slug being written: a run of separators becomes one `-`, written only once the next
/// letter comes, so there is none at either end.
struct Slug {
    out: String,
    pending_dash: bool,
}

impl Slug {
    fn push(&mut self, lower_ascii: u8) {
        if self.pending_dash && !self.out.is_empty() {
            self.out.push('-');
        }
        self.pending_dash = false;
        self.out.push(char::from(lower_ascii));
    }
}

/// Lower-case ASCII transliteration of the non-ASCII Latin letters found in French and its
/// neighbours; `None` for anything else, which becomes a separator.
fn fold_to_ascii(ch: char) -> Option<&'static str> {
    Some(match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ß' => "ss",
        _ => return None,
    })
}

/// Removes characters XML 1.0 forbids (C0 controls other than tab, CR, LF; U+FFFE/U+FFFF;
/// lone surrogates cannot occur in Rust strings). Returns the cleaned text and how many
/// characters were removed, so the caller can report it.
pub fn xml_safe(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    let bad =
        |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    // Fast path over bytes: a forbidden character is a C0 control byte or starts with 0xEF
    // (U+FFFE and U+FFFF); text with neither, nearly all of it, is returned untouched. Each
    // block of 32 bytes is tested without an early exit, which the compiler vectorises.
    let suspect = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) | (b == 0xEF);
    if !text.as_bytes().chunks(32).any(|block| block.iter().fold(false, |found, &b| found | suspect(b))) {
        return (std::borrow::Cow::Borrowed(text), 0);
    }
    let removed = text.chars().filter(|&c| bad(c)).count();
    if removed == 0 {
        (std::borrow::Cow::Borrowed(text), 0)
    } else {
        (std::borrow::Cow::Owned(text.chars().filter(|&c| !bad(c)).collect()), removed)
    }
}

/// A valid XML `NCName` / DITA id from any string: slug-like, never starting with a digit.
pub fn xml_id(text: &str) -> String {
    let slug = slugify(text);
    match slug.chars().next() {
        None => "id".to_string(),
        Some(c) if c.is_ascii_digit() => format!("id-{slug}"),
        Some(_) => slug,
    }
}

/// Whether a BCP 47 language tag is French (`fr`, `fr-FR`…).
pub fn is_french(language: &str) -> bool {
    language.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("fr"))
}

/// French typography: a narrow no-break space before `; ! ?`, a no-break space before `:`
/// and inside « », so that line breaks never separate them from their word. Text with none
/// of these marks, most of it, is returned as it is.
pub fn french_spacing(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains([';', '!', '?', ':', '»', '«']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let before_punct = matches!(next, Some(';' | '!' | '?' | ':' | '»'));
        let after_guillemet = prev == Some('«');
        if c == ' ' && (before_punct || after_guillemet) {
            out.push(if next == Some(':') || next == Some('»') || after_guillemet { '\u{a0}' } else { '\u{202f}' });
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// What no URI or IRI may hold raw, anywhere (WHATWG "URL code points", RFC 3986/3987):
/// controls, space, `"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`, `}`. The one set every href
/// of every format is escaped with (`encode_url`, `encode_path`).
const URL_UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// `URL_UNSAFE`, and what a path taken literally must not leave raw: `#`, `%`, `?` (model
/// paths and anchors are decoded), `[`, `]`.
const PATH_UNSAFE: &percent_encoding::AsciiSet = &URL_UNSAFE.add(b'#').add(b'%').add(b'?').add(b'[').add(b']');

/// A decoded site path, file name or fragment as a URI reference: everything unsafe and every
/// non-ASCII character percent-encoded (UTF-8), `/` kept. `images/a b#é.png` →
/// `images/a%20b%23%C3%A9.png`.
pub fn encode_path(path: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::utf8_percent_encode(path, PATH_UNSAFE).into()
}

/// An external URL as an author wrote it, made a valid IRI without changing where it leads:
/// what `URL_UNSAFE` names is percent-encoded, and so are a `%` that starts no escape, a second
/// `#`, `[` and `]` outside the host, and the invisible or non-character code points an IRI
/// may not hold. Existing escapes, non-ASCII letters and the host are kept, so encoding twice
/// changes nothing. Borrowed when there is nothing to do (almost always).
pub fn encode_url(url: &str) -> std::borrow::Cow<'_, str> {
    let url = url.trim();
    // `[` and `]` delimit an IPv6 host: they are left alone up to the end of the authority.
    let authority_end = match url.find("://") {
        Some(i) => url[i + 3..].find(['/', '?', '#']).map_or(url.len(), |j| i + 3 + j),
        None => 0,
    };
    let bytes = url.as_bytes();
    let is_hex = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_hexdigit);
    let mut fragment = false;
    let mut needs = |i: usize, c: char| match c {
        '%' => !(is_hex(i + 1) && is_hex(i + 2)),
        '#' => std::mem::replace(&mut fragment, true),
        '[' | ']' => i >= authority_end,
        c if c.is_ascii() => is_url_unsafe(c as u8),
        c => !is_iri_char(c),
    };
    let Some(first) = url.char_indices().position(|(i, c)| needs(i, c)) else {
        return std::borrow::Cow::Borrowed(url);
    };
    let mut out = String::with_capacity(url.len() + 16);
    for (n, (i, c)) in url.char_indices().enumerate() {
        // `needs` already saw the characters before `first`, with their side effect.
        if n >= first && (n == first || needs(i, c)) {
            let mut buf = [0; 4];
            c.encode_utf8(&mut buf).bytes().for_each(|b| out.push_str(percent_encoding::percent_encode_byte(b)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `URL_UNSAFE` holds an ASCII byte (the set's own test is private to its crate).
fn is_url_unsafe(b: u8) -> bool {
    percent_encoding::percent_encode(&[b], URL_UNSAFE).next().is_some_and(|s| s.starts_with('%'))
}

/// Whether a non-ASCII character may stand raw in an IRI: not a space, a control, an
/// invisible formatting mark or a non-character.
fn is_iri_char(c: char) -> bool {
    let cp = u32::from(c);
    !(c.is_whitespace()
        || c.is_control()
        || matches!(cp, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFDD0..=0xFDEF)
        || cp & 0xFFFE == 0xFFFE)
}

/// French month names, January first: the dates the outputs print and the sites' date filters.
pub const FRENCH_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// English month names, January first.
pub const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Escapes `&`, `<`, `>` (and `"` in attributes) into `out`. Runs between markup
/// characters are copied whole, since most text has none.
pub fn push_escaped(out: &mut String, text: &str, in_attribute: bool) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if in_attribute => "&quot;",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices end on character boundaries.
        out.push_str(text.get(start..i).unwrap_or_default());
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::{encode_path, encode_url};

    #[test]
    fn urls_keep_what_is_valid_and_escape_what_no_iri_may_hold() {
        assert_eq!(encode_url(" https://example.org/a?b=1&c=%C3%A9#top "), "https://example.org/a?b=1&c=%C3%A9#top");
        let cc = "https://creativecommons.org/licenses/by-sa/4.0";
        assert_eq!(encode_url(&format!("{cc}>")), format!("{cc}%3E"));
        assert_eq!(encode_url("https://x.fr/a b/{}|\\^`\"<"), "https://x.fr/a%20b/%7B%7D%7C%5C%5E%60%22%3C");
        assert_eq!(encode_url("https://x.fr/100%/a#b#c"), "https://x.fr/100%25/a#b%23c");
        assert_eq!(encode_url("https://[::1]:8080/a[1]"), "https://[::1]:8080/a%5B1%5D");
        assert_eq!(encode_url("https://exemple.fr/été\u{200b}"), "https://exemple.fr/été%E2%80%8B");
    }

    #[test]
    fn encoding_a_url_twice_changes_nothing() {
        let once = encode_url("https://x.fr/a b/{x}>#f#g%").into_owned();
        assert_eq!(encode_url(&once), once);
    }

    #[test]
    fn paths_are_taken_literally() {
        assert_eq!(encode_path("images/a b#é?%.png"), "images/a%20b%23%C3%A9%3F%25.png");
    }

    #[test]
    fn french_punctuation_is_tied_to_the_word_before_it() {
        assert_eq!(super::french_spacing("Quoi ? Oui !"), "Quoi\u{202f}? Oui\u{202f}!");
        assert_eq!(super::french_spacing("Note : ceci"), "Note\u{a0}: ceci");
        assert_eq!(super::french_spacing("« bonjour »"), "«\u{a0}bonjour\u{a0}»");
    }

    #[test]
    fn french_spacing_leaves_urls_and_times_alone() {
        assert_eq!(super::french_spacing("https://a.fr 10:30"), "https://a.fr 10:30");
    }

    use super::*;

    #[test]
    fn plain_text_is_borrowed_for_one_run_of_text() {
        let one = [Inline::Text("Étapes".into())];
        assert!(matches!(plain_text_cow(&one), std::borrow::Cow::Borrowed("Étapes")));
        let two = [Inline::Text("a".into()), Inline::Code("b".into())];
        assert_eq!(plain_text_cow(&two), plain_text(&two));
    }

    #[test]
    fn slugify_folds_accents_and_drops_question_mark() {
        assert_eq!(slugify("Quels sont les acteurs ?"), "quels-sont-les-acteurs");
        assert_eq!(slugify("Étapes d'intégration"), "etapes-dintegration");
    }

    #[test]
    fn slugify_collapses_runs_of_separators() {
        assert_eq!(slugify("  GET /api/v2/jwks  "), "get-api-v2-jwks");
        assert_eq!(slugify("FranceConnect+ & eIDAS"), "franceconnect-eidas");
    }

    #[test]
    fn slugify_folds_ligatures_and_drops_curly_quotes() {
        assert_eq!(slugify("L’œuvre « Straße » — “Ça”"), "loeuvre-strasse-ca");
        assert_eq!(slugify("Ωmega ! 42"), "mega-42");
    }

    #[test]
    fn xml_safe_removes_forbidden_controls() {
        let (clean, removed) = xml_safe("a\u{1}b\u{FFFF}c\td");
        assert_eq!(clean, "abc\td");
        assert_eq!(removed, 2);
    }

    #[test]
    fn xml_safe_finds_a_forbidden_character_in_any_block_of_a_long_text() {
        let prose = "Le fournisseur de service redirige l’usager. ".repeat(3);
        for at in [0, 31, 32, 33, prose.len()] {
            let mut text = prose.clone();
            text.insert(at, '\u{1}');
            assert_eq!(xml_safe(&text), (std::borrow::Cow::Borrowed(prose.as_str()), 1), "at byte {at}");
        }
        assert!(matches!(xml_safe(&prose), (std::borrow::Cow::Borrowed(_), 0)));
    }

    #[test]
    fn xml_id_never_starts_with_a_digit() {
        assert_eq!(xml_id("1. Vérifier"), "id-1-verifier");
        assert_eq!(xml_id("?"), "id");
    }
}
