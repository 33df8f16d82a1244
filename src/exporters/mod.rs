//! Built-in exporters, one module each. Register a new one in `exporter::builtin_exporters`.

pub mod dita;
pub mod epub;
pub mod external;
pub mod json;
pub mod jsonld;
pub mod pdf;
