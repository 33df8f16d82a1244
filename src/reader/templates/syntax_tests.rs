use super::*;

#[test]
fn tags_are_found_with_their_kinds() {
    let src = "a {{ x }} b {% if y %}c{% endif %} {# note #}";
    let kinds: Vec<TagKind> = tags(src).iter().map(|t| t.kind).collect();
    assert_eq!(kinds, vec![TagKind::Output, TagKind::Statement, TagKind::Statement, TagKind::Comment]);
}

#[test]
fn an_output_tag_ends_after_its_object_literal() {
    let src = "{{ component(\"x\", { a: { b: \"}}\" } }) }} after";
    assert_eq!(&src[tags(src)[0].range.clone()], "{{ component(\"x\", { a: { b: \"}}\" } }) }}");
}

#[test]
fn a_raw_block_is_one_tag() {
    let src = "{% raw %}{{ x }}{% endraw %} {{ y }}";
    let found = tags(src);
    assert_eq!((found[0].kind, &src[found[0].inner.clone()]), (TagKind::Raw, "{{ x }}{% endraw %}"));
    assert_eq!(found.len(), 2);
}

#[test]
fn bare_object_keys_are_quoted_and_strings_left_alone() {
    assert_eq!(
        rewrite_expression("{ title: \"a: b\", url: x.y, n: { m: 1 } }"),
        "{ \"title\": \"a: b\", \"url\": x.y, \"n\": { \"m\": 1 } }"
    );
}

#[test]
fn javascript_spellings_become_jinja_ones() {
    assert_eq!(rewrite_expression("a === null and b !== undefined"), "a == none and b != none");
    assert_eq!(rewrite_expression("items.length > 0"), "items|length > 0");
    assert_eq!(rewrite_statement(" elseif x "), " elif x ");
    assert_eq!(rewrite_statement(" for k, v in obj "), " for k, v in __pairs(obj)");
}

#[test]
fn string_literals_and_filter_names_are_listed() {
    assert_eq!(string_literals("component(\"card\", { title: 'T\\'s' })"), vec!["card", "T's"]);
    assert_eq!(filter_names("x | a | b(1) or y || z"), vec!["a", "b"]);
}
