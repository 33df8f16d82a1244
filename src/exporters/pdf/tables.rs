//! Tables: bordered, bold header repeated on every page they span, never cut. A table with more columns than the theme
//! allows is split into several tables that repeat the first column; every cell wraps
//! (and splits words too wide for it), so no text ever leaves its cell.

use super::table_layout::{Cells, HeadedTable, RowFactory};
use super::text::{RichText, Span, Wrap};
use super::writer::{Dyn, Elements, Writer};
use crate::model::{Inline, TableBlock};
use genpdf::Element;

impl Writer<'_, '_> {
    pub fn table(&mut self, table: &TableBlock) -> Elements {
        let columns = table.header.len().max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
        if columns == 0 {
            return Vec::new();
        }
        let max = self.theme.table_max_columns;
        let groups = column_groups(columns, max);
        let mut out: Elements = Vec::new();
        for (n, group) in groups.iter().enumerate() {
            if groups.len() > 1 {
                let first = group.get(1).map_or(1, |c| c + 1);
                let last = group.last().map_or(1, |c| c + 1);
                let label = self.labels.table_part(n + 1, groups.len(), (first, last), columns);
                let text = self.plain(vec![Span::new(label, self.small(self.body()).italic())]);
                out.push(Box::new(text.keep_with_next(self.theme.keep_with_next)));
            }
            out.push(self.table_part(table, group));
        }
        out
    }

    fn table_part(&mut self, table: &TableBlock, columns: &[usize]) -> Box<dyn Element> {
        let weights: Vec<usize> = columns.iter().map(|&c| column_weight(table, c)).collect();
        let size = if columns.len() > 3 { self.theme.small_size } else { self.theme.body_size.saturating_sub(1) };
        let base = self.body().with_font_size(size);
        let empty: Vec<Inline> = Vec::new();
        let mut row_spans = |row: &[Vec<Inline>], style| -> Vec<Vec<Span>> {
            columns.iter().map(|&c| self.inlines_to_spans(row.get(c).unwrap_or(&empty), style, table.pos)).collect()
        };
        let header = row_spans(&table.header, base.bold());
        let body: Vec<Vec<Vec<Span>>> = table.rows.iter().map(|row| row_spans(row, base)).collect();
        let state = self.state.clone();
        let cells = move |row: &[Vec<Span>]| -> Cells {
            row.iter()
                .map(|spans| cell(RichText::new(spans.clone(), Wrap::Prose { hyphenate: false }, &state)))
                .collect()
        };
        let body = body.iter().map(|row| cells(row)).collect();
        let header: RowFactory = Box::new(move || cells(&header));
        Box::new(HeadedTable::new(weights, header, body, &self.state))
    }
}

fn cell(text: RichText) -> Box<dyn Element> {
    Box::new(Dyn(Box::new(text.padded(genpdf::Margins::trbl(1, 1.2, 1, 1.2)))))
}

/// Columns of each part: all of them when they fit, else the first column repeated with
/// up to `max - 1` others.
pub fn column_groups(columns: usize, max: usize) -> Vec<Vec<usize>> {
    if columns <= max {
        return vec![(0..columns).collect()];
    }
    let rest: Vec<usize> = (1..columns).collect();
    rest.chunks(max.saturating_sub(1).max(1))
        .map(|chunk| std::iter::once(0).chain(chunk.iter().copied()).collect())
        .collect()
}

/// Relative width of a column: enough for its longest word (up to a point), and more for
/// long cells, so that short columns are not crushed and words are rarely split.
fn column_weight(table: &TableBlock, column: usize) -> usize {
    let cells: Vec<String> = std::iter::once(&table.header)
        .chain(&table.rows)
        .filter_map(|row| row.get(column))
        .map(|cell| crate::text::plain_text(cell))
        .collect();
    let longest_word = cells.iter().flat_map(|c| c.split_whitespace()).map(|w| w.chars().count()).max().unwrap_or(1);
    let longest_cell = cells.iter().map(|c| c.chars().count()).max().unwrap_or(1);
    // +3: room for the cell padding, so that the longest word is not split.
    (longest_word.min(24) + 3).max(longest_cell.min(60) / 2)
}

#[cfg(test)]
mod tests {
    use super::column_groups;

    #[test]
    fn wide_tables_split_into_groups_repeating_the_first_column() {
        let groups = column_groups(8, 4);
        assert_eq!(groups, vec![vec![0, 1, 2, 3], vec![0, 4, 5, 6], vec![0, 7]]);
    }

    #[test]
    fn narrow_tables_stay_whole() {
        assert_eq!(column_groups(3, 6), vec![vec![0, 1, 2]]);
    }
}
