//! Laying a guide out in chunks, in parallel.
//!
//! Every unit of a guide (cover, contents, part page, chapter) starts on a new page, so a run
//! of units laid out as a document of its own breaks its pages exactly as it would inside the
//! whole guide. Only the numbers printed on those pages (footer, contents, cross-references)
//! depend on what comes before, and they come from the previous pass. So each pass lays its
//! chunks out side by side, one genpdf document each, and `merge.rs` joins the last pass's
//! documents into one file. A chapter too long for one chunk is cut into pieces where a page
//! starts cleanly (`pieces.rs`); chunks are ranges of those pieces.
//!
//! The first pass only measures: it lays every page out but stops before the file is written,
//! so that no font is embedded.

use super::book::{unit_elements, Unit};
use super::fallback::Fallback;
use super::guides::Guide;
use super::images::PictureCache;
use super::pieces::{PageStartMark, Piece, PieceStart};
use super::state::{self, PassRecord, Shared};
use super::theme::Theme;
use super::writer;
use crate::diagnostics::Diagnostic;
use crate::exporter::ExportContext;
use crate::model::Page;
use genpdf::fonts::{Font, FontData, FontFamily};
use genpdf::style::Style;
use genpdf::{Context, Element, RenderResult};
use hyphenation::Standard;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

/// Whether a pass draws the guide or only learns where everything lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Measure,
    Draw,
}

/// What every chunk of a guide shares, read-only.
pub struct Job<'r, 'a, 'g> {
    pub ctx: &'r ExportContext<'a>,
    pub theme: &'r Theme,
    pub guide: &'r Guide<'g>,
    pub units: &'r [Unit<'g>],
    /// What each chunk's ranges count: whole units, or pieces of long chapters (`pieces.rs`).
    pub pieces: Vec<Piece>,
    pub hyphenator: &'r Arc<Standard>,
    pub pictures: &'r PictureCache,
    /// Keys of the pages this guide prints, and every page of the corpus by key: looked up
    /// by every chunk of every pass, built once.
    in_guide: BTreeSet<String>,
    pages: BTreeMap<&'r str, &'r Page>,
    /// Fonts for the characters DejaVu lacks, loaded only for a guide that has such text.
    pub fallbacks: Vec<Arc<Fallback>>,
}

/// One chunk laid out: its PDF (none when measuring; the joiner takes it once drawn), read back with its page contents
/// already deflated so that finished chunks take little memory, and what it learned, with
/// page numbers counted from the `first_page` it was given.
pub struct ChunkOutput {
    pub first_page: usize,
    pub pdf: Option<lopdf::Document>,
    pub record: PassRecord,
    pub diags: Vec<Diagnostic>,
    pub unprintable: BTreeSet<char>,
}

impl ChunkOutput {
    /// How many pages the chunk took.
    pub fn page_count(&self) -> usize {
        (self.record.pages + 1).saturating_sub(self.first_page)
    }
}

impl<'r, 'a, 'g> Job<'r, 'a, 'g> {
    pub fn new(
        ctx: &'r ExportContext<'a>,
        theme: &'r Theme,
        guide: &'r Guide<'g>,
        units: &'r [Unit<'g>],
        hyphenator: &'r Arc<Standard>,
        pictures: &'r PictureCache,
    ) -> Self {
        let pages = ctx.corpus.pages.iter().map(|p| (p.key.as_str(), p)).collect();
        Job {
            ctx,
            theme,
            guide,
            units,
            pieces: super::pieces::whole_units(units),
            hyphenator,
            pictures,
            in_guide: guide.page_keys(),
            pages,
            fallbacks: Vec::new(),
        }
    }

    /// Lays out `pieces[range]` as one document whose first page is numbered `first_page`.
    pub fn render(
        &self,
        range: Range<usize>,
        first_page: usize,
        previous: Option<&Arc<PassRecord>>,
        mode: Mode,
    ) -> anyhow::Result<ChunkOutput> {
        let (mut doc, mono, fallbacks) = self.document()?;
        let state: Shared = Shared::default();
        {
            let mut s = state.borrow_mut();
            s.fallbacks = fallbacks;
            s.page = first_page.saturating_sub(1);
            s.measuring = mode == Mode::Measure;
        }
        doc.set_page_decorator(state::Decorator {
            theme: self.theme.clone(),
            guide_title: self.guide.title.clone(),
            previous: previous.cloned(),
            state: state.clone(),
        });
        let mut writer = writer::Writer {
            ctx: self.ctx,
            theme: self.theme,
            font_cache: doc.font_cache(),
            mono,
            state: state.clone(),
            hyphenator: self.hyphenator.clone(),
            pictures: self.pictures,
            previous: previous.map(|p| &**p),
            in_guide: &self.in_guide,
            pages: &self.pages,
            diags: Vec::new(),
            source: String::new(),
            page_key: String::new(),
            pending_images: Vec::new(),
            depth: 0,
            unprintable: BTreeSet::new(),
            labels: crate::languages::book_labels(self.ctx.corpus),
        };
        let mut elements: writer::Elements = Vec::new();
        let mut index = range.start;
        while index < range.end {
            // The pieces of one unit that follow each other in this chunk are laid out as one run.
            let run_end = (index..range.end)
                .find(|&i| self.pieces.get(i).map(|p| p.unit) != self.pieces.get(index).map(|p| p.unit))
                .unwrap_or(range.end);
            let Some(&first) = self.pieces.get(index) else { break };
            if first.from == 0 {
                if index > range.start {
                    elements.push(Box::new(genpdf::elements::PageBreak::new()));
                }
                elements.push(Box::new(UnitStart { index, state: state.clone() }));
            }
            let reported = writer.diags.len();
            let unit = self.units.get(first.unit).map(|u| unit_elements(&mut writer, self.guide, *u));
            // The chunk holding the start of a chapter reports what its blocks raise.
            if first.from > 0 {
                writer.diags.truncate(reported);
            }
            let last = self.pieces.get(run_end - 1).and_then(|p| p.to);
            let can_be_cut = self.units.get(first.unit).is_some_and(Unit::can_be_cut);
            for (element, inner) in unit.unwrap_or_default().into_iter().enumerate() {
                if element < first.from || last.is_some_and(|to| element >= to) {
                    continue;
                }
                let piece = (index..run_end).find(|&i| self.pieces.get(i).is_some_and(|p| p.from == element));
                elements.push(match piece {
                    Some(piece) if element > 0 => Box::new(PieceStart { index: piece, inner, state: state.clone() }),
                    _ if mode == Mode::Measure && can_be_cut && element > 0 => {
                        Box::new(PageStartMark { unit: first.unit, element, inner, state: state.clone(), seen: false })
                    }
                    _ => inner,
                });
            }
            index = run_end;
        }
        let (diags, unprintable) = (writer.diags, writer.unprintable);
        elements.into_iter().for_each(|e| doc.push(writer::Dyn(e)));
        if mode == Mode::Measure {
            doc.push(EndOfMeasure { state: state.clone() });
        }
        let mut bytes = Vec::new();
        let rendered = doc.render(&mut bytes);
        let measured = state.borrow().measured;
        match rendered {
            Ok(()) => {}
            Err(_) if measured => {}
            Err(e) => anyhow::bail!("genpdf could not lay out the guide: {e}"),
        }
        let record = state.borrow().record.clone();
        let pdf = match mode {
            Mode::Draw => {
                // Only a guide with fallback fonts (emoji) needs it: Latin-only guides keep their bytes.
                Some(super::merge::read_chunk(&bytes, !self.fallbacks.is_empty())?)
            }
            Mode::Measure => None,
        };
        Ok(ChunkOutput { first_page, pdf, record, diags, unprintable })
    }

    /// A genpdf document with the sans family as default, the mono family and the fallbacks added.
    fn document(&self) -> anyhow::Result<(genpdf::Document, FontFamily<Font>, Vec<FontFamily<Font>>)> {
        use dejavu::{sans, sans_mono};
        let mut doc =
            genpdf::Document::new(family([sans::regular(), sans::bold(), sans::oblique(), sans::bold_oblique()])?);
        let mono = doc.add_font_family(family([
            sans_mono::regular(),
            sans_mono::bold(),
            sans_mono::oblique(),
            sans_mono::bold_oblique(),
        ])?);
        let fallbacks =
            self.fallbacks.iter().map(|f| Ok(doc.add_font_family(f.family()?))).collect::<anyhow::Result<Vec<_>>>()?;
        let theme = self.theme;
        doc.set_paper_size(genpdf::Size::new(theme.paper_width, theme.paper_height));
        doc.set_font_size(theme.body_size);
        doc.set_line_spacing(theme.line_spacing);
        doc.set_title(self.guide.title.clone());
        doc.set_minimal_conformance();
        Ok((doc, mono, fallbacks))
    }
}

fn family([regular, bold, italic, bold_italic]: [&'static [u8]; 4]) -> anyhow::Result<FontFamily<FontData>> {
    let load = |bytes: &'static [u8]| FontData::new(bytes.to_vec(), None).map_err(|e| anyhow::anyhow!("font: {e}"));
    Ok(FontFamily {
        regular: load(regular)?,
        bold: load(bold)?,
        italic: load(italic)?,
        bold_italic: load(bold_italic)?,
    })
}

/// The last element of a measuring pass. Once it is reached every page has been laid out,
/// and it stops genpdf before it writes the file: writing is where printpdf embeds every
/// font, about 80 ms a face and a document. genpdf offers no other way to stop there.
struct EndOfMeasure {
    state: Shared,
}

impl Element for EndOfMeasure {
    fn render(
        &mut self,
        _: &Context,
        _: genpdf::render::Area<'_>,
        _: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        self.state.borrow_mut().measured = true;
        Err(genpdf::error::Error::new("measured", genpdf::error::ErrorKind::Internal))
    }
}

/// Contiguous ranges of `weights`, about equally heavy, at most `parts` of them.
pub fn split(weights: &[usize], parts: usize) -> Vec<Range<usize>> {
    let parts = parts.clamp(1, weights.len().max(1));
    let total: usize = weights.iter().sum();
    let mut out = Vec::with_capacity(parts);
    let (mut start, mut sum) = (0, 0);
    for (i, w) in weights.iter().enumerate() {
        sum += w;
        let boundary = total * (out.len() + 1) / parts;
        if sum >= boundary && out.len() + 1 < parts && i + 1 < weights.len() {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out.push(start..weights.len());
    out
}

/// Records, in the shared state, the page on which a unit starts.
struct UnitStart {
    index: usize,
    state: Shared,
}

impl Element for UnitStart {
    fn render(
        &mut self,
        _: &Context,
        _: genpdf::render::Area<'_>,
        _: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let mut s = self.state.borrow_mut();
        let page = s.page;
        s.record.unit_pages.entry(self.index).or_insert(page);
        Ok(RenderResult::default())
    }
}

/// The layout of a whole guide from its chunks, laid out in order: each chunk's page numbers
/// are moved to where the chunks before it actually end.
pub fn join_records(chunks: &[ChunkOutput]) -> PassRecord {
    let mut joined = PassRecord::default();
    let mut next_page = 1;
    for chunk in chunks {
        let delta = next_page as i64 - chunk.first_page as i64;
        joined.append(chunk.record.shifted(delta));
        next_page += chunk.page_count();
    }
    joined.pages = next_page - 1;
    joined
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn split_makes_contiguous_ranges_of_similar_weight() {
        assert_eq!(split(&[1, 1, 1, 1], 2), vec![0..2, 2..4]);
        assert_eq!(split(&[10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2), vec![0..1, 1..11]);
    }

    #[test]
    fn split_never_makes_more_ranges_than_items_nor_empty_ones() {
        assert_eq!(split(&[5], 4), vec![0..1]);
        assert_eq!(split(&[], 3), vec![0..0]);
        assert!(split(&[1, 2, 3, 4, 5, 6, 7], 3).iter().all(|r| !r.is_empty()));
    }
}
