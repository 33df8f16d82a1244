//! folio's benchmark harness. Speed is judged here, never in the test suite.
//!
//! `folio-bench` generates scaled corpora from the real one, then measures each stage in a
//! fresh child process (so peak RSS is per stage): the parse limit (read + YAML +
//! pulldown-cmark, nothing else), model building, each exporter, and optionally pandoc.
//! Ratios are computed within one run, because these machines are noisy.

use folio::build::{self, BuildRequest, Loaded};
use folio::config::Config;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// mimalloc: the reader and the exporters allocate many small strings and vectors across
/// threads, where it is measurably faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: folio::allocator::Mimalloc = folio::allocator::Mimalloc;

fn main() -> anyhow::Result<()> {
    folio::allocator::tune();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("stage") => run_stage(&args[1..]),
        _ => harness(&args),
    }
}

/// Options of the harness, from `--name value` pairs.
struct Options {
    source: PathBuf,
    sizes: Vec<usize>,
    jobs: Vec<usize>,
    pandoc: Option<String>,
    work: PathBuf,
    /// Largest corpus the PDF stage runs on (a 10,000-page guide is ~25,000 printed pages).
    pdf_max_pages: usize,
}

fn options(args: &[String]) -> Options {
    let get = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let list = |s: String| s.split(',').filter_map(|x| x.trim().parse().ok()).collect::<Vec<usize>>();
    Options {
        source: get("--source").map_or_else(|| PathBuf::from("../shared/corpus/franceconnect"), PathBuf::from),
        sizes: get("--pages").map_or_else(|| vec![0, 1000, 10_000], list),
        jobs: get("--jobs").map_or_else(|| vec![1, 2], list),
        pandoc: get("--pandoc").or_else(|| which("pandoc")),
        work: get("--work").map_or_else(|| PathBuf::from("target/bench"), PathBuf::from),
        pdf_max_pages: get("--pdf-max-pages").and_then(|v| v.parse().ok()).unwrap_or(1000),
    }
}

fn harness(args: &[String]) -> anyhow::Result<()> {
    let opts = options(args);
    println!("| corpus | stage | jobs | wall s | pages/s | MB/s | peak RSS MB | PDF pages/s |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for &size in &opts.sizes {
        let (content, label) = prepare_corpus(&opts, size)?;
        let assets = opts.source.join("public");
        let stages: Vec<String> = stage_names().into_iter().filter(|s| !s.contains("pdf") || s == "all-but-pdf" || size <= opts.pdf_max_pages).collect();
        for &jobs in &opts.jobs {
            for stage in &stages {
                let m = measure_stage(&content, &assets, stage, jobs)?;
                let pdf_rate = m.pdf_pages.map_or(String::new(), |p| format!("{:.0} ({p} pages)", p as f64 / m.secs));
                println!("| {label} | {stage} | {jobs} | {:.3} | {:.0} | {:.1} | {:.0} | {pdf_rate} |", m.secs, m.pages as f64 / m.secs, m.bytes as f64 / 1e6 / m.secs, m.peak_kb as f64 / 1024.0);
            }
        }
        if let Some(pandoc) = &opts.pandoc {
            if let Some((secs, peak_kb)) = measure_pandoc(pandoc, &content)? {
                println!("| {label} | pandoc epub3 | 1 | {secs:.3} | | | {:.0} | |", peak_kb as f64 / 1024.0);
            }
        }
    }
    Ok(())
}

/// `parse-limit`, `model`, `export:NAME` for each built-in exporter, and `all-but-pdf`.
fn stage_names() -> Vec<String> {
    let mut names = vec!["parse-limit".to_string(), "model".to_string(), "diagrams".to_string()];
    names.extend(folio::exporter::builtin_exporters().iter().map(|e| format!("export:{}", e.name())));
    names.push("pdf-plain".into());
    names.push("all-but-pdf".into());
    names
}

/// The real corpus (size 0) or a generated one of `size` pages.
fn prepare_corpus(opts: &Options, size: usize) -> anyhow::Result<(PathBuf, String)> {
    let real = opts.source.join("content");
    if size == 0 {
        return Ok((real, "real".into()));
    }
    let dir = opts.work.join(format!("{size}")).join("content");
    if !dir.join(".complete").exists() {
        let sources: Vec<(String, String)> = folio::reader::list_sources(&real)?
            .into_iter()
            .filter_map(|(rel, path)| std::fs::read_to_string(path).ok().map(|t| (rel, t)))
            .collect();
        let _ = std::fs::remove_dir_all(&dir);
        for file in folio::scale::scale_corpus(&sources, size) {
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap_or(&dir))?;
            std::fs::write(path, file.text)?;
        }
        std::fs::write(dir.join(".complete"), "")?;
    }
    Ok((dir, format!("{size}")))
}

struct Measure {
    secs: f64,
    pages: usize,
    bytes: u64,
    peak_kb: u64,
    /// PDF stages: the pages of the guide.
    pdf_pages: Option<usize>,
}

fn measure_stage(content: &Path, assets: &Path, stage: &str, jobs: usize) -> anyhow::Result<Measure> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe).args(["stage", stage]).arg(content).arg(assets).arg(jobs.to_string()).env("SOURCE_DATE_EPOCH", "1709294400").output()?;
    anyhow::ensure!(out.status.success(), "stage {stage} failed: {}", String::from_utf8_lossy(&out.stderr));
    let line = String::from_utf8_lossy(&out.stdout);
    let v: Vec<f64> = line.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    anyhow::ensure!(v.len() == 4 || v.len() == 5, "unexpected stage output {line:?}");
    Ok(Measure { secs: v[0], pages: v[1] as usize, bytes: v[2] as u64, peak_kb: v[3] as u64, pdf_pages: v.get(4).map(|p| *p as usize) })
}

/// pandoc converting every page to one EPUB 3, with its peak RSS from `getrusage`.
fn measure_pandoc(pandoc: &str, content: &Path) -> anyhow::Result<Option<(f64, u64)>> {
    let files: Vec<String> = folio::reader::list_sources(content)?.into_iter().filter(|(r, _)| r.ends_with(".md")).map(|(_, p)| p.to_string_lossy().into_owned()).collect();
    let list = std::env::temp_dir().join("folio-bench-pandoc-files.txt");
    std::fs::write(&list, files.join("\n"))?;
    let script = "import resource,subprocess,sys,time\nfiles=open(sys.argv[2]).read().split('\\n')\nt=time.time()\nr=subprocess.run([sys.argv[1],'-f','commonmark_x+yaml_metadata_block','-t','epub3','-o','/tmp/folio-bench-pandoc.epub',*files],capture_output=True)\nprint(time.time()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)";
    let out = Command::new("python3").args(["-c", script, pandoc]).arg(&list).output()?;
    let v: Vec<f64> = String::from_utf8_lossy(&out.stdout).split_whitespace().filter_map(|x| x.parse().ok()).collect();
    Ok(match v.as_slice() {
        [secs, kb, code] if *code == 0.0 => Some((*secs, *kb as u64)),
        _ => None,
    })
}

fn which(cmd: &str) -> Option<String> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(cmd)).find(|p| p.is_file()).map(|p| p.to_string_lossy().into_owned())
}

/// Child side: runs one stage and prints `seconds pages bytes peak_kb`.
fn run_stage(args: &[String]) -> anyhow::Result<()> {
    let [stage, content, assets, jobs] = args else { anyhow::bail!("usage: folio-bench stage NAME CONTENT ASSETS JOBS") };
    rayon::ThreadPoolBuilder::new().num_threads(jobs.parse()?).build_global()?;
    let (content, assets) = (PathBuf::from(content), PathBuf::from(assets));
    let start = Instant::now();
    let (pages, bytes) = match stage.as_str() {
        "parse-limit" => parse_limit(&content)?,
        "model" => {
            // Read + parse + resolve, as the issue defines model building; drawing the
            // diagrams is the `diagrams` stage.
            let loaded = build::read_model(&request(&content, &assets))?;
            // The model is ready here; freeing it is not part of building it (the CLI exits
            // without freeing it either).
            let secs = start.elapsed().as_secs_f64();
            println!("{secs} {} {} {}", loaded.corpus.pages.len(), loaded.bytes_read, peak_rss_kb());
            std::mem::forget(loaded);
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
            println!("{secs} {} {} {} {pdf_pages}", loaded.corpus.pages.len(), loaded.bytes_read, peak_rss_kb());
            return Ok(());
        }
        other => {
            let loaded = load(&content, &assets)?;
            let start_export = Instant::now();
            let names: Vec<&str> = match other.strip_prefix("export:") {
                Some(name) => vec![name],
                None => folio::exporter::builtin_exporters().iter().map(|e| e.name()).filter(|n| *n != "pdf").collect(),
            };
            let exporters: Vec<_> = folio::exporter::builtin_exporters().into_iter().filter(|e| names.contains(&e.name())).collect();
            // Files are dropped as they come, as a build streams them to disk: the stage measures the
            // exporters, not the file system.
            let results = build::export_all(&loaded, &Config::default(), &exporters, &|_| Ok(folio::exporter::DiscardSink), &|_| {});
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
    BuildRequest { config: Config::default(), content: content.into(), assets: assets.into(), out: "unused".into(), formats: None, check_only: true }
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
