//! Reading a `Block` back from its JSON form without buffering it.
//!
//! A block is written as one object whose `type` key comes first. serde's derived reader for
//! an internally tagged enum cannot count on that: it copies every block (and, again, every
//! block nested in it) into a buffer before it knows the variant, which made blocks most of
//! the cost of reading `corpus.json` back. This reader takes the variant from the first key
//! when it is `type` and reads the rest of the object straight into the variant's struct;
//! an object whose `type` comes later is gathered first, as before. Writing, and the JSON
//! schema, still come from the derives on `Block`.

use super::*;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

/// The variant names, as the derive on `Block` writes them.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum BlockType {
    Heading,
    Paragraph,
    List,
    BlockQuote,
    Code,
    Diagram,
    Table,
    Figure,
    Callout,
    QuoteFigure,
    Section,
    Card,
    PageList,
    SeeAlsoList,
    ThematicBreak,
    Raw,
}

impl<'de> Deserialize<'de> for Block {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(BlockVisitor)
    }
}

/// The fields of `tag`'s struct, read from `fields`.
fn variant<'de, D: Deserializer<'de>>(tag: BlockType, fields: D) -> Result<Block, D::Error> {
    Ok(match tag {
        BlockType::Heading => Block::Heading(Box::new(HeadingBlock::deserialize(fields)?)),
        BlockType::Paragraph => Block::Paragraph(ParagraphBlock::deserialize(fields)?),
        BlockType::List => Block::List(ListBlock::deserialize(fields)?),
        BlockType::BlockQuote => Block::BlockQuote(BlockQuoteBlock::deserialize(fields)?),
        BlockType::Code => Block::Code(CodeBlock::deserialize(fields)?),
        BlockType::Diagram => Block::Diagram(Box::new(DiagramBlock::deserialize(fields)?)),
        BlockType::Table => Block::Table(Box::new(TableBlock::deserialize(fields)?)),
        BlockType::Figure => Block::Figure(Box::new(FigureBlock::deserialize(fields)?)),
        BlockType::Callout => Block::Callout(CalloutBlock::deserialize(fields)?),
        BlockType::QuoteFigure => Block::QuoteFigure(Box::new(QuoteFigureBlock::deserialize(fields)?)),
        BlockType::Section => Block::Section(Box::new(SectionBlock::deserialize(fields)?)),
        BlockType::Card => Block::Card(Box::new(CardBlock::deserialize(fields)?)),
        BlockType::PageList => Block::PageList(PageListBlock::deserialize(fields)?),
        BlockType::SeeAlsoList => Block::SeeAlsoList(SeeAlsoListBlock::deserialize(fields)?),
        BlockType::ThematicBreak => Block::ThematicBreak(ThematicBreakBlock::deserialize(fields)?),
        BlockType::Raw => Block::Raw(RawBlock::deserialize(fields)?),
    })
}

struct BlockVisitor;

impl<'de> Visitor<'de> for BlockVisitor {
    type Value = Block;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a block: an object with a `type`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Block, A::Error> {
        match map.next_key_seed(FirstKey)? {
            None => Err(de::Error::missing_field("type")),
            Some(None) => {
                let tag: BlockType = map.next_value()?;
                variant(tag, de::value::MapAccessDeserializer::new(map))
            }
            Some(Some(first)) => {
                let mut fields = serde_json::Map::new();
                fields.insert(first, map.next_value()?);
                while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
                    fields.insert(key, value);
                }
                let tag = fields.remove("type").ok_or_else(|| de::Error::missing_field("type"))?;
                let tag = BlockType::deserialize(tag).map_err(de::Error::custom)?;
                variant(tag, serde_json::Value::Object(fields)).map_err(de::Error::custom)
            }
        }
    }
}

/// A block's first key: `None` for `type`, else the key itself.
struct FirstKey;

impl<'de> DeserializeSeed<'de> for FirstKey {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<String>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for FirstKey {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<String>, E> {
        Ok((key != "type").then(|| key.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(text: &str) -> Block {
        Block::Paragraph(ParagraphBlock { pos: Pos { line: 2, col: 1 }, content: vec![Inline::Text(text.into())] })
    }

    #[test]
    fn a_block_written_by_folio_reads_back_equal() {
        let block = Block::Callout(CalloutBlock {
            pos: Pos { line: 1, col: 1 },
            kind: CalloutKind::Warning,
            title: Some("En bref".into()),
            blocks: vec![paragraph("un")],
        });
        let json = serde_json::to_string(&block).expect("json");
        assert!(json.starts_with(r#"{"type":"callout""#), "{json}");
        assert_eq!(serde_json::from_str::<Block>(&json).expect("block"), block);
    }

    #[test]
    fn a_block_whose_type_comes_last_reads_back_too() {
        let json = r#"{"pos":{"line":2,"col":1},"content":[{"type":"text","value":"un"}],"type":"paragraph"}"#;
        assert_eq!(serde_json::from_str::<Block>(json).expect("block"), paragraph("un"));
    }

    #[test]
    fn a_block_without_a_known_type_is_refused() {
        assert!(serde_json::from_str::<Block>(r#"{"pos":{"line":1,"col":1}}"#).is_err());
        assert!(serde_json::from_str::<Block>(r#"{"type":"poem","pos":{"line":1,"col":1}}"#).is_err());
        assert!(serde_json::from_str::<Block>(r#"{"type":"paragraph"}"#).is_err(), "a paragraph needs its fields");
    }
}
