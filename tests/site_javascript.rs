//! A site whose JavaScript decides its URLs and content, read as Eleventy builds it: its
//! config's filters and shortcodes, its data files' functions, its computed data, its
//! template pages and its own metadata.

use folio::build::{self, BuildRequest, Loaded};
use folio::config::Config;
use folio::model::*;
use std::path::Path;

fn write(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

/// A small site of the family: config, metadata, a directory data file with a permalink
/// function, a computed title, a template-built tag page and pages that use them.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        &[
            (
                "eleventy.config.js",
                "const { DateTime } = require('luxon');\n\
                 module.exports = function (eleventyConfig) {\n\
                   eleventyConfig.addFilter('shout', (s) => String(s).toUpperCase());\n\
                   eleventyConfig.addFilter('yearOf', (d) => DateTime.fromISO(d).year);\n\
                   eleventyConfig.addShortcode('badge', (label) => `<strong>${label}</strong>`);\n\
                   eleventyConfig.addShortcode('broken', () => { throw new Error('no badge today'); });\n\
                   eleventyConfig.ignores.add('content/fr/*.tmp.md');\n\
                   eleventyConfig.addCollection('guides', (api) => api.getFilteredByGlob('content/fr/**/*.md').filter((p) => p.data.tags));\n\
                   eleventyConfig.addGlobalData('eleventyComputed.summary', () => (data) => `${data.title} (${data.lang})`);\n\
                   return { dir: { input: 'content', includes: '../_includes', data: '../_data' } };\n\
                 };",
            ),
            (
                "_data/metadata.js",
                "module.exports = { title: 'Guide du service', url: 'https://guide.example.gouv.fr', language: 'fr', service: 'DINUM' };",
            ),
            (
                "content/fr/fr.11tydata.js",
                "module.exports = { lang: 'fr', permalink: function (data) { if (data.slugOverride) return `/${data.lang}/${this.slugify(data.slugOverride)}/`; } };",
            ),
            (
                "content/fr/about/index.md",
                "---\ntitle: About\nslugOverride: À propos\ntags: [guide]\n---\n\nLoud: {{ 'hello' | shout }}, year {{ '2023-09-10' | yearOf }}, {{ summary }}.\n\n{% badge 'Nouveau' %}\n\n{% broken %}\n",
            ),
            (
                "content/fr/links.md",
                "---\ntitle: Links\n---\n\nSee [about](/fr/a-propos/), [the guide tag](/fr/tags/guide/) and [the home page]({{ '/' | locale_url }}).\n\n{% set names = [] %}{% for n in ['a', 'b'] %}{% set _ = names.push(n | shout) %}{% endfor %}Names: {{ names | join(', ') }}.\n\nGuides: {% for g in collections.guides %}{{ g.data.title }}{% endfor %}.\n",
            ),
            (".eleventyignore", "# drafts stay out\ncontent/fr/drafts\n"),
            ("content/fr/drafts/idea.md", "---\ntitle: Idea\n---\n\nNot yet.\n"),
            ("content/fr/scratch.tmp.md", "---\ntitle: Scratch\n---\n\nNot yet.\n"),
            ("content/fr/index.njk", "---\ntitle: Accueil\n---\n<h1>{{ title }}</h1>\n"),
            (
                "content/fr/tags.njk",
                "---\npagination:\n  data: collections\n  size: 1\n  alias: tag\n  filter: [all]\npermalink: /fr/tags/{{ tag | slugify }}/\n---\n{{ tag }}\n",
            ),
        ],
    );
    dir
}

fn load(root: &Path, config: Config) -> Loaded {
    let (layout, _) = folio::js::SiteLayout::of(root);
    let request = BuildRequest {
        config,
        content: layout.content,
        assets: layout.assets,
        out: root.join("out"),
        formats: None,
        check_only: true,
        includes: Some(layout.includes),
        data: Some(layout.data),
        languages: Vec::new(),
    };
    build::load(&request).expect("site loads")
}

fn page<'a>(loaded: &'a Loaded, source: &str) -> &'a Page {
    loaded.corpus.pages.iter().find(|p| p.source == source).unwrap_or_else(|| panic!("no page {source}"))
}

fn text(page: &Page) -> String {
    folio::text::blocks_plain_text(&page.blocks)
}

fn links(page: &Page) -> Vec<(String, LinkTarget)> {
    let mut out = Vec::new();
    let mut blocks = page.blocks.clone();
    folio::walk::visit_blocks_mut(&mut blocks, &mut |block| {
        folio::walk::visit_block_inlines_mut(block, &mut |inline| {
            if let Inline::Link(link) = inline {
                out.push((link.href.clone(), link.target.clone()));
            }
        })
    });
    out
}

#[test]
fn a_permalink_function_in_directory_data_gives_the_page_its_url() {
    let dir = site();
    let loaded = load(dir.path(), Config::default());
    assert_eq!(page(&loaded, "fr/about/index.md").url, "/fr/a-propos/");
    assert_eq!(page(&loaded, "fr/links.md").url, "/fr/links/");
}

#[test]
fn the_configs_filters_run_in_the_pages() {
    let dir = site();
    let loaded = load(dir.path(), Config::default());
    let about = text(page(&loaded, "fr/about/index.md"));
    assert!(about.contains("Loud: HELLO, year 2023"), "{about}");
}

#[test]
fn computed_data_from_global_data_reaches_the_page() {
    let dir = site();
    let loaded = load(dir.path(), Config::default());
    let about = text(page(&loaded, "fr/about/index.md"));
    assert!(about.contains("About (fr)"), "{about}");
}

#[test]
fn a_shortcode_gives_its_html_and_a_failing_one_is_reported_at_its_page() {
    let dir = site();
    let loaded = load(dir.path(), Config::default());
    assert!(text(page(&loaded, "fr/about/index.md")).contains("Nouveau"));
    let failure = loaded.diagnostics.iter().find(|d| d.code == "js/failed").expect("a js/failed diagnostic");
    assert_eq!(failure.file, "fr/about/index.md");
    assert!(
        failure.message.contains("no badge today") && failure.message.contains("eleventy.config.js:"),
        "{}",
        failure.message
    );
}

#[test]
fn links_to_pages_built_from_templates_lead_to_the_live_site() {
    let dir = site();
    let loaded = load(dir.path(), Config::default());
    let found = links(page(&loaded, "fr/links.md"));
    let target = |href: &str| {
        found
            .iter()
            .find(|(h, _)| h == href)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("no link {href}: {found:?}"))
    };
    assert!(matches!(target("/fr/a-propos/"), LinkTarget::Page { .. }));
    assert_eq!(
        target("/fr/tags/guide/"),
        LinkTarget::External { url: "https://guide.example.gouv.fr/fr/tags/guide/".into() }
    );
    // `locale_url` of `/` on a French page is the French home page the site builds.
    assert_eq!(target("/fr/"), LinkTarget::External { url: "https://guide.example.gouv.fr/fr/".into() });
    assert!(!loaded.diagnostics.iter().any(|d| d.code == "link/broken"), "{:#?}", loaded.diagnostics);
}

#[test]
fn a_list_the_page_pushes_to_is_printed_whole() {
    let dir = site();
    let loaded = load(dir.path(), Config::default());
    assert!(text(page(&loaded, "fr/links.md")).contains("Names: A, B."));
}

#[test]
fn a_collection_the_config_adds_is_built_over_the_pages() {
    let dir = site();
    let loaded = load(dir.path(), Config::default());
    assert!(text(page(&loaded, "fr/links.md")).contains("Guides: About."));
}

#[test]
fn what_the_site_ignores_is_not_read_and_a_note_says_so() {
    let dir = site();
    let loaded = load(dir.path(), Config::default());
    let sources: Vec<&str> = loaded.corpus.pages.iter().map(|p| p.source.as_str()).collect();
    assert!(!sources.contains(&"fr/drafts/idea.md") && !sources.contains(&"fr/scratch.tmp.md"), "{sources:?}");
    let notes: Vec<&str> =
        loaded.diagnostics.iter().filter(|d| d.code == "source/ignored").map(|d| d.file.as_str()).collect();
    assert_eq!(notes, ["fr/drafts/idea.md", "fr/scratch.tmp.md"]);
}

#[test]
fn the_sites_metadata_gives_its_identity_unless_folio_toml_sets_it() {
    let dir = site();
    let loaded = load(dir.path(), Config::default());
    let site = &loaded.corpus.site;
    assert_eq!(
        (site.title.as_str(), site.url.as_str(), site.language.as_str()),
        ("Guide du service", "https://guide.example.gouv.fr/", "fr")
    );
    assert_eq!(site.publisher, "DINUM");
    assert!(loaded.diagnostics.iter().any(|d| d.code == "site/identity" && d.message.contains("metadata.title")));
    let given =
        Config::parse("[site]\ntitle = 'Mine'\nurl = 'https://mine.example/'\nlanguage = 'en'\n").expect("config");
    let loaded = load(dir.path(), given);
    assert_eq!(loaded.corpus.site.title, "Mine");
}

#[test]
fn the_site_folder_alone_says_where_content_includes_data_and_assets_are() {
    let dir = site();
    write(dir.path(), &[("public/img/logo.png", "png")]);
    std::fs::write(
        dir.path().join("eleventy.config.js"),
        "module.exports = (c) => { c.addPassthroughCopy({ './public/': '/' }); return { dir: { input: 'content', includes: '../_includes', data: '../_data' } }; };",
    )
    .expect("write");
    let (layout, _) = folio::js::SiteLayout::of(dir.path());
    let real = dir.path().canonicalize().expect("canonical");
    assert_eq!(layout.content, real.join("content"));
    assert_eq!(layout.includes, real.join("_includes"));
    assert_eq!(layout.data, real.join("_data"));
    assert_eq!(layout.assets, real.join("public"));
}
