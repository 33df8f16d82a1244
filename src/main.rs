//! The `folio` command line.

use clap::{Args, Parser, Subcommand};
use folio::build::{self, BuildRequest};
use folio::config::Config;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

mod print;

/// mimalloc: the reader and the exporters allocate many small strings and vectors across
/// threads, where it is measurably faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "folio",
    version,
    about = "Publish an Eleventy documentation corpus as PDF, EPUB 3, DITA, JSON-LD and JSON"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read the corpus and publish it in every (or the chosen) format.
    Build(BuildArgs),
    /// Read the corpus and report diagnostics only; write nothing.
    Check(BuildArgs),
    /// List the available formats.
    Formats {
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Args, Clone)]
struct BuildArgs {
    /// The site's folder: its Eleventy configuration says where its content, includes, data and
    /// assets are (the flags below override each).
    #[arg(value_name = "SITE")]
    site_folder: Option<PathBuf>,
    /// The same as SITE.
    #[arg(long, conflicts_with = "site_folder")]
    site: Option<PathBuf>,
    /// Configuration file (default: folio.toml if present).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Folder of Markdown pages (default: the config's, else content/).
    #[arg(long)]
    content: Option<PathBuf>,
    /// Folder of images and downloads (default: the content folder).
    #[arg(long)]
    assets: Option<PathBuf>,
    /// Output folder (default: dist/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The site's `_includes` folder (default: the config's, else `_includes` beside the content).
    #[arg(long)]
    includes: Option<PathBuf>,
    /// The site's `_data` folder (default: the config's, else `_data` beside the content).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Comma-separated languages to publish, e.g. `fr,en` (default: every page's).
    #[arg(long, value_delimiter = ',')]
    language: Option<Vec<String>>,
    /// Comma-separated formats, e.g. `epub,pdf`.
    #[arg(long, value_delimiter = ',')]
    format: Option<Vec<String>>,
    /// Treat warnings as errors (exit 1).
    #[arg(long)]
    strict: bool,
    /// Worker threads (default: one per core).
    #[arg(long)]
    jobs: Option<usize>,
    /// Print errors only, and no summary.
    #[arg(long)]
    quiet: bool,
    /// Print the time spent in each stage.
    #[arg(long)]
    timings: bool,
}

fn main() -> ExitCode {
    folio::allocator::tune();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Build(args) => run_build(args, false),
        Command::Check(args) => run_build(args, true),
        Command::Formats { config } => list_formats(config),
    }
}

fn load_config(path: Option<&PathBuf>) -> anyhow::Result<Config> {
    match path {
        Some(p) => Config::from_file(p),
        None if PathBuf::from("folio.toml").is_file() => Config::from_file(&PathBuf::from("folio.toml")),
        None => Ok(Config::default()),
    }
}

fn request(args: &BuildArgs, check_only: bool) -> anyhow::Result<BuildRequest> {
    let config = load_config(args.config.as_ref())?;
    let from_config = |p: &Option<PathBuf>| p.as_ref().map(|p| config.resolve_path(p));
    let site = args.site_folder.as_ref().or(args.site.as_ref()).map(|dir| {
        if !dir.is_dir() {
            return Err(anyhow::anyhow!("the site folder {} does not exist", dir.display()));
        }
        Ok(folio::js::SiteLayout::of(dir).0)
    });
    let site = site.transpose()?;
    let content = args
        .content
        .clone()
        .or_else(|| site.as_ref().map(|s| s.content.clone()))
        .or_else(|| from_config(&config.build.content))
        .unwrap_or_else(|| "content".into());
    let assets = args
        .assets
        .clone()
        .or_else(|| site.as_ref().map(|s| s.assets.clone()))
        .or_else(|| if args.content.is_some() { None } else { from_config(&config.build.assets) })
        .unwrap_or_else(|| content.clone());
    let out = args.out.clone().or_else(|| from_config(&config.build.out)).unwrap_or_else(|| "dist".into());
    let includes = args.includes.clone().or_else(|| site.as_ref().map(|s| s.includes.clone()));
    let data = args.data.clone().or_else(|| site.as_ref().map(|s| s.data.clone()));
    let languages = args.language.clone().unwrap_or_default();
    Ok(BuildRequest {
        config,
        content,
        assets,
        out,
        formats: args.format.clone(),
        check_only,
        includes,
        data,
        languages,
    })
}

fn run_build(args: BuildArgs, check_only: bool) -> ExitCode {
    let req = match request(&args, check_only) {
        Ok(r) => r,
        Err(e) => return usage_error(&e),
    };
    match build::select_exporters(&req.config, req.formats.as_deref()) {
        Ok(exporters) => folio::allocator::keep_freed_memory(exporters.iter().any(|e| e.keeps_freed_memory())),
        Err(e) => return usage_error(&e),
    }
    if let Some(n) = args.jobs {
        if let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global() {
            return usage_error(&anyhow::anyhow!(e));
        }
    }
    let bar = print::progress_bar(!args.quiet && std::io::stderr().is_terminal(), &req);
    let result = build::run(&req, &|stage| bar.tick(stage));
    bar.finish();
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    print::diagnostics(&report.diagnostics, &req.content, args.quiet);
    if !args.quiet {
        print::summary(&report, &req, check_only);
    }
    if args.timings {
        print::timings(&report);
    }
    let failed = report.summary.errors > 0 || (args.strict && report.summary.warnings > 0);
    ExitCode::from(u8::from(failed))
}

fn usage_error(e: &anyhow::Error) -> ExitCode {
    eprintln!("error: {e:#}");
    ExitCode::from(2)
}

fn list_formats(config: Option<PathBuf>) -> ExitCode {
    let config = match load_config(config.as_ref()) {
        Ok(c) => c,
        Err(e) => return usage_error(&e),
    };
    for exporter in folio::exporters::registry(&config) {
        println!("{:<8} {}", exporter.name(), exporter.description());
    }
    ExitCode::SUCCESS
}
