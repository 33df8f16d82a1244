//! The exports side by side: every format, its read-back as soon as it is written, the
//! diagrams and the model's side of the audit, on every thread at once.

use super::{export_one, ExportResult, Loaded};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::diagrams::DiagramStore;
use crate::exporter::{Exporter, Outputs, Sink};
use crate::fidelity::{Counts, Promise, ReadBack};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A format's export, its read-back and when its export finished.
pub struct Exported<S> {
    pub result: ExportResult<S>,
    pub read_back: anyhow::Result<Option<ReadBack>>,
    pub done: Instant,
}

/// What runs beside the exports: the diagrams drawn, what drawing them reported and took,
/// and what every format is audited against (the model's promised words and its counts).
pub struct Beside {
    pub drawn: DiagramStore,
    pub drawing_diags: Vec<Diagnostic>,
    pub drawing: Duration,
    pub model_side: (Promise, Counts),
}

/// Runs every exporter in parallel, each format's files read back as soon as its exporter
/// finishes, while the others still work.
///
/// Drawing the diagrams is mostly one thread's work, so it is not a stage of its own: the
/// model's side of the audit and the formats that show no diagram run beside it, and the
/// others start once they are drawn. Every thread takes the heaviest format not yet started,
/// so that the parts of a format that run on one thread overlap the others' work.
pub fn export_and_read_back<S: Sink + Outputs + Send>(
    loaded: &Loaded,
    config: &Config,
    exporters: &[Box<dyn Exporter>],
    make_sink: &(dyn Fn(&str) -> anyhow::Result<S> + Sync),
    on_progress: &(dyn Fn(&str) + Sync),
) -> (Vec<Exported<S>>, Beside) {
    let slots: Vec<OnceLock<Exported<S>>> = exporters.iter().map(|_| OnceLock::new()).collect();
    let mut heaviest_first: Vec<usize> = (0..exporters.len()).collect();
    heaviest_first.sort_by_key(|&i| std::cmp::Reverse(exporters[i].relative_cost()));
    let (with_diagrams, without): (Vec<usize>, Vec<usize>) =
        heaviest_first.into_iter().partition(|&i| exporters[i].uses_diagrams());
    let run = |i: usize, diagrams: &DiagramStore| {
        let exporter = exporters[i].as_ref();
        let result = export_one(loaded, diagrams, config, exporter, make_sink, on_progress);
        let done = Instant::now();
        let read_back = match &result.1 {
            Ok((sink, _)) => exporter.read_back(sink),
            Err(_) => Ok(None),
        };
        crate::allocator::give_back_freed_memory();
        // Each slot is set once, by the one task of its format.
        let _ = slots[i].set(Exported { result, read_back, done });
    };
    let drawing: OnceLock<(DiagramStore, Vec<Diagnostic>, Duration)> = OnceLock::new();
    let model_side = OnceLock::new();
    let no_diagrams = DiagramStore::empty();
    // First in, first out: the drawing first, then the model's side, then the formats.
    rayon::scope_fifo(|scope| {
        scope.spawn_fifo(|scope| {
            let started = Instant::now();
            let mut found = Vec::new();
            let store = crate::diagrams::render_all(&loaded.corpus, &mut found);
            let (drawn, _, _) = drawing.get_or_init(|| (store, found, started.elapsed()));
            for &i in &with_diagrams {
                scope.spawn_fifo(move |_| run(i, drawn));
            }
        });
        scope.spawn_fifo(|_| {
            let corpus = &loaded.corpus;
            let side = rayon::join(|| Promise::of_corpus(corpus), || crate::fidelity::model_counts(corpus));
            let _ = model_side.set(side);
        });
        for &i in &without {
            let no_diagrams = &no_diagrams;
            scope.spawn_fifo(move |_| run(i, no_diagrams));
        }
    });
    let exported = slots.into_iter().filter_map(OnceLock::into_inner).collect();
    let (drawn, drawing_diags, drawing) = drawing.into_inner().unwrap_or_default();
    let model_side = model_side.into_inner().unwrap_or_default();
    (exported, Beside { drawn, drawing_diags, drawing, model_side })
}
