//! JSON-LD (schema.org): `WebPage`, `BreadcrumbList` and, for Q&A pages, `FAQPage` markup
//! for every page, a `CollectionPage` per section and the `WebSite` with its publisher.
//!
//! Layout of `OUT/jsonld/`:
//! - `pages/<key>.jsonld` and `pages/<key>.html` (the same data as a `<script>` snippet),
//! - `sections/<section>.jsonld` and `.html`,
//! - `site.jsonld` and `site.html`.

mod answer;
mod graph;
mod names;
mod options;
mod readback;
mod trail;
mod urls;

use answer::{AnswerEnv, AnswerWriter};
use options::{AnswerSource, JsonLdOptions};
use urls::SiteUrls;

use crate::diagnostics::Diagnostic;
use crate::exporter::{ExportContext, Exporter, Sink};
use crate::model::{Block, Corpus, Page, PageKind, Pos, Section};
use graph::GraphEnv;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub const NO_ANSWER: &str = crate::codes::JSONLD_NO_ANSWER;
pub const DUPLICATE_QUESTION: &str = crate::codes::JSONLD_DUPLICATE_QUESTION;
pub const SECTION_SKIPPED: &str = crate::codes::JSONLD_SECTION_SKIPPED;

pub struct JsonLdExporter;

impl Exporter for JsonLdExporter {
    fn name(&self) -> &'static str {
        "jsonld"
    }

    fn is_main_file(&self, path: &str) -> bool {
        path.ends_with(".jsonld")
    }

    fn description(&self) -> &'static str {
        "schema.org JSON-LD per page (WebPage, BreadcrumbList, FAQPage), per section and for the site"
    }

    fn read_back(&self, files: &dyn crate::exporter::Outputs) -> anyhow::Result<Option<crate::fidelity::ReadBack>> {
        readback::read_back(files).map(Some)
    }

    fn promised_text(&self, corpus: &crate::model::Corpus) -> Option<String> {
        Some(readback::promised_text(corpus))
    }

    fn export(&self, ctx: &ExportContext, sink: &mut dyn Sink, diags: &mut Vec<Diagnostic>) -> anyhow::Result<()> {
        let options = JsonLdOptions::from_table(ctx.options, diags)?;
        let urls = SiteUrls::new(ctx.corpus)?;
        let trails = trail::Trails::new(ctx.corpus, &urls);
        let env = GraphEnv {
            urls: &urls,
            site: &ctx.corpus.site,
            trails: &trails,
            date_modified: options.date_modified_from_build.then(|| ctx.build_time.date()),
        };
        let answers = AnswerEnv { urls: &urls, diagrams: ctx.diagrams };
        let faqs = question_answers(ctx.corpus, &answers, options.answer, diags);
        let collections = section_index_keys(&ctx.corpus.sections);
        let file_names = names::page_file_names(&ctx.corpus.pages, diags);
        for page in &ctx.corpus.pages {
            let Some(name) = file_names.get(page.key.as_str()) else { continue };
            let nodes =
                page_nodes(&env, page, collections.contains(page.key.as_str()), faqs.get(page.key.as_str()), diags);
            write_document(sink, &format!("pages/{name}"), nodes)?;
        }
        for (slug, index, parts) in section_files(ctx.corpus, &urls, diags) {
            write_document(sink, &format!("sections/{slug}"), graph::section_nodes(&env, index, &parts))?;
        }
        write_document(sink, "site", graph::site_nodes(&env))
    }
}

/// The graph of one page: WebPage, BreadcrumbList, and the FAQPage when it has an answer.
fn page_nodes(
    env: &GraphEnv,
    page: &Page,
    is_collection: bool,
    answer: Option<&String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Value> {
    let breadcrumb = graph::breadcrumb_node(env, page, diags);
    let mut nodes = vec![graph::webpage_node(env, page, is_collection, breadcrumb.is_some(), answer.is_some())];
    nodes.extend(breadcrumb);
    if let Some(answer) = answer {
        nodes.push(graph::faq_node(env, page, answer));
    }
    nodes
}

/// The answer HTML of every Q&A page that gets a FAQPage, by page key. A page with no
/// answer, or whose question another page already asks, gets none (reported).
fn question_answers(
    corpus: &Corpus,
    env: &AnswerEnv,
    source: AnswerSource,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let mut asked: BTreeMap<String, &str> = BTreeMap::new();
    let mut answers = BTreeMap::new();
    for page in corpus.pages.iter().filter(|p| p.kind == PageKind::Question) {
        let question = normalise_question(&page.title);
        if let Some(first) = asked.get(&question) {
            diags.push(Diagnostic::warning(
                DUPLICATE_QUESTION,
                &page.source,
                Pos::default(),
                format!(
                    "the question {:?} is already marked up on {first}; no FAQPage here, so it is marked up once",
                    page.title.trim()
                ),
            ));
            continue;
        }
        let html = answer_html(env, page, source, diags);
        if html.is_empty() || question.is_empty() {
            diags.push(Diagnostic::warning(
                NO_ANSWER,
                &page.source,
                Pos::default(),
                "Q&A page without a title or an answer (abstract, \"En bref\" or body): no FAQPage written",
            ));
            continue;
        }
        asked.insert(question, &page.source);
        answers.insert(page.key.clone(), html);
    }
    answers
}

/// Questions are the same when they differ only by case and spacing.
fn normalise_question(title: &str) -> String {
    title.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The answer of a page: the abstract and the "En bref" callout, or the whole body.
fn answer_html(env: &AnswerEnv, page: &Page, source: AnswerSource, diags: &mut Vec<Diagnostic>) -> String {
    let mut writer = AnswerWriter::new(env, &page.source, diags);
    match source {
        AnswerSource::Summary => {
            writer.text_paragraph(page.summary.as_deref().unwrap_or(""));
            if let Some(summary) = summary_callout(&page.blocks) {
                writer.blocks_to_html(summary);
            }
        }
        AnswerSource::Body => writer.blocks_to_html(&page.blocks),
    }
    writer.finish()
}

/// The blocks of the page's first "En bref" callout, at any depth.
fn summary_callout(blocks: &[Block]) -> Option<&[Block]> {
    let mut found = None;
    crate::walk::visit_blocks(blocks, &mut |block| {
        if let Block::Callout(c) = block {
            if found.is_none() && c.is_summary() {
                found = Some(c.blocks.as_slice());
            }
        }
    });
    found
}

/// Keys of the pages that are a section's index, at any depth.
fn section_index_keys(sections: &[Section]) -> BTreeSet<&str> {
    let mut keys = BTreeSet::new();
    for section in sections {
        keys.extend(section.index.as_deref());
        keys.extend(section_index_keys(&section.children));
    }
    keys
}

/// Every section with an index page, as (file slug, index page, parts in reading order).
/// Parts are the section's grouped pages, then its children's index pages.
fn section_files<'a>(
    corpus: &'a Corpus,
    urls: &SiteUrls<'a>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, &'a Page, Vec<&'a Page>)> {
    let mut flat = Vec::new();
    flatten_sections(&corpus.sections, &mut flat);
    let mut slugs = names::UniqueNames::default();
    let mut files = Vec::new();
    for section in flat {
        let Some(index) = section.index.as_deref().and_then(|k| urls.page_by_key(k)) else {
            diags.push(Diagnostic::note(
                SECTION_SKIPPED,
                section.url.trim_start_matches('/'),
                Pos::default(),
                "section without an index page: no CollectionPage written, it would have no page to describe",
            ));
            continue;
        };
        let grouped = section.groups.iter().flat_map(|g| &g.pages).map(String::as_str);
        let children = section.children.iter().filter_map(|c| c.index.as_deref());
        let parts = grouped.chain(children).filter_map(|k| urls.page_by_key(k)).collect();
        let slug = slugs.claim(&names::section_slug(&section.url), &index.source, diags);
        files.push((slug, index, parts));
    }
    files
}

fn flatten_sections<'a>(sections: &'a [Section], out: &mut Vec<&'a Section>) {
    for section in sections {
        out.push(section);
        flatten_sections(&section.children, out);
    }
}

/// Writes `STEM.jsonld` and its `STEM.html` snippet.
fn write_document(sink: &mut dyn Sink, stem: &str, nodes: Vec<Value>) -> anyhow::Result<()> {
    let mut json = serde_json::to_string_pretty(&graph::document(nodes))?;
    json.push('\n');
    sink.write(&format!("{stem}.html"), script_snippet(&json).into_bytes())?;
    sink.write(&format!("{stem}.jsonld"), json.into_bytes())?;
    Ok(())
}

/// The JSON inside `<script type="application/ld+json">`. `</` and `<!--` can only occur
/// inside JSON strings, where `<\/` and `\u003c!--` are equivalent escapes, so no text can
/// close the script element or switch the parser into its escaped states.
fn script_snippet(json: &str) -> String {
    let escaped = json.replace("</", "<\\/").replace("<!--", "\\u003c!--");
    format!("<script type=\"application/ld+json\">\n{}\n</script>\n", escaped.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_cannot_be_closed_by_text() {
        let json = serde_json::to_string(&serde_json::json!({"text": "</script><script>alert(1)</script>"})).unwrap();
        let snippet = script_snippet(&json);
        assert_eq!(snippet.matches("</script").count(), 1, "{snippet}");
    }

    #[test]
    fn snippet_escapes_comment_openers_and_stays_the_same_json() {
        let value = serde_json::json!({"text": "<!-- <script> </p>"});
        let snippet = script_snippet(&serde_json::to_string(&value).unwrap());
        assert!(!snippet.contains("<!--"));
        let inner =
            snippet.trim_start_matches("<script type=\"application/ld+json\">\n").trim_end_matches("\n</script>\n");
        assert_eq!(serde_json::from_str::<serde_json::Value>(inner).unwrap(), value);
    }

    #[test]
    fn questions_differing_by_case_and_spacing_are_the_same() {
        assert_eq!(normalise_question("Quels  sont les acteurs ?"), normalise_question("quels sont les Acteurs ?"));
    }
}
