//! JSON: the document model itself, for any other CMS import, with its JSON Schema.

use crate::diagnostics::Diagnostic;
use crate::exporter::{ExportContext, Exporter, MemorySink, Sink};
use crate::fidelity::ReadBack;
use crate::model::Corpus;

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
        let value = read_json(bytes)?;
        let mut text = String::new();
        crate::fidelity::json_strings(&value, &mut text);
        let corpus: Corpus = serde_json::from_value(value)?;
        Ok(Some(ReadBack { text, counts: Some(crate::fidelity::model_counts(&corpus)) }))
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

/// The model, pretty-printed with a trailing newline. Field order is the model's, maps are
/// sorted, so the bytes are stable.
pub fn corpus_json(corpus: &Corpus) -> anyhow::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(corpus)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// JSON Schema (draft 2020-12) of `corpus.json`, derived from the model types.
pub fn corpus_schema_json() -> anyhow::Result<Vec<u8>> {
    let schema = schemars::schema_for!(Corpus);
    let mut bytes = serde_json::to_vec_pretty(&schema)?;
    bytes.push(b'\n');
    Ok(bytes)
}
