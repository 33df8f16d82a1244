//! The template environment of one site: minijinja set up to behave as Eleventy's Nunjucks
//! (HTML autoescape with Nunjucks' character set, lenient undefined values, trim and lstrip
//! of block lines as the site configures them), the site's `_includes` as its loader, the
//! native filters, and the functions the page templates are rewritten to call.

use super::{compile, filters, hooks, markers};
use minijinja::value::{Rest, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, Output, State, UndefinedBehavior};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Components read for their meaning rather than through the site's template.
pub const SEMANTIC_COMPONENTS: &[&str] = &["post-list", "card-simple", "links"];

#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    pub includes: Option<PathBuf>,
    pub trim_blocks: bool,
    pub lstrip_blocks: bool,
    pub translations: Arc<filters::Translations>,
    pub site_language: String,
    /// Filter names met in the site's templates and pages; those folio does not know print
    /// their input unchanged, with a warning.
    pub filter_names: Vec<String>,
    /// The site's JavaScript: its own filters and shortcodes.
    pub script: Option<Arc<crate::js::SiteScript>>,
}

pub fn environment(options: &EngineOptions) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_formatter(nunjucks_formatter);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(options.trim_blocks)
        .lstrip_blocks(options.lstrip_blocks)
        .keep_trailing_newline(true)
        .build();
    if let Ok(syntax) = syntax {
        env.set_syntax(syntax);
    }
    if let Some(dir) = options.includes.clone() {
        env.set_loader(move |name| load_include(&dir, name));
    }
    filters::register(&mut env, options.translations.clone(), options.site_language.clone());
    register_hooks(&mut env, options.script.clone());
    if let Some(script) = &options.script {
        super::js_calls::register_filters(&mut env, script);
        super::js_calls::register_functions(&mut env, script);
    }
    register_unknown_filters(&mut env, &options.filter_names);
    env
}

/// Nunjucks escapes `& < > " '` and nothing else (minijinja also escapes `/`, which would
/// turn every printed URL into entities); undefined and none print nothing.
fn nunjucks_formatter(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    if value.is_undefined() || value.is_none() {
        return Ok(());
    }
    if value.kind() == ValueKind::Bool {
        return out
            .write_str(if value.is_true() { "true" } else { "false" })
            .map_err(|e| Error::new(ErrorKind::WriteFailure, e.to_string()));
    }
    if value.is_safe() || matches!(state.auto_escape(), minijinja::AutoEscape::None) {
        return write!(out, "{value}").map_err(|e| Error::new(ErrorKind::WriteFailure, e.to_string()));
    }
    let text = value.to_string();
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    out.write_str(&escaped).map_err(|e| Error::new(ErrorKind::WriteFailure, e.to_string()))
}

/// A template of the site's `_includes`, confined to that folder and rewritten as a page is.
fn load_include(dir: &Path, name: &str) -> Result<Option<String>, Error> {
    let relative = Path::new(name);
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Ok(None);
    }
    match std::fs::read_to_string(dir.join(relative)) {
        Ok(text) => Ok(Some(compile::include_source(&text))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::new(ErrorKind::TemplateNotFound, format!("cannot read {name}: {e}"))),
    }
}

fn register_hooks(env: &mut Environment<'static>, script: Option<Arc<crate::js::SiteScript>>) {
    env.add_function("__tag", |tag: usize| {
        hooks::set_current_tag(tag);
        Value::from("")
    });
    env.add_function("__at", |tag: usize, value: Value| {
        if value.is_undefined() {
            let text = hooks::tag_text(tag);
            hooks::warn(crate::codes::NUNJUCKS_UNDEFINED, format!("`{}` has no value here (data computed by JavaScript can be set in folio.toml's [data]); printed as written", compile::short(&text)));
            return Value::from(text);
        }
        value
    });
    env.add_function("__unclosed", |tag: usize| {
        let text = hooks::tag_text(tag);
        hooks::set_current_tag(tag);
        hooks::warn(crate::codes::NUNJUCKS_UNCLOSED, format!("`{text}` opens a Nunjucks tag that is never closed (Eleventy would stop on this page); it is read as text"));
        Value::from(text)
    });
    env.add_function("__pairs", |value: Value| -> Result<Value, Error> {
        if value.kind() == ValueKind::Map {
            let pairs: Vec<Value> = value
                .try_iter()?
                .map(|k| {
                    let v = value.get_item(&k).unwrap_or(Value::UNDEFINED);
                    Value::from(vec![k, v])
                })
                .collect();
            return Ok(Value::from(pairs));
        }
        Ok(value)
    });
    env.add_function("__semantic", |name: String| SEMANTIC_COMPONENTS.contains(&name.as_str()));
    env.add_function("__semantic_component", |name: String, params: Value| {
        let json = serde_json::to_value(&params).unwrap_or(serde_json::Value::Null);
        let index = hooks::keep_component(name, json);
        Value::from_safe_string(markers::component_placeholder(index))
    });
    env.add_function("__has_component", |state: &State, name: String| {
        state.env().get_template(&format!("components/{name}.njk")).is_ok()
    });
    env.add_function("__missing_component", |name: String, params: Value| {
        hooks::warn(crate::codes::NUNJUCKS_UNKNOWN_COMPONENT, format!("component \"{name}\" has no template in the site's _includes/components; the text of its arguments is kept"));
        Value::from(argument_text(&params))
    });
    let site = script.clone();
    env.add_function("__shortcode", move |state: &State, name: String, args: Rest<Value>| {
        shortcode(state, site.as_deref(), name, args)
    });
    // `nanoid()`: the DSFR starter's global for element ids; ids derived from a count keep
    // the output the same from run to run.
    env.add_function("nanoid", || Value::from(format!("folio-id-{}", hooks::next_id())));
    env.add_filter("__paired", move |state: &State, content: Value, name: String, args: Rest<Value>| {
        if let Some(html) = script.as_deref().and_then(|s| super::js_calls::call_shortcode(s, state, &name, Some(&content), &args)) {
            return html;
        }
        hooks::warn(crate::codes::NUNJUCKS_UNKNOWN_SHORTCODE, format!("the paired shortcode `{name}` is defined by the site in JavaScript; its content and the text of its arguments are kept"));
        let lead = args.iter().map(argument_text).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ");
        let lead = html_escape::encode_text(&lead).into_owned();
        Value::from_safe_string(if lead.is_empty() { content.to_string() } else { format!("{lead}\n\n{content}") })
    });
}

/// `{% image "src", "alt" %}` (eleventy-img) becomes an image; any other shortcode prints the
/// text of its arguments, with a warning.
fn shortcode(state: &State, script: Option<&crate::js::SiteScript>, name: String, args: Rest<Value>) -> Value {
    // eleventy-img's shortcodes, by the names its documentation gives them.
    if name == "image" || name == "imageSync" {
        let src = args.first().map(|v| v.to_string()).unwrap_or_default();
        let alt = args.get(1).map(|v| v.to_string()).unwrap_or_default();
        let input =
            state.lookup("page").and_then(|p| p.get_attr("inputPath").ok()).map(|v| v.to_string()).unwrap_or_default();
        let src = image_url(&src, &input);
        let html = format!(
            "<img src=\"{}\" alt=\"{}\">",
            html_escape::encode_double_quoted_attribute(&src),
            html_escape::encode_double_quoted_attribute(&alt)
        );
        return Value::from_safe_string(markers::island(&html));
    }
    if let Some(html) = script.and_then(|s| super::js_calls::call_shortcode(s, state, &name, None, &args)) {
        return html;
    }
    hooks::warn(
        crate::codes::NUNJUCKS_UNKNOWN_SHORTCODE,
        format!("the shortcode `{name}` is defined by the site in JavaScript; the text of its arguments is kept"),
    );
    Value::from(args.iter().map(argument_text).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" "))
}

/// eleventy-img reads a relative source from the page's folder; the model names it by its
/// site path.
fn image_url(src: &str, input_path: &str) -> String {
    if src.starts_with('/') || src.contains("://") {
        return src.to_string();
    }
    let folder = input_path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    for part in src.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The text a value holds, strings of nested lists and objects included, in order.
pub fn argument_text(value: &Value) -> String {
    let mut out = Vec::new();
    collect_text(value, &mut out);
    out.join(" ")
}

fn collect_text(value: &Value, out: &mut Vec<String>) {
    match value.kind() {
        ValueKind::String => {
            let s = value.to_string();
            if !s.trim().is_empty() {
                out.push(s);
            }
        }
        ValueKind::Seq => value.try_iter().into_iter().flatten().for_each(|v| collect_text(&v, out)),
        ValueKind::Map => {
            for key in value.try_iter().into_iter().flatten() {
                if let Ok(v) = value.get_item(&key) {
                    collect_text(&v, out);
                }
            }
        }
        _ => {}
    }
}

/// Whether `env` has a filter of this name (asked by using it).
pub fn has_filter(env: &Environment<'static>, name: &str) -> bool {
    let probe = format!("{{{{ 1 | {name} }}}}");
    !matches!(env.render_str(&probe, ()), Err(e) if e.kind() == ErrorKind::UnknownFilter)
}

/// Filters a site defines in JavaScript that folio does not implement: the input is printed
/// unchanged and the filter reported, rather than failing the whole page.
fn register_unknown_filters(env: &mut Environment<'static>, names: &[String]) {
    for name in names {
        if !has_filter(env, name) {
            let filter = name.clone();
            env.add_filter(name.clone(), move |value: Value, _args: Rest<Value>| {
                hooks::warn(crate::codes::NUNJUCKS_UNKNOWN_FILTER, format!("the filter `{filter}` is defined nowhere folio can run it; its input is printed unchanged when it is text, and not at all when it is an object or a list"));
                match value.kind() {
                    ValueKind::Seq | ValueKind::Map => Value::from(""),
                    _ => value,
                }
            });
        }
    }
}
