//! Nunjucks in Markdown, interpreted for what it means: component calls become blocks, the
//! component import vanishes, and anything else is reported and dropped.

use super::PageCtx;
use crate::model::*;
use serde_yaml::Value;
use std::borrow::Cow;
use std::ops::Range;

/// Interprets one `{{ … }}` or `{% … %}` tag found on its own line.
pub fn interpret(ctx: &mut PageCtx, range: Range<usize>) -> Option<Block> {
    let source = ctx.text[range.clone()].trim();
    let pos = ctx.pos(range.start);
    if let Some(statement) = source.strip_prefix("{%") {
        let statement = statement.trim_end_matches("%}").trim();
        if !(statement.starts_with("from ") && statement.contains("import component")) {
            ctx.warn(range.start, "nunjucks/unsupported", format!("`{{% {} %}}` has no meaning outside the site; dropped", first_words(statement)));
        }
        return None;
    }
    let expr = source.trim_start_matches("{{").trim_end_matches("}}").trim();
    let Some((name, args)) = component_call(expr) else {
        ctx.warn(range.start, "nunjucks/unsupported", format!("`{{{{ {} }}}}` has no meaning outside the site; dropped", first_words(expr)));
        return None;
    };
    let args = match parse_args(args) {
        Ok(a) => a,
        Err(e) => {
            ctx.error(range.start, "nunjucks/bad-arguments", format!("cannot read the arguments of component \"{name}\": {e}"));
            return None;
        }
    };
    component_block(ctx, pos, range.start, &name, &args)
}

fn component_block(ctx: &mut PageCtx, pos: Pos, offset: usize, name: &str, args: &Value) -> Option<Block> {
    let text = |key: &str| args.get(key).and_then(super::front_matter::scalar_string);
    match name {
        "post-list" => match text("category") {
            Some(category) => Some(Block::PageList(PageListBlock { pos, category, items: Vec::new() })),
            None => {
                ctx.error(offset, "nunjucks/bad-arguments", "component \"post-list\" needs a `category`".to_string());
                None
            }
        },
        "card-simple" => Some(Block::Card(Box::new(CardBlock {
            pos,
            title: text("title").unwrap_or_default(),
            description: text("description"),
            href: text("url").unwrap_or_default(),
            target: super::unresolved(),
            tags: string_list(args.get("tags")),
        }))),
        "links" => {
            let keys = match args.get("keys") {
                // `keys: seealso` names the page's own front matter variable.
                Some(Value::String(var)) if var == "seealso" => ctx.see_also_keys.clone(),
                Some(v) => string_list(Some(v)),
                None => Vec::new(),
            };
            let items = keys.into_iter().map(|key| SeeAlso { pos, key, target: super::unresolved() }).collect();
            Some(Block::SeeAlsoList(SeeAlsoListBlock { pos, items }))
        }
        other => {
            ctx.warn(offset, "nunjucks/unknown-component", format!("component \"{other}\" is unknown; dropped"));
            None
        }
    }
}

/// `component("NAME", ARGS)` → (NAME, ARGS text).
fn component_call(expr: &str) -> Option<(String, &str)> {
    let inner = expr.strip_prefix("component")?.trim_start().strip_prefix('(')?;
    let inner = inner.trim_end().strip_suffix(')')?;
    let quote = inner.trim_start().chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = inner.trim_start()[1..].trim_start();
    let end = inner.find(quote)?;
    let name = inner[..end].to_string();
    let rest = inner[end + 1..].trim_start();
    let args = rest.strip_prefix(',').unwrap_or(rest).trim();
    Some((name, args))
}

/// The object literal of a component call. Nunjucks object literals with unquoted keys are
/// YAML flow mappings, so serde_yaml reads them; bare identifiers come back as strings.
/// The simple ones, nearly all, are read without setting a YAML parser up.
fn parse_args(args: &str) -> Result<Value, String> {
    if args.is_empty() {
        return Ok(Value::Mapping(Default::default()));
    }
    match super::flow_args::simple_mapping(args) {
        Some(simple) => Ok(simple),
        None => serde_yaml::from_str(args).map_err(|e| e.to_string()),
    }
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Sequence(items)) => items.iter().filter_map(super::front_matter::scalar_string).collect(),
        Some(other) => super::front_matter::scalar_string(other).into_iter().collect(),
        None => Vec::new(),
    }
}

fn first_words(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().take(6).collect();
    let mut out = words.join(" ");
    if s.split_whitespace().count() > 6 {
        out.push_str(" …");
    }
    out
}

/// Removes `{{ … }}` and `{% … %}` met inside running text, reporting each.
pub fn strip_inline<'t>(text: &'t str, offset: usize, ctx: &mut PageCtx) -> Cow<'t, str> {
    // One byte scan answers for almost every text run.
    if memchr::memchr(b'{', text.as_bytes()).is_none() || (!text.contains("{{") && !text.contains("{%")) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut consumed = 0;
    while let Some(i) = rest.find("{{").into_iter().chain(rest.find("{%")).min() {
        let close = if rest[i..].starts_with("{{") { "}}" } else { "%}" };
        let Some(end) = rest[i..].find(close) else { break };
        out.push_str(&rest[..i]);
        let tag = &rest[i..i + end + 2];
        ctx.warn(offset + consumed + i, "nunjucks/unsupported", format!("`{}` inside text has no meaning outside the site; dropped", first_words(tag)));
        consumed += i + end + 2;
        rest = &rest[i + end + 2..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_component_name_and_object_literal() {
        let (name, args) = component_call(r#"component("card-simple", { url: "/fs/", tags: ["A", "B"] })"#).unwrap();
        assert_eq!(name, "card-simple");
        let v = parse_args(args).unwrap();
        assert_eq!(v.get("url").and_then(|u| u.as_str()), Some("/fs/"));
        assert_eq!(string_list(v.get("tags")), vec!["A", "B"]);
    }

    #[test]
    fn bare_identifier_argument_reads_as_its_name() {
        let (_, args) = component_call(r#"component("links", { keys: seealso })"#).unwrap();
        assert_eq!(parse_args(args).unwrap().get("keys").and_then(|k| k.as_str()), Some("seealso"));
    }
}
