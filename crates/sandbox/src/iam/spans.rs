//! The line and column of each statement in a policy document's text, as SimulatePrincipalPolicy
//! reports them (`StartPosition`/`EndPosition`).

/// A 1-based line and column in a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Where a statement object sits in the text: `start` is its `{`, `end` the column just after its
/// closing `}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

/// The span of every statement of a document, in order (one for an object-valued `Statement`).
/// Empty when the text is not a JSON object with a `Statement`.
pub fn statement_spans(text: &str) -> Vec<Span> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    s.top_level()
        .unwrap_or_default()
        .into_iter()
        .map(|(start, end)| Span {
            start: position(text, start),
            end: position(text, end),
        })
        .collect()
}

fn position(text: &str, offset: usize) -> Position {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}

/// A byte scanner over (valid) JSON text. Structural characters are ASCII, so byte offsets always
/// fall on character boundaries.
struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// The byte ranges of the statements in the top-level object's (last) `Statement`.
    fn top_level(&mut self) -> Option<Vec<(usize, usize)>> {
        self.eat(b'{')?;
        let mut spans = Vec::new();
        loop {
            self.ws();
            if self.peek()? == b'}' {
                return Some(spans);
            }
            let key_start = self.i;
            self.skip_string()?;
            let key: String = serde_json::from_slice(self.b.get(key_start..self.i)?).ok()?;
            self.eat(b':')?;
            self.ws();
            if key == "Statement" {
                spans = self.statements()?;
            } else {
                self.skip_value()?;
            }
            self.ws();
            if self.peek()? == b',' {
                self.i += 1;
            }
        }
    }

    fn statements(&mut self) -> Option<Vec<(usize, usize)>> {
        if self.peek()? != b'[' {
            let start = self.i;
            self.skip_value()?;
            return Some(vec![(start, self.i)]);
        }
        self.i += 1;
        let mut spans = Vec::new();
        loop {
            self.ws();
            match self.peek()? {
                b']' => {
                    self.i += 1;
                    return Some(spans);
                }
                b',' => self.i += 1,
                _ => {
                    let start = self.i;
                    self.skip_value()?;
                    spans.push((start, self.i));
                }
            }
        }
    }

    fn skip_string(&mut self) -> Option<()> {
        if self.peek()? != b'"' {
            return None;
        }
        self.i += 1;
        loop {
            match self.peek()? {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                _ => self.i += 1,
            }
        }
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.skip_string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
                {
                    self.i += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_positions() {
        let doc = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:*\",\n      \"Resource\": \"}]\\\"\"\n    },\n    {\"Effect\": \"Deny\", \"Action\": \"s3:Delete*\", \"Resource\": \"*\"}\n  ]\n}";
        let spans = statement_spans(doc);
        assert_eq!(spans.len(), 2);
        let p = |line, column| Position { line, column };
        assert_eq!(spans[0].start, p(4, 5));
        assert_eq!(spans[0].end, p(8, 6));
        assert_eq!(spans[1].start, p(9, 5));
        assert_eq!(spans[1].end, p(9, 64));
        let one = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        assert_eq!(
            statement_spans(one),
            vec![Span {
                start: p(1, 14),
                end: p(1, 60)
            }]
        );
        assert!(statement_spans("nonsense").is_empty());
    }
}
