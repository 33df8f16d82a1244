//! The arguments of a component call read without a YAML parser, when they are the simple
//! object literals pages write: `{ key: "text", key: ["a", "b"], key: bare.name }`.
//!
//! Setting serde_yaml up for each call costs more than the rest of the page's Nunjucks
//! handling (its parser allocates and clears its buffers every time). Anything this reader
//! is not sure to read exactly as YAML does (an escape, a line break inside a string, a
//! number, `true`, a comment, a repeated key…) makes it answer `None`, and the caller asks
//! serde_yaml: the result is always what serde_yaml would give.

use serde_yaml::{Mapping, Value};

/// The mapping `args` denotes, or `None` when only a YAML parser can say.
pub fn simple_mapping(args: &str) -> Option<Value> {
    let mut reader = Reader { rest: args.trim() };
    reader.eat('{')?;
    let mut mapping = Mapping::new();
    reader.items('}', |reader| {
        let key = reader.identifier()?;
        reader.skip_space();
        reader.eat(':')?;
        reader.skip_space();
        let value = reader.value()?;
        // A repeated key is an error for serde_yaml: it says so, not this reader.
        mapping.insert(Value::String(key.to_string()), value).is_none().then_some(())
    })?;
    reader.rest.trim().is_empty().then_some(Value::Mapping(mapping))
}

struct Reader<'a> {
    rest: &'a str,
}

impl<'a> Reader<'a> {
    fn skip_space(&mut self) {
        self.rest = self.rest.trim_start_matches([' ', '\t', '\n', '\r']);
    }

    fn eat(&mut self, c: char) -> Option<()> {
        self.rest = self.rest.strip_prefix(c)?;
        Some(())
    }

    /// A key, or a bare value: a letter or `_`, then letters, digits, `_`, `-` and `.`.
    fn identifier(&mut self) -> Option<&'a str> {
        let first = self.rest.chars().next()?;
        if !(first.is_ascii_alphabetic() || first == '_') {
            return None;
        }
        let end = self.rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))).unwrap_or(self.rest.len());
        let (word, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(word)
    }

    fn value(&mut self) -> Option<Value> {
        match self.rest.chars().next()? {
            '"' | '\'' => self.quoted().map(Value::String),
            '[' => self.list(),
            _ => {
                let word = self.identifier()?;
                // YAML's core schema reads these as booleans and null, not as strings.
                let special = matches!(word.to_ascii_lowercase().as_str(), "true" | "false" | "null");
                (!special).then(|| Value::String(word.to_string()))
            }
        }
    }

    /// A quoted string with nothing YAML would transform in it: no escape, no line break,
    /// no doubled quote.
    fn quoted(&mut self) -> Option<String> {
        let quote = self.rest.chars().next()?;
        let body = &self.rest[1..];
        let end = body.find(quote)?;
        let text = &body[..end];
        // YAML refuses control characters in a document; folding them is its business too.
        let unusual = |c: char| matches!(c, '\\' | '\u{FFFE}' | '\u{FFFF}') || (c.is_control() && c != '\t');
        if text.contains(unusual) || body[end + 1..].starts_with(quote) {
            return None;
        }
        self.rest = &body[end + 1..];
        Some(text.to_string())
    }

    fn list(&mut self) -> Option<Value> {
        self.eat('[')?;
        let mut items = Vec::new();
        self.items(']', |reader| {
            items.push(reader.value()?);
            Some(())
        })?;
        Some(Value::Sequence(items))
    }

    /// Comma-separated items read by `item` up to `close` (a trailing comma allowed), the
    /// opening bracket already eaten.
    fn items(&mut self, close: char, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        loop {
            self.skip_space();
            if self.eat(close).is_some() {
                return Some(());
            }
            item(self)?;
            self.skip_space();
            if self.eat(',').is_none() {
                self.skip_space();
                return self.eat(close);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::simple_mapping;

    fn yaml(args: &str) -> serde_yaml::Value {
        serde_yaml::from_str(args).expect("valid YAML")
    }

    #[test]
    fn simple_literals_read_exactly_as_yaml_reads_them() {
        for args in [
            r#"{ category: "fs-technique" }"#,
            "{\n      url: \"/fs/pilotage/\",\n      title: \"Je souhaite comprendre\",\n      tags: [\"FranceConnect\", \"FranceConnect+\"],\n      orientation: \"horizontal\"\n  }",
            "{ item: item.data }",
            "{ keys: seealso }",
            "{ keys: ['a', \"b\"], }",
            "{ a: [], b: \"\" }",
            "{}",
            r#"{ title: "L’usager : « bienvenue » ?" }"#,
            "{ answer: yes, mode: off, tab: \"a\tb\" }",
        ] {
            assert_eq!(simple_mapping(args), Some(yaml(args)), "{args}");
        }
    }

    #[test]
    fn anything_yaml_would_transform_is_left_to_yaml() {
        for args in [
            r#"{ title: "a\"b" }"#,
            "{ title: \"one\n two\" }",
            "{ title: 'it''s' }",
            "{ flag: true }",
            "{ flag: False }",
            "{ none: null }",
            "{ count: 3 }",
            "{ a: \"x\", a: \"y\" }",
            "{ a: \"x\" } # comment",
            "{ \"quoted key\": \"x\" }",
            "{ a: { b: \"c\" } }",
            "{ a: \"x\"",
            "{ a: \"bell\u{7}\" }",
        ] {
            assert_eq!(simple_mapping(args), None, "{args}");
        }
    }
}
