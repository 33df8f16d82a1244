//! A deterministic generator of large corpora from a real one, for benchmarks.
//!
//! Copy `k` of every page lives under `/cK/…`, with its key, `seealso` keys, breadcrumb URLs
//! and absolute links rewritten into that copy, so links and see-also stay resolvable.
//! Each copy gets a varied closing paragraph, so that no two pages are identical.

/// One generated source file: content-relative path and text.
pub struct GeneratedFile {
    pub path: String,
    pub text: String,
}

/// Generates at least `pages` publishable pages from `sources` (content-relative path, text);
/// data records (`permalink: false`) are copied along but not counted.
pub fn scale_corpus(sources: &[(String, String)], pages: usize) -> Vec<GeneratedFile> {
    let md: Vec<&(String, String)> = sources.iter().filter(|(p, _)| p.ends_with(".md")).collect();
    let publishable = md.iter().filter(|(_, t)| !t.contains("\npermalink: false")).count();
    if publishable == 0 {
        return Vec::new();
    }
    let copies = pages.div_ceil(publishable);
    let vocabulary = vocabulary(&md);
    let mut out = Vec::with_capacity(copies * md.len());
    let mut rng = Lcg(0x5eed);
    for k in 0..copies {
        for (path, text) in &md {
            let mut text = rewrite(text, k);
            text.push_str(&variation(&vocabulary, &mut rng, k));
            out.push(GeneratedFile { path: format!("c{k}/{path}"), text });
        }
    }
    out
}

/// Rewrites keys and absolute site paths of one page into copy `k`.
fn rewrite(text: &str, k: usize) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut in_front = false;
    let mut in_seealso = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        if trimmed == "---" {
            in_front = i == 0;
            in_seealso = false;
            out.push_str(line);
            continue;
        }
        if in_front {
            out.push_str(&rewrite_front_line(line, k, &mut in_seealso));
        } else {
            out.push_str(&rename_post_list_category(&prefix_site_paths(line, k), k));
        }
    }
    out
}

fn rewrite_front_line(line: &str, k: usize, in_seealso: &mut bool) -> String {
    let trimmed = line.trim_start();
    if !line.starts_with(' ') && !line.starts_with('-') {
        *in_seealso = trimmed.starts_with("seealso:");
    }
    if let Some(key) = line.strip_prefix("key:") {
        return format!("key: {}-c{k}\n", key.trim().trim_matches(['\'', '"']));
    }
    if let Some(category) = line.strip_prefix("category:") {
        return format!("category: {}-c{k}\n", category.trim().trim_matches(['\'', '"']));
    }
    if *in_seealso {
        if let Some(key) = trimmed.strip_prefix("- ") {
            let indent = &line[..line.len() - trimmed.len()];
            return format!("{indent}- {}-c{k}\n", key.trim());
        }
    }
    if trimmed.starts_with("permalink:") && !trimmed.contains("false") {
        return String::new();
    }
    prefix_site_paths(line, k)
}

/// `/fs/…` → `/cK/fs/…` in links, breadcrumbs and component URLs; assets stay where they are.
fn prefix_site_paths(line: &str, k: usize) -> String {
    let mut out = line.to_string();
    for opener in ["](/", "url: '/", "url: \"/", "href=\"/"] {
        let mut from = 0;
        while let Some(i) = out[from..].find(opener) {
            let at = from + i + opener.len();
            let rest = &out[at..];
            if !(rest.starts_with("images/") || rest.starts_with("files/")) {
                out.insert_str(at, &format!("c{k}/"));
            }
            from = at;
        }
    }
    out
}

/// `component("post-list", { category: "x" })` lists copy K's own category.
fn rename_post_list_category(line: &str, k: usize) -> String {
    match line.find("category: \"") {
        Some(i) if line.contains("post-list") => {
            let at = i + "category: \"".len();
            match line[at..].find('"') {
                Some(end) => format!("{}-c{k}{}", &line[..at + end], &line[at + end..]),
                None => line.to_string(),
            }
        }
        _ => line.to_string(),
    }
}

fn vocabulary(md: &[&(String, String)]) -> Vec<String> {
    let mut words: Vec<String> = md
        .iter()
        .flat_map(|(_, t)| t.split_whitespace())
        .filter(|w| w.len() > 3 && w.chars().all(char::is_alphabetic))
        .map(str::to_lowercase)
        .collect();
    words.sort();
    words.dedup();
    if words.is_empty() {
        words.push("texte".into());
    }
    words
}

fn variation(vocabulary: &[String], rng: &mut Lcg, k: usize) -> String {
    let n = 40 + rng.next() % 80;
    let words: Vec<&str> = (0..n).map(|_| vocabulary[rng.next() % vocabulary.len()].as_str()).collect();
    format!("\n\nVariante {k} : {}.\n", words.join(" "))
}

/// A small linear congruential generator: deterministic across platforms and runs.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(front: &str, body: &str) -> (String, String) {
        ("fs/a.md".into(), format!("---\n{front}---\n{body}"))
    }

    #[test]
    fn copies_get_their_own_keys_and_seealso() {
        let files = scale_corpus(&[page("key: a\nseealso:\n  - b\n", "x\n")], 2);
        assert!(files[1].text.contains("key: a-c1\n") && files[1].text.contains("  - b-c1\n"), "{}", files[1].text);
        assert_eq!(files[1].path, "c1/fs/a.md");
    }

    #[test]
    fn absolute_links_move_into_the_copy_but_assets_do_not() {
        let files = scale_corpus(&[page("title: A\n", "[x](/fs/b/) ![i](/images/i.png)\n")], 1);
        assert!(files[0].text.contains("[x](/c0/fs/b/) ![i](/images/i.png)"), "{}", files[0].text);
    }

    #[test]
    fn copies_keep_their_categories_and_post_lists_apart() {
        let files =
            scale_corpus(&[page("category: fs-p\n", "{{ component(\"post-list\", { category: \"fs-p\" }) }}\n")], 2);
        assert!(files[1].text.contains("category: fs-p-c1\n"), "{}", files[1].text);
        assert!(files[1].text.contains("{ category: \"fs-p-c1\" }"), "{}", files[1].text);
    }

    #[test]
    fn generation_is_deterministic() {
        let src = [page("title: A\n", "un deux trois quatre cinq\n")];
        let a: Vec<String> = scale_corpus(&src, 5).into_iter().map(|f| f.text).collect();
        let b: Vec<String> = scale_corpus(&src, 5).into_iter().map(|f| f.text).collect();
        assert_eq!(a, b);
    }
}
