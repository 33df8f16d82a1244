//! DITA 1.2: one topic per page, a map with the navigation, keys and see-also relations, and
//! the images the pages show. Built for a component CMS to import; `MAPPING.md` in
//! `exporters/dita/` says how each model element maps.

mod blocks;
mod components;
mod inlines;
mod map;
mod outline;
mod page;
pub mod plan;
mod readback;
pub mod task;
mod topic;
mod xml;

use crate::diagnostics::Diagnostic;
use crate::exporter::{ExportContext, Exporter, Sink};
use crate::model::{Page, Pos};
use page::PageWriter;
use plan::{Plan, TopicPlan, TopicType};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use xml::Removed;

const CONCEPT_DOCTYPE: &str = include_str!("../../../exporters/dita/doctypes/concept.txt");
const TASK_DOCTYPE: &str = include_str!("../../../exporters/dita/doctypes/task.txt");
const MAP_DOCTYPE: &str = include_str!("../../../exporters/dita/doctypes/map.txt");

/// Pages whose topics are written at once: enough to keep every thread busy, few enough
/// that the topics waiting for the sink stay small.
const TOPIC_WINDOW: usize = 512;

/// Options of `[output.dita]`.
const OPTIONS: &[&str] = &["name"];

pub struct DitaExporter;

impl Exporter for DitaExporter {
    fn name(&self) -> &'static str {
        "dita"
    }

    // A topic per page, parsed back as XML.
    fn relative_cost(&self) -> u32 {
        3
    }

    fn is_main_file(&self, path: &str) -> bool {
        path.ends_with(".ditamap")
    }

    fn description(&self) -> &'static str {
        "DITA 1.2 topics (concept/task), a map with keys and a see-also reltable, and their images"
    }

    fn read_back(&self, files: &dyn crate::exporter::Outputs) -> anyhow::Result<Option<crate::fidelity::ReadBack>> {
        readback::read_back(files).map(Some)
    }

    fn export(&self, ctx: &ExportContext, sink: &mut dyn Sink, diags: &mut Vec<Diagnostic>) -> anyhow::Result<()> {
        let corpus = ctx.corpus;
        let plan = Plan::new(corpus);
        // Topics are written in parallel, a window of pages at a time, then handed to the
        // sink in page order: the files and the diagnostics come out as if they had been
        // written one after another, and only one window of topics is ever in memory.
        let mut shared_files_written: BTreeSet<String> = BTreeSet::new();
        for (pages, topics) in corpus.pages.chunks(TOPIC_WINDOW).zip(plan.topics.chunks(TOPIC_WINDOW)) {
            let written: Vec<anyhow::Result<TopicOutput>> = pages
                .par_iter()
                .zip(topics.par_iter())
                .map(|(page, topic)| write_topic(ctx, &plan, page, topic))
                .collect();
            for topic in written {
                let TopicOutput { file, bytes, extra_files, diags: mut found } = topic?;
                diags.append(&mut found);
                // A diagram drawn on several pages is one file, named by its source's hash.
                for (path, bytes) in extra_files {
                    if shared_files_written.insert(path.clone()) {
                        sink.write(&path, bytes)?;
                    }
                }
                sink.write(&file, bytes)?;
            }
        }
        let name = map_name(ctx, diags);
        // A corpus in several languages gets one map per language, NAME-LANG.ditamap.
        for (language, book) in crate::languages::books(corpus) {
            let suffix = language.as_ref().map(|l| format!("-{}", crate::text::slugify(l))).unwrap_or_default();
            let book_plan = language.as_ref().map(|_| plan.for_book(&book));
            let (map_corpus, map_plan) = match &book_plan {
                Some(book_plan) => (&*book, book_plan),
                None => (corpus, &plan),
            };
            sink.write_with(&format!("{name}{suffix}.ditamap"), &mut |out| {
                let removed = map::write_map(out, MAP_DOCTYPE, map_corpus, map_plan, ctx.build_time)?;
                // The map's text is the site metadata and the page titles (already reported per page).
                report_removed("[site]", &removed, diags);
                Ok(())
            })?;
        }
        copy_assets(ctx, &plan, sink, diags)?;
        for record in &corpus.records {
            diags.push(Diagnostic::note(
                crate::codes::DITA_RECORD_SKIPPED,
                &record.source,
                Pos::default(),
                "a data record (`permalink: false`) is not a page: no topic is written for it",
            ));
        }
        Ok(())
    }
}

/// One written topic: its file, the files it needs besides itself, and its diagnostics.
struct TopicOutput {
    file: String,
    bytes: Vec<u8>,
    extra_files: BTreeMap<String, Vec<u8>>,
    diags: Vec<Diagnostic>,
}

fn write_topic(ctx: &ExportContext, plan: &Plan, page: &Page, topic: &TopicPlan) -> anyhow::Result<TopicOutput> {
    let mut writer = PageWriter::new(plan, ctx.corpus, ctx.diagrams, page, topic);
    let root = writer.topic_element(&ctx.corpus.site, ctx.build_time);
    let doctype = match topic.kind {
        TopicType::Concept => CONCEPT_DOCTYPE,
        TopicType::Task => TASK_DOCTYPE,
    };
    let (bytes, removed) = xml::document(doctype, &root)?;
    // The element tree is no longer needed: freed before the next topic is built.
    drop(root);
    report_removed(&page.source, &removed, &mut writer.diags);
    Ok(TopicOutput { file: topic.file.clone(), bytes, extra_files: writer.files, diags: writer.diags })
}

fn report_removed(file: &str, removed: &Removed, diags: &mut Vec<Diagnostic>) {
    for (pos, count) in removed {
        diags.push(Diagnostic::warning(
            crate::codes::DITA_INVALID_XML_CHAR,
            file,
            *pos,
            format!("{count} character(s) that XML 1.0 forbids were removed"),
        ));
    }
}

/// `options.name`, else the slug of the site title; always a plain file name.
fn map_name(ctx: &ExportContext, diags: &mut Vec<Diagnostic>) -> String {
    for key in ctx.options.keys().filter(|k| !OPTIONS.contains(&k.as_str())) {
        diags.push(Diagnostic::warning(
            crate::codes::DITA_UNKNOWN_OPTION,
            "[output.dita]",
            Pos::default(),
            format!("unknown option `{key}` (known: {})", OPTIONS.join(", ")),
        ));
    }
    let given = ctx.options.get("name").and_then(|v| v.as_str());
    let name = crate::text::slugify(given.unwrap_or(&ctx.corpus.site.title));
    if given.is_some_and(|g| g != name) {
        diags.push(Diagnostic::note(
            crate::codes::DITA_MAP_NAME,
            "[output.dita]",
            Pos::default(),
            format!("map name `{}` is written as the file name `{name}.ditamap`", given.unwrap_or_default()),
        ));
    }
    if name.is_empty() {
        "folio".to_string()
    } else {
        name
    }
}

/// Copies every asset the topics reference, through the asset store only.
fn copy_assets(
    ctx: &ExportContext,
    plan: &Plan,
    sink: &mut dyn Sink,
    diags: &mut Vec<Diagnostic>,
) -> anyhow::Result<()> {
    for (path, asset) in &plan.assets {
        match ctx.assets.read(path) {
            Ok(bytes) => sink.write(&asset.out, bytes)?,
            Err(e) => diags.push(Diagnostic::warning(
                crate::codes::DITA_ASSET_UNREADABLE,
                &asset.source,
                asset.pos,
                format!("cannot copy `{path}` into the DITA output: {e:#}"),
            )),
        }
    }
    Ok(())
}
