//! YAML front matter between `---` lines, parsed with serde_yaml into typed fields plus the
//! untouched rest.

use serde_yaml::Value;
use std::collections::BTreeMap;

/// The front matter split off a page: its YAML text and where the body starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the first YAML line.
    pub yaml_line: u32,
    /// Byte offset of the body in the page text.
    pub body_offset: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// A `---` opener with no closing `---` line.
    Unclosed,
}

/// Splits `---\nYAML\n---\nbody`. A page that does not start with `---` has no front matter.
pub fn split(text: &str) -> Result<Option<Split<'_>>, SplitError> {
    let Some(first_line_end) = text.find('\n') else {
        return if text.trim_end() == "---" { Err(SplitError::Unclosed) } else { Ok(None) };
    };
    if text[..first_line_end].trim_end() != "---" {
        return Ok(None);
    }
    let yaml_start = first_line_end + 1;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Some(Split { yaml: &text[yaml_start..offset], yaml_line: 2, body_offset: offset + line.len() }));
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
}

/// The front matter keys folio interprets, with the rest kept verbatim in `extra`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub key: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub segments: Vec<(String, String)>,
    /// `seealso` entries in order; `None` for a null entry (a lone `-`).
    pub seealso: Vec<Option<String>>,
    pub order: Option<i64>,
    pub layout: Option<String>,
    pub permalink_false: bool,
    pub navigation: Option<crate::model::Navigation>,
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Keys with a value of an unexpected shape, for a diagnostic.
    pub ill_typed: Vec<String>,
}

/// Parses the YAML text. Errors carry serde_yaml's message and 1-based line within the YAML.
pub fn parse(yaml: &str) -> Result<FrontMatter, (String, Option<u32>)> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let value: Value =
        serde_yaml::from_str(yaml).map_err(|e| (e.to_string(), e.location().map(|l| l.line() as u32)))?;
    let Value::Mapping(map) = value else {
        return Err(("front matter is not a mapping of keys to values".into(), Some(1)));
    };
    let mut fm = FrontMatter::default();
    for (k, v) in map {
        let Some(key) = k.as_str() else { continue };
        take_field(&mut fm, key, v);
    }
    Ok(fm)
}

/// Moves the value of `key` into its field (strings are moved, not copied).
fn take_field(fm: &mut FrontMatter, key: &str, v: Value) {
    let well_typed = well_typed(key, &v);
    match key {
        "key" => fm.key = into_scalar_string(v),
        "title" => fm.title = into_scalar_string(v),
        "abstract" => fm.summary = into_scalar_string(v),
        "category" => fm.category = into_scalar_string(v),
        "tags" => fm.tags = string_list(&v),
        "segments" => fm.segments = segments(&v),
        "seealso" => fm.seealso = seealso(&v),
        "order" => fm.order = integer(&v),
        "layout" => fm.layout = into_scalar_string(v),
        "permalink" if v == Value::Bool(false) => fm.permalink_false = true,
        "eleventyNavigation" => fm.navigation = navigation(&v),
        _ => {
            fm.extra.insert(key.to_string(), yaml_to_json(&v));
            return;
        }
    }
    if !well_typed {
        fm.ill_typed.push(key.to_string());
    }
}

fn well_typed(key: &str, v: &Value) -> bool {
    match key {
        "tags" | "seealso" => matches!(v, Value::Sequence(_) | Value::String(_) | Value::Null),
        "segments" => matches!(v, Value::Sequence(_) | Value::Null),
        "order" => integer(v).is_some() || v.is_null(),
        "eleventyNavigation" => matches!(v, Value::Mapping(_)),
        _ => is_scalar(v) || v.is_null(),
    }
}

/// What `scalar_string` accepts.
fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

/// `scalar_string`, taking the value: a string is moved out, not copied.
fn into_scalar_string(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        other => scalar_string(&other),
    }
}

/// A string, or a number/bool written without quotes, as text.
pub fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `tags: a` or `tags: [a, b]`.
fn string_list(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(items) => items.iter().filter_map(scalar_string).collect(),
        other => scalar_string(other).into_iter().collect(),
    }
}

fn seealso(v: &Value) -> Vec<Option<String>> {
    match v {
        Value::Sequence(items) => items.iter().map(scalar_string).collect(),
        Value::Null => Vec::new(),
        other => vec![scalar_string(other)],
    }
}

fn segments(v: &Value) -> Vec<(String, String)> {
    let Value::Sequence(items) = v else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| {
            let url = scalar_string(item.get("url")?)?;
            let title = item.get("title").and_then(scalar_string).unwrap_or_else(|| url.clone());
            Some((url, title))
        })
        .collect()
}

fn navigation(v: &Value) -> Option<crate::model::Navigation> {
    let Value::Mapping(_) = v else { return None };
    Some(crate::model::Navigation {
        key: v.get("key").and_then(scalar_string),
        title: v.get("title").and_then(scalar_string),
        parent: v.get("parent").and_then(scalar_string),
        order: v.get("order").and_then(integer),
    })
}

/// YAML to JSON for the model's `extra` maps; non-string keys become their YAML text.
pub fn yaml_to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => n
            .as_i64()
            .map(J::from)
            .or_else(|| n.as_u64().map(J::from))
            .or_else(|| n.as_f64().and_then(serde_json::Number::from_f64).map(J::Number))
            .unwrap_or(J::Null),
        Value::String(s) => J::String(s.clone()),
        Value::Sequence(items) => J::Array(items.iter().map(yaml_to_json).collect()),
        Value::Mapping(map) => J::Object(
            map.iter().map(|(k, v)| (scalar_string(k).unwrap_or_else(|| format!("{k:?}")), yaml_to_json(v))).collect(),
        ),
        Value::Tagged(t) => yaml_to_json(&t.value),
    }
}

/// The YAML as data for the templates' scope (keys that are not strings are left out).
pub fn as_json(yaml: &str) -> serde_json::Map<String, serde_json::Value> {
    if yaml.trim().is_empty() {
        return serde_json::Map::new();
    }
    match serde_yaml::from_str::<serde_json::Value>(yaml) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_from_body() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap().unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(&"---\ntitle: A\n---\nBody\n"[s.body_offset..], "Body\n");
    }

    #[test]
    fn missing_closing_fence_is_an_error() {
        assert_eq!(split("---\ntitle: A\nBody\n"), Err(SplitError::Unclosed));
    }

    #[test]
    fn page_without_front_matter_has_none() {
        assert_eq!(split("# Title\n"), Ok(None));
    }

    #[test]
    fn flow_segments_with_trailing_comma() {
        let fm = parse("segments:\n  [\n    { url: '/fs/', title: 'FS' },\n    { url: \"/fs/p\", title: P },\n  ]\n")
            .unwrap();
        assert_eq!(fm.segments, vec![("/fs/".into(), "FS".into()), ("/fs/p".into(), "P".into())]);
    }

    #[test]
    fn tags_as_a_single_string() {
        assert_eq!(parse("tags: pourquoiUtiliserFC\n").unwrap().tags, vec!["pourquoiUtiliserFC"]);
    }

    #[test]
    fn null_seealso_entries_are_kept_as_none() {
        assert_eq!(
            parse("seealso:\n  - a\n  -\n  - b\n").unwrap().seealso,
            vec![Some("a".into()), None, Some("b".into())]
        );
    }

    #[test]
    fn unknown_keys_are_kept_in_extra() {
        let fm = parse("showBreadcrumb: true\nimg: fi/a.png\n").unwrap();
        assert_eq!(fm.extra["showBreadcrumb"], serde_json::json!(true));
        assert_eq!(fm.extra["img"], serde_json::json!("fi/a.png"));
    }

    #[test]
    fn quoted_and_unquoted_values_read_alike() {
        let fm = parse("category: 'fs-technique'\ntitle: \"T\"\nkey: k\norder: 46\n").unwrap();
        assert_eq!(
            (fm.category.as_deref(), fm.title.as_deref(), fm.key.as_deref(), fm.order),
            (Some("fs-technique"), Some("T"), Some("k"), Some(46))
        );
    }

    #[test]
    fn permalink_false_marks_a_record() {
        assert!(parse("permalink: false\n").unwrap().permalink_false);
    }

    #[test]
    fn invalid_yaml_reports_a_line() {
        let (_, line) = parse("title: a\nkey: [unclosed\n").unwrap_err();
        assert!(line.is_some());
    }
}
