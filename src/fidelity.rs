//! The fidelity audit: does each format carry what it promises? Every build reads each
//! output back (each exporter knows how to read its own files), compares its words with the
//! model's, counts pages, links, images and diagrams on both sides, and lists what the
//! exporter reported as approximated or dropped.

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Block, Corpus, Inline, Page};
use crate::word_keys::{for_each_word, key_of, WordKey, WordMap, WordSet};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// What an exporter finds in its own output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadBack {
    /// Every distinct word a reader of this format can see, as `words` splits text, by its
    /// key: the audit only asks whether a word is there, so a 10,000-page output is a
    /// vocabulary of integers in memory, not a copy of its text.
    pub words: WordSet,
    /// What the output holds, when the format can tell.
    pub counts: Option<Counts>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub pages: usize,
    pub links: usize,
    pub images: usize,
    pub diagrams: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.pages += other.pages;
        self.links += other.links;
        self.images += other.images;
        self.diagrams += other.diagrams;
    }
}

impl ReadBack {
    /// The words of `text`, with what the format counted in it.
    pub fn of_text(text: &str, counts: Option<Counts>) -> ReadBack {
        let mut rb = ReadBack { words: WordSet::default(), counts };
        rb.hear(text);
        rb
    }

    /// Adds the words of `text`.
    pub fn hear(&mut self, text: &str) {
        for_each_word(text, |key, _| {
            self.words.insert(key);
        });
    }

    /// Whether `word` was read, in any case.
    pub fn has_word(&self, word: &str) -> bool {
        self.words.contains(&key_of(word))
    }

    /// The read-backs of a format's files, taken in parallel, as one.
    pub fn gather(
        parts: impl rayon::iter::ParallelIterator<Item = anyhow::Result<ReadBack>>,
    ) -> anyhow::Result<ReadBack> {
        parts.try_reduce(ReadBack::default, |a, b| Ok(a.merge(b)))
    }

    /// The words and counts of many files' texts, read in parallel (`None` for a file that
    /// holds none). Each thread hears into one vocabulary, so a word common to every file is
    /// copied once per thread instead of once per file.
    pub fn gather_texts(
        parts: impl rayon::iter::ParallelIterator<Item = anyhow::Result<Option<(String, Option<Counts>)>>>,
    ) -> anyhow::Result<ReadBack> {
        parts
            .try_fold(ReadBack::default, |mut read, part| {
                if let Some((text, counts)) = part? {
                    read.hear(&text);
                    read.counts = sum_counts(read.counts, counts);
                }
                Ok(read)
            })
            .try_reduce(ReadBack::default, |a, b| Ok(a.merge(b)))
    }

    /// Two read-backs of one format's files as one: the words of both, the counts summed
    /// (`None` when neither told any).
    pub fn merge(self, other: ReadBack) -> ReadBack {
        let (mut big, small) = if self.words.len() >= other.words.len() { (self, other) } else { (other, self) };
        big.words.extend(small.words);
        big.counts = sum_counts(big.counts, small.counts);
        big
    }
}

/// Counts of two parts of a format summed; `None` when neither told any.
fn sum_counts(a: Option<Counts>, b: Option<Counts>) -> Option<Counts> {
    match (a, b) {
        (Some(mut a), Some(b)) => {
            a += b;
            Some(a)
        }
        (a, b) => a.or(b),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FormatFidelity {
    /// Share of the promised source words found in the output, 0–100.
    pub words_found_percent: f64,
    pub words_total: usize,
    /// Distinct promised words absent from the output (at most 50).
    pub words_missing: Vec<String>,
    pub model: Counts,
    /// `None` when the format's files do not tell (PDF pages are not chapters).
    pub output: Option<Counts>,
    /// What the exporter approximated or dropped: diagnostic code → `file:line` places.
    pub approximated: BTreeMap<String, Vec<String>>,
}

/// Lower-cased alphanumeric runs: the unit the audit compares. A word already in lower case
/// (most of them) is borrowed, not copied. The boundaries are `for_each_word`'s, as the keys'.
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    words_at(text).into_iter().map(|(_, _, word)| word)
}

/// `words`, each with its byte offset in `text` and its key: the source audit places what it
/// misses.
pub fn words_at(text: &str) -> Vec<(usize, WordKey, Cow<'_, str>)> {
    let mut found = Vec::new();
    for_each_word(text, |key, range| found.push((range.start, key, lower_case(&text[range]))));
    found
}

fn lower_case(word: &str) -> Cow<'_, str> {
    // ASCII letters are looked at as bytes; only the others go through Unicode's tables
    // (`char::to_lowercase` was a sixth of the audit's word splitting).
    let unchanged = |c: char| {
        if c.is_ascii() {
            return !c.is_ascii_uppercase();
        }
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    };
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        }
    } else if word.chars().all(unchanged) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// The words a format promises to carry: each distinct word once, in order of first
/// appearance, with how often it occurs. Built once per promised text and shared by every
/// format that promises it: an audit looks each distinct word up once in what it read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Promise {
    index: WordMap<usize>,
    keys: Vec<WordKey>,
    /// Each distinct word in lower case, as the report names what is missing.
    distinct: Vec<String>,
    occurrences: Vec<usize>,
    total: usize,
}

impl Promise {
    pub fn new(text: &str) -> Self {
        let mut promise = Promise::default();
        for_each_word(text, |key, range| promise.add(key, || lower_case(&text[range]).into_owned(), 1));
        promise
    }

    /// What full-text formats promise: the words of every page's text (`push_page_text`),
    /// as `Promise::new` would find them in the whole corpus's text, read in parallel by runs
    /// of pages without the whole corpus's text in memory.
    pub fn of_corpus(corpus: &Corpus) -> Self {
        let runs: Vec<Promise> = corpus
            .pages
            .par_chunks(64)
            .map(|pages| {
                let mut text = String::new();
                pages.iter().for_each(|page| push_page_text(page, &mut text));
                Promise::new(&text)
            })
            .collect();
        let mut whole = Promise::default();
        for run in runs {
            for ((key, word), n) in run.keys.into_iter().zip(run.distinct).zip(run.occurrences) {
                whole.add(key, || word, n);
            }
        }
        whole
    }

    /// Counts `n` occurrences of the word `key`; `word` spells it the first time it is met.
    fn add(&mut self, key: WordKey, word: impl FnOnce() -> String, n: usize) {
        self.total += n;
        match self.index.get(&key) {
            Some(&i) => self.occurrences[i] += n,
            None => {
                self.index.insert(key, self.distinct.len());
                self.keys.push(key);
                self.distinct.push(word());
                self.occurrences.push(n);
            }
        }
    }
}

/// Compares the promised words with what was read back.
pub fn audit(promise: &Promise, model: Counts, read_back: &ReadBack, exporter_diags: &[Diagnostic]) -> FormatFidelity {
    let present: Vec<bool> = promise.keys.iter().map(|key| read_back.words.contains(key)).collect();
    let found: usize = promise.occurrences.iter().zip(&present).filter(|(_, &p)| p).map(|(n, _)| n).sum();
    let missing: Vec<String> =
        promise.distinct.iter().zip(&present).filter(|(_, &p)| !p).take(50).map(|(w, _)| w.to_string()).collect();
    let total = promise.total;
    let percent = if total == 0 { 100.0 } else { found as f64 * 100.0 / total as f64 };
    FormatFidelity {
        words_found_percent: (percent * 100.0).round() / 100.0,
        words_total: total,
        words_missing: missing,
        model,
        output: read_back.counts,
        approximated: approximations(exporter_diags),
    }
}

fn approximations(diags: &[Diagnostic]) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in diags.iter().filter(|d| d.severity != Severity::Error) {
        map.entry(d.code.to_string()).or_default().push(d.location());
    }
    map
}

/// The text of a page a reader should find in a full-text format: its title, abstract and
/// body. Diagram sources are left out: a drawn diagram carries them as a picture, and they
/// are counted as diagrams instead. It ends with a line break, so no word spans two pages.
fn push_page_text(page: &Page, out: &mut String) {
    out.push_str(&page.title);
    out.push('\n');
    if let Some(s) = &page.summary {
        out.push_str(s);
        out.push('\n');
    }
    crate::text::push_blocks_plain_text(&page.blocks, false, out);
    out.push('\n');
}

/// Pages, links, images and diagrams of the model.
pub fn model_counts(corpus: &Corpus) -> Counts {
    let mut c = Counts::default();
    for page in &corpus.pages {
        c += page_counts(page);
    }
    c
}

/// One page, and its links, images and diagrams.
pub fn page_counts(page: &Page) -> Counts {
    let mut c = Counts { pages: 1, ..Counts::default() };
    crate::walk::visit_blocks(&page.blocks, &mut |block| {
        match block {
            Block::Figure(_) => c.images += 1,
            Block::QuoteFigure(q) if q.image.is_some() => c.images += 1,
            Block::Diagram(_) => c.diagrams += 1,
            _ => {}
        }
        for run in crate::walk::block_inlines(block) {
            crate::walk::visit_inlines(run, &mut |inline| match inline {
                Inline::Link(_) => c.links += 1,
                Inline::Image(_) => c.images += 1,
                _ => {}
            });
        }
    });
    c
}

/// The visible text of XML or HTML: text nodes and `alt` attributes, entities decoded.
pub fn markup_text(markup: &str) -> String {
    // Built once per document: this runs over every tag of every output.
    let alt = memchr::memmem::Finder::new(" alt=\"");
    let mut out = String::with_capacity(markup.len() / 2);
    let mut rest = markup;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else { break };
        let tag = &rest[lt..lt + gt];
        if let Some(value) = attribute(tag, &alt) {
            out.push(' ');
            push_decoded(&mut out, value);
        }
        out.push(' ');
        rest = &rest[lt + gt + 1..];
    }
    push_decoded(&mut out, rest);
    out
}

/// Appends `text` with its character references decoded; most runs between tags have none.
fn push_decoded(out: &mut String, text: &str) {
    if memchr::memchr(b'&', text.as_bytes()).is_some() {
        out.push_str(&html_escape::decode_html_entities(text));
    } else {
        out.push_str(text);
    }
}

/// The value of the attribute whose opening (` name="`) `opening` finds in `tag`.
fn attribute<'t>(tag: &'t str, opening: &memchr::memmem::Finder) -> Option<&'t str> {
    let start = opening.find(tag.as_bytes())? + opening.needle().len();
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

/// Counts the non-overlapping occurrences of `needle` in `haystack`, as `str::matches` does,
/// with memchr's vectorised search: the audit counts links and images in every output file.
pub fn count(haystack: &str, needle: &str) -> usize {
    memchr::memmem::find_iter(haystack.as_bytes(), needle.as_bytes()).count()
}

/// `report.md`: the source → model stage, then a Markdown table of every format's audit.
pub fn report_markdown(
    source: &crate::source_audit::SourceReport,
    formats: &BTreeMap<String, FormatFidelity>,
) -> String {
    let mut md = String::from("# folio fidelity report\n\n");
    md.push_str(&crate::source_audit::markdown(source));
    md.push_str("\n## Model → formats\n\n| format | words found | pages | links | images | diagrams |\n");
    md.push_str("|---|---:|---|---|---|---|\n");
    for (name, f) in formats {
        let pair = |m: usize, o: Option<usize>| o.map_or_else(|| format!("n/a / {m}"), |o| format!("{o} / {m}"));
        let out = f.output;
        md.push_str(&format!(
            "| {name} | {:.2}% of {} | {} | {} | {} | {} |\n",
            f.words_found_percent,
            f.words_total,
            pair(f.model.pages, out.map(|c| c.pages)),
            pair(f.model.links, out.map(|c| c.links)),
            pair(f.model.images, out.map(|c| c.images)),
            pair(f.model.diagrams, out.map(|c| c.diagrams))
        ));
    }
    md.push_str("\nCounts read \"output / model\". Links in the output include navigation (breadcrumbs, see-also, contents) where the format prints it.\n");
    for (name, f) in formats {
        md.push_str(&format!("\n### {name}\n\n"));
        if !f.words_missing.is_empty() {
            md.push_str(&format!("Words not found: {}\n\n", f.words_missing.join(", ")));
        }
        if f.approximated.is_empty() {
            md.push_str("Nothing approximated or dropped.\n");
        }
        for (code, places) in &f.approximated {
            let shown: Vec<&str> = places.iter().take(20).map(String::as_str).collect();
            let more = places.len().saturating_sub(shown.len());
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            md.push_str(&format!("- `{code}` ({}): {}{more}\n", places.len(), shown.join(", ")));
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole corpus's text, page after page.
    fn corpus_text(corpus: &Corpus) -> String {
        let mut out = String::new();
        corpus.pages.iter().for_each(|page| push_page_text(page, &mut out));
        out
    }

    #[test]
    fn the_corpus_promise_read_by_runs_of_pages_is_the_promise_of_its_whole_text() {
        // 150 pages: three runs, with words first met in different runs and repeated across them.
        let sources: Vec<(String, Vec<u8>)> = (0..150)
            .map(|i| {
                let page = format!(
                    "---\ntitle: Page {i} Été\nabstract: Résumé {}\n---\n# Intertitre {}\n\nMot{} et mot{} ÉCRIT.\n",
                    i % 7,
                    i % 3,
                    i,
                    i / 2
                );
                (format!("p{i:03}.md"), page.into_bytes())
            })
            .collect();
        let loaded = crate::build::load_from_sources(
            &sources,
            crate::assets::AssetStore::empty(),
            &crate::config::Config::default(),
            0,
        );
        assert_eq!(loaded.corpus.pages.len(), 150);
        let whole = Promise::new(&corpus_text(&loaded.corpus));
        assert!(whole.total > 1000);
        assert_eq!(Promise::of_corpus(&loaded.corpus), whole);
    }

    #[test]
    fn markup_text_keeps_text_and_alt_and_decodes_entities() {
        assert_eq!(
            words(&markup_text("<p>Caf&eacute; <img alt=\"Logo FC\"/> &amp; co</p>")).collect::<Vec<_>>(),
            ["café", "logo", "fc", "co"]
        );
    }

    #[test]
    fn words_are_lower_cased_and_borrowed_when_already_lower_case() {
        let found: Vec<Cow<str>> = words("été, ÉTÉ ΟΔΟΣ x").collect();
        assert_eq!(found, ["été", "été", "οδος", "x"]);
        assert!(matches!(found[0], Cow::Borrowed(_)));
    }

    #[test]
    fn count_finds_non_overlapping_occurrences() {
        assert_eq!((count("<a href=x><a href=y>", "<a href="), count("aaaa", "aa"), count("abc", "")), (2, 2, 4));
    }

    #[test]
    fn ascii_capitals_are_lowered_in_ascii_words_and_in_accented_ones() {
        let found: Vec<Cow<str>> = words("FranceConnect déjà DéJÀ France-connect").collect();
        assert_eq!(found, ["franceconnect", "déjà", "déjà", "france", "connect"]);
        assert!(matches!(found[1], Cow::Borrowed(_)) && matches!(found[4], Cow::Borrowed(_)));
    }

    #[test]
    fn read_backs_of_several_files_merge_their_words_and_sum_their_counts() {
        let one = Counts { pages: 1, links: 2, ..Counts::default() };
        let merged = ReadBack::of_text("Un deux", Some(one))
            .merge(ReadBack::of_text("trois", None))
            .merge(ReadBack::of_text("UN", Some(one)));
        assert_eq!(merged.words.len(), 3);
        assert!(["deux", "trois", "UN"].iter().all(|w| merged.has_word(w)));
        assert_eq!(merged.counts, Some(Counts { pages: 2, links: 4, ..Counts::default() }));
        assert_eq!(ReadBack::default().merge(ReadBack::of_text("x", None)).counts, None);
    }

    #[test]
    fn texts_gathered_in_parallel_read_as_their_merged_read_backs() {
        let one = Counts { pages: 1, links: 2, ..Counts::default() };
        let parts = vec![Some(("Un deux".to_string(), Some(one))), None, Some(("trois UN".to_string(), Some(one)))];
        let gathered = ReadBack::gather_texts(parts.into_par_iter().map(Ok)).expect("no error");
        let merged = ReadBack::of_text("Un deux", Some(one)).merge(ReadBack::of_text("trois UN", Some(one)));
        assert_eq!(gathered, merged);
    }

    #[test]
    fn audit_counts_missing_words() {
        let rb = ReadBack::of_text("Un, deux", None);
        let f = audit(&Promise::new("un deux trois un"), Counts::default(), &rb, &[]);
        assert_eq!(
            (f.words_total, f.words_found_percent, f.words_missing.clone()),
            (4, 75.0, vec!["trois".to_string()])
        );
    }
}
