//! Any YAML document as a small tree that remembers the line of every node and key (saphyr's
//! marked loader underneath), so that findings can point at lines.

use saphyr::{LoadableYamlNode as _, MarkedYaml, Scalar, YamlData};

/// A node and the line (1-based) where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub line: usize,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    /// Every scalar, as text (`true`, `3.12`, `push`, a `run:` script).
    Str(String),
    Seq(Vec<Node>),
    /// Entries in document order: key, the key's line, value.
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub line: usize,
    pub value: Node,
}

/// A document that is not YAML: the parser's message and the line it stopped at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct YamlError {
    pub line: usize,
    pub message: String,
}

/// The first document of `text` (an empty file is `Null`).
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let docs = MarkedYaml::load_from_str(text).map_err(|e| YamlError {
        line: e.marker().line(),
        message: e.info().to_owned(),
    })?;
    Ok(docs.first().map_or(
        Node {
            line: 1,
            value: Value::Null,
        },
        convert,
    ))
}

fn scalar_text(s: &Scalar<'_>) -> Option<String> {
    match s {
        Scalar::Null => None,
        Scalar::Boolean(b) => Some(b.to_string()),
        Scalar::Integer(i) => Some(i.to_string()),
        Scalar::FloatingPoint(f) => Some(f.to_string()),
        Scalar::String(s) => Some(s.to_string()),
    }
}

fn convert(node: &MarkedYaml<'_>) -> Node {
    let line = node.span.start.line().max(1);
    let value = match &node.data {
        YamlData::Value(s) => scalar_text(s).map_or(Value::Null, Value::Str),
        YamlData::Representation(raw, ..) => Value::Str(raw.to_string()),
        YamlData::Sequence(items) => Value::Seq(items.iter().map(convert).collect()),
        YamlData::Mapping(map) => Value::Map(
            map.iter()
                .map(|(k, v)| {
                    let key = convert(k);
                    Entry {
                        key: key.as_str().unwrap_or_default().to_owned(),
                        line: key.line,
                        value: convert(v),
                    }
                })
                .collect(),
        ),
        YamlData::Tagged(_, inner) => return convert(inner),
        YamlData::Alias(_) | YamlData::BadValue => Value::Null,
    };
    Node { line, value }
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.value == Value::Null
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The value of `key` as text.
    pub fn str_of(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// A scalar or a sequence of scalars, as GitHub accepts for `branches`, `types`, `needs`, ….
    pub fn strings(&self) -> Vec<String> {
        match &self.value {
            Value::Str(s) => vec![s.clone()],
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_keys_values_and_items() {
        let doc = parse("name: x\non:\n  push:\n    branches: [main, 'dev']\njobs:\n  a:\n    steps:\n      - run: |\n          echo hi\n").unwrap();
        assert_eq!(doc.entry("on").map(|e| e.line), Some(2));
        let on = doc.get("on").unwrap();
        assert_eq!(on.entry("push").map(|e| e.line), Some(3));
        let branches = on.get("push").and_then(|p| p.get("branches")).unwrap();
        assert_eq!(branches.strings(), ["main", "dev"]);
        assert_eq!(branches.line, 4);
        let step = &doc
            .get("jobs")
            .unwrap()
            .get("a")
            .unwrap()
            .get("steps")
            .unwrap()
            .items()[0];
        assert_eq!(step.line, 8);
        assert_eq!(step.str_of("run"), Some("echo hi\n"));
    }

    #[test]
    fn yaml_12_keeps_on_a_string_and_scalars_as_text() {
        let doc = parse("on: push\nx: true\ny: 3.12\nz: 7\nn: ~\n").unwrap();
        assert_eq!(doc.str_of("on"), Some("push"));
        assert_eq!(doc.str_of("x"), Some("true"));
        assert_eq!(doc.str_of("z"), Some("7"));
        assert!(doc.get("n").unwrap().is_null());
    }

    #[test]
    fn bad_yaml_says_where() {
        let err = parse("a: [1, 2\nb: c\n").unwrap_err();
        assert!(err.line >= 1, "{err}");
        assert!(!err.message.is_empty());
        assert_eq!(parse("").unwrap().value, Value::Null);
    }
}
