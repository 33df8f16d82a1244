//! The build: read once, render diagrams once, run the exporters in parallel, commit each
//! format atomically, write the report.

mod side_by_side;

use crate::assets::AssetStore;
use crate::config::Config;
use crate::diagnostics::{self, Diagnostic};
use crate::diagrams::DiagramStore;
use crate::exporter::{BuildTime, ExportContext, Exporter, Limits, Outputs, Sink};
use crate::fidelity::{FormatFidelity, Promise, ReadBack};
use crate::folder_sink::FolderSink;
use crate::model::{Corpus, Pos};
use anyhow::{bail, Context};
use rayon::prelude::*;
use serde::Serialize;
use side_by_side::{Beside, Exported};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to build, with every path already resolved.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    pub config: Config,
    pub content: PathBuf,
    pub assets: PathBuf,
    pub out: PathBuf,
    /// `None`: the config's list, or every format.
    pub formats: Option<Vec<String>>,
    /// Only read and report; write nothing.
    pub check_only: bool,
    /// `--includes` and `--data`: the site's template folders, over the config's.
    pub includes: Option<PathBuf>,
    pub data: Option<PathBuf>,
    /// `--language`: only the pages in these languages (BCP 47 tags; `fr` takes `fr-CA` too).
    /// Empty: every page.
    pub languages: Vec<String>,
}

impl BuildRequest {
    /// The site's template folders and settings: the CLI's, else the config's, else the
    /// folders found beside the content folder.
    pub fn site_folders(&self) -> crate::reader::SiteFolders {
        let config = &self.config;
        let from_config = |p: &Option<PathBuf>| p.as_deref().map(|p| config.resolve_path(p));
        crate::reader::SiteFolders {
            includes: self.includes.clone().or_else(|| from_config(&config.build.includes)),
            data: self.data.clone().or_else(|| from_config(&config.build.data)),
            config_data: config.template_data(),
            trim_blocks: config.templates.trim_blocks,
            lstrip_blocks: config.templates.lstrip_blocks,
            containers: config.containers.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            site_given: config.site_given,
        }
        .or_discovered(&self.content)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FormatReport {
    pub ok: bool,
    pub error: Option<String>,
    pub files: Vec<String>,
    #[serde(skip)]
    pub elapsed: Duration,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub summary: diagnostics::Summary,
    pub pages: usize,
    pub records: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub formats: BTreeMap<String, FormatReport>,
    /// The first stage: the words a reader of the site sees, found in the model.
    pub source_to_model: crate::source_audit::SourceReport,
    /// Per format: words, counts and approximations, read back from the output.
    pub fidelity: BTreeMap<String, crate::fidelity::FormatFidelity>,
    #[serde(skip)]
    pub timings: Vec<Timing>,
    #[serde(skip)]
    pub bytes_read: u64,
}

/// One stage of a build for `--timings`. Exporters run side by side, so their times overlap,
/// and the peak resident size is the process's so far.
#[derive(Debug, Clone)]
pub struct Timing {
    pub stage: String,
    pub elapsed: Duration,
    pub peak_rss: u64,
}

/// A corpus read and ready to export, with what exporters share.
pub struct Loaded {
    pub corpus: Corpus,
    pub assets: AssetStore,
    pub diagrams: DiagramStore,
    pub build_time: BuildTime,
    pub diagnostics: Vec<Diagnostic>,
    pub bytes_read: u64,
}

impl Loaded {
    /// What an exporter reads of this corpus, with its own options.
    pub fn context<'a>(&'a self, options: &'a toml::Table, limits: Limits) -> ExportContext<'a> {
        self.context_with(&self.diagrams, options, limits)
    }

    /// `context`, with diagrams drawn apart from this corpus's store.
    pub fn context_with<'a>(
        &'a self,
        diagrams: &'a DiagramStore,
        options: &'a toml::Table,
        limits: Limits,
    ) -> ExportContext<'a> {
        ExportContext {
            corpus: &self.corpus,
            assets: &self.assets,
            diagrams,
            build_time: self.build_time,
            options,
            limits,
        }
    }
}

/// Reads the content folder into the model and renders its diagrams.
pub fn load(req: &BuildRequest) -> anyhow::Result<Loaded> {
    let mut loaded = read_model(req)?;
    draw_diagrams(&mut loaded);
    Ok(loaded)
}

/// Reads, parses and resolves the content folder: the model, with no diagram drawn yet.
pub fn read_model(req: &BuildRequest) -> anyhow::Result<Loaded> {
    read_model_audited(req).map(|(loaded, _)| loaded)
}

/// `read_model`, with each page's source → model audit.
fn read_model_audited(req: &BuildRequest) -> anyhow::Result<(Loaded, Vec<crate::source_audit::PageAudit>)> {
    anyhow::ensure!(req.content.is_dir(), "content folder {} does not exist", req.content.display());
    let assets = AssetStore::new(&req.assets)
        .with_context(|| format!("assets folder {}", req.assets.display()))?
        .with_fallback(&req.content);
    let read = crate::reader::read_site(&req.content, &assets, req.config.site_meta(), &req.site_folders())?;
    let build_time = BuildTime { epoch_seconds: source_date_epoch().or(read.newest_mtime).unwrap_or(0) };
    let diagrams = DiagramStore::empty();
    let (mut corpus, mut diagnostics, bytes_read) = (read.corpus, read.diagnostics, read.bytes_read);
    let mut source_audit = read.source_audit;
    if !req.languages.is_empty() {
        corpus = choose_languages(corpus, &req.languages, &mut diagnostics);
        let kept: std::collections::HashSet<&str> = corpus.pages.iter().map(|p| p.source.as_str()).collect();
        source_audit.retain(|a| kept.contains(a.file.as_str()));
    }
    let loaded = Loaded { corpus, assets, diagrams, build_time, diagnostics, bytes_read };
    Ok((loaded, source_audit))
}

/// The corpus's pages in the languages asked for; a language no page is in is reported.
fn choose_languages(
    corpus: crate::model::Corpus,
    wanted: &[String],
    diags: &mut Vec<Diagnostic>,
) -> crate::model::Corpus {
    let present = crate::languages::languages(&corpus);
    for language in wanted.iter().filter(|w| !present.iter().any(|p| crate::languages::matches(p, w))) {
        let message = format!("no page is in the language `{language}` (the corpus has: {})", present.join(", "));
        diags.push(Diagnostic::warning(crate::codes::BUILD_UNKNOWN_LANGUAGE, "--language", Pos::default(), message));
    }
    crate::languages::select(&corpus, wanted)
}

/// Draws every distinct diagram of the model once, for every exporter to share.
pub fn draw_diagrams(loaded: &mut Loaded) {
    loaded.diagrams = crate::diagrams::render_all(&loaded.corpus, &mut loaded.diagnostics);
}

/// Peak resident set size of this process so far, in bytes (Linux; 0 elsewhere).
pub fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// Like `load`, from in-memory sources (content-relative path, bytes) instead of a folder:
/// nothing is read from disk except what `assets` holds (`AssetStore::empty()` holds nothing).
/// The build time is `epoch_seconds`, so the outputs are reproducible.
pub fn load_from_sources(
    sources: &[(String, Vec<u8>)],
    assets: AssetStore,
    config: &Config,
    epoch_seconds: i64,
) -> Loaded {
    let read = crate::reader::read_sources(sources, &assets, config.site_meta());
    let build_time = BuildTime { epoch_seconds };
    let mut loaded = Loaded {
        corpus: read.corpus,
        assets,
        diagrams: DiagramStore::empty(),
        build_time,
        diagnostics: read.diagnostics,
        bytes_read: read.bytes_read,
    };
    draw_diagrams(&mut loaded);
    loaded
}

/// `SOURCE_DATE_EPOCH`, the reproducible-builds convention.
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

/// The exporters named by `formats` (or the config, or all), in registry order.
pub fn select_exporters(config: &Config, formats: Option<&[String]>) -> anyhow::Result<Vec<Box<dyn Exporter>>> {
    let all = crate::exporters::registry(config);
    let wanted: Option<Vec<String>> = formats.map(<[String]>::to_vec).or_else(|| config.build.formats.clone());
    let Some(wanted) = wanted else { return Ok(all) };
    for name in &wanted {
        if !all.iter().any(|e| e.name() == name) {
            let known: Vec<&str> = all.iter().map(|e| e.name()).collect();
            bail!("unknown format `{name}`; known formats: {}", known.join(", "));
        }
    }
    Ok(all.into_iter().filter(|e| wanted.iter().any(|w| w == e.name())).collect())
}

/// Runs a whole build. `on_progress` is told each finished stage.
pub fn run(req: &BuildRequest, on_progress: &(dyn Fn(&str) + Sync)) -> anyhow::Result<BuildReport> {
    let exporters = select_exporters(&req.config, req.formats.as_deref())?;
    if !req.check_only {
        check_out_dir(&req.out, &req.content)?;
    }
    let started = Instant::now();
    let (mut loaded, source_audit) = read_model_audited(req)?;
    crate::allocator::give_back_freed_memory();
    let mut timings =
        vec![Timing { stage: "read + parse + resolve".into(), elapsed: started.elapsed(), peak_rss: peak_rss_bytes() }];
    on_progress("read");
    // Taken, not copied: the exporters never read the reader's diagnostics, and a copy of
    // tens of thousands of them would live through the exports.
    let mut diags = std::mem::take(&mut loaded.diagnostics);
    let (formats, fidelity) = if req.check_only {
        let started = Instant::now();
        let drawn = crate::diagrams::render_all(&loaded.corpus, &mut diags);
        timings.push(Timing {
            stage: format!("diagrams ({} drawn)", drawn.len()),
            elapsed: started.elapsed(),
            peak_rss: peak_rss_bytes(),
        });
        (BTreeMap::new(), BTreeMap::new())
    } else {
        publish(req, &loaded, &exporters, on_progress, &mut timings, &mut diags)
    };
    diagnostics::sort_diagnostics(&mut diags);
    let report = BuildReport {
        summary: diagnostics::summarize(&diags),
        pages: loaded.corpus.pages.len(),
        records: loaded.corpus.records.len(),
        diagnostics: diags,
        formats,
        source_to_model: crate::source_audit::report(source_audit),
        fidelity,
        timings,
        bytes_read: loaded.bytes_read,
    };
    if !req.check_only {
        write_report(&req.out, &report)?;
    }
    Ok(report)
}

/// Draws the diagrams, exports every format straight into its staging folder, audits each
/// against the model from there, and swaps each into `req.out`.
fn publish(
    req: &BuildRequest,
    loaded: &Loaded,
    exporters: &[Box<dyn Exporter>],
    on_progress: &(dyn Fn(&str) + Sync),
    timings: &mut Vec<Timing>,
    diags: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, FormatReport>, BTreeMap<String, FormatFidelity>) {
    let staging = |name: &str| FolderSink::create(staging_folder(&req.out, name));
    let (exported, beside) = side_by_side::export_and_read_back(loaded, &req.config, exporters, &staging, on_progress);
    let Beside { drawn, drawing_diags, drawing, model_side } = beside;
    timings.push(Timing {
        stage: format!("diagrams ({} drawn)", drawn.len()),
        elapsed: drawing,
        peak_rss: peak_rss_bytes(),
    });
    diags.extend(drawing_diags);
    let exports_done = exported.iter().map(|e| e.done).max().unwrap_or_else(Instant::now);
    let mut results = Vec::with_capacity(exported.len());
    let mut read_backs = Vec::with_capacity(exported.len());
    for Exported { result, read_back, .. } in exported {
        let (name, outcome, _) = &result;
        let elapsed = outcome.as_ref().map_or(Duration::ZERO, |(_, elapsed)| *elapsed);
        timings.push(Timing { stage: name.clone(), elapsed, peak_rss: peak_rss_bytes() });
        results.push(result);
        read_backs.push(read_back);
    }
    let mut fidelity = BTreeMap::new();
    for (name, audit) in audit_formats(loaded, exporters, &results, read_backs, &model_side) {
        match audit {
            Ok(Some(f)) => drop(fidelity.insert(name, f)),
            Ok(None) => {}
            Err(e) => diags.push(Diagnostic::warning(
                crate::codes::FIDELITY_UNREADABLE,
                name.as_str(),
                Pos::default(),
                format!("cannot read the {name} output back for the audit: {e:#}"),
            )),
        }
    }
    // The audit's stage is what it adds after the last export: the read-backs and the model's
    // side run while the other exporters still work.
    let audit = Instant::now().saturating_duration_since(exports_done);
    timings.push(Timing { stage: "fidelity audit".into(), elapsed: audit, peak_rss: peak_rss_bytes() });
    let started = Instant::now();
    let mut formats = BTreeMap::new();
    for (name, result, found) in results {
        diags.extend(found);
        let report = commit(&req.out, &name, result, diags);
        formats.insert(name, report);
    }
    timings.push(Timing { stage: "commit".into(), elapsed: started.elapsed(), peak_rss: peak_rss_bytes() });
    (formats, fidelity)
}

/// Audits every format's read-back against the model's side (its promised words and its
/// counts), formats side by side.
fn audit_formats<S: Outputs>(
    loaded: &Loaded,
    exporters: &[Box<dyn Exporter>],
    results: &[ExportResult<S>],
    read_backs: Vec<anyhow::Result<Option<ReadBack>>>,
    (full, model_counts): &(Promise, crate::fidelity::Counts),
) -> Vec<(String, anyhow::Result<Option<FormatFidelity>>)> {
    read_backs
        .into_par_iter()
        .zip(results)
        .zip(exporters)
        .map(|((read_back, (name, _, found)), exporter)| {
            let audit = read_back.map(|read_back| {
                read_back.map(|rb| match exporter.promised_text(&loaded.corpus) {
                    Some(own) => crate::fidelity::audit(&Promise::new(&own), *model_counts, &rb, found),
                    None => crate::fidelity::audit(full, *model_counts, &rb, found),
                })
            });
            (name.clone(), audit)
        })
        .collect()
}

/// One format's name, its sink and export time (or why it failed), and its diagnostics.
pub type ExportResult<S> = (String, anyhow::Result<(S, Duration)>, Vec<Diagnostic>);

/// Runs every exporter in parallel over the same model, each into the sink `make_sink`
/// gives for its name; none sees another's output.
pub fn export_all<S: Sink + Send>(
    loaded: &Loaded,
    config: &Config,
    exporters: &[Box<dyn Exporter>],
    make_sink: &(dyn Fn(&str) -> anyhow::Result<S> + Sync),
    on_progress: &(dyn Fn(&str) + Sync),
) -> Vec<ExportResult<S>> {
    exporters
        .par_iter()
        .map(|exporter| export_one(loaded, &loaded.diagrams, config, exporter.as_ref(), make_sink, on_progress))
        .collect()
}

/// Runs one exporter into the sink `make_sink` gives for its name.
fn export_one<S: Sink>(
    loaded: &Loaded,
    diagrams: &DiagramStore,
    config: &Config,
    exporter: &dyn Exporter,
    make_sink: &(dyn Fn(&str) -> anyhow::Result<S> + Sync),
    on_progress: &(dyn Fn(&str) + Sync),
) -> ExportResult<S> {
    let empty = toml::Table::new();
    let limits = Limits { max_image_pixels: config.limits.max_image_pixels };
    let ctx = loaded.context_with(diagrams, config.output.get(exporter.name()).unwrap_or(&empty), limits);
    let start = Instant::now();
    let mut found = Vec::new();
    let result = make_sink(exporter.name())
        .and_then(|mut sink| exporter.export(&ctx, &mut sink, &mut found).map(|()| (sink, start.elapsed())));
    on_progress(exporter.name());
    (exporter.name().to_string(), result, found)
}

/// Swaps a format's staging folder `OUT/.NAME.tmp` into `OUT/NAME`. A failed exporter's
/// staging folder is removed and the previous `OUT/NAME` left untouched.
fn commit(
    out: &Path,
    name: &str,
    result: anyhow::Result<(FolderSink, Duration)>,
    diags: &mut Vec<Diagnostic>,
) -> FormatReport {
    let failed = |error: String, elapsed| FormatReport { ok: false, error: Some(error), files: Vec::new(), elapsed };
    let (sink, elapsed) = match result {
        Ok(r) => r,
        Err(e) => {
            let message = format!("{e:#}");
            // The exporter may have written part of its files before it failed.
            let staging = staging_folder(out, name);
            if staging.exists() {
                let _ = std::fs::remove_dir_all(&staging);
            }
            diags.push(Diagnostic::error(
                crate::codes::EXPORT_FAILED,
                name,
                Pos::default(),
                format!("the {name} exporter failed: {message}; its previous output is kept"),
            ));
            return failed(message, Duration::ZERO);
        }
    };
    match swap_into_place(out, name, sink.root()) {
        Ok(()) => FormatReport {
            ok: true,
            error: None,
            files: sink.written().map(|f| format!("{name}/{f}")).collect(),
            elapsed,
        },
        Err(e) => {
            let message = format!("{e:#}");
            diags.push(Diagnostic::error(
                crate::codes::EXPORT_WRITE_FAILED,
                name,
                Pos::default(),
                format!("cannot write {name} output: {message}"),
            ));
            failed(message, elapsed)
        }
    }
}

/// Where a format is written before it is swapped into `OUT/NAME`.
fn staging_folder(out: &Path, name: &str) -> PathBuf {
    out.join(format!(".{name}.tmp"))
}

fn swap_into_place(out: &Path, name: &str, staging: &Path) -> anyhow::Result<()> {
    let target = out.join(name);
    let old = out.join(format!(".{name}.old"));
    if target.exists() {
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        std::fs::rename(&target, &old)?;
    }
    std::fs::rename(staging, &target)?;
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// The output folder may be neither the content folder nor inside it.
fn check_out_dir(out: &Path, content: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating output folder {}", out.display()))?;
    let (out_c, content_c) =
        (out.canonicalize()?, content.canonicalize().with_context(|| format!("content folder {}", content.display()))?);
    if out_c.starts_with(&content_c) {
        bail!("the output folder {} is inside the content folder {}", out.display(), content.display());
    }
    Ok(())
}

fn write_report(out: &Path, report: &BuildReport) -> anyhow::Result<()> {
    let mut json = serde_json::to_vec_pretty(report)?;
    json.push(b'\n');
    write_atomically(&out.join("report.json"), &json)?;
    let markdown = crate::fidelity::report_markdown(&report.source_to_model, &report.fidelity);
    write_atomically(&out.join("report.md"), markdown.as_bytes())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))?;
    Ok(())
}
