//! One source file → a page or a data record (pure).

use super::compact;
use super::site::Site;
use super::templates;
use super::{body, front_matter, structure, PageCtx};
use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::source_audit::PageAudit;
use rustc_hash::FxHashMap as HashMap;

/// What one source file became.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    Page(Box<Page>),
    Record(Box<DataRecord>),
}

/// Parses one file. `rel` is its content-relative path, used for the URL and diagnostics.
/// Returns `None` (with an error) when the file cannot be read as a page at all. Templates
/// evaluate with the page's own data only; `parse_page_in` gives them a site.
pub fn parse_page(rel: &str, bytes: &[u8]) -> (Option<Parsed>, Vec<Diagnostic>) {
    let (parsed, diags, _) = parse_page_in(rel, bytes.to_vec(), Site::standalone());
    (parsed, diags)
}

/// `parse_page` within a site whose data, includes and collections the templates see; the
/// page's text is the same buffer as `bytes`, not a copy. A page comes with its source audit.
pub fn parse_page_in(rel: &str, bytes: Vec<u8>, site: &Site) -> (Option<Parsed>, Vec<Diagnostic>, Option<PageAudit>) {
    let (text, decode_error) = decode(rel, bytes);
    let mut diags: Vec<Diagnostic> = decode_error.into_iter().collect();
    let mut front = read_front_matter(&text, rel, &mut diags);
    apply_computed(&mut front, rel, site, &mut diags);
    resolve_permalink(&mut front, rel, site);
    if !templates::syntax::has_template_syntax(&text[front.body_offset..]) {
        let mut ctx = PageCtx::new(&text, rel);
        ctx.containers = &site.containers;
        ctx.diags = diags;
        let (body_offset, titled) = (front.body_offset, front.fm.title.is_some());
        let language = page_language(&front, rel, site);
        let parsed = with_language(parse_text(&mut ctx, front), language);
        let audit = source_audit(&ctx, body_offset, titled, &parsed);
        return (Some(parsed), ctx.diags, audit);
    }
    let url = page_url(rel, &front.fm);
    let first_line = text[..front.body_offset].bytes().filter(|b| *b == b'\n').count() as u32 + 1;
    let mut data = front.yaml.map(front_matter::as_json).unwrap_or_default();
    data.extend(front.computed.clone());
    let rendered = site.templates.render(rel, &url, &text[front.body_offset..], first_line, data);
    let full = if rendered.evaluated {
        format!("{}{}", &text[..front.body_offset], rendered.traced.text)
    } else {
        text.clone()
    };
    let mut ctx = PageCtx::new(&full, rel);
    ctx.containers = &site.containers;
    ctx.diags = diags;
    let source_ctx = PageCtx::new(&text, rel);
    for note in &rendered.notes {
        let pos = source_ctx.pos(front.body_offset + note.offset);
        ctx.diags.push(Diagnostic::new(note.code, note.severity, rel, pos, note.message.clone()));
    }
    if rendered.evaluated {
        ctx.trace(front.body_offset, first_line, &rendered);
    }
    let (body_offset, titled) = (front.body_offset, front.fm.title.is_some());
    let language = page_language(&front, rel, site);
    let parsed = with_language(parse_text(&mut ctx, front), language);
    let audit = source_audit(&ctx, body_offset, titled, &parsed);
    (Some(parsed), ctx.diags, audit)
}

/// The page's language as its data cascade gives it (`lang` or `locale`); empty: given by
/// its language folder or the site once every page is read (`languages::language_folders`).
fn page_language(front: &Front, rel: &str, site: &Site) -> String {
    let own = ["lang", "locale"].iter().find_map(|k| front.fm.extra.get(*k)?.as_str().map(str::to_string));
    own.or_else(|| site.templates.inherited_language(rel)).map(|l| l.trim().to_string()).unwrap_or_default()
}

fn with_language(parsed: Parsed, language: String) -> Parsed {
    match parsed {
        Parsed::Page(mut page) => {
            page.language = language;
            Parsed::Page(page)
        }
        record => record,
    }
}

/// A page's words as a reader of the site sees them (its rendered body, its front matter
/// title) against the words of its model; records are not audited.
fn source_audit(ctx: &PageCtx, body_offset: usize, titled: bool, parsed: &Parsed) -> Option<PageAudit> {
    let Parsed::Page(page) = parsed else { return None };
    let pos = |offset| ctx.pos(offset);
    Some(crate::source_audit::audit_page(ctx.text, body_offset, titled, &ctx.components, page, &pos))
}

/// UTF-8 without BOM, line endings normalised to `\n` (line numbers are unchanged). Bytes
/// that are not UTF-8 become U+FFFD, as a browser shows them, with an error at the first.
fn decode(rel: &str, bytes: Vec<u8>) -> (String, Option<Diagnostic>) {
    let (mut text, error) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let error = invalid_utf8(rel, e.as_bytes(), e.utf8_error().valid_up_to());
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(error))
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    (text, error)
}

fn invalid_utf8(rel: &str, bytes: &[u8], valid: usize) -> Diagnostic {
    let before = &bytes[..valid];
    let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() as u32 + 1;
    let message = format!("invalid UTF-8 at byte {valid}; such bytes are read as U+FFFD (�) and the page is published");
    Diagnostic::error(crate::codes::SOURCE_INVALID_UTF8, rel, Pos { line, col }, message)
}

/// A page's front matter, read: typed fields, its YAML text, and where the body starts.
struct Front<'t> {
    fm: front_matter::FrontMatter,
    yaml: Option<&'t str>,
    body_offset: usize,
    /// Values the site's JavaScript computed for the page (over its front matter).
    computed: serde_json::Map<String, serde_json::Value>,
    /// Whether a permalink of the directory data applies (not when a function computed none).
    inherit_permalink: bool,
}

/// Front matter that cannot be read is an error, and the page is still published from its
/// body: for a migration, a page carried with an error beats a page lost with one.
fn read_front_matter<'t>(text: &'t str, rel: &str, diags: &mut Vec<Diagnostic>) -> Front<'t> {
    let split = match front_matter::split(text) {
        Ok(s) => s,
        Err(front_matter::SplitError::Unclosed) => {
            let message = "front matter opened with `---` is never closed; the page is published from the lines after it, without front matter";
            diags.push(Diagnostic::error(crate::codes::FRONT_MATTER_UNCLOSED, rel, Pos { line: 1, col: 1 }, message));
            let body_offset = text.find('\n').map_or(text.len(), |i| i + 1);
            return Front {
                fm: Default::default(),
                yaml: None,
                body_offset,
                computed: Default::default(),
                inherit_permalink: true,
            };
        }
    };
    let Some(s) = split else {
        return Front {
            fm: Default::default(),
            yaml: None,
            body_offset: 0,
            computed: Default::default(),
            inherit_permalink: true,
        };
    };
    match front_matter::parse(s.yaml) {
        Ok(fm) => Front {
            fm,
            yaml: Some(s.yaml),
            body_offset: s.body_offset,
            computed: Default::default(),
            inherit_permalink: true,
        },
        Err((message, line)) => {
            let line = s.yaml_line + line.unwrap_or(1).saturating_sub(1);
            let message =
                format!("invalid YAML front matter: {message}; the page is published without its front matter");
            diags.push(Diagnostic::error(crate::codes::FRONT_MATTER_INVALID_YAML, rel, Pos { line, col: 1 }, message));
            Front {
                fm: Default::default(),
                yaml: None,
                body_offset: s.body_offset,
                computed: Default::default(),
                inherit_permalink: true,
            }
        }
    }
}

fn parse_text(ctx: &mut PageCtx, front: Front) -> Parsed {
    let Front { fm, body_offset, .. } = front;
    let text = ctx.text;
    for key in &fm.ill_typed {
        ctx.warn(
            0,
            crate::codes::FRONT_MATTER_ILL_TYPED,
            format!("`{key}` has a value of an unexpected type; ignored"),
        );
    }
    ctx.see_also_keys = fm.seealso.iter().flatten().cloned().collect();
    let (nodes, issues) = body::scan_with(text, body_offset..text.len(), &ctx.islands, &ctx.containers.markers());
    for issue in issues {
        ctx.warn(issue.offset, issue.code, issue.message);
    }
    let mut blocks = structure::to_blocks(ctx, &nodes);
    compact::blocks(&mut blocks);
    if fm.permalink_false {
        return Parsed::Record(Box::new(record(ctx.file, fm, blocks)));
    }
    let anchors = assign_heading_ids(&mut blocks);
    super::heading_levels::normalise(ctx.file, &mut blocks, &mut ctx.diags);
    Parsed::Page(Box::new(page(ctx, fm, blocks, anchors, body_offset)))
}

/// What the site's JavaScript computes for the page (`eleventyComputed`, a `permalink`
/// function), laid over its front matter; a function that fails is reported at the page.
fn apply_computed(front: &mut Front, rel: &str, site: &Site, diags: &mut Vec<Diagnostic>) {
    let front_matter = front.yaml.map(front_matter::as_json).unwrap_or_default();
    let Some(computed) = site.templates.computed(rel, &front_matter) else { return };
    for failure in &computed.failures {
        let at = match &failure.error.file {
            Some(file) => format!(" ({file}:{}:{})", failure.error.line, failure.error.col),
            None => String::new(),
        };
        let message = format!(
            "the site's JavaScript computing `{}` for this page failed{at}: {}; Eleventy's default is used",
            failure.key, failure.error.message
        );
        diags.push(Diagnostic::warning(crate::codes::JS_FAILED, rel, Pos { line: 1, col: 1 }, message));
    }
    let mut fields = serde_json::Map::new();
    templates::computed::apply(&mut fields, &computed);
    match computed.values.get("permalink") {
        Some(serde_json::Value::Bool(false)) => front.fm.permalink_false = true,
        Some(serde_json::Value::String(_)) => {}
        Some(_) => {
            front.fm.extra.remove("permalink");
            front.inherit_permalink = false;
        }
        None => {}
    }
    for (key, value) in fields {
        if key != "permalink" || value.is_string() {
            front.fm.extra.insert(key.clone(), value.clone());
        }
        front.computed.insert(key, value);
    }
}

/// The page's permalink as Eleventy computes it: its own, else the one its directory or template
/// data give, rendered when it is a template; written back into the front matter's `extra`.
fn resolve_permalink(front: &mut Front, rel: &str, site: &Site) {
    let own = front.fm.extra.get("permalink").cloned();
    let inherited = || front.inherit_permalink.then(|| site.templates.inherited_permalink(rel)).flatten();
    let Some(serde_json::Value::String(permalink)) = own.clone().or_else(inherited) else {
        return;
    };
    let resolved = if templates::syntax::has_template_syntax(&permalink) {
        let data = front.yaml.map(front_matter::as_json).unwrap_or_default();
        site.templates.render_permalink(rel, &url_of(rel), &permalink, data)
    } else {
        Some(permalink)
    };
    if let Some(url) = resolved {
        front.fm.extra.insert("permalink".into(), url.into());
    } else if own.is_some() {
        front.fm.extra.remove("permalink");
    }
}

/// The page's URL: its `permalink`, else its path.
fn page_url(rel: &str, fm: &front_matter::FrontMatter) -> String {
    fm.extra.get("permalink").and_then(|p| p.as_str()).map(normalize_url).unwrap_or_else(|| url_of(rel))
}

fn record(file: &str, fm: front_matter::FrontMatter, blocks: Vec<Block>) -> DataRecord {
    let mut fields = fm.extra;
    if let Some(k) = &fm.key {
        fields.insert("key".into(), k.clone().into());
    }
    if let Some(c) = &fm.category {
        fields.insert("category".into(), c.clone().into());
    }
    if let Some(a) = &fm.summary {
        fields.insert("abstract".into(), a.clone().into());
    }
    DataRecord { source: file.to_string(), title: fm.title, order: fm.order, tags: fm.tags, fields, blocks }
}

/// Where each `seealso` key is written in the front matter (which ends at `fm_end`): the
/// first line after `seealso` that ends with it, else its first mention there.
fn seealso_positions(ctx: &PageCtx, keys: &[String], fm_end: usize) -> Vec<Pos> {
    let front = &ctx.text[..fm_end];
    let start = front.find("seealso").unwrap_or(0);
    let after = &front[start..];
    let line_ends: Vec<usize> = memchr::memchr_iter(b'\n', after.as_bytes()).collect();
    keys.iter()
        .map(|key| {
            let whole_line =
                line_ends.iter().find(|&&end| after[..end].ends_with(key.as_str())).map(|end| end - key.len());
            let found = whole_line.or_else(|| after.find(key.as_str()));
            ctx.pos(found.map_or(start, |i| start + i))
        })
        .collect()
}

fn page(
    ctx: &mut PageCtx,
    fm: front_matter::FrontMatter,
    blocks: Vec<Block>,
    anchors: Vec<String>,
    body_offset: usize,
) -> Page {
    let see_also_keys = std::mem::take(&mut ctx.see_also_keys);
    let see_also_positions = seealso_positions(ctx, &see_also_keys, body_offset);
    let url = page_url(ctx.file, &fm);
    let title = fm.title.clone().or_else(|| first_heading(&blocks)).unwrap_or_else(|| {
        ctx.warn(0, crate::codes::FRONT_MATTER_MISSING_TITLE, "the page has no title; its file name is used".into());
        file_stem(ctx.file)
    });
    let key_derived = fm.key.is_none();
    let kind = match fm.layout.as_deref() {
        Some(l) if l.contains("page.doc") => PageKind::Question,
        Some(l) if l.ends_with("page.njk") => PageKind::Section,
        _ => PageKind::Other,
    };
    Page {
        key: fm.key.unwrap_or_else(|| key_from_url(&url)),
        key_derived,
        breadcrumb: fm
            .segments
            .into_iter()
            .map(|(href, title)| Crumb { title, href, target: super::unresolved() })
            .collect(),
        see_also: see_also_keys
            .into_iter()
            .zip(see_also_positions)
            .map(|(key, pos)| SeeAlso { pos, key, target: super::unresolved() })
            .collect(),
        url,
        language: String::new(),
        source: ctx.file.to_string(),
        title,
        summary: fm.summary,
        category: fm.category,
        tags: fm.tags,
        order: fm.order,
        kind,
        navigation: fm.navigation,
        anchor_aliases: anchor_aliases(std::mem::take(&mut ctx.anchor_names), &blocks),
        anchors,
        extra: fm.extra,
        blocks,
    }
}

/// `fs/pilotage/index.md` → `/fs/pilotage/`; `fs/a.md` → `/fs/a/`.
pub fn url_of(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let stem = stem.strip_suffix("/index").or_else(|| (stem == "index").then_some("")).unwrap_or(stem);
    if stem.is_empty() {
        "/".into()
    } else {
        format!("/{stem}/")
    }
}

pub fn normalize_url(u: &str) -> String {
    let trimmed = u.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// A key for a page without one: its URL path with `-` for `/` (`/fs/pilotage/` → `fs-pilotage`).
pub fn key_from_url(url: &str) -> String {
    let k = url.trim_matches('/').replace('/', "-");
    if k.is_empty() {
        "index".into()
    } else {
        k
    }
}

fn file_stem(rel: &str) -> String {
    rel.rsplit('/').next().unwrap_or(rel).trim_end_matches(".md").to_string()
}

fn first_heading(blocks: &[Block]) -> Option<String> {
    blocks.iter().find_map(|b| match b {
        Block::Heading(h) => Some(crate::text::plain_text(&h.content)),
        _ => None,
    })
}

/// Each `<a name|id>` lands on the heading of the section it stands in: the last heading
/// written before it (or on its line).
fn anchor_aliases(names: Vec<(String, Pos)>, blocks: &[Block]) -> Vec<AnchorAlias> {
    if names.is_empty() {
        return Vec::new();
    }
    let mut headings: Vec<(Pos, &str)> = Vec::new();
    crate::walk::visit_blocks(blocks, &mut |block| {
        let (pos, attr) = match block {
            Block::Heading(h) => (h.pos, &h.attr),
            Block::Section(s) => (s.pos, &s.attr),
            _ => return,
        };
        if let Some(id) = attr.id.as_deref() {
            headings.push((pos, id));
        }
    });
    headings.sort_by_key(|(pos, _)| (pos.line, pos.col));
    names
        .into_iter()
        .map(|(name, at)| {
            let heading = headings.iter().rev().find(|(pos, _)| pos.line <= at.line).map(|(_, id)| id.to_string());
            AnchorAlias { name, heading }
        })
        .collect()
}

/// Gives every heading and accordion an id (explicit, or the slug), `-1`, `-2`… on repeats,
/// as markdown-it-anchor does. Returns the ids in document order.
fn assign_heading_ids(blocks: &mut [Block]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::default();
    let mut ids = Vec::new();
    let mut unique = |base: String| -> String {
        let base = if base.is_empty() { "section".to_string() } else { base };
        if let Some(n) = seen.get_mut(&base) {
            *n += 1;
            return format!("{base}-{}", *n - 1);
        }
        seen.insert(base.clone(), 1);
        base
    };
    crate::walk::visit_blocks_mut(blocks, &mut |block| {
        let (attr, content) = match block {
            Block::Heading(h) => (&mut h.attr, &h.content),
            Block::Section(s) => (&mut s.attr, &s.title),
            _ => return,
        };
        let id = unique(attr.id.take().unwrap_or_else(|| crate::text::slugify(&crate::text::plain_text_cow(content))));
        attr.id = Some(id.clone());
        ids.push(id);
    });
    ids
}
