//! The filters and shortcodes a site defines in its Eleventy configuration, callable from its
//! templates: each call crosses into the site's sandbox. folio's native filters keep their
//! names (they stand for Eleventy's and well-known plugins' own); JavaScript runs the rest.
//! A call that fails is reported at the page's tag with the JavaScript file:line, and the
//! input (a filter) or the arguments' text (a shortcode) is kept.

use super::{hooks, markers};
use crate::js::SiteScript;
use minijinja::value::{Rest, Value, ValueKind};
use minijinja::{Environment, State};
use serde_json::Value as Json;
use std::sync::Arc;

/// Registers the site's JavaScript filters whose names folio has no native filter for.
pub fn register_filters(env: &mut Environment<'static>, script: &Arc<SiteScript>) {
    for (name, id) in &script.config.filters {
        if super::engine::has_filter(env, name) {
            continue;
        }
        let (script, id, filter) = (script.clone(), *id, name.clone());
        env.add_filter(name.clone(), move |state: &State, value: Value, args: Rest<Value>| -> Value {
            let mut all = vec![to_json(&value)];
            all.extend(args.iter().map(to_json));
            match script.call(id, &this_of(state), &all) {
                Ok(result) => from_json(result),
                Err(e) => {
                    report(&script, &format!("the site's filter `{filter}`"), &e);
                    value
                }
            }
        });
    }
}

/// Registers the functions the site adds as global data (`addNunjucksGlobal`, `addGlobalData`
/// with a function) whose names folio has no native function for.
pub fn register_functions(env: &mut Environment<'static>, script: &Arc<SiteScript>) {
    for (name, value) in &script.config.global_data {
        let Some(id) = crate::js::function_id(value) else { continue };
        if env.render_str(&format!("{{{{ {name} is defined }}}}"), ()).is_ok_and(|r| r == "true") {
            continue;
        }
        let (script, function) = (script.clone(), name.clone());
        env.add_function(name.clone(), move |state: &State, args: Rest<Value>| -> Value {
            let all: Vec<Json> = args.iter().map(to_json).collect();
            match script.call(id, &this_of(state), &all) {
                Ok(result) => from_json(result),
                Err(e) => {
                    report(&script, &format!("the site's function `{function}`"), &e);
                    Value::UNDEFINED
                }
            }
        });
    }
}

/// A shortcode the site defines, called with its arguments (and, paired, its content first):
/// its HTML, or `None` when the site defines no such shortcode or the call failed.
pub fn call_shortcode(
    script: &SiteScript,
    state: &State,
    name: &str,
    content: Option<&Value>,
    args: &[Value],
) -> Option<Value> {
    let id = match content {
        Some(_) => script.config.paired_shortcodes.get(name),
        None => script.config.shortcodes.get(name),
    }?;
    let mut all: Vec<Json> = content.map(|c| Json::String(c.to_string())).into_iter().collect();
    all.extend(args.iter().map(to_json));
    match script.call(*id, &this_of(state), &all) {
        Ok(Json::String(html)) => Some(Value::from_safe_string(markers::island(&html))),
        Ok(Json::Null) => Some(Value::from("")),
        Ok(other) => Some(Value::from_safe_string(markers::island(&printable(&other)))),
        Err(e) => {
            report(script, &format!("the site's shortcode `{name}`"), &e);
            None
        }
    }
}

/// `this` in a filter or shortcode: the page, as Eleventy gives it.
fn this_of(state: &State) -> Json {
    let page = state.lookup("page").map(|p| to_json(&p)).unwrap_or(Json::Null);
    serde_json::json!({ "page": page, "eleventy": { "env": { "runMode": "build" } } })
}

fn report(script: &SiteScript, what: &str, error: &crate::js::JsError) {
    let at = match &error.file {
        Some(file) => format!(
            " at {}:{}:{}",
            crate::js::relative(script.sandbox.root(), std::path::Path::new(file)),
            error.line,
            error.col
        ),
        None => String::new(),
    };
    hooks::warn(crate::codes::JS_FAILED, format!("{what} failed{at}: {}; its input is kept", error.message));
}

pub fn to_json(value: &Value) -> Json {
    if value.is_undefined() {
        return Json::Null;
    }
    serde_json::to_value(value).unwrap_or(Json::Null)
}

/// A JavaScript result as a template value. An object or a list stays one (never printed as
/// its internal form): templates iterate it or read its fields.
pub fn from_json(value: Json) -> Value {
    match value {
        Json::Null => Value::UNDEFINED,
        other => Value::from(minijinja::value::Serde(&other)),
    }
}

/// A value printed as text: a string as is, a number or a boolean as JavaScript prints it,
/// a list or an object as the text it holds.
fn printable(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        Json::Null => String::new(),
        other => {
            let v = Value::from(minijinja::value::Serde(other));
            if v.kind() == ValueKind::Seq || v.kind() == ValueKind::Map {
                super::engine::argument_text(&v)
            } else {
                String::new()
            }
        }
    }
}
