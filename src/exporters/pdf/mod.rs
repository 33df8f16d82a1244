//! PDF: a printable onboarding guide per `[output.pdf]` guide, drawn with genpdf and
//! finished with lopdf. See `exporters/pdf/README.md`.
//!
//! Each guide is laid out until its page numbers are stable (usually twice): the first
//! pass measures where every part, chapter and heading lands, the next draws the guide with
//! those numbers in the contents, the cross-references and the running footer. Each pass
//! lays chunks of the guide out in parallel (`chunks.rs`), and the drawn chunks are joined
//! into one file (`merge.rs`) before the post-pass (`post.rs`).

mod bidi;
mod book;
mod chunks;
mod elements;
mod fallback;
pub mod guides;
mod images;
mod inlines;
mod merge;
mod pieces;
mod post;
mod readback;
pub use readback::guide_text;
mod share;
mod state;
mod table_layout;
mod tables;
pub mod text;
pub mod theme;
mod to_unicode;
mod writer;

use crate::diagnostics::Diagnostic;
use crate::exporter::{ExportContext, Exporter, Sink};
use anyhow::Context as _;
use chunks::{ChunkOutput, Job, Mode};
use hyphenation::{Language, Load, Standard};
use images::PictureCache;
use rayon::prelude::*;
use state::PassRecord;
use std::collections::BTreeSet;
use std::sync::Arc;

pub use images::{decode_capped, flatten_on_white, rasterize_diagram};
pub use post::OutlineItem;

/// French hyphenation patterns (from the `hyphenation` crate 0.8.4, `fr.standard.bincode`).
const FRENCH_PATTERNS: &[u8] = include_bytes!("../../../exporters/pdf/hyph-fr.standard.bincode");
/// Passes after which unstable page numbers are reported rather than chased further.
const MAX_PASSES: usize = 4;

pub struct PdfExporter;

impl Exporter for PdfExporter {
    fn name(&self) -> &'static str {
        "pdf"
    }

    // Laying out and drawing every printed page outweighs every other format.
    fn relative_cost(&self) -> u32 {
        20
    }

    fn is_main_file(&self, path: &str) -> bool {
        path.ends_with(".pdf")
    }

    // A guide is made of pages: with none, there is nothing to print.
    fn writes_main_file_without_pages(&self) -> bool {
        false
    }

    // genpdf allocates and frees in waves: freed memory reused rather than handed back and
    // zeroed again (see `folio::allocator`).
    fn keeps_freed_memory(&self) -> bool {
        true
    }

    // Its layout takes longer than every other format together: timed in its own stage.
    fn bench_stage(&self) -> crate::exporter::BenchStage {
        crate::exporter::BenchStage::OwnStage
    }

    fn description(&self) -> &'static str {
        "printable guides (pdf/<guide>.pdf): cover, contents with page numbers, bookmarks"
    }

    fn export(&self, ctx: &ExportContext, sink: &mut dyn Sink, diags: &mut Vec<Diagnostic>) -> anyhow::Result<()> {
        // A corpus in several languages makes its guides once per language, NAME-LANG.pdf.
        for (language, corpus) in crate::languages::books(ctx.corpus) {
            let suffix = language.map(|l| format!("-{}", crate::text::slugify(&l))).unwrap_or_default();
            for guide in render_guides(&ExportContext { corpus: &corpus, ..*ctx }, diags)? {
                sink.write(&format!("{}{suffix}.pdf", guide.name), guide.bytes)?;
            }
        }
        Ok(())
    }

    fn read_back(&self, files: &dyn crate::exporter::Outputs) -> anyhow::Result<Option<crate::fidelity::ReadBack>> {
        readback::read_back(files)
    }
}

/// One finished guide, with what its last pass learned (for tests and the layout plan).
pub struct RenderedGuide {
    pub name: String,
    pub bytes: Vec<u8>,
    pub record: PassRecord,
    pub passes: usize,
    /// Characters reported as not printable (`pdf/missing-glyph`).
    pub unprintable: BTreeSet<char>,
    pub outline: Vec<OutlineItem>,
    /// Fallback font files loaded for text DejaVu lacks (none for Latin, Greek or Cyrillic).
    pub fallback_fonts: Vec<std::path::PathBuf>,
    /// Runs the guide was drawn in: one per unit, more when long chapters were cut.
    pub pieces: usize,
}

impl RenderedGuide {
    /// The layout plan: per PDF page, the blocks placed on it.
    pub fn plan(&self) -> String {
        let mut out = String::new();
        let mut last = 0;
        for (page, label) in &self.record.plan {
            if *page != last {
                out.push_str(&format!("page {page}\n"));
                last = *page;
            }
            out.push_str(&format!("  {label}\n"));
        }
        out
    }

    /// Page numbers of the chapters, by page key.
    pub fn chapter_pages(&self) -> Vec<(String, usize)> {
        self.record
            .spots
            .iter()
            .filter(|(k, _)| k.starts_with("page:") && !k.contains('#'))
            .map(|(k, s)| (k.trim_start_matches("page:").to_string(), s.page))
            .collect()
    }
}

pub fn render_guides(ctx: &ExportContext, diags: &mut Vec<Diagnostic>) -> anyhow::Result<Vec<RenderedGuide>> {
    let options = guides::Options::parse(ctx.options)?;
    let theme = theme::Theme::load(options.theme.as_ref())?;
    let hyphenator = french_hyphenator()?;
    let pictures = PictureCache::default();
    let mut out = Vec::new();
    let fonts = fallback::candidates(&options.fallback_fonts);
    for guide in guides::guides(ctx.corpus, &options)? {
        let rendered = match render_guide(ctx, &options, &theme, &guide, &hyphenator, &pictures, &fonts, diags) {
            Ok(r) => r,
            Err(e) => {
                // One page genpdf cannot lay out must not cost the whole guide.
                let guide = without_unprintable_pages(ctx, &theme, &guide, &hyphenator, &pictures, &e, diags);
                render_guide(ctx, &options, &theme, &guide, &hyphenator, &pictures, &fonts, diags)
            }
            .with_context(|| format!("guide {}", guide.name))?,
        };
        out.push(rendered);
    }
    Ok(out)
}

fn french_hyphenator() -> anyhow::Result<Arc<Standard>> {
    let standard = Standard::from_reader(Language::French, &mut &FRENCH_PATTERNS[..])
        .context("loading French hyphenation patterns")?;
    Ok(Arc::new(standard))
}

/// One plain genpdf render of every guide: all units in one document, drawn once, with no
/// page numbers and no post-pass. The benchmark's yardstick for the whole exporter.
pub fn plain_render(ctx: &ExportContext) -> anyhow::Result<usize> {
    let options = guides::Options::parse(ctx.options)?;
    let theme = theme::Theme::load(options.theme.as_ref())?;
    let (hyphenator, pictures) = (french_hyphenator()?, PictureCache::default());
    let mut pages = 0;
    for guide in guides::guides(ctx.corpus, &options)? {
        let units = book::units(&guide);
        let job = Job::new(ctx, &theme, &guide, &units, &hyphenator, &pictures);
        pages += job.render(0..units.len(), 1, None, Mode::Draw)?.record.pages;
    }
    Ok(pages)
}

/// The guide less the pages that fail to lay out on their own, each reported as an error.
fn without_unprintable_pages<'a>(
    ctx: &ExportContext,
    theme: &theme::Theme,
    guide: &guides::Guide<'a>,
    hyphenator: &Arc<Standard>,
    pictures: &PictureCache,
    error: &anyhow::Error,
    diags: &mut Vec<Diagnostic>,
) -> guides::Guide<'a> {
    let units = book::units(guide);
    let job = Job::new(ctx, theme, guide, &units, hyphenator, pictures);
    let failing: BTreeSet<&str> = (0..units.len())
        .into_par_iter()
        .filter_map(|i| match units[i] {
            book::Unit::Chapter(page) => job.render(i..i + 1, 1, None, Mode::Measure).is_err().then_some(page),
            // The cover, the contents and part pages come from the guide, not from a page.
            book::Unit::Cover | book::Unit::Contents | book::Unit::Part(_) => None,
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|page| {
            diags.push(Diagnostic::error(
                crate::codes::PDF_PAGE_FAILED,
                page.source.as_str(),
                crate::model::Pos::default(),
                format!("this page cannot be laid out ({error:#}); the guide {} is printed without it", guide.name),
            ));
            page.key.as_str()
        })
        .collect();
    let mut kept = guide.clone();
    for part in &mut kept.parts {
        part.pages.retain(|page| !failing.contains(page.key.as_str()));
    }
    kept
}

#[allow(clippy::too_many_arguments)]
fn render_guide(
    ctx: &ExportContext,
    options: &guides::Options,
    theme: &theme::Theme,
    guide: &guides::Guide,
    hyphenator: &Arc<Standard>,
    pictures: &PictureCache,
    fonts: &[std::path::PathBuf],
    diags: &mut Vec<Diagnostic>,
) -> anyhow::Result<RenderedGuide> {
    let units = book::units(guide);
    let mut job = Job::new(ctx, theme, guide, &units, hyphenator, pictures);
    let threads = rayon::current_num_threads();
    // Measuring is cheap per document, so it is cut finer, for balance; and genpdf holds every
    // page of a document, measured or drawn, so no chunk should hold many more than `chunk_pages`.
    let weights: Vec<usize> = units.iter().map(book::Unit::weight).collect();
    let pages_guessed = weights.iter().sum::<usize>() / book::WEIGHT_PER_PAGE;
    let measure_parts = (threads * 4).max(pages_guessed.div_ceil(options.chunk_pages.max(1)));
    let measure_ranges = chunks::split(&weights, measure_parts);
    let mut measured = render_chunks(&job, &measure_ranges, None, None)?;
    // Text DejaVu lacks: measured again with the fallback fonts that draw it.
    let missing: BTreeSet<char> = measured.iter().flat_map(|c| c.unprintable.iter().copied()).collect();
    job.fallbacks = fallback::select(fonts, &missing)?;
    if !job.fallbacks.is_empty() {
        measured = render_chunks(&job, &measure_ranges, None, None)?;
    }
    // Chapters and contents longer than a chunk may be are cut where a page starts cleanly.
    let mut measured = chunks::join_records(&measured);
    let (pieces, piece_pages) = pieces::cut(&units, &measured, options.chunk_pages);
    (measured.unit_pages, measured.page_starts) = (piece_pages, Vec::new());
    job.pieces = pieces;
    let mut previous = Arc::new(measured);
    let mut passes = 1;
    let (drawn, record, joiner) = loop {
        passes += 1;
        // Drawing embeds the fonts once per document, so there is one chunk per thread, unless
        // that would hold more than `chunk_pages` pages in memory at once (genpdf keeps every
        // page of a document until it writes the file).
        let parts = threads.max(previous.pages.div_ceil(options.chunk_pages.max(1)));
        let ranges = chunks::split(&unit_page_counts(&previous, job.pieces.len()), parts);
        let joiner = merge::JoinQueue::new(threads * 2);
        let drawn = render_chunks(&job, &ranges, Some(&previous), Some(&joiner))?;
        let record = chunks::join_records(&drawn);
        let stable = same_layout(&previous, &record);
        if stable || passes == MAX_PASSES {
            if !stable {
                diags.push(Diagnostic::warning(
                    crate::codes::PDF_UNSTABLE_PAGE_NUMBERS,
                    "",
                    crate::model::Pos::default(),
                    format!("guide {}: page numbers still moved after {MAX_PASSES} passes", guide.name),
                ));
            }
            break (drawn, record, joiner);
        }
        previous = Arc::new(record);
    };
    let mut unprintable = BTreeSet::new();
    for chunk in drawn {
        diags.extend(chunk.diags);
        unprintable.extend(chunk.unprintable);
    }
    let mut doc = joiner.finish()?;
    merge::substitute_pictures(&mut doc, &pictures.by_number())?;
    let outline = book::outline(guide);
    let meta = post::Meta {
        title: guide.title.clone(),
        author: ctx.corpus.site.publisher.clone(),
        subject: guide.subtitle.clone(),
        keywords: guide.parts.iter().map(|p| p.title.as_str()).collect::<Vec<_>>().join(", "),
        lang: ctx.corpus.site.language.clone(),
        build_time: ctx.build_time,
        paper_height: theme.paper_height,
    };
    let bytes = post::finish(doc, &meta, &record, &outline)?;
    let fallback_fonts = job.fallbacks.iter().map(|f| f.path.clone()).collect();
    let pieces = job.pieces.len();
    Ok(RenderedGuide { name: guide.name.clone(), bytes, record, passes, unprintable, outline, fallback_fonts, pieces })
}

/// Lays out each range of units as its own document, in parallel, in order: measuring only,
/// or drawing when given a join queue, which takes each drawn chunk as soon as it is done.
fn render_chunks(
    job: &Job,
    ranges: &[std::ops::Range<usize>],
    previous: Option<&Arc<PassRecord>>,
    joiner: Option<&merge::JoinQueue>,
) -> anyhow::Result<Vec<ChunkOutput>> {
    let mode = if joiner.is_some() { Mode::Draw } else { Mode::Measure };
    // Chunks are taken in order, so the joiner waits on few of them at a time.
    let mut chunks: Vec<(usize, ChunkOutput)> = ranges
        .iter()
        .enumerate()
        .par_bridge()
        .map(|(index, range)| {
            let first_page = previous.and_then(|p| p.unit_pages.get(&range.start)).copied().unwrap_or(1);
            let Some(joiner) = joiner else {
                return Ok((index, job.render(range.clone(), first_page, previous, mode)?));
            };
            let turn = joiner.turn(index)?;
            let mut chunk = job.render(range.clone(), first_page, previous, mode)?;
            turn.complete(chunk.pdf.take().context("a drawn chunk without its PDF")?)?;
            Ok((index, chunk))
        })
        .collect::<anyhow::Result<_>>()?;
    chunks.sort_unstable_by_key(|(index, _)| *index);
    Ok(chunks.into_iter().map(|(_, chunk)| chunk).collect())
}

/// Pages each piece took in a pass (at least 1), the weights of the next pass's chunks.
fn unit_page_counts(record: &PassRecord, pieces: usize) -> Vec<usize> {
    (0..pieces)
        .map(|i| {
            let start = record.unit_pages.get(&i).copied().unwrap_or(0);
            let end = record.unit_pages.get(&(i + 1)).copied().unwrap_or(record.pages + 1);
            end.saturating_sub(start).max(1)
        })
        .collect()
}

/// Whether a pass placed everything where the previous one did.
fn same_layout(a: &PassRecord, b: &PassRecord) -> bool {
    a.pages == b.pages && a.spots == b.spots && a.chapters == b.chapters && a.unit_pages == b.unit_pages
}
