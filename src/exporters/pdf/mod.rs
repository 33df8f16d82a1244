//! PDF: a printable onboarding guide per `[output.pdf]` guide, drawn with genpdf and
//! finished with lopdf. See `exporters/pdf/README.md`.
//!
//! Each guide is rendered until its page numbers are stable (usually twice): the first
//! pass records where every part, chapter and heading lands, the next prints those numbers
//! in the contents, the cross-references and the running footer.

mod book;
mod elements;
pub mod guides;
mod images;
mod inlines;
mod post;
mod readback;
mod state;
mod tables;
pub mod text;
pub mod theme;
mod writer;

use crate::diagnostics::Diagnostic;
use crate::exporter::{ExportContext, Exporter, Sink};
use anyhow::Context as _;
use genpdf::fonts::{FontData, FontFamily};
use hyphenation::{Language, Load, Standard};
use state::{PassRecord, PassState, Shared};
use std::collections::BTreeSet;
use std::rc::Rc;

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

    fn description(&self) -> &'static str {
        "printable guides (pdf/<guide>.pdf): cover, contents with page numbers, bookmarks"
    }

    fn export(&self, ctx: &ExportContext, sink: &mut dyn Sink, diags: &mut Vec<Diagnostic>) -> anyhow::Result<()> {
        for guide in render_guides(ctx, diags)? {
            sink.write(&format!("{}.pdf", guide.name), guide.bytes)?;
        }
        Ok(())
    }

    fn read_back(&self, files: &crate::exporter::MemorySink) -> anyhow::Result<Option<crate::fidelity::ReadBack>> {
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
    let hyphenator = Rc::new(
        Standard::from_reader(Language::French, &mut &FRENCH_PATTERNS[..]).context("loading French hyphenation patterns")?,
    );
    let mut out = Vec::new();
    for guide in guides::guides(ctx.corpus, &options)? {
        let rendered = match render_guide(ctx, &theme, &guide, &hyphenator, diags) {
            Ok(r) => r,
            Err(e) => {
                // One page genpdf cannot lay out must not cost the whole guide.
                let guide = without_unprintable_pages(ctx, &theme, &guide, &hyphenator, &e, diags);
                render_guide(ctx, &theme, &guide, &hyphenator, diags)
            }
            .with_context(|| format!("guide {}", guide.name))?,
        };
        out.push(rendered);
    }
    Ok(out)
}

/// The guide less the pages that fail to lay out on their own, each reported as an error.
fn without_unprintable_pages<'a>(
    ctx: &ExportContext,
    theme: &theme::Theme,
    guide: &guides::Guide<'a>,
    hyphenator: &Rc<Standard>,
    error: &anyhow::Error,
    diags: &mut Vec<Diagnostic>,
) -> guides::Guide<'a> {
    let mut kept = guide.clone();
    for part in &mut kept.parts {
        part.pages.retain(|page| {
            let alone = guides::Guide { parts: vec![guides::Part { title: part.title.clone(), pages: vec![*page] }], ..guide.clone() };
            let ok = render_pass(ctx, theme, &alone, None, hyphenator).is_ok();
            if !ok {
                diags.push(Diagnostic::error("pdf/page-failed", page.source.as_str(), crate::model::Pos::default(),
                    format!("this page cannot be laid out ({error:#}); the guide {} is printed without it", guide.name)));
            }
            ok
        });
    }
    kept
}

struct PassOutput {
    bytes: Vec<u8>,
    record: PassRecord,
    diags: Vec<Diagnostic>,
    unprintable: BTreeSet<char>,
}

fn render_guide(
    ctx: &ExportContext,
    theme: &theme::Theme,
    guide: &guides::Guide,
    hyphenator: &Rc<Standard>,
    diags: &mut Vec<Diagnostic>,
) -> anyhow::Result<RenderedGuide> {
    let mut previous: Option<PassRecord> = None;
    let mut passes = 0;
    let last = loop {
        passes += 1;
        let output = render_pass(ctx, theme, guide, previous.as_ref(), hyphenator)?;
        let stable = previous.as_ref().is_some_and(|p| same_layout(p, &output.record));
        if stable || passes == MAX_PASSES {
            if !stable {
                diags.push(Diagnostic::warning(
                    "pdf/unstable-page-numbers",
                    "",
                    crate::model::Pos::default(),
                    format!("guide {}: page numbers still moved after {MAX_PASSES} passes", guide.name),
                ));
            }
            break output;
        }
        previous = Some(output.record);
    };
    diags.extend(last.diags);
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
    let bytes = post::finish(&last.bytes, &meta, &last.record, &outline)?;
    Ok(RenderedGuide { name: guide.name.clone(), bytes, record: last.record, passes, unprintable: last.unprintable, outline })
}

/// Whether a pass placed everything where the previous one did.
fn same_layout(a: &PassRecord, b: &PassRecord) -> bool {
    a.pages == b.pages && a.spots == b.spots && a.chapters == b.chapters
}

fn family(regular: &'static [u8], bold: &'static [u8], italic: &'static [u8], bold_italic: &'static [u8]) -> anyhow::Result<FontFamily<FontData>> {
    let load = |bytes: &'static [u8]| FontData::new(bytes.to_vec(), None).map_err(|e| anyhow::anyhow!("font: {e}"));
    Ok(FontFamily { regular: load(regular)?, bold: load(bold)?, italic: load(italic)?, bold_italic: load(bold_italic)? })
}

fn render_pass(
    ctx: &ExportContext,
    theme: &theme::Theme,
    guide: &guides::Guide,
    previous: Option<&PassRecord>,
    hyphenator: &Rc<Standard>,
) -> anyhow::Result<PassOutput> {
    use dejavu::{sans, sans_mono};
    let mut doc = genpdf::Document::new(family(sans::regular(), sans::bold(), sans::oblique(), sans::bold_oblique())?);
    let mono = doc.add_font_family(family(
        sans_mono::regular(),
        sans_mono::bold(),
        sans_mono::oblique(),
        sans_mono::bold_oblique(),
    )?);
    doc.set_paper_size(genpdf::Size::new(theme.paper_width, theme.paper_height));
    doc.set_font_size(theme.body_size);
    doc.set_line_spacing(theme.line_spacing);
    doc.set_title(guide.title.clone());
    doc.set_minimal_conformance();
    let state: Shared = Rc::new(std::cell::RefCell::new(PassState::default()));
    doc.set_page_decorator(state::Decorator {
        theme: theme.clone(),
        guide_title: guide.title.clone(),
        previous: previous.cloned(),
        state: state.clone(),
    });
    let in_guide = guide.page_keys();
    let mut writer = writer::Writer {
        ctx,
        theme,
        font_cache: doc.font_cache(),
        mono,
        state: state.clone(),
        hyphenator: hyphenator.clone(),
        previous,
        in_guide: &in_guide,
        pages: ctx.corpus.pages.iter().map(|p| (p.key.as_str(), p)).collect(),
        diags: Vec::new(),
        source: String::new(),
        page_key: String::new(),
        pending_images: Vec::new(),
        depth: 0,
        unprintable: BTreeSet::new(),
    };
    let elements = book::book(&mut writer, guide);
    let (diags, unprintable) = (writer.diags, writer.unprintable);
    for element in elements {
        doc.push(writer::Dyn(element));
    }
    let mut bytes = Vec::new();
    doc.render(&mut bytes).map_err(|e| anyhow::anyhow!("genpdf could not lay out the guide: {e}"))?;
    let record = state.borrow().record.clone();
    Ok(PassOutput { bytes, record, diags, unprintable })
}
