//! The map: the site's navigation as nested topicrefs, a keydef per page, and a reltable
//! holding the see-also relations.

use super::plan::{Plan, TopicPlan};
use super::xml::{El, Removed, StreamedDocument};
use crate::exporter::BuildTime;
use crate::model::{Corpus, LinkTarget, Section};
use std::collections::BTreeSet;

/// Writes the map into `out`, one entry of the navigation at a time; returns the characters
/// its serialisation removed.
pub fn write_map(
    out: &mut dyn std::io::Write,
    doctype: &str,
    corpus: &Corpus,
    plan: &Plan,
    build_time: BuildTime,
) -> anyhow::Result<Removed> {
    let site = &corpus.site;
    let map = El::new("map")
        .opt_attr("xml:lang", Some(crate::languages::book_language(corpus).to_string()).filter(|l| !l.is_empty()));
    let mut doc = StreamedDocument::new(out, doctype, map)?;
    doc.child(&El::new("title").text(site.title.clone()))?;
    doc.child(&site_meta(corpus, build_time))?;
    let mut placed = BTreeSet::new();
    for section in &corpus.sections {
        if let Some(el) = section_ref(section, corpus, plan, &mut placed) {
            doc.child(&el)?;
        }
    }
    // Pages the section tree does not reach still get a topicref, in reading order.
    for (index, page) in corpus.pages.iter().enumerate() {
        if !placed.contains(&index) {
            if let Some(el) = page_ref(&page.key, corpus, plan, &mut placed) {
                doc.child(&el)?;
            }
        }
    }
    for (topic, page) in plan.topics.iter().zip(&corpus.pages) {
        let keydef = El::new("keydef").attr("keys", topic.id.clone()).attr("href", topic.file.clone());
        doc.child(&keydef.attr("type", topic.kind.name()).child(navtitle_meta(&page.title)))?;
    }
    if let Some(table) = reltable(corpus, plan) {
        doc.child(&table)?;
    }
    doc.finish()
}

fn site_meta(corpus: &Corpus, build_time: BuildTime) -> El {
    let site = &corpus.site;
    let mut meta = El::new("topicmeta");
    if !site.description.is_empty() {
        meta.push(El::new("shortdesc").text(site.description.clone()));
    }
    if !site.publisher.is_empty() {
        meta.push(El::new("publisher").text(site.publisher.clone()));
    }
    meta.push(El::new("critdates").child(El::new("revised").attr("modified", build_time.date())));
    let language = crate::languages::book_language(corpus);
    for (name, content) in [("url", site.url.as_str()), ("language", language)] {
        if !content.is_empty() {
            meta.push(El::new("othermeta").attr("name", name).attr("content", content));
        }
    }
    meta
}

/// A section: its index page's topicref (or a `topichead` when it has none) holding its
/// pages — grouped under a `topichead` per category when it has several — then its
/// sub-sections.
fn section_ref(section: &Section, corpus: &Corpus, plan: &Plan, placed: &mut BTreeSet<usize>) -> Option<El> {
    let mut el = match section.index.as_deref().and_then(|k| page_ref(k, corpus, plan, placed)) {
        Some(index) => index,
        None => El::new("topichead").child(navtitle_meta(&section.title)),
    };
    let grouped = section.groups.len() > 1;
    for group in &section.groups {
        let refs: Vec<El> = group.pages.iter().filter_map(|k| page_ref(k, corpus, plan, placed)).collect();
        if grouped && !refs.is_empty() {
            let title = group.category.clone().unwrap_or_else(|| section.title.clone());
            let head = El::new("topichead").attr("outputclass", "category").child(navtitle_meta(&title));
            el.push(head.children(refs.into_iter().map(Into::into)));
        } else {
            el.children.extend(refs.into_iter().map(Into::into));
        }
    }
    for child in &section.children {
        el.children.extend(section_ref(child, corpus, plan, placed).map(Into::into));
    }
    // A topichead with nothing under it would be an empty navigation entry.
    let has_refs = el.children.len() > 1;
    (el.name == "topicref" || has_refs).then_some(el)
}

/// The topicref of a page not placed yet.
fn page_ref(key: &str, corpus: &Corpus, plan: &Plan, placed: &mut BTreeSet<usize>) -> Option<El> {
    let (index, topic) = plan.topic(key)?;
    if !placed.insert(index) {
        return None;
    }
    let title = corpus.pages.get(index).map_or(key, |p| p.title.as_str());
    Some(topicref(topic).child(navtitle_meta(title)))
}

fn topicref(topic: &TopicPlan) -> El {
    El::new("topicref").attr("href", topic.file.clone()).attr("type", topic.kind.name())
}

fn navtitle_meta(title: &str) -> El {
    El::new("topicmeta").child(El::new("navtitle").text(title.to_string()))
}

/// One row per page whose see-also names at least one page: the page, then those pages.
fn reltable(corpus: &Corpus, plan: &Plan) -> Option<El> {
    let mut table = El::new("reltable");
    for (topic, page) in plan.topics.iter().zip(&corpus.pages) {
        let mut seen = BTreeSet::new();
        let targets: Vec<El> = page
            .see_also
            .iter()
            .filter_map(|s| match &s.target {
                LinkTarget::Page { key, .. } => plan.topic(key),
                LinkTarget::Asset { .. } | LinkTarget::External { .. } | LinkTarget::Broken { .. } => None,
            })
            .filter(|(index, _)| seen.insert(*index))
            .map(|(_, t)| topicref(t))
            .collect();
        if targets.is_empty() {
            continue;
        }
        let source = El::new("relcell").child(topicref(topic));
        table.push(
            El::new("relrow").child(source).child(El::new("relcell").children(targets.into_iter().map(Into::into))),
        );
    }
    (!table.children.is_empty()).then_some(table)
}
