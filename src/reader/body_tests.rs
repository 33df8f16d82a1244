use super::*;

fn scan_all(text: &str) -> Vec<Node> {
    scan(text, 0..text.len()).0
}

fn container_names(nodes: &[Node]) -> Vec<(String, bool)> {
    nodes
        .iter()
        .filter_map(|n| match n {
            Node::Container(w) => Some((w.name.clone(), w.closed)),
            _ => None,
        })
        .collect()
}

#[test]
fn callout_opens_with_or_without_a_space_after_the_marker() {
    let nodes = scan_all(":::callout A\nx\n:::\n::: callout B\ny\n:::\n");
    assert_eq!(container_names(&nodes), vec![("callout".into(), true), ("callout".into(), true)]);
}

#[test]
fn closer_indented_three_spaces_after_a_list_item_closes() {
    let nodes = scan_all(":::callout En bref\n1. a\n2. b\n   :::\nafter\n");
    assert_eq!(container_names(&nodes), vec![("callout".into(), true)]);
    assert!(matches!(nodes.last(), Some(Node::Markdown(_))));
}

#[test]
fn unclosed_container_runs_to_the_end_with_an_issue() {
    let (nodes, issues) = scan(":::callout A\ntext\n", 0..18);
    assert_eq!(container_names(&nodes), vec![("callout".into(), false)]);
    assert_eq!(issues[0].code, "container/unclosed");
}

#[test]
fn longer_outer_marker_lets_containers_nest() {
    let nodes = scan_all("::::callout A\n::: quote\nq\n:::\n::::\n");
    let Node::Container(outer) = &nodes[0] else { panic!("no container") };
    assert_eq!(container_names(&outer.children), vec![("quote".into(), true)]);
}

#[test]
fn plain_closer_ends_the_outermost_container_as_markdown_it_does() {
    let text = ":::callout A\n::: quote\nq\n:::\nrest\n:::\n";
    let (nodes, issues) = scan(text, 0..text.len());
    assert_eq!(container_names(&nodes), vec![("callout".into(), true)]);
    assert!(matches!(nodes.last(), Some(Node::Markdown(_))), "{nodes:?}");
    assert!(issues.iter().any(|i| i.code == "container/stray-close"));
}

#[test]
fn markers_inside_code_fences_are_text() {
    let nodes = scan_all("```\n:::callout\n<div>\n```\n");
    assert!(matches!(nodes.as_slice(), [Node::Markdown(_)]));
}

#[test]
fn div_alone_on_a_line_wraps_markdown() {
    let nodes = scan_all("<div class=\"fr-table\">\n\n| a |\n| - |\n\n</div>\n");
    let Node::HtmlWrapper(w) = &nodes[0] else { panic!("no wrapper") };
    assert!(w.closed);
    assert!(matches!(w.children.as_slice(), [Node::Markdown(_)]));
}

#[test]
fn html_heading_spanning_blank_lines_is_one_block() {
    let text = "<h3 class=\"t\">\n  <button>\n\n  <code>GET /x</code></button>\n</h3>\nafter\n";
    let nodes = scan_all(text);
    let Node::HtmlBlock(r) = &nodes[0] else { panic!("no html block") };
    assert!(text[r.clone()].ends_with("</h3>"));
}

#[test]
fn multi_line_component_call_is_one_nunjucks_node() {
    let text = "{{ component(\"card-simple\", {\n  url: \"/x/\",\n  title: \"T\"\n}) }}\nafter\n";
    let nodes = scan_all(text);
    let Node::Nunjucks(r) = &nodes[0] else { panic!("no nunjucks") };
    assert!(text[r.clone()].ends_with("}) }}"));
}
