//! Nunjucks source → minijinja source. Tags are found with their source ranges, and the
//! differences between the two dialects that these sites use are rewritten inside tags:
//! bare-key object literals, `elseif`, `===`, `null`, `.length`, `for k, v in object`, and
//! Eleventy shortcodes (custom tags), which minijinja would reject as unknown statements.

use std::ops::Range;

/// One template tag as written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub kind: TagKind,
    /// From the opening `{` to the closing `}`.
    pub range: Range<usize>,
    /// Between the delimiters and their `-` whitespace markers.
    pub inner: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    /// `{{ … }}`
    Output,
    /// `{% … %}`
    Statement,
    /// `{# … #}`
    Comment,
    /// `{% raw %}…{% endraw %}` (or `verbatim`), whole: its content is text.
    Raw,
    /// `{{`, `{%` or `{#` never closed (`## Title {#id}` of markdown-it-attrs): text.
    Unclosed,
}

/// Statements minijinja knows; any other name is an Eleventy shortcode.
const STATEMENTS: &[&str] = &[
    "if",
    "elif",
    "elseif",
    "else",
    "endif",
    "for",
    "endfor",
    "set",
    "endset",
    "macro",
    "endmacro",
    "call",
    "endcall",
    "filter",
    "endfilter",
    "include",
    "import",
    "from",
    "extends",
    "block",
    "endblock",
    "with",
    "endwith",
    "autoescape",
    "endautoescape",
    "do",
    "break",
    "continue",
    "raw",
    "endraw",
    "verbatim",
    "endverbatim",
];

/// True when the text holds template syntax at all (most pages do not).
pub fn has_template_syntax(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"{{").is_some()
        || memchr::memmem::find(text.as_bytes(), b"{%").is_some()
        || memchr::memmem::find(text.as_bytes(), b"{#").is_some()
}

/// Every tag of `src`, in order. A tag never closed runs to the end of the text.
pub fn tags(src: &str) -> Vec<Tag> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'{', &bytes[i..]) {
        let start = i + found;
        let kind = match bytes.get(start + 1) {
            Some(b'{') => TagKind::Output,
            Some(b'%') => TagKind::Statement,
            Some(b'#') => TagKind::Comment,
            _ => {
                i = start + 1;
                continue;
            }
        };
        let end = match kind {
            TagKind::Output => output_end(src, start + 2),
            TagKind::Comment => src[start + 2..].find("#}").map(|e| start + 2 + e + 2),
            _ => statement_end(src, start + 2),
        };
        let Some(end) = end else {
            out.push(Tag { kind: TagKind::Unclosed, range: start..start + 2, inner: start + 2..start + 2 });
            i = start + 2;
            continue;
        };
        let tag = Tag { kind, range: start..end, inner: inner_range(src, start..end) };
        if kind == TagKind::Statement && matches!(statement_name(src, &tag), "raw" | "verbatim") {
            let closer = if statement_name(src, &tag) == "raw" { "endraw" } else { "endverbatim" };
            let close_end = find_closing_statement(src, end, closer).unwrap_or(src.len());
            out.push(Tag { kind: TagKind::Raw, range: start..close_end, inner: end..close_end });
            i = close_end;
            continue;
        }
        out.push(tag);
        i = end.max(start + 2);
    }
    out
}

/// The end of the statement tag named `name` after `from`, e.g. `{% endraw %}`.
fn find_closing_statement(src: &str, from: usize, name: &str) -> Option<usize> {
    let mut i = from;
    while let Some(off) = src[i..].find("{%") {
        let start = i + off;
        let end = statement_end(src, start + 2)?;
        let inner = src[start + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        if inner == name {
            return Some(end);
        }
        i = end;
    }
    None
}

/// After `}}` closing an output tag whose expression starts at `from`: braces of object
/// literals inside are balanced, strings skipped.
fn output_end(src: &str, from: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'') => i = skip_string(bytes, i, q),
            b'{' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b'}' if bytes.get(i + 1) == Some(&b'}') => return Some(i + 2),
            _ => {}
        }
        i += 1;
    }
    None
}

fn statement_end(src: &str, from: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'') => i = skip_string(bytes, i, q),
            b'%' if bytes.get(i + 1) == Some(&b'}') => return Some(i + 2),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Index of the closing quote of the string opening at `start` (or the last byte).
fn skip_string(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b if b == quote => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len().saturating_sub(1)
}

fn inner_range(src: &str, range: Range<usize>) -> Range<usize> {
    let mut start = (range.start + 2).min(range.end);
    let mut end =
        if src[..range.end].ends_with(['}', '#']) && range.end >= start + 2 { range.end - 2 } else { range.end };
    if src[start..end].starts_with('-') {
        start += 1;
    }
    if end > start && src[start..end].ends_with('-') {
        end -= 1;
    }
    start..end.max(start)
}

/// The statement keyword of a `{% … %}` tag (`include`, `image`, …).
pub fn statement_name<'s>(src: &'s str, tag: &Tag) -> &'s str {
    let inner = src[tag.inner.clone()].trim_start();
    let len = inner.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(inner.len());
    &inner[..len]
}

pub fn is_known_statement(name: &str) -> bool {
    STATEMENTS.contains(&name)
}

/// The expression rewritten from Nunjucks to minijinja.
pub fn rewrite_expression(expr: &str) -> String {
    let bytes = expr.as_bytes();
    let mut out = String::with_capacity(expr.len() + 8);
    // What each open bracket is, to know when an identifier is an object key.
    let mut brackets: Vec<u8> = Vec::new();
    let mut prev_significant = b'(';
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'"' | b'\'' => {
                let end = skip_string(bytes, i, c);
                out.push_str(&expr[i..=end.min(bytes.len() - 1)]);
                i = end + 1;
                prev_significant = b'"';
                continue;
            }
            b'{' | b'[' | b'(' => brackets.push(c),
            b'}' | b']' | b')' => {
                brackets.pop();
            }
            b'=' if expr[i..].starts_with("===") => {
                out.push_str("==");
                i += 3;
                prev_significant = b'=';
                continue;
            }
            b'!' if expr[i..].starts_with("!==") => {
                out.push_str("!=");
                i += 3;
                prev_significant = b'=';
                continue;
            }
            _ => {}
        }
        if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            let len = expr[i..]
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '$'))
                .unwrap_or(expr.len() - i);
            let word = &expr[i..i + len];
            let next = expr[i + len..].trim_start();
            let in_object = brackets.last() == Some(&b'{');
            if in_object && matches!(prev_significant, b'{' | b',') && next.starts_with(':') {
                out.push('"');
                out.push_str(word);
                out.push('"');
            } else if word == "length" && out.ends_with('.') {
                out.pop();
                out.push_str("|length");
            } else if matches!(word, "null" | "undefined") && !out.ends_with('.') {
                out.push_str("none");
            } else {
                out.push_str(word);
            }
            i += len;
            prev_significant = b'a';
            continue;
        }
        out.push(c as char);
        if !c.is_ascii_whitespace() {
            prev_significant = c;
        }
        if !c.is_ascii() {
            // A multi-byte character: copy the rest of it.
            let ch_len = expr[i..].chars().next().map_or(1, char::len_utf8);
            out.pop();
            out.push_str(&expr[i..i + ch_len]);
            i += ch_len;
            continue;
        }
        i += 1;
    }
    out
}

/// A statement's inner text rewritten: `elseif` → `elif`, `for k, v in obj` iterates
/// the pairs of an object as Nunjucks does, expressions rewritten.
pub fn rewrite_statement(inner: &str) -> String {
    let trimmed = inner.trim_start();
    let lead = &inner[..inner.len() - trimmed.len()];
    let name_len = trimmed.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(trimmed.len());
    let (name, rest) = trimmed.split_at(name_len);
    let name = if name == "elseif" { "elif" } else { name };
    if name == "for" {
        if let Some((targets, iterable)) = rest.split_once(" in ") {
            if targets.contains(',') {
                return format!("{lead}for{targets} in __pairs({})", rewrite_expression(iterable.trim()));
            }
        }
    }
    if name == "set" {
        if let Some((targets, value)) = rest.split_once('=') {
            let value = value.trim();
            // A list made here may be pushed to (`{% set _ = list.push(x) %}`), as in JavaScript.
            if value.starts_with('[') && value.ends_with(']') && !targets.contains(['(', '[', '.']) {
                return format!("{lead}set{targets}= __list({})", rewrite_expression(value));
            }
        }
    }
    format!("{lead}{name}{}", rewrite_expression(rest))
}

/// The string literals of an expression, in order (the text a component's arguments hold).
pub fn string_literals(expr: &str) -> Vec<String> {
    let bytes = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'"' || c == b'\'' {
            let end = skip_string(bytes, i, c);
            if end > i {
                out.push(unescape(&expr[i + 1..end]));
            }
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            },
            _ => out.push(c),
        }
    }
    out
}

/// Filter names used in an expression (`x | name(…)`), for filters the site defines in
/// JavaScript and folio does not know.
pub fn filter_names(expr: &str) -> Vec<&str> {
    let bytes = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'') => i = skip_string(bytes, i, q),
            b'|' if bytes.get(i + 1) == Some(&b'|') => i += 1,
            b'|' => {
                let rest = expr[i + 1..].trim_start();
                let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
                if len > 0 {
                    out.push(&rest[..len]);
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
#[path = "syntax_tests.rs"]
mod tests;
