//! The exporters, one module each, and their registry. Adding a format is its module and one
//! line in `builtin`.

pub mod dita;
pub mod epub;
pub mod external;
pub mod json;
pub mod jsonld;
pub mod pdf;

use crate::config::Config;
use crate::exporter::Exporter;

/// The built-in exporters, in the order `folio formats` lists them.
pub fn builtin() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(json::JsonExporter),
        Box::new(jsonld::JsonLdExporter),
        Box::new(dita::DitaExporter),
        Box::new(epub::EpubExporter),
        Box::new(pdf::PdfExporter),
    ]
}

/// Every exporter known for this config: the built-ins, then its external commands.
pub fn registry(config: &Config) -> Vec<Box<dyn Exporter>> {
    let mut list = builtin();
    for (name, spec) in config.external_exporters() {
        list.push(Box::new(external::ExternalExporter::new(&name, spec, &config.root)));
    }
    list
}
