//! The sandbox that runs a site's JavaScript: what it gives, and what it refuses.

use folio::js::{function_id, Limits, Sandbox, SiteScript};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn sandbox(dir: &Path) -> Sandbox {
    Sandbox::new(dir, Limits { time_per_call: Duration::from_millis(300), memory_bytes: 32 << 20 }).expect("sandbox")
}

#[test]
fn an_object_data_file_gives_its_object() {
    let dir = site(&[("_data/site.js", "module.exports = { title: 'T', list: [1, 2] };")]);
    let value = sandbox(dir.path()).load_data(&dir.path().join("_data/site.js"), &[]).expect("data");
    assert_eq!(value, json!({ "title": "T", "list": [1, 2] }));
}

#[test]
fn a_function_data_file_is_called_and_an_async_one_awaited() {
    let dir = site(&[
        ("_data/a.js", "module.exports = function () { return { n: 1 + 1 }; };"),
        ("_data/b.js", "module.exports = async () => { const x = await Promise.resolve(3); return { x }; };"),
    ]);
    let sb = sandbox(dir.path());
    assert_eq!(sb.load_data(&dir.path().join("_data/a.js"), &[]).expect("a"), json!({ "n": 2 }));
    assert_eq!(sb.load_data(&dir.path().join("_data/b.js"), &[]).expect("b"), json!({ "x": 3 }));
}

#[test]
fn an_es_module_data_file_gives_its_default_export() {
    let dir = site(&[
        ("_data/names.js", "export default { a: 'b' };"),
        ("_data/uses.mjs", "import names from './names.js';\nexport default { copy: names.a };"),
    ]);
    let value = sandbox(dir.path()).load_data(&dir.path().join("_data/uses.mjs"), &[]).expect("data");
    assert_eq!(value, json!({ "copy": "b" }));
}

#[test]
fn require_reads_the_sites_own_files_and_json() {
    let dir = site(&[
        ("lib/helpers.js", "exports.twice = (x) => x * 2;"),
        ("lib/values.json", "{\"base\": 21}"),
        ("_data/n.js", "const { twice } = require('../lib/helpers');\nmodule.exports = { n: twice(require('../lib/values.json').base) };"),
    ]);
    let value = sandbox(dir.path()).load_data(&dir.path().join("_data/n.js"), &[]).expect("data");
    assert_eq!(value, json!({ "n": 42 }));
}

#[test]
fn a_function_inside_data_stays_callable_with_the_universal_filters_as_this() {
    let dir = site(&[(
        "content/fr/fr.11tydata.js",
        "module.exports = { permalink: function (data) { if (data.slugOverride) return `/${data.lang}/${this.slugify(data.slugOverride)}/`; } };",
    )]);
    let sb = sandbox(dir.path());
    let data = sb.load_data(&dir.path().join("content/fr/fr.11tydata.js"), &[]).expect("data");
    let id = function_id(&data["permalink"]).expect("a function");
    let url = sb.call(id, &json!({}), &[json!({ "lang": "fr", "slugOverride": "À propos de nous" })]).expect("call");
    assert_eq!(url, json!("/fr/a-propos-de-nous/"));
    assert_eq!(sb.call(id, &json!({}), &[json!({ "lang": "fr" })]).expect("call"), json!(null));
}

#[test]
fn an_error_names_the_javascript_file_and_line() {
    let dir = site(&[("_data/bad.js", "const a = 1;\nmodule.exports = { x: missing.field };")]);
    let error = sandbox(dir.path()).load_data(&dir.path().join("_data/bad.js"), &[]).expect_err("fails");
    assert!(error.message.contains("missing"), "{error}");
    assert!(error.file.as_deref().is_some_and(|f| f.ends_with("_data/bad.js")), "{error:?}");
    assert_eq!(error.line, 2);
}

#[test]
fn a_data_file_that_loops_forever_is_interrupted_and_the_sandbox_goes_on() {
    let dir = site(&[("_data/loop.js", "while (true) {}"), ("_data/ok.js", "module.exports = { ok: true };")]);
    let sb = sandbox(dir.path());
    let started = Instant::now();
    let error = sb.load_data(&dir.path().join("_data/loop.js"), &[]).expect_err("interrupted");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert!(error.message.contains("interrupted"), "{error}");
    assert_eq!(sb.load_data(&dir.path().join("_data/ok.js"), &[]).expect("ok"), json!({ "ok": true }));
}

#[test]
fn a_data_file_that_allocates_without_bound_fails_and_the_sandbox_goes_on() {
    let dir = site(&[
        ("_data/hog.js", "const a = []; while (true) { a.push('x'.repeat(1 << 16)); }"),
        ("_data/ok.js", "module.exports = { ok: true };"),
    ]);
    let sb = sandbox(dir.path());
    assert!(sb.load_data(&dir.path().join("_data/hog.js"), &[]).is_err());
    assert_eq!(sb.load_data(&dir.path().join("_data/ok.js"), &[]).expect("ok"), json!({ "ok": true }));
}

#[test]
fn fs_reads_nothing_outside_the_site() {
    let dir = site(&[
        ("_data/peek.js", "const fs = require('fs');\nmodule.exports = { text: fs.readFileSync('/etc/passwd', 'utf8') };"),
        ("_data/exists.js", "const fs = require('fs');\nmodule.exports = { there: fs.existsSync('/etc/passwd'), up: fs.existsSync(__dirname + '/../../') };"),
    ]);
    let sb = sandbox(dir.path());
    let error = sb.load_data(&dir.path().join("_data/peek.js"), &[]).expect_err("refused");
    assert!(error.message.contains("ENOENT"), "{error}");
    assert_eq!(
        sb.load_data(&dir.path().join("_data/exists.js"), &[]).expect("data"),
        json!({ "there": false, "up": false })
    );
}

#[test]
fn require_of_child_process_is_refused() {
    let dir = site(&[(
        "_data/run.js",
        "const { execSync } = require('child_process');\nmodule.exports = { out: String(execSync('id')) };",
    )]);
    let error = sandbox(dir.path()).load_data(&dir.path().join("_data/run.js"), &[]).expect_err("refused");
    assert!(error.message.contains("child_process"), "{error}");
}

#[test]
fn fs_writes_nothing_and_process_has_no_environment() {
    let dir = site(&[(
        "_data/w.js",
        "let wrote = true; try { require('fs').writeFileSync('x.txt', 'x'); } catch (e) { wrote = false; }\nmodule.exports = { wrote, home: process.env.HOME || null };",
    )]);
    let value = sandbox(dir.path()).load_data(&dir.path().join("_data/w.js"), &[]).expect("data");
    assert_eq!(value, json!({ "wrote": false, "home": null }));
    assert!(!dir.path().join("_data/x.txt").exists() && !dir.path().join("x.txt").exists());
}

#[test]
fn the_config_records_filters_shortcodes_collections_global_data_and_folders() {
    let dir = site(&[
        ("plugins/extra.js", "module.exports = (c, opts) => { c.addFilter('shout', (s) => String(s).toUpperCase() + opts.mark); };"),
        (
            "eleventy.config.js",
            "const { DateTime } = require('luxon');\nconst unknown = require('some-markdown-plugin');\n\
             module.exports = function (eleventyConfig) {\n\
               eleventyConfig.addPlugin(require('./plugins/extra.js'), { mark: '!' });\n\
               eleventyConfig.addPlugin(unknown);\n\
               eleventyConfig.amendLibrary('md', (md) => md.use(unknown));\n\
               eleventyConfig.addShortcode('year', () => String(DateTime.fromISO('2024-03-01').year));\n\
               eleventyConfig.addPairedShortcode('box', (content, kind) => `<div class=\"${kind}\">${content}</div>`);\n\
               eleventyConfig.addCollection('sorted', (api) => api.getAll());\n\
               eleventyConfig.addGlobalData('site.name', 'Docs');\n\
               eleventyConfig.setNunjucksEnvironmentOptions({ trimBlocks: true });\n\
               return { dir: { input: 'src', includes: '_inc', data: '_d' }, markdownTemplateEngine: 'njk' };\n\
             };",
        ),
    ]);
    let (script, diags) = SiteScript::open(dir.path(), Limits::default());
    let script = script.expect("script");
    let config = &script.config;
    assert!(config.loaded);
    assert_eq!(
        (config.dirs.input.as_str(), config.dirs.includes.as_str(), config.dirs.data.as_str()),
        ("src", "_inc", "_d")
    );
    assert_eq!(config.global_data["site"], json!({ "name": "Docs" }));
    assert_eq!(config.nunjucks_options["trimBlocks"], json!(true));
    assert!(config.collections.contains_key("sorted"));
    let shout = config.filters["shout"];
    assert_eq!(script.call(shout, &json!({}), &[json!("hi")]).expect("shout"), json!("HI!"));
    assert_eq!(script.call(config.shortcodes["year"], &json!({}), &[]).expect("year"), json!("2024"));
    let boxed = script.call(config.paired_shortcodes["box"], &json!({}), &[json!("text"), json!("note")]).expect("box");
    assert_eq!(boxed, json!("<div class=\"note\">text</div>"));
    assert!(diags.iter().any(|d| d.code == "js/stand-in" && d.message.contains("some-markdown-plugin")), "{diags:#?}");
}

#[test]
fn the_luxon_stand_in_formats_dates_in_french_and_english() {
    let dir = site(&[(
        "_data/d.js",
        "const { DateTime } = require('luxon');\nconst d = DateTime.fromJSDate(new Date('2023-09-10T00:00:00Z'), { zone: 'utc' });\n\
         module.exports = { fr: d.setLocale('fr').toFormat('dd LLLL yyyy'), en: d.setLocale('en').toFormat('LLL d, yyyy'), iso: d.toISODate(),\n\
         parsed: DateTime.fromFormat('2024-02-29', 'yyyy-LL-dd').toISODate() };",
    )]);
    let value = sandbox(dir.path()).load_data(&dir.path().join("_data/d.js"), &[]).expect("data");
    assert_eq!(
        value,
        json!({ "fr": "10 septembre 2023", "en": "Sep 10, 2023", "iso": "2023-09-10", "parsed": "2024-02-29" })
    );
}

#[test]
fn the_eleventy_img_stand_in_gives_the_picture_a_shortcode_prints() {
    let dir = site(&[(
        "eleventy.config.js",
        "const Image = require('@11ty/eleventy-img');\nmodule.exports = (c) => {\n\
           c.addAsyncShortcode('figure', async (src, alt, caption) => {\n\
             const meta = await Image(src, { widths: [600], formats: ['webp', 'jpeg'] });\n\
             return `<figure>${Image.generateHTML(meta, { alt, loading: 'lazy' })}<figcaption>${caption}</figcaption></figure>`;\n\
           });\n};",
    )]);
    let (script, _) = SiteScript::open(dir.path(), Limits::default());
    let script = script.expect("script");
    let html = script.call(
        script.config.shortcodes["figure"],
        &json!({}),
        &[json!("/img/a.png"), json!("A map"), json!("Map")],
    );
    assert_eq!(
        html.expect("html"),
        json!("<figure><img src=\"/img/a.png\" alt=\"A map\" loading=\"lazy\"><figcaption>Map</figcaption></figure>")
    );
}
