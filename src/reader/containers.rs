//! The markdown-it containers a site registers (`markdown-custom-containers.js`), as rules
//! folio.toml can extend: a container name (or a pattern of names) opened by a marker
//! character, and the kind of block it makes.

use crate::model::CalloutKind;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContainerKind {
    /// A DSFR alert: `type` (info, success, warning, error; default: the container's name)
    /// and the arguments as title.
    Alert,
    /// `fr-callout`, titled by the arguments.
    Callout,
    /// `fr-highlight`: a box with no title.
    Highlight,
    /// A quotation figure; the arguments name an image.
    Quote,
    /// A titled section, always open on paper; the arguments are its title.
    Accordion,
    /// A group of accordions: its content, unwrapped.
    AccordionGroup,
    /// Styling only (`:::table`): its content, unwrapped.
    Wrapper,
}

/// `[containers.NAME]` of folio.toml.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerRule {
    pub kind: ContainerKind,
    /// For an alert: info, success, warning or error.
    #[serde(rename = "type")]
    pub alert_type: Option<String>,
    /// The marker character (default `:`).
    pub marker: Option<char>,
    /// Names this rule takes instead of its own: `a|b`, or `*` for any arguments (the whole
    /// line after the marker is then the title).
    pub pattern: Option<String>,
}

/// What a container opening line means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub kind: ContainerKind,
    pub callout: CalloutKind,
    pub title: Option<String>,
}

/// Every rule of a site: the built-in ones of this family of sites, then folio.toml's, which
/// replace a built-in rule of the same name.
#[derive(Debug, Clone)]
pub struct ContainerRules {
    rules: Vec<(String, ContainerRule)>,
}

impl Default for ContainerRules {
    fn default() -> Self {
        let rule = |name: &str, kind, marker: char, pattern: Option<&str>| {
            (
                name.to_string(),
                ContainerRule { kind, alert_type: None, marker: Some(marker), pattern: pattern.map(str::to_string) },
            )
        };
        ContainerRules {
            rules: vec![
                rule("callout", ContainerKind::Callout, ':', None),
                rule("quote", ContainerKind::Quote, ':', None),
                rule("table", ContainerKind::Wrapper, ':', None),
                rule("alert", ContainerKind::Alert, ':', Some("info|success|warning|error")),
                rule("highlight", ContainerKind::Highlight, ':', None),
                rule("accordionsgroup", ContainerKind::AccordionGroup, '?', None),
                rule("accordion", ContainerKind::Accordion, '?', Some("*")),
            ],
        }
    }
}

impl ContainerRules {
    pub fn with(mut self, extra: impl IntoIterator<Item = (String, ContainerRule)>) -> Self {
        for (name, rule) in extra {
            self.rules.retain(|(n, _)| *n != name);
            // A site's own rules are tried before the built-in ones.
            self.rules.insert(0, (name, rule));
        }
        self
    }

    /// The marker characters that open containers.
    pub fn markers(&self) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for (_, rule) in &self.rules {
            let m = rule.marker.unwrap_or(':');
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }

    /// The meaning of `MARKER NAME ARGS`; `None` for a container no rule knows.
    pub fn resolve(&self, marker: char, name: &str, args: &str) -> Option<Resolved> {
        let of_marker = || self.rules.iter().filter(move |(_, r)| r.marker.unwrap_or(':') == marker);
        let named = of_marker().find(|(key, rule)| match rule.pattern.as_deref() {
            Some("*") | None => key == name,
            Some(names) => names.split('|').any(|n| n.trim() == name),
        });
        if let Some((_, rule)) = named {
            let title = (!args.trim().is_empty()).then(|| args.trim().to_string());
            return Some(resolved(rule, name, title));
        }
        let (_, rule) = of_marker().find(|(_, r)| r.pattern.as_deref() == Some("*"))?;
        let whole = format!("{name} {args}").trim().to_string();
        Some(resolved(rule, name, (!whole.is_empty()).then_some(whole)))
    }
}

fn resolved(rule: &ContainerRule, name: &str, title: Option<String>) -> Resolved {
    let callout = match rule.kind {
        ContainerKind::Alert => alert_kind(rule.alert_type.as_deref().unwrap_or(name)),
        _ => CalloutKind::Note,
    };
    Resolved { kind: rule.kind, callout, title }
}

fn alert_kind(kind: &str) -> CalloutKind {
    match kind {
        "success" => CalloutKind::Success,
        "warning" => CalloutKind::Warning,
        "error" => CalloutKind::Error,
        _ => CalloutKind::Info,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_alerts_take_their_kind_from_their_name_and_title_from_their_arguments() {
        let r = ContainerRules::default().resolve(':', "warning", "Attention").unwrap();
        assert_eq!(
            (r.kind, r.callout, r.title.as_deref()),
            (ContainerKind::Alert, CalloutKind::Warning, Some("Attention"))
        );
    }

    #[test]
    fn a_question_mark_container_is_an_accordion_titled_by_its_whole_line() {
        let r = ContainerRules::default().resolve('?', "Premier", "accordéon").unwrap();
        assert_eq!((r.kind, r.title.as_deref()), (ContainerKind::Accordion, Some("Premier accordéon")));
        assert_eq!(
            ContainerRules::default().resolve('?', "accordionsgroup", "").unwrap().kind,
            ContainerKind::AccordionGroup
        );
    }

    #[test]
    fn an_unknown_name_resolves_to_nothing() {
        assert_eq!(ContainerRules::default().resolve(':', "spoiler", ""), None);
    }

    #[test]
    fn a_site_rule_adds_a_container_and_its_marker() {
        let rule = ContainerRule {
            kind: ContainerKind::Alert,
            alert_type: Some("success".into()),
            marker: Some('!'),
            pattern: None,
        };
        let rules = ContainerRules::default().with([("tip".to_string(), rule)]);
        assert!(rules.markers().contains(&'!'));
        assert_eq!(rules.resolve('!', "tip", "").unwrap().callout, CalloutKind::Success);
    }
}
