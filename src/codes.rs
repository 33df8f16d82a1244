//! Every diagnostic code folio emits, in one place: `area/name`, stable across versions.
//! What each means is in README's tables (the reader, the build) or in the format's
//! `exporters/NAME/README.md`; `tests/diagnostic_codes.rs` holds both lists to each other.

pub const SOURCE_IGNORED: &str = "source/ignored";
pub const SOURCE_INVALID_UTF8: &str = "source/invalid-utf8";
pub const SOURCE_OUTSIDE: &str = "source/outside";
pub const SOURCE_TEMPLATE_SKIPPED: &str = "source/template-skipped";
pub const SOURCE_TEMPLATE_URLS: &str = "source/template-urls";
pub const SOURCE_UNREADABLE: &str = "source/unreadable";

pub const FRONT_MATTER_ILL_TYPED: &str = "front-matter/ill-typed";
pub const FRONT_MATTER_INVALID_YAML: &str = "front-matter/invalid-yaml";
pub const FRONT_MATTER_MISSING_TITLE: &str = "front-matter/missing-title";
pub const FRONT_MATTER_UNCLOSED: &str = "front-matter/unclosed";

pub const PAGE_DUPLICATE_KEY: &str = "page/duplicate-key";

pub const CONTAINER_STRAY_CLOSE: &str = "container/stray-close";
pub const CONTAINER_TOO_DEEP: &str = "container/too-deep";
pub const CONTAINER_UNCLOSED: &str = "container/unclosed";
pub const CONTAINER_UNKNOWN: &str = "container/unknown";

pub const MARKDOWN_EXTRA_CELLS: &str = "markdown/extra-cells";
pub const MARKDOWN_NOT_A_TABLE: &str = "markdown/not-a-table";
pub const MARKDOWN_TOO_DEEP: &str = "markdown/too-deep";

pub const HEADING_LEVEL_SHIFTED: &str = "heading/level-shifted";

pub const HTML_CARD_IMAGE_DROPPED: &str = "html/card-image-dropped";
pub const HTML_DROPPED: &str = "html/dropped";
pub const HTML_NAVIGATION_DROPPED: &str = "html/navigation-dropped";
pub const HTML_STRAY_CLOSE: &str = "html/stray-close";
pub const HTML_TABLE_STRAY_CONTENT: &str = "html/table-stray-content";
pub const HTML_UNCLOSED: &str = "html/unclosed";
pub const HTML_UNMAPPED: &str = "html/unmapped";

pub const NUNJUCKS_BAD_ARGUMENTS: &str = "nunjucks/bad-arguments";
pub const NUNJUCKS_DATE: &str = "nunjucks/date";
pub const NUNJUCKS_EVAL_FAILED: &str = "nunjucks/eval-failed";
pub const NUNJUCKS_I18N_MISSING: &str = "nunjucks/i18n-missing";
pub const NUNJUCKS_INLINE_COMPONENT: &str = "nunjucks/inline-component";
pub const NUNJUCKS_NAVIGATION: &str = "nunjucks/navigation";
pub const NUNJUCKS_SYNTAX: &str = "nunjucks/syntax";
pub const NUNJUCKS_UNCLOSED: &str = "nunjucks/unclosed";
pub const NUNJUCKS_UNDEFINED: &str = "nunjucks/undefined";
pub const NUNJUCKS_UNKNOWN_COMPONENT: &str = "nunjucks/unknown-component";
pub const NUNJUCKS_UNKNOWN_FILTER: &str = "nunjucks/unknown-filter";
pub const NUNJUCKS_UNKNOWN_SHORTCODE: &str = "nunjucks/unknown-shortcode";

pub const DATA_COMPUTED: &str = "data/computed";
pub const DATA_INDEX_SKIPPED: &str = "data/index-skipped";
pub const DATA_INVALID: &str = "data/invalid";
pub const DATA_NOT_A_LITERAL: &str = "data/not-a-literal";
pub const DATA_NOT_AN_OBJECT: &str = "data/not-an-object";
pub const DATA_UNREADABLE: &str = "data/unreadable";

pub const JS_CONFIG_FAILED: &str = "js/config-failed";
pub const JS_FAILED: &str = "js/failed";
pub const JS_STAND_IN: &str = "js/stand-in";

pub const SITE_IDENTITY: &str = "site/identity";

pub const LINK_BROKEN: &str = "link/broken";
pub const LINK_EMPTY: &str = "link/empty";
pub const LINK_INVALID_URL: &str = "link/invalid-url";
pub const LINK_MISSING_ANCHOR: &str = "link/missing-anchor";
pub const LINK_OUTSIDE_SITE: &str = "link/outside-site";
pub const LINK_PATTERN: &str = "link/pattern";
pub const LINK_UNSAFE_SCHEME: &str = "link/unsafe-scheme";

pub const SEEALSO_UNKNOWN_KEY: &str = "seealso/unknown-key";

pub const IMAGE_NOT_A_FILE: &str = "image/not-a-file";

pub const ASSET_OUTSIDE: &str = "asset/outside";

pub const DIAGRAM_INVALID: &str = "diagram/invalid";
pub const DIAGRAM_RENDERER: &str = "diagram/renderer";

pub const EXPORT_FAILED: &str = "export/failed";
pub const EXPORT_WRITE_FAILED: &str = "export/write-failed";

pub const EXTERNAL_MISSING: &str = "external/missing";

pub const EPUB_ANCHOR_LOST: &str = "epub/anchor-lost";
pub const EPUB_DUPLICATE_ID: &str = "epub/duplicate-id";
pub const EPUB_IMAGE_MISSING: &str = "epub/image-missing";
pub const EPUB_IMAGE_REMOTE: &str = "epub/image-remote";
pub const EPUB_IMAGE_UNUSABLE: &str = "epub/image-unusable";
pub const EPUB_INVALID_CHAR: &str = "epub/invalid-char";
pub const EPUB_MISSING_CHAPTER: &str = "epub/missing-chapter";
pub const EPUB_UNSAFE_LINK: &str = "epub/unsafe-link";
pub const EPUB_UNTITLED_PAGE: &str = "epub/untitled-page";

pub const DITA_ASSET_UNPLANNED: &str = "dita/asset-unplanned";
pub const DITA_ASSET_UNREADABLE: &str = "dita/asset-unreadable";
pub const DITA_IMAGE_AS_TEXT: &str = "dita/image-as-text";
pub const DITA_IMAGE_TITLE: &str = "dita/image-title";
pub const DITA_INVALID_XML_CHAR: &str = "dita/invalid-xml-char";
pub const DITA_LINE_BREAK: &str = "dita/line-break";
pub const DITA_LINK_IN_TITLE: &str = "dita/link-in-title";
pub const DITA_LIST_START: &str = "dita/list-start";
pub const DITA_MAP_NAME: &str = "dita/map-name";
pub const DITA_NESTED_NOTE: &str = "dita/nested-note";
pub const DITA_NESTED_QUOTE: &str = "dita/nested-quote";
pub const DITA_RECORD_SKIPPED: &str = "dita/record-skipped";
pub const DITA_STRIKETHROUGH: &str = "dita/strikethrough";
pub const DITA_TABLE_EMPTY_BODY: &str = "dita/table-empty-body";
pub const DITA_THEMATIC_BREAK: &str = "dita/thematic-break";
pub const DITA_UNKNOWN_OPTION: &str = "dita/unknown-option";
pub const DITA_UNKNOWN_PAGE: &str = "dita/unknown-page";

pub const JSONLD_ANSWER_DEGRADED: &str = "jsonld/answer-degraded";
pub const JSONLD_BREADCRUMB_SKIPPED: &str = "jsonld/breadcrumb-skipped";
pub const JSONLD_DUPLICATE_QUESTION: &str = "jsonld/duplicate-question";
pub const JSONLD_FILE_NAME: &str = "jsonld/file-name";
pub const JSONLD_NO_ANSWER: &str = "jsonld/no-answer";
pub const JSONLD_SECTION_SKIPPED: &str = "jsonld/section-skipped";
pub const JSONLD_UNKNOWN_OPTION: &str = "jsonld/unknown-option";

pub const PDF_CONTROL_CHAR: &str = "pdf/control-char";
pub const PDF_DIAGRAM_AS_SOURCE: &str = "pdf/diagram-as-source";
pub const PDF_IMAGE: &str = "pdf/image";
pub const PDF_MISSING_GLYPH: &str = "pdf/missing-glyph";
pub const PDF_PAGE_FAILED: &str = "pdf/page-failed";
pub const PDF_STRIKETHROUGH: &str = "pdf/strikethrough";
pub const PDF_TOO_DEEP: &str = "pdf/too-deep";
pub const PDF_UNSTABLE_PAGE_NUMBERS: &str = "pdf/unstable-page-numbers";

pub const FIDELITY_UNREADABLE: &str = "fidelity/unreadable";

pub const BUILD_UNKNOWN_LANGUAGE: &str = "build/unknown-language";
