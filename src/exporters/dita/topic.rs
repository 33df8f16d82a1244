//! One page as one topic: root element, title, short description, prolog, body.

use super::page::PageWriter;
use super::plan::TopicType;
use super::task::task_shape;
use super::xml::El;
use crate::exporter::BuildTime;
use crate::model::{Page, PageKind, SiteMeta};
use serde_json::Value;

impl PageWriter<'_> {
    pub fn topic_element(&mut self, site: &SiteMeta, build_time: BuildTime) -> El {
        let page = self.page;
        let mut root = El::new(self.topic.kind.name())
            .attr("id", self.topic.id.clone())
            .opt_attr("xml:lang", Some(page.language_or(site).to_string()).filter(|l| !l.is_empty()))
            .child(El::new("title").text(page.title.clone()));
        if let Some(summary) = &page.summary {
            root.push(El::new("shortdesc").text(summary.clone()));
        }
        root.push(prolog(page, site, build_time));
        let body = match (self.topic.kind, task_shape(page)) {
            (TopicType::Task, Some(shape)) => self.task_body(&shape),
            (TopicType::Task, None) | (TopicType::Concept, _) => self.concept_body(&page.blocks),
        };
        root.child(body)
    }
}

/// The front matter as DITA metadata. `revised` is the build instant: the date of the
/// content as migrated (the sources carry no per-page date); `created` comes from a
/// front-matter `date` when there is one.
fn prolog(page: &Page, site: &SiteMeta, build_time: BuildTime) -> El {
    let mut prolog = El::new("prolog");
    if !site.publisher.is_empty() {
        prolog.push(El::new("publisher").text(site.publisher.clone()));
    }
    let created = page.extra.get("date").and_then(Value::as_str).and_then(iso_date);
    let mut critdates = El::new("critdates");
    critdates.children.extend(created.map(|d| El::new("created").attr("date", d).into()));
    prolog.push(critdates.child(El::new("revised").attr("modified", build_time.date())));
    let mut metadata = El::new("metadata");
    if let Some(category) = &page.category {
        metadata.push(El::new("category").text(category.clone()));
    }
    if !page.tags.is_empty() {
        let keywords = page.tags.iter().map(|t| El::new("keyword").text(t.clone()).into());
        metadata.push(El::new("keywords").children(keywords));
    }
    for (name, content) in other_meta(page) {
        metadata.push(El::new("othermeta").attr("name", name).attr("content", content));
    }
    prolog.push(metadata);
    prolog.child(El::new("resourceid").attr("id", page.key.clone()).attr("appname", "folio"))
}

/// Every other scalar of the front matter (and what the reader derived from it), by name.
/// Structured values (lists, maps) are kept as compact JSON so that nothing is lost.
fn other_meta(page: &Page) -> Vec<(String, String)> {
    let mut meta = vec![
        ("url".to_string(), page.url.clone()),
        ("source".to_string(), page.source.clone()),
        ("kind".to_string(), kind_name(page.kind).to_string()),
    ];
    if page.key_derived {
        meta.push(("key-derived".into(), "true".into()));
    }
    if let Some(order) = page.order {
        meta.push(("order".into(), order.to_string()));
    }
    if let Some(nav) = &page.navigation {
        let fields = [("key", nav.key.clone()), ("title", nav.title.clone()), ("parent", nav.parent.clone())];
        for (name, value) in fields {
            meta.extend(value.map(|v| (format!("navigation.{name}"), v)));
        }
        meta.extend(nav.order.map(|o| ("navigation.order".to_string(), o.to_string())));
    }
    if !page.breadcrumb.is_empty() {
        let crumbs: Vec<Value> =
            page.breadcrumb.iter().map(|c| serde_json::json!({ "title": c.title, "href": c.href })).collect();
        meta.push(("breadcrumb".into(), Value::Array(crumbs).to_string()));
    }
    if !page.see_also.is_empty() {
        let keys: Vec<&str> = page.see_also.iter().map(|s| s.key.as_str()).collect();
        meta.push(("seealso".into(), keys.join(" ")));
    }
    for (name, value) in &page.extra {
        let content = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        meta.push((name.clone(), content));
    }
    meta
}

fn kind_name(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Question => "question",
        PageKind::Section => "section",
        PageKind::Other => "other",
    }
}

/// `YYYY-MM-DD` from the start of a date or date-time string.
fn iso_date(text: &str) -> Option<String> {
    let date = text.trim().get(..10)?;
    let digits_at = |r: std::ops::Range<usize>| date.get(r).is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()));
    let shaped = digits_at(0..4)
        && digits_at(5..7)
        && digits_at(8..10)
        && date.get(4..5) == Some("-")
        && date.get(7..8) == Some("-");
    shaped.then(|| date.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_date_takes_the_date_of_a_date_time() {
        assert_eq!(iso_date("2024-03-01T10:00:00Z").as_deref(), Some("2024-03-01"));
        assert_eq!(iso_date("mars 2024"), None);
    }
}
