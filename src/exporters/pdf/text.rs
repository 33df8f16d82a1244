//! Our own paragraph element. genpdf's `Paragraph` silently drops a word wider than the
//! line and hyphenates every paragraph of the document, headings included. `RichText` lays
//! out its lines itself: it breaks at ASCII spaces only (so U+00A0 and U+202F keep French
//! punctuation attached), hyphenates only when asked (body text), splits words wider than
//! the line instead of dropping them, and wraps code lines visibly with a `↩` marker.

use super::state::{mm, near_page_top, Shared};
use genpdf::fonts::{Font, FontFamily};
use genpdf::style::Style;
use genpdf::{Alignment, Context, Element, Mm, Position, RenderResult, Size};
use hyphenation::{Hyphenator, Standard};
use std::sync::Arc;

/// Marker printed at the end of a code line that continues on the next line.
pub const WRAP_MARKER: &str = "↩";

/// A run of text in one style.
#[derive(Debug, Clone)]
pub struct Span {
    pub text: String,
    pub style: Style,
    /// A reference printed after a link (its URL or page number): it moves past the
    /// punctuation glued to the link so that words stay whole ("2015, (p. 3)").
    pub suffix: bool,
}

impl Span {
    pub fn new(text: impl Into<String>, style: Style) -> Span {
        Span { text: text.into(), style, suffix: false }
    }

    pub fn suffix(text: impl Into<String>, style: Style) -> Span {
        Span { text: text.into(), style, suffix: true }
    }
}

/// Moves every link suffix after the non-space characters that directly follow it.
pub fn place_suffixes(spans: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    let mut held: Vec<Span> = Vec::new();
    for span in spans {
        if span.suffix {
            held.push(span);
            continue;
        }
        if held.is_empty() {
            out.push(span);
            continue;
        }
        let glued = span.text.find(char::is_whitespace).unwrap_or(span.text.len());
        let (head, rest) = span.text.split_at(glued);
        if !head.is_empty() {
            out.push(Span::new(head, span.style));
        }
        if glued < span.text.len() || span.text.is_empty() {
            out.append(&mut held);
            if !rest.is_empty() {
                out.push(Span::new(rest, span.style));
            }
        }
    }
    out.append(&mut held);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    /// Reflowed text; `hyphenate` allows French hyphenation at line ends.
    Prose { hyphenate: bool },
    /// Lines kept as written, long ones wrapped with a marker.
    Code,
}

type Piece = (String, Style);

#[derive(Debug, Clone, Default)]
struct Line {
    pieces: Vec<Piece>,
}

enum Token {
    Word(Vec<Piece>),
    Space(Style),
    Break,
}

pub struct RichText {
    spans: Vec<Span>,
    wrap: Wrap,
    align: Alignment,
    hyphenator: Option<Arc<Standard>>,
    /// Room (mm) that must remain under the first line, or the block starts on the next page.
    keep_with_next: f64,
    state: Shared,
    lines: Option<Vec<Line>>,
    next: usize,
}

impl RichText {
    pub fn new(spans: Vec<Span>, wrap: Wrap, state: &Shared) -> RichText {
        RichText {
            spans,
            wrap,
            align: Alignment::Left,
            hyphenator: None,
            keep_with_next: 0.0,
            state: state.clone(),
            lines: None,
            next: 0,
        }
    }

    pub fn hyphenator(mut self, hyphenator: Option<Arc<Standard>>) -> Self {
        self.hyphenator = hyphenator;
        self
    }

    pub fn keep_with_next(mut self, room: f64) -> Self {
        self.keep_with_next = room;
        self
    }

    pub fn aligned(mut self, align: Alignment) -> Self {
        self.align = align;
        self
    }

    fn layout(&self, context: &Context, base: Style, width: f64) -> Vec<Line> {
        let fallbacks = self.state.borrow().fallbacks.clone();
        let spans = by_font(context, &fallbacks, self.spans.iter().map(|s| (s.text.as_str(), merged(base, s.style))));
        let measure = Measure { context, width: width.max(1.0) };
        match self.wrap {
            Wrap::Prose { hyphenate } => {
                let hyphenator = if hyphenate { self.hyphenator.as_deref() } else { None };
                LineBreaker::new(measure, hyphenator).run(tokenize(&spans))
            }
            Wrap::Code => code_lines(&measure, &spans),
        }
    }
}

/// Spans cut where the font that draws them changes (a fallback for CJK or emoji).
fn by_font<'s>(
    context: &Context,
    fallbacks: &[FontFamily<Font>],
    spans: impl Iterator<Item = (&'s str, Style)>,
) -> Vec<Span> {
    spans
        .flat_map(|(text, style)| super::fallback::runs(&context.font_cache, fallbacks, text, style))
        .map(|(text, style)| Span::new(text, style))
        .collect()
}

fn merged(base: Style, over: Style) -> Style {
    let mut style = base;
    style.merge(over);
    style
}

fn tokenize(spans: &[Span]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word: Vec<Piece> = Vec::new();
    for span in spans {
        for ch in span.text.chars() {
            match ch {
                ' ' | '\n' => {
                    if !word.is_empty() {
                        tokens.push(Token::Word(std::mem::take(&mut word)));
                    }
                    tokens.push(if ch == ' ' { Token::Space(span.style) } else { Token::Break });
                }
                _ => match word.last_mut() {
                    Some((text, style)) if *style == span.style => text.push(ch),
                    _ => word.push((ch.to_string(), span.style)),
                },
            }
        }
    }
    if !word.is_empty() {
        tokens.push(Token::Word(word));
    }
    tokens
}

struct Measure<'c> {
    context: &'c Context,
    width: f64,
}

impl Measure<'_> {
    fn str(&self, style: Style, s: &str) -> f64 {
        // Arabic is drawn in its joined forms, whose widths differ from the plain letters'.
        mm(style.str_width(&self.context.font_cache, &super::bidi::shaped(s)))
    }

    fn pieces(&self, pieces: &[Piece]) -> f64 {
        pieces.iter().map(|(s, st)| self.str(*st, s)).sum()
    }

    /// Splits `pieces` so that the head fits `room` mm (at least one character moves),
    /// preferably just after a `/` (URLs, paths) when that keeps most of the line filled.
    fn split(&self, pieces: &[Piece], room: f64) -> (Vec<Piece>, Vec<Piece>) {
        let chars: Vec<(char, Style)> = pieces.iter().flat_map(|(t, st)| t.chars().map(move |c| (c, *st))).collect();
        let mut used = 0.0;
        let mut fit = 0;
        for (c, st) in &chars {
            let w = mm(st.char_width(&self.context.font_cache, *c));
            if fit > 0 && used + w > room {
                break;
            }
            used += w;
            fit += 1;
        }
        let after_slash = (fit * 2 / 3..fit).rev().find(|&k| k > 0 && chars.get(k - 1).is_some_and(|(c, _)| *c == '/'));
        let cut = match after_slash {
            Some(k) if fit < chars.len() => k,
            _ => fit,
        };
        (regroup(chars.get(..cut).unwrap_or(&[])), regroup(chars.get(cut..).unwrap_or(&[])))
    }
}

/// Characters back into runs of one style.
fn regroup(chars: &[(char, Style)]) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for (c, st) in chars {
        match out.last_mut() {
            Some((t, s)) if s == st => t.push(*c),
            _ => out.push((c.to_string(), *st)),
        }
    }
    out
}

struct LineBreaker<'c, 'h> {
    m: Measure<'c>,
    hyphenator: Option<&'h Standard>,
    lines: Vec<Line>,
    current: Line,
    x: f64,
    space: Option<Style>,
}

impl<'c, 'h> LineBreaker<'c, 'h> {
    fn new(m: Measure<'c>, hyphenator: Option<&'h Standard>) -> Self {
        LineBreaker { m, hyphenator, lines: Vec::new(), current: Line::default(), x: 0.0, space: None }
    }

    fn run(mut self, tokens: Vec<Token>) -> Vec<Line> {
        for token in tokens {
            match token {
                Token::Space(style) => {
                    if !self.current.pieces.is_empty() {
                        self.space = Some(style);
                    }
                }
                Token::Break => self.flush(),
                Token::Word(pieces) => self.place(pieces),
            }
        }
        if !self.current.pieces.is_empty() || self.lines.is_empty() {
            self.flush();
        }
        self.lines
    }

    fn flush(&mut self) {
        self.lines.push(std::mem::take(&mut self.current));
        self.x = 0.0;
        self.space = None;
    }

    fn space_width(&self) -> f64 {
        self.space.map_or(0.0, |st| self.m.str(st, " "))
    }

    fn push_space(&mut self) {
        if let Some(style) = self.space.take() {
            self.x += self.m.str(style, " ");
            self.current.pieces.push((" ".to_string(), style));
        }
    }

    fn place(&mut self, mut word: Vec<Piece>) {
        loop {
            let w = self.m.pieces(&word);
            if self.x + self.space_width() + w <= self.m.width {
                self.push_space();
                self.x += w;
                self.current.pieces.extend(word);
                return;
            }
            if let Some((head, tail)) = self.hyphenate(&word, self.m.width - self.x - self.space_width()) {
                self.push_space();
                self.current.pieces.extend(head);
                self.flush();
                word = tail;
                continue;
            }
            if !self.current.pieces.is_empty() {
                self.flush();
                continue;
            }
            // Alone on its line and still too wide: split it rather than lose it.
            let (head, tail) = self.m.split(&word, self.m.width);
            self.current.pieces.extend(head);
            self.flush();
            if tail.is_empty() {
                return;
            }
            word = tail;
        }
    }

    /// The longest hyphenated head of a one-style alphabetic word that fits `room`, with its `-`.
    fn hyphenate(&self, word: &[Piece], room: f64) -> Option<(Vec<Piece>, Vec<Piece>)> {
        let hyphenator = self.hyphenator?;
        let [(text, style)] = word else { return None };
        let letters = text.trim_end_matches(|c: char| !c.is_alphabetic());
        if letters.chars().count() < 5 || !letters.chars().all(char::is_alphabetic) {
            return None;
        }
        let lower = letters.to_lowercase();
        if lower.len() != letters.len() {
            return None;
        }
        let breaks = hyphenator.hyphenate(&lower).breaks;
        let best = breaks
            .iter()
            .rev()
            .find(|&&at| text.is_char_boundary(at) && self.m.str(*style, &format!("{}-", &text[..at])) <= room)?;
        let (head, tail) = text.split_at(*best);
        Some((vec![(format!("{head}-"), *style)], vec![(tail.to_string(), *style)]))
    }
}

/// Code: one output line per source line, long lines cut at the width with `↩` at the cut.
fn code_lines(m: &Measure<'_>, spans: &[Span]) -> Vec<Line> {
    let mut source_lines: Vec<Vec<Piece>> = vec![Vec::new()];
    for span in spans {
        for (i, part) in span.text.replace('\t', "    ").split('\n').enumerate() {
            if i > 0 {
                source_lines.push(Vec::new());
            }
            if !part.is_empty() {
                if let Some(last) = source_lines.last_mut() {
                    last.push((part.to_string(), span.style));
                }
            }
        }
    }
    let mut lines = Vec::new();
    for mut pieces in source_lines {
        while m.pieces(&pieces) > m.width {
            let style = pieces.first().map_or(Style::new(), |p| p.1);
            let marker = m.str(style, WRAP_MARKER);
            let (mut head, tail) = m.split(&pieces, m.width - marker);
            head.push((WRAP_MARKER.to_string(), style));
            lines.push(Line { pieces: head });
            pieces = tail;
        }
        lines.push(Line { pieces });
    }
    lines
}

impl RichText {
    fn line_style(&self, line: &Line, base: Style, context: &Context) -> Style {
        let fallback = self.spans.first().map_or(base, |s| merged(base, s.style));
        line.pieces
            .iter()
            .map(|p| p.1)
            .max_by(|a, b| {
                let (ha, hb) = (mm(a.line_height(&context.font_cache)), mm(b.line_height(&context.font_cache)));
                ha.total_cmp(&hb)
            })
            .unwrap_or(fallback)
    }

    fn must_move_to_next_page(&self, context: &Context, base: Style, area_height: Mm) -> bool {
        if self.keep_with_next <= 0.0 || self.next > 0 {
            return false;
        }
        let Some(first) = self.lines.as_ref().and_then(|l| l.first()) else { return false };
        let need = mm(self.line_style(first, base, context).line_height(&context.font_cache)) + self.keep_with_next;
        mm(area_height) < need && !near_page_top(&self.state, area_height, need)
    }
}

impl Element for RichText {
    fn render(
        &mut self,
        context: &Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let width = mm(area.size().width);
        if self.lines.is_none() {
            self.lines = Some(self.layout(context, style, width));
        }
        if self.must_move_to_next_page(context, style, area.size().height) {
            return Ok(RenderResult { size: Size::new(0, 0), has_more: true });
        }
        let lines = self.lines.take().unwrap_or_default();
        // A measuring pass only needs the heights: nothing is printed.
        let drawing = !self.state.borrow().measuring;
        let rtl =
            drawing && super::bidi::rtl_paragraph(&self.spans.iter().map(|s| s.text.as_str()).collect::<String>());
        // A right-to-left paragraph starts at the right margin.
        let align = if rtl && self.align == Alignment::Left { Alignment::Right } else { self.align };
        let mut y = 0.0;
        while let Some(line) = lines.get(self.next) {
            let line_style = self.line_style(line, style, context);
            let h = mm(line_style.line_height(&context.font_cache));
            if y + h > mm(area.size().height) {
                break;
            }
            if drawing && !line.pieces.is_empty() {
                let cache = &context.font_cache;
                let line_width = || super::bidi::line_width(cache, &line.pieces, rtl);
                let x = match align {
                    Alignment::Left => 0.0,
                    Alignment::Center => (width - line_width()).max(0.0) / 2.0,
                    Alignment::Right => (width - line_width()).max(0.0),
                };
                if let Some(mut section) = area.text_section(cache, Position::new(x, y), line_style) {
                    super::bidi::print_line(&mut section, cache, &line.pieces, rtl)?;
                }
            }
            y += h;
            self.next += 1;
        }
        let has_more = self.next < lines.len();
        self.lines = Some(lines);
        Ok(RenderResult { size: Size::new(width, y), has_more })
    }
}

/// Lines of reflowed text (no hyphenation) for elements that draw text themselves.
pub fn wrap_prose(
    context: &Context,
    fallbacks: &[FontFamily<Font>],
    spans: &[Span],
    width: f64,
) -> Vec<Vec<(String, Style)>> {
    let measure = Measure { context, width: width.max(1.0) };
    let spans = by_font(context, fallbacks, spans.iter().map(|s| (s.text.as_str(), s.style)));
    LineBreaker::new(measure, None).run(tokenize(&spans)).into_iter().map(|l| l.pieces).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(spans: &[Span]) -> Vec<&str> {
        spans.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn a_link_suffix_moves_past_the_punctuation_glued_to_the_link() {
        let st = Style::new();
        let spans = vec![Span::new("en 2015", st), Span::suffix(" (p. 3)", st), Span::new(", puis", st)];
        assert_eq!(texts(&place_suffixes(spans)), ["en 2015", ",", " (p. 3)", " puis"]);
    }

    #[test]
    fn a_link_suffix_at_the_end_stays_at_the_end() {
        let st = Style::new();
        let spans = vec![Span::new("voir", st), Span::suffix(" <https://a.fr>", st)];
        assert_eq!(texts(&place_suffixes(spans)), ["voir", " <https://a.fr>"]);
    }
}
