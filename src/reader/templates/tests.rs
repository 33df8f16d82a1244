//! The template stage as a specification: each Nunjucks construct the sites use, on a small
//! input, rendered as Eleventy would print it.

use super::*;
use serde_json::json;

fn site_with(includes: &[(&str, &str)], global: Json) -> (TemplateSite, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in includes {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, text).expect("write");
    }
    let settings = TemplateSettings {
        includes: Some(dir.path().to_path_buf()),
        global: global.as_object().cloned().unwrap_or_default(),
        trim_blocks: true,
        lstrip_blocks: true,
        site_language: "fr".into(),
        ..TemplateSettings::default()
    };
    (TemplateSite::new(settings, Vec::new(), &[]), dir)
}

fn render(site: &TemplateSite, body: &str) -> Rendered {
    site.render("fr/page.md", "/fr/page/", body, 1, Map::new())
}

fn text(site: &TemplateSite, body: &str) -> String {
    render(site, body).traced.text
}

fn plain() -> TemplateSite {
    site_with(&[], json!({})).0
}

#[test]
fn variables_from_global_data_are_printed() {
    let (site, _dir) = site_with(&[], json!({"metadata": {"url": "https://example.gouv.fr/"}}));
    assert_eq!(text(&site, "Voir {{ metadata.url }}docs/\n"), "Voir https://example.gouv.fr/docs/\n");
}

#[test]
fn printed_values_are_escaped_as_nunjucks_escapes_them() {
    let site = plain();
    assert_eq!(text(&site, "{% set x = \"a/b <c> & 'd'\" %}{{ x }}\n"), "a/b &lt;c&gt; &amp; &#39;d&#39;\n");
    assert_eq!(text(&site, "{% set x = \"<b>\" %}{{ x | safe }}\n"), "<b>\n");
}

#[test]
fn set_if_elseif_and_for_are_evaluated() {
    let site = plain();
    let body = "{% set n = 2 %}{% if n == 1 %}one{% elseif n == 2 %}two{% else %}many{% endif %}\n{% for i in [1, 2] %}{{ i }},{% endfor %}\n";
    // The site trims the line end after a block tag, as Eleventy's DSFR sites configure it.
    assert_eq!(text(&site, body), "two1,2,");
}

#[test]
fn object_literals_with_bare_keys_are_read() {
    let site = plain();
    assert_eq!(
        text(&site, "{% set card = { title: \"T: x\", url: '/a/' } %}{{ card.title }} {{ card.url }}\n"),
        "T: x /a/\n"
    );
}

#[test]
fn for_over_an_object_gives_its_pairs() {
    let site = plain();
    assert_eq!(text(&site, "{% for k, v in { a: 1, b: 2 } %}{{ k }}={{ v }};{% endfor %}\n"), "a=1;b=2;");
}

#[test]
fn javascript_length_and_methods_work() {
    let site = plain();
    assert_eq!(
        text(&site, "{% set l = [1, 2, 3] %}{{ l.length }} {{ \"Abc\".toLowerCase() }} {{ l.includes(2) }}\n"),
        "3 abc true\n"
    );
}

#[test]
fn raw_blocks_print_their_content_as_written() {
    let site = plain();
    assert_eq!(text(&site, "{% raw %}{{ component(\"x\") }}{% endraw %} kept\n"), "{{ component(\"x\") }} kept\n");
}

#[test]
fn trim_and_lstrip_blocks_follow_the_site() {
    let site = plain();
    assert_eq!(text(&site, "a\n  {% if true %}\nb\n  {% endif %}\nc\n"), "a\nb\nc\n");
}

#[test]
fn a_component_renders_the_site_template_with_its_params_and_the_page_scope() {
    let (site, _dir) = site_with(
        &[("components/alert.njk", "<div class=\"fr-alert\">{{ params.title }} {{ page.url }}</div>")],
        json!({}),
    );
    let r = render(&site, "{% from \"components/component.njk\" import component with context %}\n{{ component(\"alert\", { title: \"Attention\" }) }}\n");
    assert_eq!(r.traced.text.trim(), "<div class=\"fr-alert\">Attention /fr/page/</div>");
    assert_eq!(r.traced.islands.len(), 1, "the component's output is one HTML island");
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn a_component_without_a_template_keeps_the_text_of_its_arguments() {
    let site = plain();
    let r = render(&site, "{{ component(\"nope\", { title: \"Texte gardé\", items: [\"un\", \"deux\"] }) }}\n");
    assert_eq!(r.traced.text.trim(), "Texte gardé un deux");
    assert_eq!(r.notes[0].code, crate::codes::NUNJUCKS_UNKNOWN_COMPONENT);
}

#[test]
fn components_known_by_meaning_leave_a_placeholder_with_their_evaluated_arguments() {
    let site = plain();
    let r = site.render(
        "a.md",
        "/a/",
        "{{ component(\"links\", { keys: seealso }) }}\n",
        1,
        json!({"seealso": ["k1", "k2"]}).as_object().cloned().unwrap_or_default(),
    );
    assert_eq!(markers::component_at(r.traced.text.trim()).map(|(i, _)| i), Some(0));
    assert_eq!(r.components[0].name, "links");
    assert_eq!(r.components[0].params, json!({"keys": ["k1", "k2"]}));
}

#[test]
fn an_include_is_an_island_of_the_site_template() {
    let (site, _dir) = site_with(&[("components/back.njk", "<a class=\"fr-link\" href=\"#top\">Haut</a>")], json!({}));
    let r = render(&site, "Texte\n\n{% include \"components/back.njk\" %}\n");
    assert_eq!(r.traced.islands.len(), 1);
    assert_eq!(&r.traced.text[r.traced.islands[0].clone()], "<a class=\"fr-link\" href=\"#top\">Haut</a>");
}

#[test]
fn the_image_shortcode_becomes_an_image_relative_to_the_page() {
    let site = plain();
    let r =
        site.render("en/posts/p/p.md", "/en/posts/p/", "{% image \"./possum.png\", \"A possum\" %}\n", 1, Map::new());
    assert_eq!(r.traced.text.trim(), "<img src=\"/en/posts/p/possum.png\" alt=\"A possum\">");
}

#[test]
fn an_unknown_shortcode_keeps_the_text_of_its_arguments_with_a_warning() {
    let site = plain();
    let r = render(&site, "{% youtube \"Une vidéo\", \"abc\" %}\n");
    assert_eq!(r.traced.text.trim(), "Une vidéo abc");
    assert_eq!(r.notes[0].code, crate::codes::NUNJUCKS_UNKNOWN_SHORTCODE);
}

#[test]
fn a_paired_shortcode_keeps_its_content() {
    let site = plain();
    let r = render(&site, "{% transcription \"Épisode 1\" %}\nBonjour.\n{% endtranscription %}\n");
    assert!(r.traced.text.contains("Épisode 1") && r.traced.text.contains("Bonjour."), "{}", r.traced.text);
    assert_eq!(r.notes[0].code, crate::codes::NUNJUCKS_UNKNOWN_SHORTCODE);
}

#[test]
fn an_unknown_filter_prints_its_input_with_a_warning_at_its_tag() {
    let site = TemplateSite::new(TemplateSettings::default(), Vec::new(), &["{{ x | siteOnly }}"]);
    let r = site.render("a.md", "/a/", "Ligne 1\n\nVoir {{ \"texte\" | siteOnly }}\n", 1, Map::new());
    assert_eq!(r.traced.text, "Ligne 1\n\nVoir texte\n");
    assert_eq!(r.notes[0].code, crate::codes::NUNJUCKS_UNKNOWN_FILTER);
    assert_eq!(r.notes[0].offset, "Ligne 1\n\nVoir ".len());
}

#[test]
fn an_undefined_value_is_reported_and_printed_as_written() {
    let site = plain();
    let r = render(&site, "Site : {{ metadata.url }}\n");
    assert_eq!(r.traced.text, "Site : {{ metadata.url }}\n");
    assert_eq!(r.notes[0].code, crate::codes::NUNJUCKS_UNDEFINED);
}

#[test]
fn a_syntax_error_is_reported_at_its_tag_and_the_rest_still_renders() {
    let site = plain();
    let r = render(&site, "{% set a = 1 %}A{{ a }}\n\n{{ broken( }}\n\nB{{ a }}\n");
    assert!(r.traced.text.contains("A1") && r.traced.text.contains("B1"), "{}", r.traced.text);
    assert!(r.traced.text.contains("{{ broken( }}"), "the failing tag is kept as text");
    assert_eq!(
        (r.notes[0].code, r.notes[0].offset),
        (crate::codes::NUNJUCKS_SYNTAX, "{% set a = 1 %}A{{ a }}\n\n".len())
    );
}

#[test]
fn rendered_lines_trace_back_to_their_source_lines() {
    let site = plain();
    let r = site.render("a.md", "/a/", "# Titre\n{% set x = 1 %}\n\nTexte {{ x }}\n", 5, Map::new());
    let at = r.traced.text.find("Texte").expect("text");
    let line = r.traced.lines.iter().rev().find(|(o, _)| *o <= at).map(|(_, l)| *l);
    assert_eq!(line, Some(8));
}

#[test]
fn the_i18n_filter_translates_into_the_page_language() {
    let mut translations = filters::Translations::new();
    translations.insert(
        "back_to_top".into(),
        [("fr".to_string(), "Haut de page".to_string()), ("en".to_string(), "Top".to_string())].into(),
    );
    let settings = TemplateSettings { translations, site_language: "fr".into(), ..TemplateSettings::default() };
    let site = TemplateSite::new(settings, Vec::new(), &[]);
    assert_eq!(site.render("en/a.md", "/en/a/", "{{ \"back_to_top\" | i18n }}\n", 1, Map::new()).traced.text, "Top\n");
    assert_eq!(
        site.render("fr/a.md", "/fr/a/", "{{ \"back_to_top\" | i18n }}\n", 1, Map::new()).traced.text,
        "Haut de page\n"
    );
}

#[test]
fn url_and_slug_filters() {
    let site = plain();
    assert_eq!(
        text(&site, "{{ \"/docs/\" | url }} {{ \"Élément d'interface\" | slugify }}\n"),
        "/docs/ element-dinterface\n"
    );
}

#[test]
fn date_filters_format_front_matter_dates() {
    let site = plain();
    let r = site.render(
        "fr/a.md",
        "/fr/a/",
        "{{ \"2024-03-05\" | readableDate }} {{ \"2024-03-05\" | htmlDateString }}\n",
        1,
        Map::new(),
    );
    assert_eq!(r.traced.text, "05 mars 2024 2024-03-05\n");
}

#[test]
fn category_filter_and_sort_by_order_list_the_pages_of_a_category() {
    let sources = vec![
        PageSource { rel: "b.md".into(), front_matter_yaml: "title: B\ncategory: c\norder: 2\n".into() },
        PageSource { rel: "a.md".into(), front_matter_yaml: "title: A\ncategory: c\norder: 1\n".into() },
        PageSource { rel: "z.md".into(), front_matter_yaml: "title: Z\ncategory: other\n".into() },
        PageSource { rel: "r.md".into(), front_matter_yaml: "title: R\ncategory: c\npermalink: false\n".into() },
    ];
    let site = TemplateSite::new(TemplateSettings::default(), sources, &[]);
    let body = "{% for p in collections.all | categoryFilter(\"c\") | sortByOrder %}{{ p.data.title }} {% endfor %}\n";
    assert_eq!(site.render("x.md", "/x/", body, 1, Map::new()).traced.text, "A B \n");
}

#[test]
fn collections_per_tag_come_from_the_pages() {
    let sources = vec![PageSource { rel: "p.md".into(), front_matter_yaml: "tags: [posts]\n".into() }];
    let site = TemplateSite::new(TemplateSettings::default(), sources, &[]);
    assert_eq!(
        site.render("x.md", "/x/", "{{ collections.posts | length }} {{ collections.none | length }}\n", 1, Map::new())
            .traced
            .text,
        "1 0\n"
    );
}

#[test]
fn front_matter_overrides_directory_data_which_overrides_global_data() {
    let mut directory = scope::DirectoryData::new();
    directory.insert("fr".into(), json!({"who": "dir", "lang": "fr"}).as_object().cloned().unwrap_or_default());
    let settings = TemplateSettings {
        global: json!({"who": "global", "only": "g"}).as_object().cloned().unwrap_or_default(),
        directory,
        ..TemplateSettings::default()
    };
    let site = TemplateSite::new(settings, Vec::new(), &[]);
    let body = "{{ who }} {{ only }} {{ lang }}\n";
    assert_eq!(site.render("fr/a.md", "/fr/a/", body, 1, Map::new()).traced.text, "dir g fr\n");
    let fm = json!({"who": "page"}).as_object().cloned().unwrap_or_default();
    assert_eq!(site.render("fr/a.md", "/fr/a/", body, 1, fm).traced.text, "page g fr\n");
}

#[test]
fn an_unclosed_comment_opener_is_text_with_a_warning() {
    let site = plain();
    let r = render(&site, "## Titre {#ancre}\n\n{% set a = 1 %}Suite {{ a }}\n");
    assert_eq!(r.traced.text, "## Titre {#ancre}\n\nSuite 1\n");
    assert_eq!(r.notes[0].code, crate::codes::NUNJUCKS_UNCLOSED);
}

#[test]
fn a_component_call_after_an_import_line_traces_to_its_own_line() {
    let site = plain();
    let body = "\n# T\n\nText.\n\n{% from \"components/component.njk\" import component with context %}\n\n{{ component(\"post-list\", {\n      category: \"c\"\n  }) }}\n";
    let r = site.render("a.md", "/a/", body, 7, Map::new());
    let at = r.traced.text.find(markers::COMPONENT).expect("placeholder");
    let line = r.traced.lines.iter().rev().find(|(o, _)| *o <= at).map(|(_, l)| *l);
    assert_eq!(line, Some(14), "{:?} {:?}", r.traced.lines, r.traced.text);
}
