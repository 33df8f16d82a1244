//! Filters the sites define in JavaScript (Eleventy and its plugins), written natively, and
//! the JavaScript methods Nunjucks lets templates call on strings and arrays.

use super::hooks;
use minijinja::value::{Kwargs, Rest, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State};
use std::collections::BTreeMap;
use std::sync::Arc;

/// key → language → text: the i18n plugin's dictionary.
pub type Translations = BTreeMap<String, BTreeMap<String, String>>;

pub fn register(env: &mut Environment<'static>, translations: Arc<Translations>, site_language: String) {
    // `locale_url` is the site's (TemplateSite::new): it needs every page's URL.
    for name in ["url", "htmlBaseUrl", "locale_url", "jsDateObject"] {
        env.add_filter(name, |value: Value, _rest: Rest<Value>| value);
    }
    env.add_filter("slug", |s: String| crate::text::slugify(&s));
    env.add_filter("slugify", |s: String| crate::text::slugify(&s));
    env.add_filter("dump", |v: Value| serde_json::to_string(&v).unwrap_or_default());
    env.add_filter("striptags", |s: String| striptags(&s));
    env.add_filter("nl2br", |s: String| {
        let escaped = html_escape::encode_text(&s).replace('\n', "<br />\n");
        Value::from_safe_string(escaped)
    });
    env.add_filter("wordcount", |s: String| s.split_whitespace().count());
    env.add_filter("truncate", truncate);
    env.add_filter("head", head);
    env.add_filter("categoryFilter", |items: Value, category: Option<Value>| {
        filter_items(items, |item| match &category {
            Some(c) if !c.is_undefined() && !c.is_none() => data_field(item, "category") == *c,
            _ => true,
        })
    });
    env.add_filter("linkFilter", |items: Value, links: Option<Value>| {
        filter_items(items, |item| match &links {
            Some(l) if l.kind() == ValueKind::Seq => {
                l.try_iter().is_ok_and(|mut it| it.any(|k| k == data_field(item, "key")))
            }
            _ => true,
        })
    });
    env.add_filter("filterCollectionLang", |state: &State, items: Value| {
        let lang = page_language(state).unwrap_or_default();
        filter_items(items, |item| {
            let item_lang = data_field(item, "lang");
            item_lang.is_undefined() || item_lang.as_str() == Some(lang.as_str())
        })
    });
    env.add_filter("sortByOrder", sort_by_order);
    env.add_filter("filterTagList", |tags: Value, extra: Option<Value>| {
        let mut hidden: Vec<String> = ["all", "nav", "post", "posts", "event", "events"].map(String::from).to_vec();
        if let Some(extra) = extra.and_then(|e| e.try_iter().ok().map(|it| it.collect::<Vec<_>>())) {
            hidden.extend(extra.iter().map(|v| v.to_string()));
        }
        let kept: Vec<Value> =
            tags.try_iter().map(|it| it.filter(|t| !hidden.contains(&t.to_string())).collect()).unwrap_or_default();
        Value::from(kept)
    });
    env.add_filter("getAllTags", |items: Value| {
        let mut tags: Vec<String> = Vec::new();
        for item in items.try_iter().into_iter().flatten() {
            for tag in data_field(&item, "tags").try_iter().into_iter().flatten() {
                let tag = tag.to_string();
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
        }
        Value::from(tags)
    });
    env.add_filter("findBySlug", |items: Value, slug: String| {
        items
            .try_iter()
            .ok()
            .and_then(|mut it| {
                it.find(|i| i.get_attr("fileSlug").ok().and_then(|s| s.as_str().map(|s| s == slug)) == Some(true))
            })
            .unwrap_or(Value::UNDEFINED)
    });
    env.add_filter("eleventyNavigationBreadcrumb", |_v: Value, _rest: Rest<Value>| {
        hooks::note(
            crate::codes::NUNJUCKS_NAVIGATION,
            "a navigation breadcrumb is built by the site only; it is not part of the page".into(),
        );
        Value::from(Vec::<Value>::new())
    });
    let dict = translations.clone();
    env.add_filter("i18n", move |state: &State, key: String, locale: Option<String>| {
        let lang = locale.or_else(|| page_language(state)).unwrap_or_else(|| site_language.clone());
        translate(&dict, &key, &lang)
    });
    register_dates(env);
    env.set_unknown_method_callback(js_method);
    env.add_function("__list", |items: Vec<Value>| super::js_values::JsList::value(items));
}

/// The language of the page being rendered: `page.lang`, else `lang`, else `locale`.
fn page_language(state: &State) -> Option<String> {
    let from_page =
        state.lookup("page").and_then(|p| p.get_attr("lang").ok()).filter(|v| !v.is_undefined() && !v.is_none());
    from_page
        .or_else(|| state.lookup("lang"))
        .or_else(|| state.lookup("locale"))
        .filter(|v| !v.is_undefined() && !v.is_none())
        .map(|v| v.to_string())
}

fn translate(dict: &Translations, key: &str, lang: &str) -> String {
    let Some(entry) = dict.get(key) else {
        hooks::warn(
            crate::codes::NUNJUCKS_I18N_MISSING,
            format!("no translation for `{key}` in the site's i18n data; the key is printed"),
        );
        return key.to_string();
    };
    let primary = lang.split(['-', '_']).next().unwrap_or(lang);
    entry
        .get(lang)
        .or_else(|| entry.get(primary))
        .or_else(|| entry.values().next())
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

fn data_field(item: &Value, name: &str) -> Value {
    item.get_attr("data").and_then(|d| d.get_attr(name)).unwrap_or(Value::UNDEFINED)
}

fn filter_items(items: Value, keep: impl Fn(&Value) -> bool) -> Value {
    let kept: Vec<Value> = items.try_iter().map(|it| it.filter(|i| keep(i)).collect()).unwrap_or_default();
    Value::from(kept)
}

/// FranceConnect's `sortByOrder`: by `data.order`, missing or zero as 999, stable.
fn sort_by_order(items: Value) -> Value {
    let mut list: Vec<Value> = items.try_iter().map(|it| it.collect()).unwrap_or_default();
    let order = |v: &Value| {
        let o = data_field(v, "order");
        f64::try_from(o).ok().filter(|n| *n != 0.0).unwrap_or(999.0)
    };
    list.sort_by(|a, b| order(a).total_cmp(&order(b)));
    Value::from(list)
}

fn head(items: Value, n: i64) -> Value {
    let list: Vec<Value> = items.try_iter().map(|it| it.collect()).unwrap_or_default();
    let len = list.len() as i64;
    let (from, to) = if n < 0 { ((len + n).max(0), len) } else { (0, n.min(len)) };
    Value::from(list[from as usize..to as usize].to_vec())
}

fn truncate(s: String, length: Option<usize>, killwords: Option<bool>, end: Option<String>) -> String {
    let length = length.unwrap_or(255);
    if s.chars().count() <= length {
        return s;
    }
    let mut cut: String = s.chars().take(length).collect();
    if !killwords.unwrap_or(false) {
        if let Some(space) = cut.rfind(char::is_whitespace) {
            cut.truncate(space);
        }
    }
    cut.push_str(&end.unwrap_or_else(|| "...".into()));
    cut
}

pub fn striptags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    html_escape::decode_html_entities(&out).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `"a".toUpperCase()`, `list.includes(x)`…: the methods templates written for Nunjucks call.
fn js_method(state: &mut State, value: &Value, method: &str, args: &[Value]) -> Result<Value, Error> {
    js_method_of(state, value, method, args)
}

/// The JavaScript method `method` of a string or a list, as Nunjucks runs it.
pub fn js_method_of(_state: &State, value: &Value, method: &str, args: &[Value]) -> Result<Value, Error> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::UNDEFINED);
    let arg_str = |i: usize| args.get(i).map(|v| v.to_string()).unwrap_or_default();
    if let Some(s) = value.as_str() {
        return Ok(match method {
            "toLowerCase" | "lower" => Value::from(s.to_lowercase()),
            "toUpperCase" | "upper" => Value::from(s.to_uppercase()),
            "trim" | "strip" => Value::from(s.trim()),
            "includes" => Value::from(s.contains(&arg_str(0))),
            "startsWith" | "startswith" => Value::from(s.starts_with(&arg_str(0))),
            "endsWith" | "endswith" => Value::from(s.ends_with(&arg_str(0))),
            "indexOf" => Value::from(s.find(&arg_str(0)).map_or(-1, |i| s[..i].chars().count() as i64)),
            "lastIndexOf" => Value::from(s.rfind(&arg_str(0)).map_or(-1, |i| s[..i].chars().count() as i64)),
            "trimStart" => Value::from(s.trim_start()),
            "trimEnd" => Value::from(s.trim_end()),
            "charAt" => Value::from(
                s.chars().nth(i64::try_from(arg(0)).unwrap_or(0).max(0) as usize).map(String::from).unwrap_or_default(),
            ),
            "padStart" | "padEnd" => {
                let width = usize::try_from(arg(0)).unwrap_or(0);
                let fill = args.get(1).map_or(" ".to_string(), |v| v.to_string());
                let missing = width.saturating_sub(s.chars().count());
                let pad: String = fill.chars().cycle().take(if fill.is_empty() { 0 } else { missing }).collect();
                Value::from(if method == "padStart" { format!("{pad}{s}") } else { format!("{s}{pad}") })
            }
            "repeat" => Value::from(s.repeat(usize::try_from(arg(0)).unwrap_or(0).min(10_000))),
            "concat" => Value::from(format!("{s}{}", args.iter().map(|a| a.to_string()).collect::<String>())),
            "split" => Value::from(s.split(&arg_str(0)).map(Value::from).collect::<Vec<_>>()),
            "replace" => Value::from(s.replacen(&arg_str(0), &arg_str(1), 1)),
            "replaceAll" => Value::from(s.replace(&arg_str(0), &arg_str(1))),
            "toString" => Value::from(s),
            "slice" | "substring" => {
                let chars: Vec<char> = s.chars().collect();
                let (from, to) = slice_bounds(chars.len(), &arg(0), &arg(1));
                Value::from(chars[from..to].iter().collect::<String>())
            }
            _ => return Err(unknown_method(method)),
        });
    }
    if value.kind() == ValueKind::Seq {
        let list: Vec<Value> = value.try_iter()?.collect();
        return Ok(match method {
            "includes" => Value::from(list.contains(&arg(0))),
            "indexOf" => Value::from(list.iter().position(|v| *v == arg(0)).map_or(-1, |i| i as i64)),
            "lastIndexOf" => Value::from(list.iter().rposition(|v| *v == arg(0)).map_or(-1, |i| i as i64)),
            "join" => Value::from(
                list.iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(&args.first().map_or(",".into(), |v| v.to_string())),
            ),
            "slice" => {
                let (from, to) = slice_bounds(list.len(), &arg(0), &arg(1));
                Value::from(list[from..to].to_vec())
            }
            "concat" => {
                let mut all = list;
                for a in args {
                    match a.try_iter() {
                        Ok(items) if a.kind() == ValueKind::Seq => all.extend(items),
                        _ => all.push(a.clone()),
                    }
                }
                Value::from(all)
            }
            "reverse" => Value::from(list.into_iter().rev().collect::<Vec<_>>()),
            _ => return Err(unknown_method(method)),
        });
    }
    Err(unknown_method(method))
}

fn slice_bounds(len: usize, from: &Value, to: &Value) -> (usize, usize) {
    let resolve = |v: &Value, default: usize| -> usize {
        match i64::try_from(v.clone()) {
            Ok(n) if n < 0 => len.saturating_sub(n.unsigned_abs() as usize),
            Ok(n) => (n as usize).min(len),
            Err(_) => default,
        }
    };
    let from = resolve(from, 0);
    (from, resolve(to, len).max(from))
}

fn unknown_method(method: &str) -> Error {
    Error::new(ErrorKind::UnknownMethod, format!("the JavaScript method `{method}` is not known to folio"))
}

fn register_dates(env: &mut Environment<'static>) {
    env.add_filter("htmlDateString", |v: Value| with_date(&v, |d| d.format("yyyy-LL-dd", "en")));
    env.add_filter("dateToRfc3339", |v: Value| {
        with_date(&v, |d| format!("{}T00:00:00Z", d.format("yyyy-LL-dd", "en")))
    });
    env.add_filter("readableDate", |state: &State, v: Value, format: Option<String>, _zone: Option<String>| {
        let lang = page_language(state).unwrap_or_else(|| "en".into());
        with_date(&v, |d| d.format(format.as_deref().unwrap_or("dd LLLL yyyy"), &lang))
    });
    env.add_filter("date", |state: &State, v: Value, format: Option<String>, _kw: Kwargs| {
        let lang = page_language(state).unwrap_or_else(|| "en".into());
        with_date(&v, |d| d.format(format.as_deref().unwrap_or("yyyy-LL-dd"), &lang))
    });
    env.add_filter("getYear", |v: Value| date_part(&v, |d| d.year as i64));
    env.add_filter("getMonth", |v: Value| date_part(&v, |d| d.month as i64));
    env.add_filter("getDay", |v: Value| date_part(&v, |d| d.day as i64));
    env.add_filter("getHour", |v: Value| date_part(&v, |_| 0));
    env.add_filter("getMinute", |v: Value| date_part(&v, |_| 0));
}

/// A calendar date read from the front matter's text (`2024-03-01`, `2024-03-01T10:00:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut parts = s.get(..10)?.split('-');
        let year = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Date { year, month, day })
    }

    /// Luxon's tokens that these sites use: `yyyy`, `LLLL`/`MMMM` (month name), `LL`/`MM`,
    /// `L`/`M`, `dd`, `d`; anything else is copied.
    pub fn format(&self, format: &str, lang: &str) -> String {
        let mut out = String::new();
        let mut rest = format;
        while !rest.is_empty() {
            let run = rest.chars().next().map_or(0, |c| rest.len() - rest.trim_start_matches(c).len());
            let token = &rest[..run];
            match token {
                "yyyy" => out.push_str(&format!("{:04}", self.year)),
                "yy" => out.push_str(&format!("{:02}", self.year % 100)),
                "LLLL" | "MMMM" => out.push_str(month_name(self.month, lang)),
                "LL" | "MM" => out.push_str(&format!("{:02}", self.month)),
                "L" | "M" => out.push_str(&self.month.to_string()),
                "dd" => out.push_str(&format!("{:02}", self.day)),
                "d" => out.push_str(&self.day.to_string()),
                other => out.push_str(other),
            }
            rest = &rest[run..];
        }
        out
    }
}

fn month_name(month: u32, lang: &str) -> &'static str {
    let i = (month.clamp(1, 12) - 1) as usize;
    if lang.starts_with("fr") {
        crate::text::FRENCH_MONTHS[i]
    } else {
        crate::text::ENGLISH_MONTHS[i]
    }
}

fn with_date(v: &Value, f: impl Fn(&Date) -> String) -> Value {
    match v.as_str().and_then(Date::parse) {
        Some(d) => Value::from(f(&d)),
        None => {
            if !v.is_undefined() && !v.is_none() {
                hooks::warn(
                    crate::codes::NUNJUCKS_DATE,
                    format!("`{v}` is not a date folio can read; it is printed as written"),
                );
            }
            v.clone()
        }
    }
}

fn date_part(v: &Value, f: impl Fn(&Date) -> i64) -> Value {
    v.as_str().and_then(Date::parse).map_or(Value::UNDEFINED, |d| Value::from(f(&d)))
}
