//! Terminal output of the CLI: rustc-style diagnostics, the summary line, timings, progress.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{
    self,
    termcolor::{BufferedStandardStream, ColorChoice},
};
use folio::build::{BuildReport, BuildRequest};
use folio::diagnostics::{Diagnostic, Severity};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Prints diagnostics (already sorted) with a source excerpt where the file can be read.
pub fn diagnostics(diags: &[Diagnostic], content: &Path, quiet: bool) {
    let color = if std::io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
    // Buffered: a diagnostic is many small writes, each a system call when unbuffered.
    let mut writer = BufferedStandardStream::stderr(color);
    let config = term::Config::default();
    let mut files = SimpleFiles::new();
    let mut ids: HashMap<String, Option<usize>> = HashMap::new();
    let mut notes_seen: HashMap<&str, usize> = HashMap::new();
    let root = content.canonicalize().ok();
    for d in diags.iter().filter(|d| !quiet || d.severity == Severity::Error) {
        // Notes repeat (one per record, per template…): the first of each code is shown.
        if d.severity == Severity::Note {
            let n = notes_seen.entry(d.code).or_insert(0);
            *n += 1;
            if *n > 1 {
                continue;
            }
        }
        let id = *ids.entry(d.file.clone()).or_insert_with(|| {
            // Excerpts come only from files inside the content folder: a page refused because
            // its symbolic link leads outside must not be printed here either.
            let path = content.join(&d.file);
            let inside = root.as_ref().is_some_and(|r| path.canonicalize().is_ok_and(|p| p.starts_with(r)));
            let text = if inside { std::fs::read_to_string(&path).ok() } else { None };
            text.map(|text| files.add(d.file.clone(), printable(&text.replace("\r\n", "\n"))))
        });
        let mut report = Report::new(level(d.severity)).with_code(d.code).with_message(printable(&d.message));
        match id.and_then(|id| span(files.get(id).ok()?.source(), d.line, d.col).map(|s| (id, s))) {
            Some((id, range)) => report = report.with_labels(vec![Label::primary(id, range)]),
            None => report = report.with_notes(vec![format!("in {}", d.location())]),
        }
        let _ = term::emit(&mut writer, &config, &files, &report);
    }
    let _ = writer.flush();
    let mut repeated: Vec<(&str, usize)> = notes_seen.into_iter().filter(|(_, n)| *n > 1).collect();
    repeated.sort();
    for (code, n) in repeated {
        eprintln!("note[{code}]: {} more like the one above (all are in report.json)", n - 1);
    }
}

/// Text safe to print on a terminal: control characters of the source (ESC starts terminal
/// escape sequences) become U+FFFD, one character for one, so columns stay right.
fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() && c != '\n' && c != '\t' { '\u{fffd}' } else { c }).collect()
}

fn level(s: Severity) -> Level {
    match s {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Note => Level::Note,
    }
}

/// Byte range of the character at `line:col` (to the end of its word).
fn span(text: &str, line: u32, col: u32) -> Option<std::ops::Range<usize>> {
    if line == 0 {
        return None;
    }
    let start_of_line: usize = text.split_inclusive('\n').take(line as usize - 1).map(str::len).sum();
    let line_text = text[start_of_line..].lines().next().unwrap_or("");
    let col_byte = line_text.char_indices().nth(col.saturating_sub(1) as usize).map_or(line_text.len(), |(i, _)| i);
    let word = line_text[col_byte..].find(char::is_whitespace).unwrap_or(line_text.len() - col_byte);
    let start = start_of_line + col_byte;
    Some(start..start + word.max(1).min(text.len().saturating_sub(start)))
}

pub fn summary(report: &BuildReport, req: &BuildRequest, check_only: bool) {
    let written: usize = report.formats.values().map(|f| f.files.len()).sum();
    let failed: Vec<&str> = report.formats.iter().filter(|(_, f)| !f.ok).map(|(n, _)| n.as_str()).collect();
    let what = if check_only {
        format!("checked {} pages and {} records", report.pages, report.records)
    } else {
        format!(
            "published {} pages in {} formats ({} files) to {}",
            report.pages,
            report.formats.len() - failed.len(),
            written,
            req.out.display()
        )
    };
    let failed = if failed.is_empty() { String::new() } else { format!("; failed: {}", failed.join(", ")) };
    eprintln!("folio: {what}{failed}; {}", report.summary);
    if !report.fidelity.is_empty() {
        let source = format!("source→model {:.2}%", report.source_to_model.words_found_percent);
        let formats = report.fidelity.iter().map(|(n, f)| format!("{n} {:.2}%", f.words_found_percent));
        let shares: Vec<String> = std::iter::once(source).chain(formats).collect();
        eprintln!("folio: words carried: {} (details in report.md)", shares.join(", "));
    }
}

pub fn timings(report: &BuildReport) {
    eprintln!("{:<28} {:>10} {:>10} {:>10} {:>14}", "stage", "seconds", "pages/s", "MB/s", "peak RSS MB");
    for t in &report.timings {
        let secs = t.elapsed.as_secs_f64();
        let per_second = |n: f64| if secs > 0.0 { n / secs } else { f64::INFINITY };
        let (pages, mb) = (per_second(report.pages as f64), per_second(report.bytes_read as f64 / 1e6));
        eprintln!("{:<28} {secs:>10.3} {pages:>10.0} {mb:>10.1} {:>14.0}", t.stage, t.peak_rss as f64 / 1_048_576.0);
    }
    eprintln!("(exporters run side by side: their times overlap; peak RSS is the process's so far)");
}

/// A progress bar on a terminal; silent otherwise.
pub struct Progress(Option<indicatif::ProgressBar>);

pub fn progress_bar(on_terminal: bool, req: &BuildRequest) -> Progress {
    if !on_terminal {
        return Progress(None);
    }
    let steps = folio::build::select_exporters(&req.config, req.formats.as_deref()).map_or(1, |e| e.len() + 1);
    let bar = indicatif::ProgressBar::new(steps as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Progress(Some(bar))
}

impl Progress {
    pub fn tick(&self, stage: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(format!("{stage} done"));
            bar.inc(1);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
