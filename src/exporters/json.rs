//! JSON: the document model itself, for any other CMS import, with its JSON Schema.

use crate::diagnostics::Diagnostic;
use crate::exporter::{ExportContext, Exporter, MemorySink, Sink};
use crate::fidelity::ReadBack;
use crate::model::Corpus;
use rayon::prelude::*;

pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn name(&self) -> &'static str {
        "json"
    }

    fn description(&self) -> &'static str {
        "the document model as JSON (corpus.json) with its JSON Schema (corpus.schema.json)"
    }

    fn export(&self, ctx: &ExportContext, sink: &mut dyn Sink, _diags: &mut Vec<Diagnostic>) -> anyhow::Result<()> {
        sink.write("corpus.json", corpus_json(ctx.corpus)?)?;
        sink.write("corpus.schema.json", corpus_schema_json()?)?;
        Ok(())
    }

    /// Every string of `corpus.json`, and the counts of the model it deserialises into.
    fn read_back(&self, files: &MemorySink) -> anyhow::Result<Option<ReadBack>> {
        let Some(bytes) = files.files.get("corpus.json") else { return Ok(None) };
        // Two streaming passes side by side, with no JSON tree in between: a 10,000-page
        // corpus.json is 200 MB, and its `Value` tree several times that.
        let (text, corpus) = rayon::join(|| crate::fidelity::json_strings_of(bytes), || read_corpus_json(bytes));
        Ok(Some(ReadBack { text: text?, counts: Some(crate::fidelity::model_counts(&corpus?)) }))
    }
}

/// Parses a `corpus.json` folio wrote. The model nests up to `reader::MAX_DEPTH` containers,
/// two JSON levels each, deeper than serde_json's default limit of 128 levels, so the limit
/// is lifted: folio's own output is bounded by the reader's limits.
pub fn read_json(bytes: &[u8]) -> serde_json::Result<serde_json::Value> {
    use serde::Deserialize;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    de.disable_recursion_limit();
    let value = serde_json::Value::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Parses a `corpus.json` folio wrote straight into the model (same depth rule as `read_json`).
pub fn read_corpus_json(bytes: &[u8]) -> serde_json::Result<Corpus> {
    use serde::Deserialize;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    de.disable_recursion_limit();
    let corpus = Corpus::deserialize(&mut de)?;
    de.end()?;
    Ok(corpus)
}

/// The model as JSON, one page (and one data record) per line, with a trailing newline.
///
/// Compact, because indentation more than doubled the file (a 10,000-page corpus.json was
/// 220 MB pretty-printed, 106 MB compact); one item per line, so that a diff or a `grep`
/// shows pages, and `jq .` prints it for a person. Field order is the model's and maps are
/// sorted, so the bytes are stable. Pages are printed in parallel, a bounded batch at a time.
pub fn corpus_json(corpus: &Corpus) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    out.extend_from_slice(b"{\"format_version\":");
    serde_json::to_writer(&mut out, &corpus.format_version)?;
    out.extend_from_slice(b",\"site\":");
    serde_json::to_writer(&mut out, &corpus.site)?;
    out.extend_from_slice(b",\"pages\":");
    one_per_line(&corpus.pages, &mut out)?;
    out.extend_from_slice(b",\"records\":");
    one_per_line(&corpus.records, &mut out)?;
    out.extend_from_slice(b",\"sections\":");
    serde_json::to_writer(&mut out, &corpus.sections)?;
    out.extend_from_slice(b"}\n");
    Ok(out)
}

/// A JSON array with each item on a line of its own.
fn one_per_line<T: serde::Serialize + Sync>(items: &[T], out: &mut Vec<u8>) -> serde_json::Result<()> {
    if items.is_empty() {
        out.extend_from_slice(b"[]");
        return Ok(());
    }
    out.push(b'[');
    for (batch_index, batch) in items.chunks(256).enumerate() {
        let lines: Vec<Vec<u8>> = batch.par_iter().map(serde_json::to_vec).collect::<serde_json::Result<_>>()?;
        for (i, line) in lines.iter().enumerate() {
            out.extend_from_slice(if batch_index == 0 && i == 0 { b"\n" } else { b",\n" });
            out.extend_from_slice(line);
        }
    }
    out.extend_from_slice(b"\n]");
    Ok(())
}

/// JSON Schema (draft 2020-12) of `corpus.json`, derived from the model types.
pub fn corpus_schema_json() -> anyhow::Result<Vec<u8>> {
    let schema = schemars::schema_for!(Corpus);
    let mut bytes = serde_json::to_vec_pretty(&schema)?;
    bytes.push(b'\n');
    Ok(bytes)
}
