//! The child side of the harness: one stage, run in a fresh process so that its peak RSS is its
//! own, printing `seconds pages bytes peak_kb`, then `pdf_pages=N` or `audit=SECONDS` where they apply.

use folio::build::{self, BuildRequest, Loaded};
use folio::config::Config;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Child side: runs one stage and prints `seconds pages bytes peak_kb`.
pub fn run_stage(args: &[String]) -> anyhow::Result<()> {
    let [stage, content, assets, jobs] = args else {
        anyhow::bail!("usage: folio-bench stage NAME CONTENT ASSETS JOBS")
    };
    if let Some(formats) = build_formats(stage) {
        let run = crate::build_stage::run_build(Path::new(content), Path::new(assets), jobs, &formats)?;
        println!("{} {} {} {} audit={}", run.secs, run.pages, run.bytes, run.peak_kb, run.audit_secs);
        return Ok(());
    }
    rayon::ThreadPoolBuilder::new().num_threads(jobs.parse()?).build_global()?;
    // As `folio build` does: freed memory is kept for the PDF only.
    folio::allocator::keep_freed_memory(matches!(stage.as_str(), "export:pdf" | "pdf-plain"));
    let (content, assets) = (PathBuf::from(content), PathBuf::from(assets));
    let start = Instant::now();
    let (pages, bytes) = match stage.as_str() {
        "parse-limit" => parse_limit(&content)?,
        "model" => {
            // Read + parse + resolve, as the targets define model building; drawing the
            // diagrams is the `diagrams` stage.
            let loaded = build::read_model(&request(&content, &assets))?;
            // The model is ready here: freeing it afterwards is not part of building it.
            let secs = start.elapsed().as_secs_f64();
            println!("{secs} {} {} {}", loaded.corpus.pages.len(), loaded.bytes_read, peak_rss_kb());
            return Ok(());
        }
        "diagrams" => {
            let mut loaded = build::read_model(&request(&content, &assets))?;
            let start_draw = Instant::now();
            build::draw_diagrams(&mut loaded);
            let secs = start_draw.elapsed().as_secs_f64();
            // "pages" here are the distinct diagrams drawn: the pages/s column reads diagrams/s.
            println!("{secs} {} {} {}", loaded.diagrams.len(), loaded.bytes_read, peak_rss_kb());
            return Ok(());
        }
        "export:pdf" | "pdf-plain" => {
            let loaded = load(&content, &assets)?;
            let start_export = Instant::now();
            let pdf_pages = pdf_stage(&loaded, stage == "pdf-plain")?;
            let secs = start_export.elapsed().as_secs_f64();
            println!(
                "{secs} {} {} {} pdf_pages={pdf_pages}",
                loaded.corpus.pages.len(),
                loaded.bytes_read,
                peak_rss_kb()
            );
            return Ok(());
        }
        other => {
            let loaded = load(&content, &assets)?;
            let start_export = Instant::now();
            let names: Vec<&str> = match other.strip_prefix("export:") {
                Some(name) => vec![name],
                None => folio::exporters::builtin()
                    .iter()
                    .filter(|e| e.bench_stage() == folio::exporter::BenchStage::WithTheOthers)
                    .map(|e| e.name())
                    .collect(),
            };
            let exporters: Vec<_> =
                folio::exporters::builtin().into_iter().filter(|e| names.contains(&e.name())).collect();
            // Files are dropped as they come, as a build streams them to disk: the stage measures the
            // exporters, not the file system.
            let results = build::export_all(
                &loaded,
                &Config::default(),
                &exporters,
                &|_| Ok(folio::exporter::DiscardSink),
                &|_| {},
            );
            for (name, result, _) in results {
                result.map_err(|e| anyhow::anyhow!("{name}: {e:#}"))?;
            }
            // Exporter stages report the export time only; model building is its own stage.
            let secs = start_export.elapsed().as_secs_f64();
            println!("{secs} {} {} {}", loaded.corpus.pages.len(), loaded.bytes_read, peak_rss_kb());
            return Ok(());
        }
    };
    println!("{} {pages} {bytes} {}", start.elapsed().as_secs_f64(), peak_rss_kb());
    Ok(())
}

/// The formats a `build` stage asks `folio build` for: those timed together (every one but
/// PDF), or those with a stage of their own (the PDF alone).
pub fn build_formats(stage: &str) -> Option<String> {
    use folio::exporter::BenchStage;
    let wanted = match stage {
        "build" => BenchStage::WithTheOthers,
        "build-pdf" => BenchStage::OwnStage,
        _ => return None,
    };
    let names: Vec<&str> =
        folio::exporters::builtin().iter().filter(|e| e.bench_stage() == wanted).map(|e| e.name()).collect();
    Some(names.join(","))
}

/// The PDF exporter's guides (every pass and the post-pass), or one plain genpdf render of
/// the same elements (`plain`); returns the number of PDF pages.
fn pdf_stage(loaded: &Loaded, plain: bool) -> anyhow::Result<usize> {
    let options = toml::Table::new();
    let ctx = loaded.context(&options, folio::exporter::Limits::default());
    if plain {
        return folio::exporters::pdf::plain_render(&ctx);
    }
    let guides = folio::exporters::pdf::render_guides(&ctx, &mut Vec::new())?;
    Ok(guides.iter().map(|g| g.record.pages).sum())
}

fn request(content: &Path, assets: &Path) -> BuildRequest {
    BuildRequest {
        config: Config::default(),
        content: content.into(),
        assets: assets.into(),
        out: "unused".into(),
        formats: None,
        languages: Vec::new(),
        check_only: true,
        includes: None,
        data: None,
    }
}

fn load(content: &Path, assets: &Path) -> anyhow::Result<Loaded> {
    build::load(&request(content, assets))
}

/// The floor: read every file, parse its YAML and run pulldown-cmark over its body.
fn parse_limit(content: &Path) -> anyhow::Result<(usize, u64)> {
    let files = folio::reader::list_sources(content)?;
    let sizes: Vec<(usize, u64)> = files
        .par_iter()
        .filter(|(rel, _)| rel.ends_with(".md"))
        .map(|(_, path)| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let (yaml, body) = text.strip_prefix("---\n").and_then(|t| t.split_once("\n---\n")).unwrap_or(("", &text));
            let _: Result<serde_yaml::Value, _> = serde_yaml::from_str(yaml);
            let events = pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::ENABLE_TABLES).count();
            (usize::from(events > 0), text.len() as u64)
        })
        .collect();
    Ok((sizes.iter().map(|s| s.0).sum(), sizes.iter().map(|s| s.1).sum()))
}

/// Peak resident set size of this process, in KiB.
fn peak_rss_kb() -> u64 {
    build::peak_rss_bytes() / 1024
}
