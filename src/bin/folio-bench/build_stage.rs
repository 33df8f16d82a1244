//! The `build` and `build-pdf` stages: the `folio` binary run as users run it, end to end on
//! disk (reading, exporting, the audit, writing the files and the report), into a fresh
//! folder of the temporary directory (`TMPDIR` chooses the file system).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// What one `folio build` cost, as the stage prints it.
pub struct BuildRun {
    pub secs: f64,
    pub pages: usize,
    pub bytes: u64,
    pub peak_kb: u64,
    /// The fidelity audit's own time, from `--timings`.
    pub audit_secs: f64,
}

/// Runs `folio build` on `content` for `formats`, with `jobs` threads.
pub fn run_build(content: &Path, assets: &Path, jobs: &str, formats: &str) -> anyhow::Result<BuildRun> {
    let folio = std::env::current_exe()?.with_file_name(format!("folio{}", std::env::consts::EXE_SUFFIX));
    anyhow::ensure!(folio.is_file(), "{} is missing: build it with `cargo build --release`", folio.display());
    let scratch = std::env::temp_dir().join(format!("folio-bench-build-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let (content, assets) = (std::fs::canonicalize(content)?, std::fs::canonicalize(assets)?);
    let out = scratch.join("out");
    let start = Instant::now();
    // Run from the scratch folder, so that no `folio.toml` of the bench's own folder is read.
    let output = Command::new(&folio)
        .current_dir(&scratch)
        .args(["build", "--quiet", "--timings", "--jobs", jobs, "--format", formats])
        .arg("--content")
        .arg(&content)
        .arg("--assets")
        .arg(&assets)
        .arg("--out")
        .arg(&out)
        .output()?;
    let secs = start.elapsed().as_secs_f64();
    let result = finish(&output, &out, secs, &content);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn finish(output: &std::process::Output, out: &Path, secs: f64, content: &Path) -> anyhow::Result<BuildRun> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Exit 1 is a build that finished with errors in the corpus; 2 is one that did not finish.
    anyhow::ensure!(matches!(output.status.code(), Some(0 | 1)), "folio build failed: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("report.json"))?)?;
    let pages = report["pages"].as_u64().unwrap_or(0) as usize;
    let audit_secs = stage_seconds(&stderr, "fidelity audit")
        .ok_or_else(|| anyhow::anyhow!("no `fidelity audit` line in folio's --timings: {stderr}"))?;
    Ok(BuildRun { secs, pages, bytes: corpus_bytes(content)?, peak_kb: children_peak_rss_kb(), audit_secs })
}

/// The seconds of one stage in `--timings`' table (`stage  seconds  pages/s  MB/s  peak`).
pub fn stage_seconds(timings: &str, stage: &str) -> Option<f64> {
    timings.lines().find_map(|line| line.strip_prefix(stage)?.split_whitespace().next()?.parse().ok())
}

/// The bytes of every source file under `content`, as the other stages count them.
fn corpus_bytes(content: &Path) -> anyhow::Result<u64> {
    let files: Vec<(String, PathBuf)> = folio::reader::list_sources(content)?;
    Ok(files.iter().filter_map(|(_, p)| std::fs::metadata(p).ok()).map(|m| m.len()).sum())
}

/// The largest peak resident size of the processes this one waited for, in KiB: the build's.
fn children_peak_rss_kb() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole `rusage` into the buffer it is given.
    let ok = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) } == 0;
    // SAFETY: zeroed is a valid `rusage`, and getrusage filled it when it returned 0.
    if ok {
        u64::try_from(unsafe { usage.assume_init() }.ru_maxrss).unwrap_or(0)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stage_s_seconds_are_read_from_the_timings_table() {
        let table = "stage  seconds  pages/s  MB/s  peak RSS MB\n\
                     export:epub        0.700   14000   87.0   300\n\
                     fidelity audit     1.250    8000   48.8   310\n";
        assert_eq!(super::stage_seconds(table, "fidelity audit"), Some(1.25));
        assert_eq!(super::stage_seconds(table, "commit"), None);
    }
}
