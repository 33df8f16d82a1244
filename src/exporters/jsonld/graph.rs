//! The schema.org nodes: one `@graph` per page, per section and for the site.
//!
//! Only `@type` and `@id` are used, never their aliases, so every key expands to a
//! schema.org IRI. Nodes in other files are referenced by `@id` alone and never repeated:
//! a question is marked up once, on its own page.

use super::trail::{name_or_url, Trails};
use super::urls::{PageIds, SiteUrls};
use crate::diagnostics::Diagnostic;
use crate::model::{Page, SiteMeta};
use serde_json::{json, Map, Value};

/// What every page's graph shares.
pub struct GraphEnv<'a> {
    pub urls: &'a SiteUrls<'a>,
    pub site: &'a SiteMeta,
    pub trails: &'a Trails<'a>,
    /// `YYYY-MM-DD` written as `dateModified`, when the configuration says the build date is it.
    pub date_modified: Option<String>,
}

/// The top-level document: the schema.org context and the nodes.
pub fn document(nodes: Vec<Value>) -> Value {
    json!({ "@context": "https://schema.org", "@graph": nodes })
}

fn id_ref(id: String) -> Value {
    json!({ "@id": id })
}

fn insert_text(node: &mut Map<String, Value>, key: &str, text: Option<&str>) {
    if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
        node.insert(key.to_string(), Value::String(text.to_string()));
    }
}

/// `WebSite` and its publisher `Organization`.
pub fn site_nodes(env: &GraphEnv) -> Vec<Value> {
    let mut website = Map::new();
    website.insert("@type".into(), json!("WebSite"));
    website.insert("@id".into(), json!(env.urls.website_id()));
    website.insert("url".into(), json!(env.urls.home()));
    insert_text(&mut website, "name", Some(&env.site.title));
    insert_text(&mut website, "description", Some(&env.site.description));
    insert_text(&mut website, "inLanguage", Some(&env.site.language));
    let publisher = env.site.publisher.trim();
    if !publisher.is_empty() {
        website.insert("publisher".into(), id_ref(env.urls.organization_id()));
    }
    if let Some(date) = &env.date_modified {
        website.insert("dateModified".into(), json!(date));
    }
    let mut nodes = vec![Value::Object(website)];
    if !publisher.is_empty() {
        nodes.push(json!({
            "@type": "Organization",
            "@id": env.urls.organization_id(),
            "name": publisher,
        }));
    }
    nodes
}

/// The `WebPage` node of a page; a section's index page is a `CollectionPage`.
pub fn webpage_node(env: &GraphEnv, page: &Page, is_collection: bool, has_breadcrumb: bool, has_faq: bool) -> Value {
    let ids = PageIds::new(env.urls.page(page));
    let mut node = Map::new();
    node.insert("@type".into(), json!(if is_collection { "CollectionPage" } else { "WebPage" }));
    node.insert("@id".into(), json!(ids.webpage()));
    node.insert("url".into(), json!(ids.url));
    insert_text(&mut node, "name", Some(&page.title));
    insert_text(&mut node, "description", page.summary.as_deref());
    insert_text(&mut node, "inLanguage", Some(page.language_or(env.site)));
    node.insert("isPartOf".into(), id_ref(env.urls.website_id()));
    if has_breadcrumb {
        node.insert("breadcrumb".into(), id_ref(ids.breadcrumb()));
    }
    if has_faq {
        node.insert("mainEntity".into(), id_ref(ids.faq()));
    }
    let tags: Vec<&str> = page.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect();
    if !tags.is_empty() {
        node.insert("keywords".into(), json!(tags));
    }
    if let Some(date) = &env.date_modified {
        node.insert("dateModified".into(), json!(date));
    }
    Value::Object(node)
}

/// The page's `BreadcrumbList`: home, the pages above it, the page, positions from 1 (see
/// `trail`); `None` for the home page, whose trail would hold one item.
pub fn breadcrumb_node(env: &GraphEnv, page: &Page, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    let ids = PageIds::new(env.urls.page(page));
    let items: Vec<Value> = env
        .trails
        .trail(env.urls, page, diags)?
        .into_iter()
        .enumerate()
        .map(|(i, c)| json!({ "@type": "ListItem", "position": i + 1, "name": c.name, "item": c.url }))
        .collect();
    Some(json!({ "@type": "BreadcrumbList", "@id": ids.breadcrumb(), "itemListElement": items }))
}

/// The `FAQPage` of a Q&A page: its one `Question`, answered by `answer_html`.
pub fn faq_node(env: &GraphEnv, page: &Page, answer_html: &str) -> Value {
    let ids = PageIds::new(env.urls.page(page));
    let question = json!({
        "@type": "Question",
        "@id": ids.question(),
        "name": page.title.trim(),
        "acceptedAnswer": { "@type": "Answer", "@id": ids.answer(), "text": answer_html },
    });
    let mut faq = Map::new();
    faq.insert("@type".into(), json!("FAQPage"));
    faq.insert("@id".into(), json!(ids.faq()));
    faq.insert("url".into(), json!(ids.url));
    insert_text(&mut faq, "name", Some(&page.title));
    insert_text(&mut faq, "inLanguage", Some(page.language_or(env.site)));
    faq.insert("isPartOf".into(), id_ref(env.urls.website_id()));
    faq.insert("mainEntityOfPage".into(), id_ref(ids.webpage()));
    faq.insert("mainEntity".into(), json!([question]));
    Value::Object(faq)
}

/// The section file: the index page as a `CollectionPage` whose parts are referenced by
/// `@id` only, plus the same parts in reading order as an `ItemList` of `ListItem`s with the
/// position, name and URL Google asks of a summary list.
pub fn section_nodes(env: &GraphEnv, index: &Page, parts: &[&Page]) -> Vec<Value> {
    let ids = PageIds::new(env.urls.page(index));
    let part_urls: Vec<String> = parts.iter().map(|p| env.urls.page(p)).collect();
    let mut collection = Map::new();
    collection.insert("@type".into(), json!("CollectionPage"));
    collection.insert("@id".into(), json!(ids.webpage()));
    collection.insert("url".into(), json!(ids.url));
    insert_text(&mut collection, "name", Some(&index.title));
    insert_text(&mut collection, "description", index.summary.as_deref());
    insert_text(&mut collection, "inLanguage", Some(index.language_or(env.site)));
    collection.insert("isPartOf".into(), id_ref(env.urls.website_id()));
    if parts.is_empty() {
        return vec![Value::Object(collection)];
    }
    let part_refs = part_urls.iter().map(|url| id_ref(PageIds::new(url.clone()).webpage())).collect();
    collection.insert("hasPart".into(), part_refs);
    collection.insert("mainEntity".into(), id_ref(ids.item_list()));
    let items: Vec<Value> = parts
        .iter()
        .zip(part_urls)
        .enumerate()
        .map(|(i, (part, url))| {
            json!({ "@type": "ListItem", "position": i + 1, "name": name_or_url(&part.title, &url), "url": url })
        })
        .collect();
    let list = json!({
        "@type": "ItemList",
        "@id": ids.item_list(),
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "numberOfItems": items.len(),
        "itemListElement": items,
    });
    vec![Value::Object(collection), list]
}
