//! Renders one page body through the site's environment. A tag that fails is reported at its
//! source position and printed as text, and the page is rendered again without it, so one
//! bad tag never costs the rest of the page.

use super::{compile, hooks, markers};
use crate::diagnostics::Severity;
use minijinja::{Environment, ErrorKind, Value};
use rustc_hash::FxHashSet as HashSet;

/// A page's tags are few; a page still failing after this many repairs is kept as written.
const MAX_REPAIRS: usize = 32;

/// What rendering a body gave.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub traced: markers::Traced,
    /// False when the body could not be rendered and is kept as written (positions are then
    /// the source's own).
    pub evaluated: bool,
    pub components: Vec<hooks::KeptComponent>,
    pub notes: Vec<PlacedNote>,
}

/// A finding of the rendering at a byte offset of the body.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedNote {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub offset: usize,
}

pub fn render(env: &Environment<'static>, body: &str, first_line: u32, context: &Value) -> Rendered {
    let mut neutralized = HashSet::default();
    let mut failures = Vec::new();
    for _ in 0..MAX_REPAIRS {
        let compiled = compile::page(body, first_line, &neutralized);
        hooks::reset();
        hooks::set_tag_texts(compiled.tags.iter().map(|t| body[t.source.clone()].to_string()).collect());
        let result = env.render_named_str("page", &compiled.source, context.clone());
        let current = hooks::current_tag();
        let (notes, components) = hooks::take();
        match result {
            Ok(output) => {
                let mut placed = failures;
                placed.extend(notes.into_iter().map(|n| PlacedNote {
                    code: n.code,
                    severity: n.severity,
                    message: n.message,
                    offset: n.tag.and_then(|t| compiled.tags.get(t)).map_or(0, |t| t.source.start),
                }));
                return Rendered { traced: markers::strip(&output), evaluated: true, components, notes: placed };
            }
            Err(error) => {
                let Some(tag) = failing_tag(&error, &compiled, current).filter(|t| !neutralized.contains(t)) else {
                    failures.push(PlacedNote {
                        code: code_of(&error),
                        severity: Severity::Error,
                        message: format!("{}; the page's template code is kept as written", describe(&error)),
                        offset: 0,
                    });
                    break;
                };
                let offset = compiled.tags[tag].source.start;
                let message = format!(
                    "{}; `{}` is kept as text",
                    describe(&error),
                    compile::short(&body[compiled.tags[tag].source.clone()])
                );
                failures.push(PlacedNote { code: code_of(&error), severity: Severity::Error, message, offset });
                neutralized.insert(tag);
            }
        }
    }
    Rendered {
        traced: markers::Traced { text: body.to_string(), ..Default::default() },
        evaluated: false,
        components: Vec::new(),
        notes: failures,
    }
}

fn code_of(error: &minijinja::Error) -> &'static str {
    match error.kind() {
        ErrorKind::SyntaxError => crate::codes::NUNJUCKS_SYNTAX,
        _ => crate::codes::NUNJUCKS_EVAL_FAILED,
    }
}

/// The error's own words, and those of the template it came from.
fn describe(error: &minijinja::Error) -> String {
    let mut text = error.detail().map_or_else(|| error.kind().to_string(), str::to_string);
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        if let Some(e) = inner.downcast_ref::<minijinja::Error>() {
            let place = e
                .name()
                .filter(|n| *n != "page")
                .map(|n| format!(" (in {n}{})", e.line().map_or(String::new(), |l| format!(":{l}"))));
            text.push_str(&format!(": {}{}", e.detail().unwrap_or_default(), place.unwrap_or_default()));
        }
        source = inner.source();
    }
    text
}

/// The page tag an error belongs to: by its place in the page's template, else the tag being
/// evaluated when it was raised (errors inside components and includes).
fn failing_tag(error: &minijinja::Error, compiled: &compile::CompiledPage, current: Option<usize>) -> Option<usize> {
    let in_page = error.name() == Some("page");
    let at = in_page.then(|| error.range().map(|r| r.start)).flatten().or_else(|| {
        let line = error.line().filter(|_| in_page)?;
        let start: usize = compiled.source.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
        Some(start)
    });
    let by_place = at.and_then(|at| {
        compiled.tags.iter().rposition(|t| t.template.start <= at && at < t.template.end.max(t.template.start + 1))
    });
    let last_before = at.and_then(|at| compiled.tags.iter().rposition(|t| t.template.start <= at));
    by_place.or(current).or(last_before)
}
