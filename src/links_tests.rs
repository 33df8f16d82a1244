use super::*;

fn page(key: &str, url: &str, source: &str, anchors: &[&str]) -> Page {
    Page {
        key: key.into(),
        key_derived: false,
        url: url.into(),
        source: source.into(),
        title: key.into(),
        summary: None,
        category: None,
        tags: Vec::new(),
        breadcrumb: Vec::new(),
        order: None,
        kind: PageKind::Question,
        navigation: None,
        see_also: Vec::new(),
        anchor_aliases: Vec::new(),
        language: "fr".into(),
        anchors: anchors.iter().map(|a| a.to_string()).collect(),
        extra: Default::default(),
        blocks: Vec::new(),
    }
}

fn pages() -> Vec<Page> {
    vec![
        page("pilotage", "/fs/pilotage/", "fs/pilotage/index.md", &[]),
        page("etapes", "/fs/pilotage/pilotage-etapes/", "fs/pilotage/pilotage-etapes.md", &["1-verifier"]),
        page(
            "eligibilite",
            "/fs/pilotage/pilotage-eligibilite/",
            "fs/pilotage/pilotage-eligibilite.md",
            &["apres-erreur"],
        ),
    ]
}

fn resolve(href: &str) -> (LinkTarget, Option<Problem>) {
    let pages = pages();
    let assets = AssetStore::empty();
    let index = LinkIndex::new(&pages, &assets);
    let origin =
        Origin { key: "etapes", url: "/fs/pilotage/pilotage-etapes/", source: "fs/pilotage/pilotage-etapes.md" };
    resolve_href(href, &origin, &index)
}

fn page_target(key: &str, anchor: Option<&str>) -> LinkTarget {
    LinkTarget::Page { key: key.into(), anchor: anchor.map(str::to_string) }
}

#[test]
fn relative_folder_link_resolves_against_the_page_url() {
    assert_eq!(resolve("../pilotage-eligibilite/").0, page_target("eligibilite", None));
}

#[test]
fn absolute_site_path_without_trailing_slash_resolves() {
    assert_eq!(resolve("/fs/pilotage").0, page_target("pilotage", None));
}

#[test]
fn md_link_resolves_against_the_source_file() {
    assert_eq!(resolve("./pilotage-eligibilite.md").0, page_target("eligibilite", None));
}

#[test]
fn link_to_a_folder_index() {
    assert_eq!(resolve("../").0, page_target("pilotage", None));
}

#[test]
fn same_page_fragment_checks_the_anchor() {
    assert_eq!(resolve("#1-verifier").0, page_target("etapes", Some("1-verifier")));
}

#[test]
fn missing_anchor_links_to_the_page_and_is_reported() {
    let (target, problem) = resolve("../pilotage-eligibilite/#nowhere");
    assert_eq!(target, page_target("eligibilite", None));
    assert_eq!(problem.map(|p| p.code), Some(crate::codes::LINK_MISSING_ANCHOR));
}

#[test]
fn accented_anchor_matches_the_folded_slug() {
    assert_eq!(resolve("../pilotage-eligibilite/#après-erreur").0, page_target("eligibilite", Some("apres-erreur")));
}

#[test]
fn broken_md_link_is_reported_with_its_text_kept_by_the_caller() {
    let (target, problem) = resolve("../doc_fs.md#id_token");
    assert!(matches!(target, LinkTarget::Broken { .. }));
    assert_eq!(problem.map(|p| p.code), Some(crate::codes::LINK_BROKEN));
}

#[test]
fn javascript_scheme_is_never_a_link() {
    let (target, problem) = resolve("JavaScript:alert(1)");
    assert!(matches!(target, LinkTarget::Broken { .. }));
    assert_eq!(problem.map(|p| p.code), Some(crate::codes::LINK_UNSAFE_SCHEME));
}

#[test]
fn external_urls_stay_external() {
    assert_eq!(resolve("https://example.org/x").0, LinkTarget::External { url: "https://example.org/x".into() });
    assert_eq!(resolve("mailto:a@b.c").0, LinkTarget::External { url: "mailto:a@b.c".into() });
}

#[test]
fn climbing_above_the_site_root_is_broken() {
    assert!(matches!(resolve("../../../../etc/passwd").0, LinkTarget::Broken { .. }));
}

#[test]
fn join_url_resolves_dot_segments() {
    assert_eq!(join_url("/fs/pilotage/a/", "../b/"), Some("/fs/pilotage/b/".into()));
    assert_eq!(join_url("/fs/a/", "/x"), Some("/x".into()));
    assert_eq!(join_url("/a/", "../../x"), None);
}

#[test]
fn join_url_keeps_a_folder_a_folder_and_the_root_the_root() {
    assert_eq!(join_url("/a/b", "./"), Some("/a/".into()));
    assert_eq!(join_url("/a/", ".."), Some("/".into()));
    assert_eq!(join_url("/a/", "../"), Some("/".into()));
    assert_eq!(join_url("/a/page", "autre"), Some("/a/autre".into()));
    assert_eq!(join_url("/", "x/./y/../z"), Some("/x/z".into()));
    assert_eq!(join_url("/", ".."), None);
}

#[test]
fn a_url_pattern_is_text_with_a_note() {
    for href in ["https://tiles.example/{z}/{x}/{y}.pbf", "https://x.fr/{{ id }}/", "//x.fr/${name}"] {
        let (target, p) = resolve(href);
        assert!(matches!(target, LinkTarget::Broken { .. }), "{href}: {target:?}");
        let p = p.expect("a problem");
        assert_eq!((p.code, p.severity), (crate::codes::LINK_PATTERN, Severity::Note), "{href}");
    }
}

#[test]
fn a_url_with_braces_or_spaces_that_are_no_placeholder_stays_a_link_as_written() {
    for href in ["https://x.fr/a b/{}", "https://x.fr/?q={\"a\":1}", "https://x.fr/licenses/4.0>"] {
        assert_eq!(resolve(href), (LinkTarget::External { url: href.into() }, None), "{href}");
    }
}

#[test]
fn a_url_without_a_usable_host_is_text_with_a_warning() {
    for href in ["https://", "https:///a", "https://exa mple.org/", "http://{}/"] {
        let (target, p) = resolve(href);
        assert!(matches!(target, LinkTarget::Broken { .. }), "{href}: {target:?}");
        assert_eq!(p.map(|p| p.code), Some(crate::codes::LINK_INVALID_URL), "{href}");
    }
}
