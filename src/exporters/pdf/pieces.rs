//! Cutting a long chapter, or a long contents, into pieces, so that no drawn chunk holds more
//! than a bounded number of pages, however long one page of the site or the guide is.
//!
//! A chapter is a run of top-level elements (its title, then one element and one gap per
//! block), and so is the contents (one element per line). The measuring pass notes every element that starts a page cleanly: the first thing
//! on a fresh page, with nothing of it on the page before. Laid out first in a document of its
//! own, such an element lands exactly where it landed inside the whole chapter, so a chapter
//! cut there breaks its pages as it did whole, and the pieces can be drawn in separate chunks.

use super::book::Unit;
use super::state::{near_page_top, PassRecord, Shared};
use genpdf::style::Style;
use genpdf::{Context, Element, RenderResult};
use std::collections::BTreeMap;

/// Top-level elements `from..to` of a unit (`to` of `None`: to the end): the whole unit, or
/// one piece of a long chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub unit: usize,
    pub from: usize,
    pub to: Option<usize>,
}

impl Piece {
    fn whole(unit: usize) -> Piece {
        Piece { unit, from: 0, to: None }
    }
}

/// One piece per unit.
pub fn whole_units(units: &[Unit]) -> Vec<Piece> {
    (0..units.len()).map(Piece::whole).collect()
}

/// The pieces of the guide after a measuring pass: each chapter or contents longer than `max_pages` is cut
/// at clean page starts, each piece as long as it can be without passing `max_pages` (a
/// stretch with no clean page start stays whole). Also gives where each piece starts, in the
/// form `PassRecord::unit_pages` takes: by piece.
pub fn cut(units: &[Unit], measured: &PassRecord, max_pages: usize) -> (Vec<Piece>, BTreeMap<usize, usize>) {
    let mut starts: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
    for &(unit, element, page) in &measured.page_starts {
        starts.entry(unit).or_default().push((element, page));
    }
    let (mut pieces, mut unit_pages) = (Vec::new(), BTreeMap::new());
    for (unit, kind) in units.iter().enumerate() {
        let Some(&start) = measured.unit_pages.get(&unit) else {
            pieces.push(Piece::whole(unit));
            continue;
        };
        let end = measured.unit_pages.get(&(unit + 1)).copied().unwrap_or(measured.pages + 1);
        let cuts = match (kind, starts.get_mut(&unit)) {
            (kind, Some(candidates)) if kind.can_be_cut() && end.saturating_sub(start) > max_pages => {
                candidates.sort_unstable();
                cut_points(candidates, start, end, max_pages)
            }
            _ => Vec::new(),
        };
        let mut from = (0, start);
        for (element, page) in cuts.into_iter().chain([(usize::MAX, end)]) {
            unit_pages.insert(pieces.len(), from.1);
            pieces.push(Piece { unit, from: from.0, to: (element != usize::MAX).then_some(element) });
            from = (element, page);
        }
    }
    (pieces, unit_pages)
}

/// Greedy: each cut at the last clean page start within `max_pages` of the previous cut.
fn cut_points(candidates: &[(usize, usize)], start: usize, end: usize, max_pages: usize) -> Vec<(usize, usize)> {
    let (mut cuts, mut last, mut best) = (Vec::new(), start, None);
    for &(element, page) in candidates {
        if page <= last {
            continue;
        }
        if page - last > max_pages {
            // Past the bound: cut at the best start before it, or here when there was none.
            let (e, p) = best.take().unwrap_or((element, page));
            cuts.push((e, p));
            last = p;
        }
        if page > last && page - last <= max_pages {
            best = Some((element, page));
        }
    }
    if end - last > max_pages {
        cuts.extend(best);
    }
    cuts
}

/// Records, in a measuring pass, whether an element of a unit that can be cut starts a page cleanly.
pub struct PageStartMark {
    pub unit: usize,
    pub element: usize,
    pub inner: Box<dyn Element>,
    pub state: Shared,
    pub seen: bool,
}

impl Element for PageStartMark {
    fn render(
        &mut self,
        context: &Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        if self.seen {
            return self.inner.render(context, area, style);
        }
        self.seen = true;
        let at_top = near_page_top(&self.state, area.size().height, 0.01);
        let result = self.inner.render(context, area, style)?;
        let nothing = f64::from(result.size.height) <= 0.0 && result.has_more;
        let mut s = self.state.borrow_mut();
        let page = match (at_top, nothing) {
            (true, false) => Some(s.page),
            // Nothing of it fitted here: it starts the next page, from its top.
            (false, true) => Some(s.page + 1),
            _ => None,
        };
        if let Some(page) = page {
            s.record.page_starts.push((self.unit, self.element, page));
        }
        Ok(result)
    }
}

/// Records the page on which a piece that does not start its unit begins.
pub struct PieceStart {
    pub index: usize,
    pub inner: Box<dyn Element>,
    pub state: Shared,
}

impl Element for PieceStart {
    fn render(
        &mut self,
        context: &Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let result = self.inner.render(context, area, style)?;
        if f64::from(result.size.height) > 0.0 || !result.has_more {
            let mut s = self.state.borrow_mut();
            let page = s.page;
            s.record.unit_pages.entry(self.index).or_insert(page);
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::cut_points;

    #[test]
    fn cuts_fall_at_the_last_clean_start_within_the_bound() {
        let starts = [(4, 3), (9, 5), (14, 7), (20, 9), (26, 12)];
        assert_eq!(cut_points(&starts, 1, 14, 5), vec![(9, 5), (20, 9)]);
    }

    #[test]
    fn a_stretch_without_a_clean_start_stays_whole() {
        assert_eq!(cut_points(&[(30, 20)], 1, 22, 5), vec![(30, 20)]);
        assert_eq!(cut_points(&[], 1, 22, 5), vec![]);
    }
}
