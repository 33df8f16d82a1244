//! A page body (or an include) turned into the minijinja template that evaluates it as
//! Nunjucks would. Page tags are numbered: each output tag reports its number before it is
//! evaluated (`__tag`), so what it raises is placed at its source position, and literal source
//! lines carry line markers.

use super::markers;
use super::syntax::{self, Tag, TagKind};
use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;

/// `component(name, params)` as the sites' `components/component.njk` macro defines it, with
/// the components known by meaning kept aside and a missing component reported.
const COMPONENT_MACRO: &str = concat!(
    "{% macro component(name, params={}) %}",
    "{% if __semantic(name) %}{{ __semantic_component(name, params) }}",
    "{% elif __has_component(name) %}\u{E002}{% include \"components/\" ~ name ~ \".njk\" %}\u{E003}",
    "{% else %}{{ __missing_component(name, params) }}{% endif %}{% endmacro %}"
);

/// A page's template, and where each of its source tags went.
#[derive(Debug, Clone, Default)]
pub struct CompiledPage {
    pub source: String,
    pub tags: Vec<CompiledTag>,
}

#[derive(Debug, Clone)]
pub struct CompiledTag {
    /// In the page body.
    pub source: Range<usize>,
    /// In the compiled template.
    pub template: Range<usize>,
}

/// Compiles a page body whose first line is `first_line` of its file. Tags in `neutralized`
/// (ones that failed) are printed as text instead of evaluated.
pub fn page(body: &str, first_line: u32, neutralized: &HashSet<usize>) -> CompiledPage {
    let tags = syntax::tags(body);
    let paired = paired_shortcodes(body, &tags);
    let with_lines = !markers::collides(body);
    let mut out = String::with_capacity(body.len() + body.len() / 4 + COMPONENT_MACRO.len());
    out.push_str(COMPONENT_MACRO);
    let mut compiled = Vec::with_capacity(tags.len());
    let mut line = Lines { body, next_line: first_line, scanned: 0, enabled: with_lines };
    let mut cursor = 0;
    for (n, tag) in tags.iter().enumerate() {
        line.literal(&mut out, cursor..tag.range.start);
        line.skip_to(tag.range.start);
        if line.enabled && starts_line(body, tag.range.start) && prints_output(body, tag) {
            out.push_str(&markers::line_marker(line.next_line));
        }
        let start = out.len();
        if neutralized.contains(&n) {
            out.push_str(&neutral_text(body, tag));
        } else {
            page_tag(&mut out, body, tag, n, &paired, &mut line);
        }
        line.skip_to(tag.range.end);
        compiled.push(CompiledTag { source: tag.range.clone(), template: start..out.len() });
        cursor = tag.range.end;
    }
    line.literal(&mut out, cursor..body.len());
    CompiledPage { source: out, tags: compiled }
}

fn starts_line(body: &str, at: usize) -> bool {
    at == 0 || body.as_bytes()[at - 1] == b'\n'
}

/// Tags whose output stands where they are written (a marker before a block tag would keep
/// `lstrip_blocks` from removing its indentation).
fn prints_output(body: &str, tag: &Tag) -> bool {
    match tag.kind {
        TagKind::Output | TagKind::Unclosed => true,
        TagKind::Statement => {
            let name = syntax::statement_name(body, tag);
            name == "include" || !syntax::is_known_statement(name)
        }
        TagKind::Raw | TagKind::Comment => false,
    }
}

/// An include of the site rewritten into minijinja's dialect (no markers, no tag numbers).
pub fn include_source(text: &str) -> String {
    let tags = syntax::tags(text);
    let paired = paired_shortcodes(text, &tags);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut cursor = 0;
    for tag in &tags {
        out.push_str(&text[cursor..tag.range.start]);
        let (left, right) = dashes(text, tag);
        match tag.kind {
            TagKind::Raw | TagKind::Comment => out.push_str(&text[tag.range.clone()]),
            TagKind::Unclosed => out.push_str(&format!("{{{{ \"{}\" }}}}", &text[tag.range.clone()])),
            TagKind::Output => out
                .push_str(&format!("{{{{{left} {} {right}}}}}", syntax::rewrite_expression(&text[tag.inner.clone()]))),
            TagKind::Statement => statement(&mut out, text, tag, None, &paired),
        }
        cursor = tag.range.end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// The first words of a tag, for messages.
pub fn short(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 8 {
        return words.join(" ");
    }
    format!("{} …", words[..8].join(" "))
}

fn dashes(src: &str, tag: &Tag) -> (&'static str, &'static str) {
    let left = if src[tag.range.start + 2..].starts_with('-') { "-" } else { "" };
    let right = if tag.range.end >= 3 && src.get(tag.range.end - 3..tag.range.end - 2) == Some("-") { "-" } else { "" };
    (left, right)
}

fn page_tag(out: &mut String, body: &str, tag: &Tag, n: usize, paired: &Paired, lines: &mut Lines) {
    let (left, right) = dashes(body, tag);
    match tag.kind {
        TagKind::Comment => out.push_str(&body[tag.range.clone()]),
        TagKind::Unclosed => out.push_str(&format!("{{{{ __unclosed({n}) }}}}")),
        TagKind::Raw => {
            // The raw block's content is text: its lines are traced like any other.
            let close = body[tag.range.clone()].rfind("{%").map_or(tag.range.end, |i| tag.range.start + i);
            out.push_str(&body[tag.range.start..tag.inner.start]);
            lines.skip_to(tag.inner.start);
            lines.literal(out, tag.inner.start..close);
            out.push_str(&body[close..tag.range.end]);
        }
        TagKind::Output => {
            let expr = syntax::rewrite_expression(&body[tag.inner.clone()]);
            if expr.trim().is_empty() {
                return;
            }
            out.push_str(&format!("{{{{{left} __tag({n}) }}}}{{{{ __at({n}, {expr}) {right}}}}}"));
        }
        TagKind::Statement => statement(out, body, tag, Some(n), paired),
    }
}

fn statement(out: &mut String, src: &str, tag: &Tag, n: Option<usize>, paired: &Paired) {
    let (left, right) = dashes(src, tag);
    let inner = &src[tag.inner.clone()];
    let name = syntax::statement_name(src, tag);
    let mark = |out: &mut String| {
        if let Some(n) = n {
            out.push_str(&format!("{{{{{left} __tag({n}) }}}}"));
        } else if !left.is_empty() {
            out.push_str("{{- \"\" }}");
        }
    };
    let trailing = |out: &mut String| {
        if !right.is_empty() {
            out.push_str("{{ \"\" -}}");
        }
    };
    if paired.ends.contains(&tag.range.start) {
        out.push_str(&format!("{{%{left} endfilter {right}%}}"));
        return;
    }
    if matches!(name, "from" | "import") && n.is_some() && imports_component(inner) {
        match without_component(inner) {
            Some(rest) => out.push_str(&format!("{{%{left} {} {right}%}}", syntax::rewrite_statement(&rest))),
            None => out.push_str(&format!("{{%{left} set __folio_component_import = none {right}%}}")),
        }
        return;
    }
    if name == "include" && n.is_some() {
        mark(out);
        out.push_str(markers::ISLAND_OPEN_STR);
        out.push_str(&format!("{{% {} %}}", syntax::rewrite_statement(inner)));
        out.push_str(markers::ISLAND_CLOSE_STR);
        trailing(out);
        return;
    }
    if syntax::is_known_statement(name) {
        out.push_str(&format!("{{%{left} {} {right}%}}", syntax::rewrite_statement(inner)));
        return;
    }
    let args = inner.trim_start()[name.len()..].trim();
    let args = if args.is_empty() { String::new() } else { format!(", {}", syntax::rewrite_expression(args)) };
    let quoted = serde_json::to_string(name).unwrap_or_default();
    mark(out);
    if paired.opens.contains(&tag.range.start) {
        out.push_str(&format!("{{% filter __paired({quoted}{args}) %}}"));
    } else {
        out.push_str(&format!("{{{{ __shortcode({quoted}{args}) }}}}"));
    }
    trailing(out);
}

/// A tag that failed, printed as text: a component call keeps the text of its arguments,
/// anything else its source.
fn neutral_text(body: &str, tag: &Tag) -> String {
    let inner = body[tag.inner.clone()].trim();
    let text = if tag.kind == TagKind::Output && inner.starts_with("component") {
        syntax::string_literals(inner).into_iter().skip(1).collect::<Vec<_>>().join(" ")
    } else {
        body[tag.range.clone()].to_string()
    };
    format!("{{% raw %}}{}{{% endraw %}}", text.replace("{% endraw %}", "{ % endraw % }"))
}

fn imports_component(inner: &str) -> bool {
    inner.split_once(" import ").is_some_and(|(_, names)| import_names(names).any(|n| n == "component"))
}

fn import_names(names: &str) -> impl Iterator<Item = &str> {
    let list = names.split(" with ").next().unwrap_or(names).split(" without ").next().unwrap_or(names);
    list.split(',').map(|n| n.split(" as ").next().unwrap_or(n).trim())
}

/// The import statement without `component`, or `None` when nothing else is imported.
fn without_component(inner: &str) -> Option<String> {
    let (head, names) = inner.split_once(" import ")?;
    let (list, tail) = match names.find(" with") {
        Some(i) => (&names[..i], &names[i..]),
        None => (names, ""),
    };
    let kept: Vec<&str> =
        list.split(',').map(str::trim).filter(|n| n.split(" as ").next().map(str::trim) != Some("component")).collect();
    (!kept.is_empty()).then(|| format!("{head} import {}{tail}", kept.join(", ")))
}

/// Shortcode tags that have a matching `end…` tag: opening and closing tag offsets.
#[derive(Default)]
struct Paired {
    opens: HashSet<usize>,
    ends: HashSet<usize>,
}

fn paired_shortcodes(src: &str, tags: &[Tag]) -> Paired {
    let mut paired = Paired::default();
    let mut open: Vec<(&str, usize)> = Vec::new();
    for tag in tags.iter().filter(|t| t.kind == TagKind::Statement) {
        let name = syntax::statement_name(src, tag);
        if syntax::is_known_statement(name) {
            continue;
        }
        if let Some(base) = name.strip_prefix("end") {
            if let Some(i) = open.iter().rposition(|(n, _)| *n == base) {
                let (_, start) = open.remove(i);
                paired.opens.insert(start);
                paired.ends.insert(tag.range.start);
            }
        } else {
            open.push((name, tag.range.start));
        }
    }
    paired
}

/// Emits literal text with a line marker at each traced line start: lines that are not
/// blank and do not open with a block tag (a marker there would defeat `lstrip_blocks`).
struct Lines<'b> {
    body: &'b str,
    next_line: u32,
    scanned: usize,
    enabled: bool,
}

impl Lines<'_> {
    /// Counts the lines of source skipped (inside tags) up to `to`.
    fn skip_to(&mut self, to: usize) {
        if to > self.scanned {
            self.next_line += memchr::memchr_iter(b'\n', &self.body.as_bytes()[self.scanned..to]).count() as u32;
            self.scanned = to;
        }
    }

    fn literal(&mut self, out: &mut String, range: Range<usize>) {
        let text = &self.body[range.clone()];
        if !self.enabled {
            out.push_str(text);
            self.skip_to(range.end);
            return;
        }
        let mut pos = range.start;
        while pos < range.end {
            let at_line_start = pos == 0 || self.body.as_bytes()[pos - 1] == b'\n';
            let line_end =
                memchr::memchr(b'\n', &self.body.as_bytes()[pos..range.end]).map_or(range.end, |i| pos + i + 1);
            self.skip_to(pos);
            if at_line_start {
                let rest_of_line = self.body[pos..].split('\n').next().unwrap_or("").trim_start();
                if !rest_of_line.is_empty() && !rest_of_line.starts_with("{%") {
                    out.push_str(&markers::line_marker(self.next_line));
                }
            }
            out.push_str(&self.body[pos..line_end]);
            pos = line_end;
        }
        self.skip_to(range.end);
    }
}
