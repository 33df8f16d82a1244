//! JSON: the document model itself, for any other CMS import, with its JSON Schema.

use crate::diagnostics::Diagnostic;
use crate::exporter::{ExportContext, Exporter, Outputs, Sink};
use crate::fidelity::{Counts, ReadBack};
use crate::model::Corpus;
use anyhow::Context;
use rayon::prelude::*;
use std::io::{BufRead, Write};

pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn name(&self) -> &'static str {
        "json"
    }

    // The model holds each diagram's source; drawn pictures are for the reading formats.
    fn uses_diagrams(&self) -> bool {
        false
    }

    // Written quickly, but read back twice over: as the model and for its strings.
    fn relative_cost(&self) -> u32 {
        2
    }

    fn is_main_file(&self, path: &str) -> bool {
        path == "corpus.json"
    }

    fn description(&self) -> &'static str {
        "the document model as JSON (corpus.json) with its JSON Schema (corpus.schema.json)"
    }

    fn export(&self, ctx: &ExportContext, sink: &mut dyn Sink, _diags: &mut Vec<Diagnostic>) -> anyhow::Result<()> {
        sink.write_with("corpus.json", &mut |out| write_corpus_json(ctx.corpus, out))?;
        sink.write("corpus.schema.json", corpus_schema_json()?)?;
        Ok(())
    }

    /// Every string of `corpus.json`, and the counts of the model it deserialises into.
    fn read_back(&self, files: &dyn Outputs) -> anyhow::Result<Option<ReadBack>> {
        if !files.paths().contains(&"corpus.json") {
            return Ok(None);
        }
        let mut input = files.open("corpus.json")?;
        Ok(Some(read_back_corpus_json(&mut *input).context("reading corpus.json back")?))
    }
}

/// Page and record lines read back side by side, this many at a time: a batch, not the whole
/// file, is what the audit holds.
const LINE_BATCH: usize = 256;

/// Which list of `corpus.json` the lines being read belong to.
#[derive(Clone, Copy)]
enum List {
    Pages,
    Records,
}

/// What a reader of a `corpus.json` folio wrote finds in it: every string value, and the
/// counts of the model it deserialises into, every part deserialised into its model type.
///
/// It is read a line at a time: in the layout `write_corpus_json` gives it, one page or data
/// record per line, those lines are read in parallel batches and dropped, and an error says
/// at which line. What is left, the corpus without them, is read last, as the model: in that
/// layout its lists of pages and records are empty; in any other, it is the whole file.
pub fn read_back_corpus_json(input: &mut dyn BufRead) -> anyhow::Result<ReadBack> {
    let mut found = ReadBack::default();
    let mut outline = Vec::new();
    let mut batch: Vec<(usize, Vec<u8>)> = Vec::with_capacity(LINE_BATCH);
    let mut list = None;
    let mut line = Vec::new();
    for number in 1.. {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        match list {
            Some(kind) if !line.starts_with(b"]") => {
                if line.last() == Some(&b',') {
                    line.pop();
                }
                batch.push((number, std::mem::take(&mut line)));
                if batch.len() == LINE_BATCH {
                    found = found.merge(read_lines(kind, &mut batch)?);
                }
                continue;
            }
            Some(kind) => found = found.merge(read_lines(kind, &mut batch)?),
            None => {}
        }
        outline.extend_from_slice(&line);
        list = if line.ends_with(b"\"pages\":[") {
            Some(List::Pages)
        } else if line.ends_with(b"\"records\":[") {
            Some(List::Records)
        } else {
            None
        };
    }
    anyhow::ensure!(list.is_none() && batch.is_empty(), "the file ends inside its list of pages or records");
    let rest = read_corpus_json(&outline)?;
    crate::json_strings::for_each_string_value_of_parsed(std::str::from_utf8(&outline)?, |s| found.hear(s));
    *found.counts.get_or_insert_with(Counts::default) += crate::fidelity::model_counts(&rest);
    Ok(found)
}

/// The words of a batch of page or record lines, and the counts of its pages; the batch is
/// emptied.
fn read_lines(kind: List, batch: &mut Vec<(usize, Vec<u8>)>) -> anyhow::Result<ReadBack> {
    let read = batch
        .par_iter()
        .try_fold(ReadBack::default, |mut found, (number, line)| {
            read_line(kind, line, &mut found).with_context(|| format!("line {number}"))?;
            Ok(found)
        })
        .try_reduce(ReadBack::default, |a, b| Ok(a.merge(b)));
    batch.clear();
    read
}

fn read_line(kind: List, line: &[u8], found: &mut ReadBack) -> anyhow::Result<()> {
    match kind {
        List::Pages => {
            let page: crate::model::Page = without_depth_limit(line, |de| serde::Deserialize::deserialize(de))?;
            *found.counts.get_or_insert_with(Counts::default) += crate::fidelity::page_counts(&page);
        }
        List::Records => {
            without_depth_limit(line, |de| <crate::model::DataRecord as serde::Deserialize>::deserialize(de))?;
        }
    }
    // Heard once parsed: the scan relies on the line being JSON.
    crate::json_strings::for_each_string_value_of_parsed(std::str::from_utf8(line)?, |s| found.hear(s));
    Ok(())
}

/// Parses a `corpus.json` folio wrote. The model nests up to `reader::MAX_DEPTH` containers,
/// two JSON levels each, deeper than serde_json's default limit of 128 levels, so the limit
/// is lifted: folio's own output is bounded by the reader's limits.
pub fn read_json(bytes: &[u8]) -> serde_json::Result<serde_json::Value> {
    without_depth_limit(bytes, |de| serde::Deserialize::deserialize(de))
}

/// Parses a `corpus.json` folio wrote straight into the model (same depth rule as `read_json`).
pub fn read_corpus_json(bytes: &[u8]) -> serde_json::Result<Corpus> {
    without_depth_limit(bytes, |de| serde::Deserialize::deserialize(de))
}

/// Runs `read` over the whole of `bytes` with serde_json's depth limit lifted (see
/// `read_json`), and checks that nothing but whitespace follows.
fn without_depth_limit<'de, T>(
    bytes: &'de [u8],
    read: impl FnOnce(&mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>) -> serde_json::Result<T>,
) -> serde_json::Result<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    de.disable_recursion_limit();
    let value = read(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Counts what a `corpus.json` folio wrote holds, checking it as `read_back_corpus_json` does.
pub fn count_corpus_json(bytes: &[u8]) -> anyhow::Result<Counts> {
    Ok(read_back_corpus_json(&mut &*bytes)?.counts.unwrap_or_default())
}

/// The model as JSON, one page (and one data record) per line, with a trailing newline.
///
/// Compact, because indentation more than doubled the file; one item per line, so that a diff or a `grep`
/// shows pages, and `jq .` prints it for a person. Field order is the model's and maps are
/// sorted, so the bytes are stable. Pages are printed in parallel, a bounded batch at a time.
pub fn corpus_json(corpus: &Corpus) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    write_corpus_json(corpus, &mut out)?;
    Ok(out)
}

/// `corpus_json` written to `out` as it is printed: at most one batch of pages is held.
pub fn write_corpus_json(corpus: &Corpus, out: &mut dyn Write) -> anyhow::Result<()> {
    out.write_all(b"{\"format_version\":")?;
    serde_json::to_writer(&mut *out, &corpus.format_version)?;
    out.write_all(b",\"site\":")?;
    serde_json::to_writer(&mut *out, &corpus.site)?;
    out.write_all(b",\"pages\":")?;
    one_per_line(&corpus.pages, out)?;
    out.write_all(b",\"records\":")?;
    one_per_line(&corpus.records, out)?;
    out.write_all(b",\"sections\":")?;
    serde_json::to_writer(&mut *out, &corpus.sections)?;
    out.write_all(b"}\n")?;
    Ok(())
}

/// A JSON array with each item on a line of its own.
fn one_per_line<T: serde::Serialize + Sync>(items: &[T], out: &mut dyn Write) -> anyhow::Result<()> {
    if items.is_empty() {
        out.write_all(b"[]")?;
        return Ok(());
    }
    out.write_all(b"[")?;
    for (batch_index, batch) in items.chunks(256).enumerate() {
        let lines: Vec<Vec<u8>> = batch.par_iter().map(serde_json::to_vec).collect::<serde_json::Result<_>>()?;
        for (i, line) in lines.iter().enumerate() {
            out.write_all(if batch_index == 0 && i == 0 { b"\n" } else { b",\n" })?;
            out.write_all(line)?;
        }
    }
    out.write_all(b"\n]")?;
    Ok(())
}

/// JSON Schema (draft 2020-12) of `corpus.json`, derived from the model types.
pub fn corpus_schema_json() -> anyhow::Result<Vec<u8>> {
    let schema = schemars::schema_for!(Corpus);
    let mut bytes = serde_json::to_vec_pretty(&schema)?;
    bytes.push(b'\n');
    Ok(bytes)
}
