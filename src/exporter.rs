//! The exporter seam: one trait and one context shared read-only by every format. The
//! registry is `exporters::registry`; this module knows no format.
//!
//! Like mdBook's `Renderer`, an exporter has a name and one method. It reads the finished
//! model from the context and writes files through a sink, never to paths it chooses, so the
//! build can commit each format atomically and tests can export into memory.

use crate::assets::AssetStore;
use crate::diagnostics::Diagnostic;
use crate::diagrams::DiagramStore;
use crate::model::Corpus;
use anyhow::Context;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;

/// Everything an exporter may read. Time and identifiers come from here, never from `now()`.
pub struct ExportContext<'a> {
    pub corpus: &'a Corpus,
    pub assets: &'a AssetStore,
    pub diagrams: &'a DiagramStore,
    pub build_time: BuildTime,
    /// This exporter's `[output.NAME]` table from `folio.toml` (empty when absent).
    pub options: &'a toml::Table,
    pub limits: Limits,
}

/// Resource limits applied to untrusted input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Images claiming more pixels than this are not decoded.
    pub max_image_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_image_pixels: 40_000_000 }
    }
}

/// The instant a build describes: `SOURCE_DATE_EPOCH` or the newest source mtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildTime {
    pub epoch_seconds: i64,
}

impl BuildTime {
    /// `YYYY-MM-DDThh:mm:ssZ`.
    pub fn iso8601(&self) -> String {
        let (y, mo, d, h, mi, s) = civil_from_epoch(self.epoch_seconds);
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    /// `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        let (y, mo, d, ..) = civil_from_epoch(self.epoch_seconds);
        format!("{y:04}-{mo:02}-{d:02}")
    }

    /// (year, month, day, hour, minute, second) in UTC.
    pub fn civil(&self) -> (i64, u32, u32, u32, u32, u32) {
        civil_from_epoch(self.epoch_seconds)
    }
}

/// Howard Hinnant's days-to-civil algorithm: UTC calendar fields from Unix seconds.
fn civil_from_epoch(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, (rem / 3600) as u32, ((rem % 3600) / 60) as u32, (rem % 60) as u32)
}

/// Where an exporter writes. Paths are relative to the format's own folder, `/`-separated.
pub trait Sink {
    fn write(&mut self, path: &str, bytes: Vec<u8>) -> anyhow::Result<()>;

    /// Writes a file `produce` makes piece by piece, so that a large one (a large corpus's
    /// `corpus.json`) need never be whole in memory when the sink is a folder.
    fn write_with(
        &mut self,
        path: &str,
        produce: &mut dyn FnMut(&mut dyn Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        produce(&mut bytes)?;
        self.write(path, bytes)
    }
}

/// The files a format wrote, as its exporter reads them back for the fidelity audit.
pub trait Outputs: Sync {
    /// Every path written, sorted.
    fn paths(&self) -> Vec<&str>;
    /// The bytes of a written file.
    fn read(&self, path: &str) -> anyhow::Result<Cow<'_, [u8]>>;
    /// A written file, to be read a piece at a time: a large file need not be held whole.
    fn open(&self, path: &str) -> anyhow::Result<Box<dyn std::io::BufRead + '_>> {
        Ok(Box::new(std::io::Cursor::new(self.read(path)?)))
    }

    /// A written file, to be read at any offset from several threads (an archive's entries):
    /// a file on disk is read where it lies instead of into memory.
    fn random_access(&self, path: &str) -> anyhow::Result<crate::random_access::RandomAccess<'_>> {
        Ok(crate::random_access::RandomAccess::Bytes(self.read(path)?))
    }

    /// Where a written file lies on disk, for tools that read files themselves; `None` when
    /// the sink holds it in memory.
    fn disk_path(&self, _path: &str) -> Option<std::path::PathBuf> {
        None
    }
}

/// A sink that keeps files in memory: what tests and the fuzz harness export into.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MemorySink {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Sink for MemorySink {
    fn write(&mut self, path: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        ensure_safe(path)?;
        self.files.insert(path.to_string(), bytes);
        Ok(())
    }
}

impl Outputs for MemorySink {
    fn paths(&self) -> Vec<&str> {
        self.files.keys().map(String::as_str).collect()
    }

    fn read(&self, path: &str) -> anyhow::Result<Cow<'_, [u8]>> {
        self.files.get(path).map(|b| Cow::Borrowed(b.as_slice())).with_context(|| format!("{path} was not written"))
    }
}

/// A sink that keeps nothing: the benchmark's, which measures the exporters and not the file
/// system (a build streams the same files to disk).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DiscardSink;

impl Sink for DiscardSink {
    fn write(&mut self, path: &str, _bytes: Vec<u8>) -> anyhow::Result<()> {
        ensure_safe(path)
    }

    fn write_with(
        &mut self,
        path: &str,
        produce: &mut dyn FnMut(&mut dyn Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        ensure_safe(path)?;
        produce(&mut std::io::sink())
    }
}

/// Refuses a path that would leave the format's folder.
pub fn ensure_safe(path: &str) -> anyhow::Result<()> {
    anyhow::ensure!(is_safe_relative_path(path), "exporter tried to write outside its folder: {path:?}");
    Ok(())
}

/// A relative path with no `..`, no absolute root and no empty component.
pub fn is_safe_relative_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

/// An output format.
pub trait Exporter: Send + Sync {
    /// The name used by `--format` and `[output.NAME]`.
    fn name(&self) -> &'static str;
    /// One line for `folio formats`.
    fn description(&self) -> &'static str;
    /// Writes the format. Problems the format cannot express go to `diags`; an `Err` means
    /// the format as a whole failed, and its previous output is left in place.
    fn export(&self, ctx: &ExportContext, sink: &mut dyn Sink, diags: &mut Vec<Diagnostic>) -> anyhow::Result<()>;

    /// Reads this format's own output back for the fidelity audit; `None` when the format
    /// cannot be audited (external commands).
    fn read_back(&self, _files: &dyn Outputs) -> anyhow::Result<Option<crate::fidelity::ReadBack>> {
        Ok(None)
    }

    /// The source text this format promises to carry, when it is not everything the model
    /// holds (`fidelity::Promise::of_corpus`, what full-text formats carry and `None` stands for).
    fn promised_text(&self, _corpus: &Corpus) -> Option<String> {
        None
    }

    /// Whether the build should keep freed memory for reuse while this format runs (a layout
    /// engine that allocates and frees in waves), rather than hand it back to the system.
    fn keeps_freed_memory(&self) -> bool {
        false
    }

    /// Whether `path`, written by this format, is its main file: a successful export of a
    /// corpus with pages writes one (checked by the fuzzing harness).
    fn is_main_file(&self, _path: &str) -> bool {
        true
    }

    /// Whether a successful export of a corpus with no page still writes a main file.
    fn writes_main_file_without_pages(&self) -> bool {
        true
    }

    /// Whether this format shows drawn diagrams (`ExportContext::diagrams`). One that does not
    /// starts while they are drawn; the others are given them once drawn.
    fn uses_diagrams(&self) -> bool {
        true
    }

    /// How long this format takes beside the others, roughly, per page: the build starts the
    /// heaviest first, so that their parts that run on one thread overlap the others' work.
    fn relative_cost(&self) -> u32 {
        1
    }

    /// How `folio-bench` times this format: with the others, or in a stage of its own when
    /// its layout dominates every other format's time.
    fn bench_stage(&self) -> BenchStage {
        BenchStage::WithTheOthers
    }
}

/// See `Exporter::bench_stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchStage {
    WithTheOthers,
    OwnStage,
}
