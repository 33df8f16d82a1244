//! folio's benchmark harness. Speed is judged here, never in the test suite.
//!
//! `folio-bench` generates scaled corpora from the real one, then measures each stage in a
//! fresh child process (so peak RSS is per stage): the parse limit (read + YAML +
//! pulldown-cmark, nothing else), model building, each exporter, the whole `folio build`, and
//! optionally pandoc.
//! Ratios are computed within one run, because these machines are noisy: every stage runs
//! `--runs` times, the runs of all stages interleaved, and its best run is kept; the run ends
//! with the table of the performance targets, computed from those rows.

mod build_stage;
mod stage;
mod targets;

use std::path::{Path, PathBuf};
use std::process::Command;
use targets::{corpus_label, PandocRow, Row};

/// mimalloc: the reader and the exporters allocate many small strings and vectors across
/// threads, where it is measurably faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    folio::allocator::tune();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("stage") => stage::run_stage(&args[1..]),
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
    /// Largest corpus the PDF stages run on (a guide prints more pages than its corpus holds).
    pdf_max_pages: usize,
    /// Runs of each stage; the best is reported.
    runs: usize,
    /// The stages to run (`--stages a,b`); all of them by default.
    stages: Option<Vec<String>>,
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
        runs: get("--runs").and_then(|v| v.parse().ok()).unwrap_or(3).max(1),
        stages: get("--stages").map(|v| v.split(',').map(|s| s.trim().to_string()).collect()),
    }
}

fn harness(args: &[String]) -> anyhow::Result<()> {
    let opts = options(args);
    println!("Each stage's best of {} runs, interleaved.\n", opts.runs);
    println!("| corpus | stage | jobs | wall s | pages/s | MB/s | peak RSS MiB | PDF pages/s | audit s |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let (mut rows, mut pandoc_rows) = (Vec::new(), Vec::new());
    for &size in &opts.sizes {
        let (content, label) = (prepare_corpus(&opts, size)?, corpus_label(size));
        let assets = opts.source.join("public");
        let stages: Vec<String> = stage_names()
            .into_iter()
            .filter(|s| opts.stages.as_ref().is_none_or(|only| only.contains(s)))
            .filter(|s| runs_on(s, size, opts.pdf_max_pages))
            .collect();
        // One untimed pass first: the first stage to read a corpus would pay for filling the
        // file cache (its files and directory entries) that every later stage finds full.
        measure_stage(&content, &assets, "parse-limit", opts.jobs.iter().copied().max().unwrap_or(1))?;
        let mut best: Vec<Row> = Vec::new();
        for _ in 0..opts.runs {
            for &jobs in &opts.jobs {
                for stage in &stages {
                    let m = measure_stage(&content, &assets, stage, jobs)?;
                    match best.iter_mut().find(|r| r.stage == *stage && r.jobs == jobs) {
                        Some(row) => row.keep_best(m),
                        None => best.push(Row { size, stage: stage.clone(), jobs, m }),
                    }
                }
            }
        }
        for row in &best {
            let m = &row.m;
            let pdf_rate = m.pdf_pages.map_or(String::new(), |p| format!("{:.0} ({p} pages)", p as f64 / m.secs));
            let audit = m.audit_secs.map_or(String::new(), |a| format!("{a:.3} ({:.0} %)", 100.0 * a / m.secs));
            println!(
                "| {label} | {} | {} | {:.3} | {:.0} | {:.1} | {:.0} | {pdf_rate} | {audit} |",
                row.stage,
                row.jobs,
                m.secs,
                m.pages as f64 / m.secs,
                m.bytes as f64 / 1e6 / m.secs,
                m.peak_kb as f64 / 1024.0
            );
        }
        rows.extend(best);
        if let Some(pandoc) = &opts.pandoc {
            if let Some((secs, peak_kb)) = measure_pandoc(pandoc, &content)? {
                println!("| {label} | pandoc epub3 | 1 | {secs:.3} | | | {:.0} | | |", peak_kb as f64 / 1024.0);
                pandoc_rows.push(PandocRow { size, secs });
            }
        }
    }
    println!();
    targets::print(&rows, &pandoc_rows);
    Ok(())
}

/// `parse-limit`, `model`, `export:NAME` for each built-in exporter, `all-but-pdf`, and the
/// whole CLI: `build` (every format but PDF) and `build-pdf`.
fn stage_names() -> Vec<String> {
    let mut names = vec!["parse-limit".to_string(), "model".to_string(), "diagrams".to_string()];
    names.extend(folio::exporters::builtin().iter().map(|e| format!("export:{}", e.name())));
    names.push("pdf-plain".into());
    names.push("all-but-pdf".into());
    names.push("build".into());
    names.push("build-pdf".into());
    names
}

/// Whether `stage` runs on a corpus of `size` pages: the PDF stages up to `--pdf-max-pages`,
/// and the plain render, which holds the whole guide in memory, up to 1,000 pages.
fn runs_on(stage: &str, size: usize, pdf_max_pages: usize) -> bool {
    match stage {
        "pdf-plain" => size <= pdf_max_pages.min(1000),
        "export:pdf" | "build-pdf" => size <= pdf_max_pages,
        _ => true,
    }
}

/// The content folder of the real corpus (size 0) or of a generated one of `size` pages.
fn prepare_corpus(opts: &Options, size: usize) -> anyhow::Result<PathBuf> {
    let real = opts.source.join("content");
    if size == 0 {
        return Ok(real);
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
    Ok(dir)
}

/// One run of one stage, as its child process printed it.
#[derive(Clone, Copy)]
pub struct Measure {
    pub secs: f64,
    pub pages: usize,
    pub bytes: u64,
    pub peak_kb: u64,
    /// PDF stages: the pages of the guide.
    pub pdf_pages: Option<usize>,
    /// Build stages: the fidelity audit's seconds, from `folio build --timings`.
    pub audit_secs: Option<f64>,
}

fn measure_stage(content: &Path, assets: &Path, stage: &str, jobs: usize) -> anyhow::Result<Measure> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .args(["stage", stage])
        .arg(content)
        .arg(assets)
        .arg(jobs.to_string())
        .env("SOURCE_DATE_EPOCH", "1709294400")
        .output()?;
    anyhow::ensure!(out.status.success(), "stage {stage} failed: {}", String::from_utf8_lossy(&out.stderr));
    parse_measure(&String::from_utf8_lossy(&out.stdout))
}

/// `seconds pages bytes peak_kb`, then optional `pdf_pages=N` and `audit=SECONDS`.
fn parse_measure(line: &str) -> anyhow::Result<Measure> {
    let (named, plain): (Vec<&str>, Vec<&str>) = line.split_whitespace().partition(|x| x.contains('='));
    let v: Vec<f64> = plain.iter().filter_map(|x| x.parse().ok()).collect();
    anyhow::ensure!(v.len() == 4, "unexpected stage output {line:?}");
    let value = |key: &str| named.iter().find_map(|x| x.strip_prefix(key)?.strip_prefix('=')?.parse::<f64>().ok());
    Ok(Measure {
        secs: v[0],
        pages: v[1] as usize,
        bytes: v[2] as u64,
        peak_kb: v[3] as u64,
        pdf_pages: value("pdf_pages").map(|p| p as usize),
        audit_secs: value("audit"),
    })
}

/// pandoc converting every page to one EPUB 3, with its peak RSS from `getrusage`.
fn measure_pandoc(pandoc: &str, content: &Path) -> anyhow::Result<Option<(f64, u64)>> {
    let files: Vec<String> = folio::reader::list_sources(content)?
        .into_iter()
        .filter(|(r, _)| r.ends_with(".md"))
        .map(|(_, p)| p.to_string_lossy().into_owned())
        .collect();
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
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(cmd))
        .find(|p| p.is_file())
        .map(|p| p.to_string_lossy().into_owned())
}
