use super::*;
use serde_json::json;
use std::fs;

fn no_require(_: &str) -> Option<Value> {
    None
}

fn js(text: &str) -> (Option<Value>, Vec<Diagnostic>) {
    read_js_data(text, "_data/x.js", &no_require)
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create folder");
    }
    fs::write(path, text).expect("write file");
}

fn codes(diags: &[Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.code).collect()
}

#[test]
fn json_file_is_keyed_by_its_name() {
    let site = tempfile::tempdir().expect("tempdir");
    write(site.path(), "_data/metadata.json", r#"{"title": "T", "n": 2}"#);
    let (data, diags) = load_global_data(&site.path().join("_data"));
    assert_eq!(Value::Object(data), json!({"metadata": {"title": "T", "n": 2}}));
    assert!(diags.is_empty());
}

#[test]
fn yaml_file_is_keyed_by_its_name() {
    let site = tempfile::tempdir().expect("tempdir");
    write(site.path(), "_data/nav.yaml", "items:\n  - a\n  - b\n");
    write(site.path(), "_data/other.yml", "x: 1\n");
    let (data, diags) = load_global_data(&site.path().join("_data"));
    assert_eq!(Value::Object(data), json!({"nav": {"items": ["a", "b"]}, "other": {"x": 1}}));
    assert!(diags.is_empty());
}

#[test]
fn invalid_json_is_an_error_with_its_position() {
    let site = tempfile::tempdir().expect("tempdir");
    write(site.path(), "_data/bad.json", "{\n  \"a\": ,\n}");
    let (data, diags) = load_global_data(&site.path().join("_data"));
    assert!(data.is_empty());
    assert_eq!(codes(&diags), [crate::codes::DATA_INVALID]);
    assert_eq!((diags[0].file.as_str(), diags[0].line), ("_data/bad.json", 2));
}

#[test]
fn js_literal_is_read_as_json5() {
    let text = "// header\nmodule.exports = {\n  title: 'Site', \"quoted\": 1, n: -2.5e3, hex: 0xFF,\n  \
                list: [1, 2,], /* comment */ ok: true, none: null,\n};\n";
    let (value, diags) = js(text);
    let expected =
        json!({"title": "Site", "quoted": 1, "n": -2500.0, "hex": 255, "list": [1, 2], "ok": true, "none": null});
    assert_eq!(value, Some(expected));
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn js_export_default_array_is_read() {
    let (value, diags) = js("export default [ { a: 1 }, 'b' ];");
    assert_eq!(value, Some(json!([{"a": 1}, "b"])));
    assert!(diags.is_empty());
}

#[test]
fn js_keeps_key_order() {
    let (value, _) = js("module.exports = { z: 1, a: 2, m: 3 }");
    let keys: Vec<_> =
        value.as_ref().and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default();
    assert_eq!(keys, ["z", "a", "m"]);
}

#[test]
fn backtick_string_without_substitution_becomes_a_string() {
    let (value, diags) = js("module.exports = {\n  text: `Line \"one\"\nline \\`two\\``\n}");
    assert_eq!(value, Some(json!({"text": "Line \"one\"\nline `two`"})));
    assert!(diags.is_empty());
}

#[test]
fn require_binds_sibling_values() {
    let require = |spec: &str| match spec {
        "./en" => Some(json!({"hello": "Hello"})),
        "./fr" => Some(json!({"hello": "Bonjour"})),
        "./meta" => Some(json!({"site": {"url": "https://x/"}})),
        _ => None,
    };
    let text = "const en = require(\"./en\")\nconst fr = require('./fr');\nconst {site} = require('./meta')\n\
                module.exports = { fr, en, url: site.url, direct: require('./en').hello };";
    let (value, diags) = read_js_data(text, "_data/i18n/index.js", &require);
    let expected =
        json!({"fr": {"hello": "Bonjour"}, "en": {"hello": "Hello"}, "url": "https://x/", "direct": "Hello"});
    assert_eq!(value, Some(expected));
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn require_of_a_sibling_file_on_disk() {
    let site = tempfile::tempdir().expect("tempdir");
    write(site.path(), "_data/base.json", r#"{"url": "https://example.org/"}"#);
    write(
        site.path(),
        "_data/metadata.js",
        "const base = require('./base.json');\nmodule.exports = { url: base.url };",
    );
    let (data, diags) = load_global_data(&site.path().join("_data"));
    assert_eq!(data.get("metadata"), Some(&json!({"url": "https://example.org/"})));
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn computed_property_is_dropped_with_its_position() {
    let text =
        "module.exports = {\n    lang: 'fr',\n    permalink: function (data) {\n        return data.x ? `/${data.lang}/` : 1;\n    \
                },\n    after: 1\n};";
    let (value, diags) = read_js_data(text, "content/fr/fr.11tydata.js", &no_require);
    assert_eq!(value, Some(json!({"lang": "fr", "after": 1})));
    assert_eq!(codes(&diags), [crate::codes::DATA_COMPUTED]);
    let d = &diags[0];
    assert_eq!((d.file.as_str(), d.line, d.col), ("content/fr/fr.11tydata.js", 3, 16));
    assert!(d.message.contains("`permalink`") && d.message.contains("[data]"), "{}", d.message);
}

#[test]
fn each_kind_of_computed_value_is_dropped() {
    let text = "module.exports = { a: (d) => d.x, b: x => 1, c: f(1), d: `${x}`, e: unbound, g: 'a' + 'b',\n  \
                h() { return 1 }, [k]: 2, i: new Date(), keep: 'yes', j: undefined }";
    let (value, diags) = js(text);
    assert_eq!(value, Some(json!({"keep": "yes"})));
    assert_eq!(diags.len(), 9, "{diags:?}");
    assert!(diags.iter().all(|d| d.code == crate::codes::DATA_COMPUTED && d.line > 0 && d.col > 0));
}

#[test]
fn computed_element_in_nested_array_names_its_path() {
    let (value, diags) = js("module.exports = { a: { list: [1, f(), 3] } }");
    assert_eq!(value, Some(json!({"a": {"list": [1, 3]}})));
    assert_eq!(codes(&diags), [crate::codes::DATA_COMPUTED]);
    assert!(diags[0].message.contains("`a.list[1]`"), "{}", diags[0].message);
}

#[test]
fn file_that_is_not_a_literal_gives_one_warning() {
    let text = "const {readdirSync} = require('fs');\n\nconst langs = readdirSync(__dirname);\n\
                module.exports = { availableLang: langs, translations: build() };";
    let (value, diags) = js(text);
    assert_eq!(value, None);
    assert_eq!(codes(&diags), [crate::codes::DATA_NOT_A_LITERAL]);
    assert_eq!((diags[0].line, diags[0].col), (3, 1));
}

#[test]
fn exported_function_is_not_a_literal() {
    for text in ["module.exports = function () { return {} }", "module.exports = async () => ({})", "", "exports.a = 1"]
    {
        let (value, diags) = js(text);
        assert_eq!(value, None, "{text}");
        assert_eq!(codes(&diags), [crate::codes::DATA_NOT_A_LITERAL], "{text}");
    }
}

#[test]
fn broken_input_never_panics() {
    let inputs = [
        "module.exports = {",
        "module.exports = { a: 'x",
        "module.exports = { a: `x${",
        "module.exports = [1,,2]",
        "module.exports = { a: 1 } extra",
        "module.exports = { 'é': \"\\u{1F600}\", ü: 1 }",
        "module.exports = { a: 0b101, b: 0o17, c: 1_000, d: 10n }",
        "module.exports = { a: -, b: +x }",
        "module.exports = { ...x, ...[], a: 1 }",
        "const = require(",
        "import from",
        "\u{feff}module.exports = {\u{a0}a: 1 }",
        "module.exports = { a: 'é\\",
        "module.exports = {/",
    ];
    for text in inputs {
        let _ = js(text);
    }
    let deep = format!("module.exports = {}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(codes(&js(&deep).1), [crate::codes::DATA_NOT_A_LITERAL]);
    let deep_templates = format!("module.exports = {{ a: {} }}", "`${".repeat(10_000));
    let _ = js(&deep_templates);
    let (value, _) = js("module.exports = { a: 0b101, b: 0o17, c: 1_000 }");
    assert_eq!(value, Some(json!({"a": 5, "b": 15, "c": 1000})));
}

#[test]
fn folder_data_nests_its_files() {
    let site = tempfile::tempdir().expect("tempdir");
    write(site.path(), "_data/i18n/fr/strings.json", r#"{"hello": "Bonjour"}"#);
    write(site.path(), "_data/i18n/en/strings.js", "module.exports = { hello: 'Hello' }");
    write(site.path(), "_data/i18n/langs.yaml", "- fr\n- en\n");
    let (data, diags) = load_global_data(&site.path().join("_data"));
    let expected = json!({"i18n": {
        "en": {"strings": {"hello": "Hello"}},
        "fr": {"strings": {"hello": "Bonjour"}},
        "langs": ["fr", "en"]
    }});
    assert_eq!(Value::Object(data), expected);
    assert!(diags.is_empty());
}

#[test]
fn index_js_is_its_folder_value() {
    let site = tempfile::tempdir().expect("tempdir");
    write(site.path(), "_data/i18n/fr/index.js", "module.exports = { hello: 'Bonjour' }");
    write(site.path(), "_data/i18n/en/index.json", r#"{"hello": "Hello"}"#);
    write(site.path(), "_data/i18n/index.js", "const fr = require('./fr')\nmodule.exports = { fr, count: 1 }");
    let (data, diags) = load_global_data(&site.path().join("_data"));
    assert_eq!(Value::Object(data), json!({"i18n": {"fr": {"hello": "Bonjour"}, "count": 1}}));
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn unreadable_index_falls_back_to_the_folder_files() {
    let site = tempfile::tempdir().expect("tempdir");
    write(site.path(), "_data/i18n/fr/index.js", "module.exports = { hello: 'Bonjour' }");
    write(site.path(), "_data/i18n/index.js", "const x = compute();\nmodule.exports = { x }");
    let (data, diags) = load_global_data(&site.path().join("_data"));
    assert_eq!(Value::Object(data), json!({"i18n": {"fr": {"hello": "Bonjour"}}}));
    assert_eq!(codes(&diags), [crate::codes::DATA_NOT_A_LITERAL, crate::codes::DATA_INDEX_SKIPPED]);
    assert_eq!(diags[0].file, "_data/i18n/index.js");
}

#[test]
fn require_cannot_leave_the_data_folder() {
    let site = tempfile::tempdir().expect("tempdir");
    write(site.path(), "secret.json", r#"{"a": 1}"#);
    write(site.path(), "_data/x.js", "const s = require('../secret.json');\nmodule.exports = { s }");
    let (data, diags) = load_global_data(&site.path().join("_data"));
    assert_eq!(data.get("x"), Some(&json!({})));
    assert_eq!(codes(&diags), [crate::codes::DATA_COMPUTED]);
}

#[test]
fn require_cycle_resolves_to_nothing() {
    let site = tempfile::tempdir().expect("tempdir");
    write(site.path(), "_data/a.js", "const b = require('./b');\nmodule.exports = { b }");
    write(site.path(), "_data/b.js", "const a = require('./a');\nmodule.exports = { a, n: 1 }");
    let (data, _) = load_global_data(&site.path().join("_data"));
    assert_eq!(data.get("a"), Some(&json!({"b": {"n": 1}})));
}

#[test]
fn directory_data_is_keyed_by_folder() {
    let site = tempfile::tempdir().expect("tempdir");
    let content = site.path().join("content");
    write(&content, "content.11tydata.json", r#"{"root": true}"#);
    write(&content, "fr/fr.11tydata.js", "module.exports = { lang: 'fr', permalink: function (d) { return '/' } };");
    write(&content, "fr/blog/posts/posts.11tydata.json", r#"{"tags": ["posts"], "layout": "a.njk"}"#);
    write(&content, "fr/blog/posts/posts.11tydata.js", "module.exports = { layout: 'b.njk' }");
    write(&content, "fr/index.11tydata.js", "module.exports = { pTitle: 'x' }");
    write(&content, "fr/blog/notdata.json", r#"{"x": 1}"#);
    let (data, diags) = load_directory_data(&content);
    let keys: Vec<_> = data.keys().cloned().collect();
    assert_eq!(keys, ["", "fr", "fr/blog/posts"]);
    assert_eq!(Value::Object(data[""].clone()), json!({"root": true}));
    assert_eq!(Value::Object(data["fr"].clone()), json!({"lang": "fr"}));
    assert_eq!(Value::Object(data["fr/blog/posts"].clone()), json!({"tags": ["posts"], "layout": "b.njk"}));
    assert_eq!(codes(&diags), [crate::codes::DATA_COMPUTED]);
    assert_eq!(diags[0].file, "content/fr/fr.11tydata.js");
}

#[test]
fn template_data_is_keyed_by_template() {
    let site = tempfile::tempdir().expect("tempdir");
    let content = site.path().join("content");
    write(&content, "fr/fr.11tydata.js", "module.exports = { lang: 'fr' };");
    write(&content, "fr/index.11tydata.js", "module.exports = { pTitle: `x` }");
    let (data, diags) = load_template_data(&content);
    assert_eq!(data.keys().collect::<Vec<_>>(), ["fr/index"]);
    assert_eq!(Value::Object(data["fr/index"].clone()), json!({"pTitle": "x"}));
    assert!(diags.is_empty());
}

#[test]
fn i18n_language_folders_are_inverted() {
    let global = json!({"i18n": {"availableLang": ["fr", "en"], "fr": {"hi": "Salut", "n": 1}, "en": {"hi": "Hi"}}});
    let t = i18n_translations(global.as_object().expect("object"));
    assert_eq!(t.len(), 1);
    assert_eq!(t["hi"]["fr"], "Salut");
    assert_eq!(t["hi"]["en"], "Hi");
}

#[test]
fn i18n_translations_object_is_used_as_is() {
    let global = json!({"i18n": {"translations": {"hi": {"fr": "Salut", "en": "Hi"}}, "fr": {"other": "x"}}});
    let t = i18n_translations(global.as_object().expect("object"));
    assert_eq!(t.keys().collect::<Vec<_>>(), ["hi"]);
    assert_eq!(t["hi"]["en"], "Hi");
}

#[test]
fn i18n_flat_strings_take_the_site_language() {
    let global = json!({"i18n": {"hi": "Salut"}, "metadata": {"language": "fr"}});
    let t = i18n_translations(global.as_object().expect("object"));
    assert_eq!(t["hi"]["fr"], "Salut");
}

fn corpus(site: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(site)
}

#[test]
fn shared_corpora_data() {
    let (dsfr, diags) = load_global_data(&corpus("eleventy-dsfr").join("_data"));
    assert_eq!(dsfr["metadata"]["url"], "https://url_du_site.gouv.fr/");
    assert_eq!(dsfr["metadata"]["author"]["name"], "Nom du service");
    assert_eq!(dsfr["data"]["footer_content_description"], "Lorem [...] elit ut.");
    assert_eq!(codes(&diags), [crate::codes::DATA_NOT_A_LITERAL, crate::codes::DATA_INDEX_SKIPPED], "{diags:?}");
    assert_eq!(diags[0].file, "_data/i18n/index.js");
    let t = i18n_translations(&dsfr);
    assert_eq!(t["back_to_top"]["fr"], "Haut de page");
    assert!(t["back_to_top"].contains_key("en"));

    let (cct, diags) = load_global_data(&corpus("cct-mi").join("_data"));
    assert_eq!(cct["metadata"]["url"], "https://cct-mi.interieur.rie.gouv.fr/");
    assert!(diags.is_empty(), "{diags:?}");
    let t = i18n_translations(&cct);
    assert!(t["back_to_top"].contains_key("fr") && t["back_to_top"].contains_key("en"));

    let (fc, diags) = load_global_data(&corpus("franceconnect").join("_data"));
    assert_eq!(fc["metadata"]["title"], "FranceConnect");
    assert_eq!(fc["metadata"]["url"], "https://documentation.partenaires.franceconnect.gouv.fr/");
    assert_eq!(fc["search"]["label"], "Rechercher");
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(i18n_translations(&fc)["back_to_top"]["fr"], "Retour en haut de page");
}

#[test]
fn shared_corpus_directory_data() {
    let (dirs, diags) = load_directory_data(&corpus("eleventy-dsfr").join("content"));
    assert_eq!(dirs["fr"]["lang"], "fr");
    assert!(!dirs["fr"].contains_key("permalink"));
    assert_eq!(dirs["fr/blog/posts"]["layout"], "layouts/post.njk");
    assert_eq!(dirs["fr/blog/posts"]["tags"], json!(["posts"]));
    assert_eq!(dirs["feed"]["eleventyExcludeFromCollections"], true);
    // The posts' permalink functions only return a template of their data: read as Nunjucks.
    assert_eq!(dirs["fr/blog/posts"]["permalink"], "/{{ lang }}/blog/{{ page.fileSlug }}/");
    assert_eq!(codes(&diags), [crate::codes::DATA_COMPUTED], "{diags:?}");
    assert!(diags.iter().any(|d| d.file == "content/fr/fr.11tydata.js" && d.line == 3));

    let (templates, diags) = load_template_data(&corpus("cct-mi").join("content"));
    assert!(diags.is_empty(), "{diags:?}");
    let description = templates["fr/index"]["pDescription"].as_str().unwrap_or("");
    assert!(description.contains("Cloud au centre"));
}

#[test]
fn a_function_returning_a_template_of_its_data_is_read_as_the_nunjucks_template() {
    let text = "module.exports = {\n  permalink: function (data) {\n    return `/${data.lang}/blog/${data.page.fileSlug}/`;\n  },\n  other: (d) => `x-${d.a}`\n};\n";
    let (value, diags) = read_js_data(text, "p.11tydata.js", &|_| None);
    assert!(diags.is_empty(), "{diags:?}");
    let value = value.expect("read");
    assert_eq!(value["permalink"], "/{{ lang }}/blog/{{ page.fileSlug }}/");
    assert_eq!(value["other"], "x-{{ a }}");
}

#[test]
fn a_function_with_logic_is_still_computed() {
    let text = "module.exports = { permalink: function (data) { if (data.x) { return `/${data.x}/`; } } };";
    let (value, diags) = read_js_data(text, "p.11tydata.js", &|_| None);
    assert_eq!(value.expect("read").get("permalink"), None);
    assert_eq!(diags[0].code, crate::codes::DATA_COMPUTED);
}
