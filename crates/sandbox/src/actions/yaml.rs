//! A workflow file as a small tree (saphyr underneath, YAML 1.2: `on` is a string key, not a
//! boolean): every scalar as text, mappings in document order.

use saphyr::{LoadableYamlNode as _, Scalar, Yaml};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Null,
    /// Every scalar, as text (`true`, `3.12`, `push`, a `run:` script).
    Str(String),
    Seq(Vec<Node>),
    /// Entries in document order.
    Map(Vec<(String, Node)>),
}

/// The first document of `text` (an empty file is `Null`); the parser's message when it is not
/// YAML.
pub fn parse(text: &str) -> Result<Node, String> {
    let docs = Yaml::load_from_str(text).map_err(|e| e.to_string())?;
    Ok(docs.first().map_or(Node::Null, convert))
}

fn scalar(s: &Scalar<'_>) -> Node {
    match s {
        Scalar::Null => Node::Null,
        Scalar::Boolean(b) => Node::Str(b.to_string()),
        Scalar::Integer(i) => Node::Str(i.to_string()),
        Scalar::FloatingPoint(f) => Node::Str(f.to_string()),
        Scalar::String(s) => Node::Str(s.to_string()),
    }
}

fn convert(node: &Yaml<'_>) -> Node {
    match node {
        Yaml::Value(s) => scalar(s),
        Yaml::Representation(raw, ..) => Node::Str(raw.to_string()),
        Yaml::Sequence(items) => Node::Seq(items.iter().map(convert).collect()),
        Yaml::Mapping(map) => Node::Map(
            map.iter()
                .map(|(k, v)| (convert(k).text().unwrap_or_default(), convert(v)))
                .collect(),
        ),
        Yaml::Tagged(_, inner) => convert(inner),
        Yaml::Alias(_) | Yaml::BadValue => Node::Null,
    }
}

impl Node {
    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A scalar's text.
    pub fn text(&self) -> Option<String> {
        match self {
            Node::Str(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The text under `key`.
    pub fn str_at(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Node::text)
    }

    /// A scalar as a one-item list, a sequence's scalars, or nothing.
    pub fn strings(&self) -> Vec<String> {
        match self {
            Node::Str(s) => vec![s.clone()],
            Node::Seq(items) => items.iter().filter_map(Node::text).collect(),
            _ => Vec::new(),
        }
    }

    /// A mapping's entries (empty for anything else).
    pub fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Map(entries) => entries,
            _ => &[],
        }
    }

    /// A mapping of scalars (`env:`, `with:`), in document order.
    pub fn string_pairs(&self) -> Vec<(String, String)> {
        self.entries()
            .iter()
            .map(|(k, v)| (k.clone(), v.text().unwrap_or_default()))
            .collect()
    }
}
