//! The string values of a JSON document, for the audit to hear: read by serde when the
//! document is still to be checked, or scanned directly when a parse has already checked it.

/// Every string value of a JSON document (not its keys), one per line, in document order,
/// read as a stream: no tree is built.
pub fn json_strings_of(bytes: &[u8]) -> serde_json::Result<String> {
    let mut out = String::with_capacity(bytes.len() / 2);
    for_each_json_string(bytes, &mut |s| {
        out.push_str(s);
        out.push('\n');
    })?;
    Ok(out)
}

/// Calls `on_string` with every string value of a JSON document (not its keys), in document
/// order, read as a stream; an error says where the document is not JSON.
pub fn for_each_json_string(bytes: &[u8], on_string: &mut dyn FnMut(&str)) -> serde_json::Result<()> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    de.disable_recursion_limit();
    StringValues(on_string).deserialize(&mut de)?;
    de.end()
}

/// `for_each_json_string` for a document already parsed without error, found by its quotes
/// alone: outside a string, JSON has no quote. Faster than a second parse by serde, which
/// checks every string's UTF-8 on its own and walks the document's nesting.
pub fn for_each_string_value_of_parsed(json: &str, mut on_string: impl FnMut(&str)) {
    let bytes = json.as_bytes();
    let mut unescaped = String::new();
    let mut at = 0;
    while let Some(open) = memchr::memchr(b'"', &bytes[at..]).map(|i| at + i) {
        let (value, close) = match string_at(json, open + 1, &mut unescaped) {
            Some(found) => found,
            None => return,
        };
        at = close + 1;
        let is_key = bytes[at..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b':');
        if !is_key {
            on_string(value.unwrap_or(&unescaped));
        }
    }
}

/// The string whose text starts at byte `start`, and the offset of its closing quote: the
/// text as it stands when it has no escape (`Some`), else written unescaped into `buffer`
/// (`None`). `None` for a string that never closes.
fn string_at<'j>(json: &'j str, start: usize, buffer: &mut String) -> Option<(Option<&'j str>, usize)> {
    let bytes = json.as_bytes();
    let end = start + memchr::memchr2(b'"', b'\\', &bytes[start..])?;
    if bytes[end] == b'"' {
        return Some((Some(&json[start..end]), end));
    }
    buffer.clear();
    let mut at = start;
    loop {
        let stop = at + memchr::memchr2(b'"', b'\\', &bytes[at..])?;
        buffer.push_str(&json[at..stop]);
        if bytes[stop] == b'"' {
            return Some((None, stop));
        }
        at = unescape(json, stop + 1, buffer)?;
    }
}

/// Writes the escape whose letter is at byte `at` into `out`; returns the offset after it.
fn unescape(json: &str, at: usize, out: &mut String) -> Option<usize> {
    let letter = *json.as_bytes().get(at)?;
    let simple = match letter {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let (c, next) = unicode_escape(json, at + 1)?;
            out.push(c);
            return Some(next);
        }
        _ => return None,
    };
    out.push(simple);
    Some(at + 1)
}

/// The character of a `\u` escape whose hex digits start at byte `at`, joining a surrogate
/// pair; a lone surrogate reads as U+FFFD.
fn unicode_escape(json: &str, at: usize) -> Option<(char, usize)> {
    let hex = |from: usize| json.get(from..from + 4).and_then(|h| u32::from_str_radix(h, 16).ok());
    let first = hex(at)?;
    if (0xD800..0xDC00).contains(&first) && json.get(at + 4..at + 6) == Some("\\u") {
        if let Some(second) = hex(at + 6).filter(|s| (0xDC00..0xE000).contains(s)) {
            let c = char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00));
            return Some((c.unwrap_or(char::REPLACEMENT_CHARACTER), at + 10));
        }
    }
    Some((char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER), at + 4))
}

/// A serde visitor that hands over the string values it meets and skips everything else.
struct StringValues<'a>(&'a mut dyn FnMut(&str));

impl<'de> serde::de::DeserializeSeed<'de> for StringValues<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for StringValues<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        (self.0)(v);
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(StringValues(&mut *self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
            map.next_value_seed(StringValues(&mut *self.0))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanned(json: &str) -> Vec<String> {
        let mut found = Vec::new();
        for_each_string_value_of_parsed(json, |s| found.push(s.to_string()));
        found
    }

    fn by_serde(json: &str) -> Vec<String> {
        let mut found = Vec::new();
        for_each_json_string(json.as_bytes(), &mut |s| found.push(s.to_string())).expect("valid JSON");
        found
    }

    #[test]
    fn json_strings_of_lists_the_string_values_in_document_order() {
        let json = br#"{"a": "un", "b": [1, true, null, {"c": "deux\ntrois"}], "d": 2.5, "e": ["quatre"]}"#;
        assert_eq!(json_strings_of(json).expect("json"), "un\ndeux\ntrois\nquatre\n");
    }

    #[test]
    fn the_scan_of_a_parsed_document_finds_what_serde_finds() {
        let documents = [
            r#"{"a": "un", "b": [1, true, null, {"c": "deux\ntrois"}], "d": 2.5, "e": ["quatre"]}"#,
            r#"{"k\"ey": "v\"a\\l\/ue", "x" : "é\u00e9\u0041", "e":"", "s": "\ud83d\ude00 ok"}"#,
            r#"["a", {"b": {"c": ["d", "e\t"]}}, "f"]"#,
            r#""seul""#,
        ];
        for json in documents {
            assert_eq!(scanned(json), by_serde(json), "{json}");
        }
    }

    #[test]
    fn keys_are_not_string_values_even_before_spaces() {
        assert_eq!(scanned("{\"titre\"  :\n \"Bonjour\"}"), ["Bonjour"]);
    }

    #[test]
    fn a_lone_surrogate_reads_as_the_replacement_character() {
        assert_eq!(scanned(r#"["a\ud800b"]"#), ["a\u{fffd}b"]);
    }
}
