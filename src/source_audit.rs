//! The first stage of the fidelity audit, source → model: the words a reader of the site sees
//! on a page — its front matter title, which the layout prints as `h1`, and its body after
//! template evaluation, without Markdown and HTML markup — against the words the model holds
//! for that page, as multisets. What the reader drops shows here, placed at its source line;
//! the later stages (`fidelity`) compare each format with the model.
//!
//! The visible text is read with a few rules, not a Markdown parser, so that it does not share
//! the reader's parser and its blind spots: fenced code and code spans are kept as written;
//! link destinations, reference labels and definitions, `{#id .class}` attributes, list
//! numbers, container names, HTML tags, comments, `script` and `style` are dropped; `alt` and
//! `title` attributes and character references are read as a browser reads them; `*` and `~`
//! join the letters around them, as emphasis does. Indented code blocks are not told apart
//! from indented text (their tags would be dropped), and a code span ends on its line.

use crate::fidelity::words_at;
use crate::model::{Block, Inline, Page, Pos};
use crate::reader::templates::markers::{COMPONENT, COMPONENT_END};
use crate::reader::templates::KeptComponent;
use crate::word_keys::{for_each_word, WordKey, WordMap};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::borrow::Cow;
use std::ops::Range;

/// Lines kept per page in `PageAudit::losses`, and in the corpus's largest losses.
pub const PAGE_LOSSES: usize = 5;
pub const CORPUS_LOSSES: usize = 20;
/// Length of a loss's excerpt of missing words, in characters.
const EXCERPT_CHARS: usize = 80;

/// One page audited against its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageAudit {
    /// The source file, relative to the content folder.
    pub file: String,
    /// Words a reader of the site sees on the page: its title and its rendered body.
    pub words: usize,
    /// Of those, the ones the model holds: per distinct word, at most as many as the model has.
    pub found: usize,
    /// The source lines that lost the most words, largest first (at most `PAGE_LOSSES`).
    pub losses: Vec<Loss>,
}

/// Words of one source line missing from the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loss {
    pub line: u32,
    pub missing: usize,
    /// The missing words in source order, shortened to about 80 characters.
    pub words: String,
}

/// A loss with its file, for the corpus's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedLoss {
    pub file: String,
    pub line: u32,
    pub missing: usize,
    pub words: String,
}

/// The source → model stage of `report.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SourceReport {
    pub words_total: usize,
    pub words_found: usize,
    /// `words_found` in `words_total`, 0–100, two decimals (100 for no words).
    pub words_found_percent: f64,
    /// The lines that lost the most words over the whole corpus (at most `CORPUS_LOSSES`).
    pub largest_losses: Vec<PlacedLoss>,
    /// Every page, by file.
    pub pages: Vec<PageAudit>,
}

/// Audits one page. `text` is the page's text with its body rendered, the body starting at
/// `body_offset`; `titled` tells whether the title comes from the front matter (a title taken
/// from the first heading is already in the body); `components` are the components kept for
/// their meaning, whose placeholders stand in the body; `pos` places an offset of `text` in
/// the source file.
pub fn audit_page(
    text: &str,
    body_offset: usize,
    titled: bool,
    components: &[KeptComponent],
    page: &Page,
    pos: &dyn Fn(usize) -> Pos,
) -> PageAudit {
    let visible = visible_text(text, body_offset..text.len(), components);
    // Counted first without positions, by a hash of each lower-cased word (no string is
    // made): most pages lose nothing, and only a page that does pays for placing each word
    // back in its source.
    let mut counts: WordMap<(usize, usize)> = WordMap::default();
    let title_words = if titled { Some(page.title.as_str()) } else { None };
    for text in title_words.into_iter().chain(std::iter::once(visible.text.as_str())) {
        for_each_word(text, |key, _| counts.entry(key).or_default().0 += 1);
    }
    for_each_word(&model_text(page), |key, _| {
        if let Some(c) = counts.get_mut(&key) {
            c.1 += 1;
        }
    });
    let words = counts.values().map(|&(s, _)| s).sum();
    let found = counts.values().map(|&(s, m)| s.min(m)).sum();
    if found == words {
        return PageAudit { file: page.source.clone(), words, found, losses: Vec::new() };
    }
    let title_at = if titled { front_matter_key(&text[..body_offset.min(text.len())], "title") } else { 0 };
    let mut source: Vec<(usize, WordKey, Cow<str>)> = Vec::new();
    if titled {
        source.extend(words_at(&page.title).into_iter().map(|(_, key, w)| (title_at, key, w)));
    }
    source.extend(words_at(&visible.text).into_iter().map(|(at, key, w)| (visible.source_offset(at), key, w)));
    let by_word: FxHashMap<&str, (usize, usize)> =
        source.iter().map(|(_, key, w)| (w.as_ref(), counts.get(key).copied().unwrap_or_default())).collect();
    let losses = place_losses(&source, &by_word, pos);
    PageAudit { file: page.source.clone(), words, found, losses }
}

/// Blames the missing occurrences on source lines. A word the model lacks entirely is lost
/// wherever it occurs; a word the model holds fewer times than the source is blamed on the
/// lines that already lost the most (the dropped construct), the later occurrences first.
fn place_losses(
    source: &[(usize, WordKey, Cow<str>)],
    counts: &FxHashMap<&str, (usize, usize)>,
    pos: &dyn Fn(usize) -> Pos,
) -> Vec<Loss> {
    // line → (offset, word) of each missing occurrence
    let mut lines: FxHashMap<u32, Vec<(usize, &str)>> = FxHashMap::default();
    let mut partial: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (at, _, word) in source {
        let (s, m) = counts[word.as_ref()];
        if m == 0 {
            lines.entry(pos(*at).line).or_default().push((*at, word));
        } else if m < s {
            partial.entry(word.as_ref()).or_default().push(*at);
        }
    }
    let mut partial: Vec<(&str, Vec<usize>)> = partial.into_iter().collect();
    partial.sort_unstable();
    for (word, offsets) in partial {
        let (s, m) = counts[word];
        let mut placed: Vec<(usize, u32)> = offsets.iter().map(|&at| (at, pos(at).line)).collect();
        placed.sort_by_key(|&(at, line)| {
            (std::cmp::Reverse(lines.get(&line).map_or(0, Vec::len)), std::cmp::Reverse(at))
        });
        for &(at, line) in placed.iter().take(s - m) {
            lines.entry(line).or_default().push((at, word));
        }
    }
    let mut losses: Vec<Loss> = lines
        .into_iter()
        .map(|(line, mut missing)| {
            missing.sort_unstable();
            Loss { line, missing: missing.len(), words: excerpt(missing.iter().map(|(_, w)| *w)) }
        })
        .collect();
    losses.sort_by(|a, b| b.missing.cmp(&a.missing).then(a.line.cmp(&b.line)));
    losses.truncate(PAGE_LOSSES);
    losses
}

fn excerpt<'w>(words: impl Iterator<Item = &'w str>) -> String {
    let mut out = String::new();
    for word in words {
        if out.chars().count() + word.chars().count() >= EXCERPT_CHARS {
            out.push_str(" …");
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Where the value of a top-level `key:` of a front matter starts (0 when not found).
fn front_matter_key(front: &str, key: &str) -> usize {
    let mut at = 0;
    for line in front.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            return at + key.len() + 1 + (rest.len() - rest.trim_start().len());
        }
        at += line.len();
    }
    0
}

/// Every string of the page's model a reader could see: its title and, through its blocks,
/// text, code, diagram sources, alt texts, titles of links, images and callouts, captions,
/// cards and page lists. The abstract is left out: it is front matter, not counted in the
/// source either.
fn model_text(page: &Page) -> String {
    let mut out = String::with_capacity(page.title.len() + 64);
    out.push_str(&page.title);
    out.push('\n');
    crate::text::push_blocks_plain_text(&page.blocks, true, &mut out);
    out.push('\n');
    crate::walk::visit_blocks(&page.blocks, &mut |block| {
        let mut push = |s: &str| {
            out.push_str(s);
            out.push('\n');
        };
        match block {
            Block::Figure(f) => {
                push(&crate::text::plain_text(&f.caption));
                f.image.title.as_deref().map(&mut push);
            }
            Block::QuoteFigure(q) => {
                if let Some(image) = &q.image {
                    push(&image.alt);
                    image.title.as_deref().map(&mut push);
                }
            }
            Block::Card(c) => c.tags.iter().for_each(|t| push(t)),
            _ => {}
        }
        for run in crate::walk::block_inlines(block) {
            crate::walk::visit_inlines(run, &mut |inline| match inline {
                Inline::Link(l) => l.title.as_deref().into_iter().for_each(&mut push),
                Inline::Image(i) => i.title.as_deref().into_iter().for_each(&mut push),
                _ => {}
            });
        }
    });
    out
}

/// The text a reader of the site sees in `src[body]`, with where each piece came from.
#[derive(Debug)]
pub struct Visible {
    pub text: String,
    /// (offset in `text`, offset in `src`, copied as written) at the start of each piece.
    map: Vec<(usize, usize, bool)>,
}

impl Visible {
    /// The source offset of an offset of `text`: exact in text copied as written, the start of
    /// the piece in decoded text (a character reference, an attribute).
    pub fn source_offset(&self, at: usize) -> usize {
        let i = self.map.partition_point(|(o, _, _)| *o <= at);
        let Some(&(o, s, verbatim)) = i.checked_sub(1).map(|i| &self.map[i]) else { return 0 };
        if verbatim {
            s + (at - o)
        } else {
            s
        }
    }
}

struct Scan<'t> {
    src: &'t str,
    out: String,
    map: Vec<(usize, usize, bool)>,
}

impl Scan<'_> {
    fn copy(&mut self, range: Range<usize>) {
        if !range.is_empty() {
            self.map.push((self.out.len(), range.start, true));
            self.out.push_str(&self.src[range]);
        }
    }

    fn decoded(&mut self, at: usize, text: &str) {
        self.map.push((self.out.len(), at, false));
        self.out.push_str(text);
    }

    fn gap(&mut self) {
        self.out.push(' ');
    }

    /// HTML text (an attribute value): character references decoded.
    fn html_text(&mut self, range: Range<usize>) {
        let mut run = range.start;
        let mut i = range.start;
        while let Some(n) = memchr::memchr(b'&', &self.src.as_bytes()[i..range.end]) {
            i += n;
            match entity(&self.src[i..range.end]) {
                Some((len, decoded)) => {
                    self.copy(run..i);
                    self.decoded(i, &decoded);
                    i += len;
                    run = i;
                }
                None => i += 1,
            }
        }
        self.copy(run..range.end);
    }
}

/// A character reference at the start of `text`: its length and what it stands for.
fn entity(text: &str) -> Option<(usize, String)> {
    let bytes = text.as_bytes();
    let end = bytes.iter().take(34).position(|&b| b == b';')?;
    let name = &text[1..end];
    let ok = match name.strip_prefix('#') {
        Some(n) => !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric()),
        None => !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric()),
    };
    if !ok {
        return None;
    }
    let decoded = html_escape::decode_html_entities(&text[..=end]);
    (decoded != text[..=end]).then(|| (end + 1, decoded.into_owned()))
}

/// HTML elements that do not separate words (the others start a new line of text).
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

/// What a source line is, for the rules that look at whole lines.
enum LineKind {
    /// A code fence opens: (marker, length).
    Fence(u8, usize),
    /// A container line; the range (of the line) of what it shows, maybe empty.
    Container(Range<usize>),
    /// A line nobody sees: a link reference definition.
    Hidden,
    /// An ordered list item: where its text starts.
    Numbered(usize),
    Text,
}

fn line_kind(line: &str) -> LineKind {
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let trimmed = &line[indent..];
    let bytes = trimmed.as_bytes();
    let run = |c: u8| bytes.iter().take_while(|&&b| b == c).count();
    for marker in [b'`', b'~'] {
        let n = run(marker);
        if n >= 3 && !(marker == b'`' && trimmed[n..].contains('`')) {
            return LineKind::Fence(marker, n);
        }
    }
    for marker in [b':', b'?'] {
        let n = run(marker);
        if n >= 3 {
            let rest = trimmed[n..].trim();
            let rest_at = indent + n + (trimmed[n..].len() - trimmed[n..].trim_start().len());
            let shown = if marker == b'?' {
                if rest == "accordionsgroup" {
                    0..0
                } else {
                    rest_at..rest_at + rest.len()
                }
            } else {
                // `:::NAME ARGS`: the name is not shown; the arguments are a title, except a
                // quote's (an image path).
                let name_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let args = rest[name_len..].trim_start();
                if &rest[..name_len] == "quote" || args.is_empty() {
                    0..0
                } else {
                    let at = rest_at + (rest.len() - args.len());
                    at..at + args.len()
                }
            };
            return LineKind::Container(shown);
        }
    }
    if let Some(label) = trimmed.strip_prefix('[').filter(|l| !l.starts_with('^')) {
        if let Some(close) = label.find("]:") {
            if close > 0 && !label[..close].contains(['[', ']']) {
                return LineKind::Hidden;
            }
        }
    }
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if (1..=9).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && matches!(bytes.get(digits + 1), None | Some(b' ' | b'\t'))
    {
        return LineKind::Numbered(indent + digits + 1);
    }
    LineKind::Text
}

/// Arguments of a component kept for its meaning that its HTML shows (a card's title,
/// description and tags); the others are addresses, keys or categories.
const SHOWN_ARGUMENTS: [&str; 3] = ["title", "description", "tags"];

/// The visible text of `src[body]`: see the module's comment for the rules.
pub fn visible_text(src: &str, body: Range<usize>, components: &[KeptComponent]) -> Visible {
    let mut scan = Scan { src, out: String::with_capacity(body.len()), map: Vec::new() };
    let bytes = src.as_bytes();
    let end = body.end.min(src.len());
    let mut i = body.start.min(end);
    let mut run = i;
    let mut fence: Option<(u8, usize)> = None;
    let mut line_start = true;
    let mut unclosed: FxHashMap<usize, usize> = FxHashMap::default();
    while i < end {
        if line_start {
            line_start = false;
            let line_end = memchr::memchr(b'\n', &bytes[i..end]).map_or(end, |n| i + n);
            let next = (line_end + 1).min(end);
            let line = &src[i..line_end];
            if let Some((marker, len)) = fence {
                let t = line.trim();
                if t.len() >= len && t.bytes().all(|b| b == marker) {
                    fence = None;
                } else {
                    scan.copy(i..next);
                }
                (i, run, line_start) = (next, next, true);
                continue;
            }
            match line_kind(line) {
                LineKind::Fence(marker, len) => {
                    scan.copy(run..i);
                    fence = Some((marker, len));
                    scan.gap();
                    (i, run, line_start) = (next, next, true);
                    continue;
                }
                LineKind::Container(shown) => {
                    scan.copy(run..i);
                    scan.gap();
                    scan.html_text(i + shown.start..i + shown.end);
                    scan.gap();
                    (i, run, line_start) = (next, next, true);
                    continue;
                }
                LineKind::Hidden => {
                    scan.copy(run..i);
                    (i, run, line_start) = (next, next, true);
                    continue;
                }
                LineKind::Numbered(text_at) => {
                    scan.copy(run..i);
                    scan.gap();
                    i += text_at;
                    run = i;
                    continue;
                }
                LineKind::Text => {}
            }
        }
        match bytes[i] {
            b'\n' => {
                i += 1;
                line_start = true;
            }
            b'\\' if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) => i += 2,
            b'*' | b'~' => {
                // Emphasis and strikethrough marks: `**P**rimordial` reads "Primordial".
                scan.copy(run..i);
                i += 1;
                run = i;
            }
            b'`' => {
                let n = bytes[i..end].iter().take_while(|&&b| b == b'`').count();
                // A run that found no closing run finds none before its paragraph ends either.
                let close = if unclosed.get(&n).is_some_and(|&until| i < until) {
                    None
                } else {
                    closing_backticks(&src[i + n..end], n).map_err(|until| unclosed.insert(n, i + n + until)).ok()
                };
                match close {
                    Some(close) => {
                        scan.copy(run..i);
                        scan.copy(i + n..i + n + close);
                        i += n + close + n;
                        run = i;
                    }
                    None => i += n,
                }
            }
            b'<' => match markup(&src[i..end]) {
                Some(Markup::Skip(len)) => {
                    scan.copy(run..i);
                    scan.gap();
                    i += len;
                    run = i;
                }
                Some(Markup::Tag { len, inline, shown }) => {
                    scan.copy(run..i);
                    if !inline {
                        scan.gap();
                    }
                    for value in shown {
                        scan.gap();
                        scan.html_text(i + value.start..i + value.end);
                        scan.gap();
                    }
                    i += len;
                    run = i;
                }
                Some(Markup::Autolink(len)) => {
                    scan.copy(run..i);
                    scan.copy(i + 1..i + len - 1);
                    i += len;
                    run = i;
                }
                None => i += 1,
            },
            b'&' => match entity(&src[i..end]) {
                Some((len, decoded)) => {
                    scan.copy(run..i);
                    scan.decoded(i, &decoded);
                    i += len;
                    run = i;
                }
                None => i += 1,
            },
            b']' => {
                // `](destination "title")` and `][label]`: only the link text is shown.
                let skipped = match bytes.get(i + 1) {
                    Some(b'(') => link_tail(&src[i + 1..end]),
                    Some(b'[') => {
                        src[i + 1..end].find([']', '\n']).filter(|&n| bytes[i + 1 + n] == b']').map(|n| n + 1)
                    }
                    _ => None,
                };
                match skipped {
                    Some(len) => {
                        scan.copy(run..i);
                        i += 1 + len;
                        run = i;
                    }
                    None => i += 1,
                }
            }
            b'{' => match attribute_block(&src[i..end]) {
                Some(len) => {
                    scan.copy(run..i);
                    i += len;
                    run = i;
                }
                None => i += 1,
            },
            0xEE if src[i..end].starts_with(COMPONENT) => {
                // A component kept for its meaning: its placeholder stands for the arguments
                // its HTML shows.
                let close = src[i..end].find(COMPONENT_END);
                let index = close.and_then(|n| src[i + COMPONENT.len_utf8()..i + n].parse::<usize>().ok());
                scan.copy(run..i);
                scan.gap();
                for key in SHOWN_ARGUMENTS {
                    let value = index.and_then(|k| components.get(k)).and_then(|c| c.params.get(key));
                    for shown in value.map(strings_of).unwrap_or_default() {
                        scan.decoded(i, &visible_text(shown, 0..shown.len(), &[]).text);
                        scan.gap();
                    }
                }
                i += close.map_or(end - i, |n| n + COMPONENT_END.len_utf8());
                run = i;
            }
            _ => i += 1,
        }
    }
    scan.copy(run..end.max(run));
    Visible { text: scan.out, map: scan.map }
}

/// A JSON string, or the strings of an array.
fn strings_of(value: &serde_json::Value) -> Vec<&str> {
    match value {
        serde_json::Value::String(s) => vec![s.as_str()],
        serde_json::Value::Array(items) => items.iter().filter_map(serde_json::Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Where a code span opened by `n` backticks closes in `rest` (a run of exactly `n`), on its
/// line; else where the line ends. (CommonMark lets a code span run on over lines of its
/// paragraph, but a stray backtick then swallows the rest of a table row or a list item.)
fn closing_backticks(rest: &str, n: usize) -> Result<usize, usize> {
    let limit = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
    let bytes = &rest.as_bytes()[..limit];
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'`', &bytes[i..]) {
        let at = i + k;
        let len = bytes[at..].iter().take_while(|&&b| b == b'`').count();
        if len == n {
            return Ok(at);
        }
        i = at + len;
    }
    Err(limit)
}

/// The length of an inline link's tail, `(destination "title")`, at the start of `text`: a
/// destination without spaces (or in `<…>`) with its parentheses balanced, then an optional
/// title in quotes or parentheses. Anything else is text on the site.
fn link_tail(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let skip_spaces = |mut i: usize| {
        let mut newlines = 0;
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n') {
            newlines += usize::from(bytes[i] == b'\n');
            i += 1;
        }
        (newlines <= 1).then_some(i)
    };
    let mut i = skip_spaces(1)?;
    if bytes.get(i) == Some(&b'<') {
        i += 1 + text[i + 1..].find(['>', '\n', '<'])?;
        if bytes[i] != b'>' {
            return None;
        }
        i += 1;
    } else {
        let mut depth = 0usize;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !bytes[i].is_ascii_control() {
            match bytes[i] {
                b'\\' => i += 1,
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        if depth > 0 {
            return None;
        }
    }
    let before_title = i;
    i = skip_spaces(i)?;
    if i > before_title {
        if let Some(&open) = bytes.get(i).filter(|b| matches!(b, b'"' | b'\'' | b'(')) {
            let close = if open == b'(' { b')' } else { open };
            let limit = text[i + 1..].find("\n\n").map_or(text.len(), |n| i + 1 + n);
            i += 2 + memchr::memchr(close, &bytes[i + 1..limit])?;
            i = skip_spaces(i)?;
        }
    }
    (bytes.get(i) == Some(&b')')).then_some(i + 1)
}

/// The length of a markdown-it-attrs block (`{#id .class key=value}`) at the start of `text`.
fn attribute_block(text: &str) -> Option<usize> {
    if !matches!(text.as_bytes().get(1), Some(b'#' | b'.' | b':')) {
        return None;
    }
    let close = text[..text.find('\n').unwrap_or(text.len())].find('}')?;
    let inner = &text[1..close];
    let plain = |c: char| c.is_alphanumeric() || " #.:=_-\"'".contains(c);
    inner.chars().all(plain).then_some(close + 1)
}

enum Markup {
    /// A comment, or a `script` / `style` element: nothing of it is shown.
    Skip(usize),
    /// A tag: its length, whether it leaves words joined, and its shown attribute values
    /// (ranges in the tag).
    Tag { len: usize, inline: bool, shown: Vec<Range<usize>> },
    /// `<scheme:…>` or `<user@host>`: the address is shown.
    Autolink(usize),
}

/// The markup that starts `text` (which starts with `<`), if any.
fn markup(text: &str) -> Option<Markup> {
    if let Some(rest) = text.strip_prefix("<!--") {
        return Some(Markup::Skip(rest.find("-->").map_or(text.len(), |n| 4 + n + 3)));
    }
    let bytes = text.as_bytes();
    let closing = bytes.get(1) == Some(&b'/');
    let name_at = 1 + usize::from(closing);
    let name_len = bytes[name_at..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'-').count();
    let after = bytes.get(name_at + name_len).copied();
    let is_tag = name_len > 0
        && bytes[name_at].is_ascii_alphabetic()
        && matches!(after, None | Some(b' ' | b'\t' | b'\n' | b'/' | b'>'));
    if !is_tag {
        let close = text[..text.find('\n').unwrap_or(text.len())].find('>')?;
        let inner = &text[1..close];
        let address =
            !inner.is_empty() && !inner.contains(|c: char| c.is_whitespace() || c == '<') && inner.contains([':', '@']);
        return address.then_some(Markup::Autolink(close + 1));
    }
    let name = text[name_at..name_at + name_len].to_ascii_lowercase();
    let len = tag_end(text)?;
    if !closing && (name == "script" || name == "style") {
        let close = format!("</{name}");
        let closes =
            |at: &usize| bytes.get(*at..*at + close.len()).is_some_and(|b| b.eq_ignore_ascii_case(close.as_bytes()));
        let end = memchr::memchr_iter(b'<', &bytes[len..]).map(|n| len + n).find(closes);
        let end = end.and_then(|at| text[at..].find('>').map(|k| at + k + 1));
        return Some(Markup::Skip(end.unwrap_or(text.len())));
    }
    if !closing && is_navigation(&text[..len]) {
        return Some(Markup::Skip(element_end(text, &name, len)));
    }
    let shown = if closing { Vec::new() } else { shown_attributes(&text[..len]) };
    Some(Markup::Tag { len, inline: INLINE_TAGS.contains(&name.as_str()), shown })
}

/// Site navigation (breadcrumb, back-to-top, share, pagination): the reader drops it on
/// purpose, with a note, so its words are not counted as content.
fn is_navigation(tag: &str) -> bool {
    crate::reader::html::parse_tag(tag).is_some_and(|(t, _)| {
        let element = crate::reader::html::Element { name: t.name, attrs: t.attrs, children: Vec::new(), offset: 0 };
        crate::reader::html::is_navigation(&element)
    })
}

/// Where the element `name` opening `text` (its tag `open_len` long) ends, nested elements of
/// the same name counted; the end of `text` when it never closes.
fn element_end(text: &str, name: &str, open_len: usize) -> usize {
    let (open, close) = (format!("<{name}"), format!("</{name}"));
    let lower = text.to_ascii_lowercase();
    let mut depth = 1usize;
    let mut at = open_len;
    while let Some(n) = lower[at..].find('<') {
        at += n;
        if lower[at..].starts_with(&close) {
            depth -= 1;
            if depth == 0 {
                return lower[at..].find('>').map_or(text.len(), |k| at + k + 1);
            }
        } else if lower[at..].starts_with(&open) {
            depth += 1;
        }
        at += 1;
    }
    text.len()
}

/// The length of the tag at the start of `text`, quoted values skipped.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, b) in text.bytes().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i + 1),
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

/// The values of the `alt` and `title` attributes of a tag, as ranges of it.
fn shown_attributes(tag: &str) -> Vec<Range<usize>> {
    let bytes = tag.as_bytes();
    let mut shown = Vec::new();
    let mut i = 1 + bytes[1..].iter().take_while(|b| !b.is_ascii_whitespace() && **b != b'>').count();
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &tag[name_start..i];
        if name.is_empty() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let value = match bytes.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = tag[j + 1..].find(q as char).map_or(tag.len(), |n| j + 1 + n);
                i = (end + 1).min(tag.len());
                j + 1..end
            }
            _ => {
                let end = j + bytes[j..].iter().take_while(|b| !b.is_ascii_whitespace() && **b != b'>').count();
                i = end;
                j..end
            }
        };
        if name.eq_ignore_ascii_case("alt") || name.eq_ignore_ascii_case("title") {
            shown.push(value);
        }
    }
    shown
}

/// The corpus's source → model stage from its pages' audits.
pub fn report(mut pages: Vec<PageAudit>) -> SourceReport {
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    let words_total: usize = pages.iter().map(|p| p.words).sum();
    let words_found: usize = pages.iter().map(|p| p.found).sum();
    let percent = if words_total == 0 { 100.0 } else { words_found as f64 * 100.0 / words_total as f64 };
    let mut largest: Vec<PlacedLoss> = pages
        .iter()
        .flat_map(|p| {
            p.losses.iter().map(|l| PlacedLoss {
                file: p.file.clone(),
                line: l.line,
                missing: l.missing,
                words: l.words.clone(),
            })
        })
        .collect();
    largest.sort_by(|a, b| b.missing.cmp(&a.missing).then_with(|| (&a.file, a.line).cmp(&(&b.file, b.line))));
    largest.truncate(CORPUS_LOSSES);
    SourceReport {
        words_total,
        words_found,
        words_found_percent: (percent * 100.0).floor() / 100.0,
        largest_losses: largest,
        pages,
    }
}

/// The "Source → model" section of `report.md`.
pub fn markdown(report: &SourceReport) -> String {
    let mut md = format!(
        "## Source → model\n\nWords a reader of the site sees (front matter titles and rendered bodies, \
         without markup) \
         found in the model: {:.2}% ({} of {}) over {} pages.\n",
        report.words_found_percent,
        report.words_found,
        report.words_total,
        report.pages.len()
    );
    if report.largest_losses.is_empty() {
        md.push_str("\nNothing lost.\n");
        return md;
    }
    md.push_str("\n| place | missing | words |\n|---|---:|---|\n");
    for loss in &report.largest_losses {
        md.push_str(&format!(
            "| {}:{} | {} | {} |\n",
            loss.file.replace('|', "\\|"),
            loss.line,
            loss.missing,
            loss.words
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(src: &str) -> String {
        let v = visible_text(src, 0..src.len(), &[]);
        crate::fidelity::words(&v.text).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn markdown_markup_is_dropped_and_link_text_and_alt_kept() {
        let src =
            "# Titre {#ancre}\n\n1. Un [lien](https://a.fr/x \"t\") et ![Logo FC](/i.png)\n2. **gras** `<b>code</b>`\n";
        assert_eq!(shown(src), "titre un lien et logo fc gras b code b");
    }

    #[test]
    fn html_tags_comments_and_scripts_are_dropped_alt_and_title_kept() {
        let src = "<div class=\"fr-x\"><p title='Info bulle'>Caf&eacute; <img src=a.png alt=\"Image &amp; texte\"></p>\
                   <!-- caché --><script>var x = 1;</script></div>";
        assert_eq!(shown(src), "info bulle café image texte");
    }

    #[test]
    fn fenced_code_is_kept_as_written_and_containers_show_their_titles() {
        let src =
            ":::callout En bref\ntexte\n:::\n:::quote /img/a.png\ncitation\n:::\n```html\n<p>Code &amp;</p>\n```\n";
        assert_eq!(shown(src), "en bref texte citation p code amp p");
    }

    #[test]
    fn reference_links_and_definitions_show_only_the_text() {
        assert_eq!(shown("Voir [la doc][ref] ici.\n\n[ref]: https://a.fr/doc\n"), "voir la doc ici");
    }

    #[test]
    fn offsets_of_words_lead_back_to_the_source() {
        let src = "a &eacute;t&eacute; <b>x</b>\n<p title=\"Tip\">z</p>";
        let v = visible_text(src, 0..src.len(), &[]);
        let at: Vec<(usize, String)> =
            words_at(&v.text).into_iter().map(|(o, _, w)| (v.source_offset(o), w.into_owned())).collect();
        let expected = [(0, "a"), (2, "été"), (23, "x"), (39, "tip"), (44, "z")];
        assert_eq!(at, expected.map(|(o, w)| (o, w.to_string())));
    }

    #[test]
    fn excerpts_are_shortened() {
        let long = excerpt(std::iter::repeat_n("mot", 40));
        assert!(long.ends_with(" …") && long.chars().count() <= EXCERPT_CHARS + 2, "{long}");
    }
}
