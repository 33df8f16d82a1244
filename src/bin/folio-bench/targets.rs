//! The performance targets, worked out from the rows of one harness run: the ratios are only
//! meaningful between stages measured on the same machine at the same time.

use super::Measure;

/// A stage's best run on one corpus with one number of jobs.
pub struct Row {
    /// Pages asked of the generator; 0 for the real corpus.
    pub size: usize,
    pub stage: String,
    pub jobs: usize,
    pub m: Measure,
}

/// How a corpus is named in the tables: `real`, or its generated size.
pub fn corpus_label(size: usize) -> String {
    if size == 0 {
        "real".to_string()
    } else {
        size.to_string()
    }
}

impl Row {
    /// Keeps the fastest run's time, and the highest peak RSS seen in any run.
    pub fn keep_best(&mut self, m: Measure) {
        let peak_kb = self.m.peak_kb.max(m.peak_kb);
        if m.secs < self.m.secs {
            self.m = m;
        }
        self.m.peak_kb = peak_kb;
    }
}

/// pandoc's EPUB-only conversion of one corpus.
pub struct PandocRow {
    pub size: usize,
    pub secs: f64,
}

/// One line of the targets table.
struct Check {
    target: String,
    measured: String,
    met: bool,
}

/// Prints the targets table, leaving out the targets the run has no stages for.
pub fn print(rows: &[Row], pandoc: &[PandocRow]) {
    let checks = checks(&Rows(rows), pandoc);
    if checks.is_empty() {
        return;
    }
    println!("| target | measured | met? |");
    println!("|---|---|---|");
    for c in checks {
        println!("| {} | {} | {} |", c.target, c.measured, if c.met { "yes" } else { "**no**" });
    }
}

struct Rows<'a>(&'a [Row]);

impl Rows<'_> {
    fn get(&self, size: usize, stage: &str, jobs: usize) -> Option<&Measure> {
        self.0.iter().find(|r| r.size == size && r.stage == stage && r.jobs == jobs).map(|r| &r.m)
    }

    fn secs(&self, size: usize, stage: &str, jobs: usize) -> Option<f64> {
        self.get(size, stage, jobs).map(|m| m.secs)
    }

    /// Every format but PDF, model building included: what a build of them costs.
    fn non_pdf(&self, size: usize, jobs: usize) -> Option<f64> {
        Some(self.secs(size, "model", jobs)? + self.secs(size, "all-but-pdf", jobs)?)
    }

    fn jobs(&self) -> Vec<usize> {
        let mut jobs: Vec<usize> = self.0.iter().map(|r| r.jobs).collect();
        jobs.sort_unstable();
        jobs.dedup();
        jobs
    }

    fn generated_sizes(&self) -> Vec<usize> {
        let mut sizes: Vec<usize> = self.0.iter().map(|r| r.size).filter(|s| *s > 0).collect();
        sizes.sort_unstable();
        sizes.dedup();
        sizes
    }
}

/// The targets on generated corpora, then the PDF's, which hold on any corpus.
fn checks(rows: &Rows, pandoc: &[PandocRow]) -> Vec<Check> {
    let mut out = scale_checks(rows, pandoc);
    out.extend(build_checks(rows, pandoc));
    out.extend(pdf_checks(rows));
    out
}

/// The CLI as users run it (`build`, `build-pdf`), on every generated corpus, with the most jobs.
fn build_checks(rows: &Rows, pandoc: &[PandocRow]) -> Vec<Check> {
    let mut out = Vec::new();
    let most_jobs = rows.jobs().last().copied().unwrap_or(1);
    for size in rows.generated_sizes() {
        let label = format!("`folio build`, every format but PDF, {size} pages, {}", jobs_label(most_jobs));
        let Some(build) = rows.get(size, "build", most_jobs) else { continue };
        if let Some(p) = pandoc.iter().find(|p| p.size == size) {
            out.push(Check {
                target: format!("{label}: ≥ 50× faster than pandoc's EPUB alone"),
                measured: format!("{:.3} s against pandoc {:.1} s: {:.0}×", build.secs, p.secs, p.secs / build.secs),
                met: p.secs / build.secs >= 50.0,
            });
        }
        if let Some(audit) = build.audit_secs {
            let share = audit / build.secs;
            out.push(Check {
                target: format!("{label}: the audit ≤ 25 % of the build"),
                measured: format!("{audit:.3} s of {:.3} s: {:.0} %", build.secs, 100.0 * share),
                met: share <= 0.25,
            });
        }
        let (peak_mb, bound_mb) = (build.peak_kb as f64 * 1024.0 / 1e6, (4 * build.bytes) as f64 / 1e6 + 100.0);
        out.push(Check {
            target: format!("{label}: peak RSS ≤ 4× the corpus + 100 MB"),
            measured: format!("{peak_mb:.0} MB against {bound_mb:.0} MB"),
            met: peak_mb <= bound_mb,
        });
    }
    for row in rows.0.iter().filter(|r| r.stage == "build-pdf") {
        if let Some(export) = rows.secs(row.size, "export:pdf", row.jobs) {
            out.push(ratio_check(
                format!(
                    "`folio build` of the PDF, {} corpus, {}: ≤ 2× the PDF exporter alone",
                    corpus_label(row.size),
                    jobs_label(row.jobs)
                ),
                row.m.secs,
                export,
                2.0,
            ));
        }
    }
    out
}

/// Targets that compare stages on the largest generated corpus (and the next smaller one).
fn scale_checks(rows: &Rows, pandoc: &[PandocRow]) -> Vec<Check> {
    let mut out = Vec::new();
    let jobs = rows.jobs();
    let sizes = rows.generated_sizes();
    let Some(&largest) = sizes.last() else { return out };
    let most_jobs = jobs.last().copied().unwrap_or(1);

    if let (Some(p), Some(t)) = (pandoc.iter().find(|p| p.size == largest), rows.non_pdf(largest, most_jobs)) {
        out.push(Check {
            target: format!(
                "every format but PDF, {largest} pages, {}: ≤ 1/50 of pandoc's EPUB-only time",
                jobs_label(most_jobs)
            ),
            measured: format!("model + all-but-pdf {t:.3} s against pandoc {:.1} s: 1/{:.0}", p.secs, p.secs / t),
            met: p.secs / t >= 50.0,
        });
    }
    for &j in &jobs {
        if let (Some(t), Some(limit)) = (rows.non_pdf(largest, j), rows.secs(largest, "parse-limit", j)) {
            out.push(ratio_check(
                format!("every format but PDF, {largest} pages, {}: ≤ 5× the parse limit", jobs_label(j)),
                t,
                limit,
                5.0,
            ));
        }
    }
    for &j in &jobs {
        if let (Some(t), Some(limit)) = (rows.secs(largest, "model", j), rows.secs(largest, "parse-limit", j)) {
            out.push(ratio_check(
                format!("model building, {largest} pages, {}: ≤ 1.5× the parse limit", jobs_label(j)),
                t,
                limit,
                1.5,
            ));
        }
    }
    if let [.., smaller, _] = sizes[..] {
        // 10k / 1k ≤ 11×: linear with a tenth of slack, for any two sizes.
        let bound = 1.1 * largest as f64 / smaller as f64;
        for &j in &jobs {
            for stage in ["model", "all-but-pdf"] {
                if let (Some(big), Some(small)) = (rows.secs(largest, stage, j), rows.secs(smaller, stage, j)) {
                    out.push(ratio_check(
                        format!("linear: {stage}, {}, {largest} / {smaller} pages ≤ {bound:.0}×", jobs_label(j)),
                        big,
                        small,
                        bound,
                    ));
                }
            }
        }
    }
    if let Some(peak) = ["model", "all-but-pdf"]
        .iter()
        .flat_map(|s| jobs.iter().filter_map(move |&j| rows.get(largest, s, j)))
        .map(|m| (m.peak_kb, m.bytes))
        .max()
    {
        // The peak is read in KiB and the corpus in bytes: both are compared in MB (10^6 bytes).
        let (peak_mb, bound_mb) = (peak.0 as f64 * 1024.0 / 1e6, (4 * peak.1) as f64 / 1e6 + 100.0);
        out.push(Check {
            target: format!("peak RSS, {largest} pages: ≤ 4× the corpus + 100 MB"),
            measured: format!(
                "{peak_mb:.0} MB (highest of model and all-but-pdf; 1 MB = 10^6 bytes) against {bound_mb:.0} MB"
            ),
            met: peak_mb <= bound_mb,
        });
    }
    if let (Some(&one), true) = (jobs.first(), jobs.len() > 1) {
        for &size in &sizes {
            if let (Some(t1), Some(tn)) =
                (rows.secs(size, "all-but-pdf", one), rows.secs(size, "all-but-pdf", most_jobs))
            {
                out.push(Check {
                    target: format!(
                        "threads: all-but-pdf, {size} pages, {} ≥ 1.6× faster than {}",
                        jobs_label(most_jobs),
                        jobs_label(one)
                    ),
                    measured: format!("{t1:.3} s / {tn:.3} s = {:.2}×", t1 / tn),
                    met: t1 / tn >= 1.6,
                });
            }
        }
    }
    out
}

/// The whole guide against one plain render, on every corpus the PDF stages ran on.
fn pdf_checks(rows: &Rows) -> Vec<Check> {
    let mut out = Vec::new();
    for row in rows.0.iter().filter(|r| r.stage == "export:pdf") {
        if let Some(plain) = rows.secs(row.size, "pdf-plain", row.jobs) {
            out.push(ratio_check(
                format!(
                    "PDF, {} corpus, {}: the whole guide ≤ 1.5× one plain render",
                    corpus_label(row.size),
                    jobs_label(row.jobs)
                ),
                row.m.secs,
                plain,
                1.5,
            ));
        }
        if row.size == 1000 {
            let rate = row.m.pdf_pages.unwrap_or(0) as f64 / row.m.secs;
            out.push(Check {
                target: format!("PDF, 1000 pages, {}: ≥ 150 PDF pages/s", jobs_label(row.jobs)),
                measured: format!("{rate:.0} PDF pages/s"),
                met: rate >= 150.0,
            });
        }
    }
    out
}

fn jobs_label(jobs: usize) -> String {
    if jobs == 1 {
        "1 job".to_string()
    } else {
        format!("{jobs} jobs")
    }
}

fn ratio_check(target: String, t: f64, base: f64, bound: f64) -> Check {
    Check { target, measured: format!("{t:.3} s / {base:.3} s = {:.2}×", t / base), met: t / base <= bound }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(size: usize, stage: &str, jobs: usize, secs: f64) -> Row {
        Row {
            size,
            stage: stage.into(),
            jobs,
            m: Measure {
                secs,
                pages: size,
                bytes: 6_000 * size as u64,
                peak_kb: 100_000,
                pdf_pages: None,
                audit_secs: None,
            },
        }
    }

    #[test]
    fn model_building_is_judged_against_the_parse_limit_of_the_same_jobs() {
        let rows = [
            row(10_000, "parse-limit", 2, 0.4),
            row(10_000, "model", 2, 0.5),
            row(10_000, "parse-limit", 1, 0.5),
            row(10_000, "model", 1, 1.0),
        ];
        let checks = checks(&Rows(&rows), &[]);
        let met: Vec<(bool, &str)> = checks
            .iter()
            .filter(|c| c.target.starts_with("model building"))
            .map(|c| (c.met, c.measured.as_str()))
            .collect();
        // One job first, then two.
        assert_eq!(met, [(false, "1.000 s / 0.500 s = 2.00×"), (true, "0.500 s / 0.400 s = 1.25×")]);
    }

    #[test]
    fn a_stage_keeps_its_fastest_time_and_its_highest_peak() {
        let mut r = row(1000, "model", 1, 0.3);
        r.keep_best(Measure { secs: 0.2, pages: 1000, bytes: 1, peak_kb: 90_000, pdf_pages: None, audit_secs: None });
        r.keep_best(Measure { secs: 0.25, pages: 1000, bytes: 1, peak_kb: 120_000, pdf_pages: None, audit_secs: None });
        assert_eq!((r.m.secs, r.m.peak_kb), (0.2, 120_000));
    }

    #[test]
    fn linearity_compares_the_two_largest_generated_corpora() {
        let rows = [row(1000, "model", 2, 0.05), row(10_000, "model", 2, 0.6), row(0, "model", 2, 0.001)];
        let linear: Vec<(bool, String)> = checks(&Rows(&rows), &[])
            .into_iter()
            .filter(|c| c.target.starts_with("linear"))
            .map(|c| (c.met, c.measured))
            .collect();
        assert_eq!(linear, [(false, "0.600 s / 0.050 s = 12.00×".to_string())]);
    }

    #[test]
    fn the_pdf_is_judged_on_the_real_corpus_alone_too() {
        let rows = [row(0, "export:pdf", 2, 0.6), row(0, "pdf-plain", 2, 0.5)];
        let pdf: Vec<(bool, String)> = checks(&Rows(&rows), &[]).into_iter().map(|c| (c.met, c.measured)).collect();
        assert_eq!(pdf, [(true, "0.600 s / 0.500 s = 1.20×".to_string())]);
    }

    #[test]
    fn pandoc_is_compared_with_model_building_and_every_format_but_pdf() {
        let rows = [row(10_000, "model", 2, 0.5), row(10_000, "all-but-pdf", 2, 1.0)];
        let pandoc = [PandocRow { size: 10_000, secs: 150.0 }];
        let c = checks(&Rows(&rows), &pandoc)
            .into_iter()
            .find(|c| c.target.contains("pandoc"))
            .map(|c| (c.met, c.measured));
        assert_eq!(c, Some((true, "model + all-but-pdf 1.500 s against pandoc 150.0 s: 1/100".to_string())));
    }

    fn build_row(size: usize, secs: f64, audit: f64) -> Row {
        let mut r = row(size, "build", 2, secs);
        r.m.audit_secs = Some(audit);
        r
    }

    fn build_checks_named(rows: &[Row], pandoc: &[PandocRow], part: &str) -> Vec<(bool, String)> {
        checks(&Rows(rows), pandoc)
            .into_iter()
            .filter(|c| c.target.contains(part))
            .map(|c| (c.met, c.measured))
            .collect()
    }

    #[test]
    fn the_whole_build_is_compared_with_pandoc_at_every_generated_size() {
        let rows = [build_row(1000, 0.4, 0.1), build_row(10_000, 5.0, 1.0)];
        let pandoc = [PandocRow { size: 1000, secs: 16.0 }, PandocRow { size: 10_000, secs: 250.0 }];
        let c = build_checks_named(&rows, &pandoc, "pandoc's EPUB alone");
        assert_eq!(
            c,
            [
                (false, "0.400 s against pandoc 16.0 s: 40×".into()),
                (true, "5.000 s against pandoc 250.0 s: 50×".into())
            ]
        );
    }

    #[test]
    fn the_audit_s_share_of_the_build_is_judged_from_the_build_s_own_timings() {
        let rows = [build_row(1000, 0.4, 0.1), build_row(10_000, 5.0, 1.3)];
        let c = build_checks_named(&rows, &[], "the audit");
        assert_eq!(c, [(true, "0.100 s of 0.400 s: 25 %".into()), (false, "1.300 s of 5.000 s: 26 %".into())]);
    }

    #[test]
    fn the_pdf_build_is_judged_against_the_pdf_exporter_alone() {
        let rows = [row(10_000, "export:pdf", 2, 60.0), row(10_000, "build-pdf", 2, 130.0)];
        let c = build_checks_named(&rows, &[], "PDF exporter alone");
        assert_eq!(c, [(false, "130.000 s / 60.000 s = 2.17×".into())]);
    }

    #[test]
    fn peak_rss_in_kib_is_compared_with_the_corpus_in_the_same_unit() {
        // 61,000,000 bytes of corpus: the bound is 344 MB, which is 335,938 KiB.
        let mut under = row(10_000, "model", 2, 0.5);
        under.m.bytes = 61_000_000;
        under.m.peak_kb = 335_000;
        let mut over = row(10_000, "all-but-pdf", 2, 0.5);
        over.m.bytes = 61_000_000;
        over.m.peak_kb = 336_500;
        let met = |rows: &[Row]| {
            checks(&Rows(rows), &[]).into_iter().find(|c| c.target.starts_with("peak RSS")).map(|c| c.met)
        };
        assert_eq!(met(std::slice::from_ref(&under)), Some(true));
        assert_eq!(met(&[under, over]), Some(false));
    }
}
