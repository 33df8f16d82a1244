//! Words, as the oracle compares them: lower-cased runs of letters and digits (Unicode), so
//! that punctuation, spacing and typography never count, only what is said.

use std::collections::HashMap;

/// The words of `text`, in order.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// How many of Eleventy's words folio's text holds.
#[derive(Debug, Default, Clone)]
pub struct WordCount {
    pub total: usize,
    pub found: usize,
    /// The words not found, in Eleventy's order: read in a row, they show what was dropped.
    pub missing: Vec<String>,
}

impl WordCount {
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * self.found as f64 / self.total as f64
        }
    }

    pub fn add(&mut self, other: &WordCount) {
        self.total += other.total;
        self.found += other.found;
    }
}

/// Counts Eleventy's words found in `folio`, each occurrence once: a word Eleventy shows three
/// times must be in folio's text three times, so a dropped paragraph counts even when its
/// words are common ones said elsewhere on the page.
pub fn compare(eleventy: &[String], folio: &[String]) -> WordCount {
    let mut available: HashMap<&str, usize> = HashMap::new();
    for w in folio {
        *available.entry(w).or_default() += 1;
    }
    let mut count = WordCount { total: eleventy.len(), ..WordCount::default() };
    for w in eleventy {
        match available.get_mut(w.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                count.found += 1;
            }
            _ => count.missing.push(w.clone()),
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercase_alphanumeric_runs() {
        assert_eq!(words("L'Été, 2024 : FranceConnect+ n°1"), ["l", "été", "2024", "franceconnect", "n", "1"]);
    }

    #[test]
    fn each_occurrence_counts_once() {
        let c = compare(&words("a b a c"), &words("a b"));
        assert_eq!((c.total, c.found, c.missing.as_slice()), (4, 2, ["a".to_string(), "c".to_string()].as_slice()));
    }
}
