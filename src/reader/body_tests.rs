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
    assert_eq!(issues[0].code, crate::codes::CONTAINER_UNCLOSED);
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
    assert!(issues.iter().any(|i| i.code == crate::codes::CONTAINER_STRAY_CLOSE));
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
    // As in CommonMark, the block runs to the end of its paragraph: `after` belongs to it.
    assert!(text[r.clone()].ends_with("</h3>\nafter\n"), "{:?}", &text[r.clone()]);
    assert_eq!(nodes.len(), 1);
}

#[test]
fn a_component_placeholder_alone_on_its_line_is_a_component_node() {
    let text = format!("{}\nafter\n", crate::reader::templates::markers::component_placeholder(3));
    let nodes = scan_all(&text);
    assert_eq!(nodes[0], Node::Component { index: 3, offset: 0 });
}

#[test]
fn an_island_starting_a_line_is_one_html_block_whatever_its_indentation() {
    let text = "intro\n\n<div class=\"fr-table\">\n      <table><tr><td>a</td></tr></table>\n\n    </div>\nafter\n";
    let start = text.find("<div").unwrap();
    let end = text.find("</div>").unwrap() + 6;
    let islands = [std::ops::Range { start, end }];
    let (nodes, _) = scan_with(text, 0..text.len(), &islands, &DEFAULT_MARKERS);
    assert_eq!(nodes[1], Node::HtmlBlock(start..end));
    assert!(matches!(&nodes[2], Node::Markdown(r) if text[r.clone()].trim() == "after"));
}

#[test]
fn question_mark_containers_nest_by_marker_count() {
    let text = "????accordionsgroup\n??? First\nA\n???\n??? Second\nB\n???\n????\n";
    let nodes = scan_all(text);
    let Node::Container(group) = &nodes[0] else { panic!("no group") };
    assert_eq!((group.marker, group.name.as_str(), group.children.len()), ('?', "accordionsgroup", 2));
}
