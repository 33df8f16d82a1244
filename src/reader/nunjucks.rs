//! Components known by their meaning: once the page's template has run, each call of
//! `post-list`, `card-simple` or `links` left a placeholder with its evaluated arguments, and
//! here it becomes its block. Every other component was rendered by the site's template.

use super::templates::markers;
use super::PageCtx;
use crate::model::*;
use serde_yaml::Value;
use std::borrow::Cow;

/// The block of the component kept at `index`, placed at `offset`.
pub fn component(ctx: &mut PageCtx, index: usize, offset: usize) -> Option<Block> {
    let pos = ctx.pos(offset);
    let kept = ctx.components.get(index)?;
    let name = kept.name.clone();
    let args = match serde_yaml::to_value(&kept.params) {
        Ok(Value::Null) => Value::Mapping(Default::default()),
        Ok(v) => v,
        Err(e) => {
            ctx.error(
                offset,
                crate::codes::NUNJUCKS_BAD_ARGUMENTS,
                format!("cannot read the arguments of component \"{name}\": {e}"),
            );
            return None;
        }
    };
    component_block(ctx, pos, offset, &name, &args)
}

/// A component placeholder inside running text (a component called mid-sentence) cannot be a
/// block: the text of its arguments stands in its place, with a warning.
pub fn inline_components<'t>(text: &'t str, offset: usize, ctx: &mut PageCtx) -> Cow<'t, str> {
    if !text.contains(markers::COMPONENT) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(markers::COMPONENT) {
        out.push_str(&rest[..i]);
        let Some((index, len)) = markers::component_at(&rest[i..]) else {
            out.push_str(&rest[i..i + markers::COMPONENT.len_utf8()]);
            rest = &rest[i + markers::COMPONENT.len_utf8()..];
            continue;
        };
        if let Some(kept) = ctx.components.get(index) {
            let words = json_text(&kept.params);
            let message = format!("component \"{}\" is called inside running text, where it cannot be a block; the text of its arguments is kept", kept.name);
            out.push_str(&words);
            ctx.warn(offset + (text.len() - rest.len()) + i, crate::codes::NUNJUCKS_INLINE_COMPONENT, message);
        }
        rest = &rest[i + len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => {
            items.iter().map(json_text).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ")
        }
        serde_json::Value::Object(map) => {
            map.values().map(json_text).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ")
        }
        _ => String::new(),
    }
}

fn component_block(ctx: &mut PageCtx, pos: Pos, offset: usize, name: &str, args: &Value) -> Option<Block> {
    let text = |key: &str| args.get(key).and_then(super::front_matter::scalar_string);
    match name {
        "post-list" => match text("category") {
            Some(category) => Some(Block::PageList(PageListBlock { pos, category, items: Vec::new() })),
            None => {
                ctx.error(
                    offset,
                    crate::codes::NUNJUCKS_BAD_ARGUMENTS,
                    "component \"post-list\" needs a `category`".to_string(),
                );
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
            ctx.warn(
                offset,
                crate::codes::NUNJUCKS_UNKNOWN_COMPONENT,
                format!("component \"{other}\" is unknown; dropped"),
            );
            None
        }
    }
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Sequence(items)) => items.iter().filter_map(super::front_matter::scalar_string).collect(),
        Some(other) => super::front_matter::scalar_string(other).into_iter().collect(),
        None => Vec::new(),
    }
}
