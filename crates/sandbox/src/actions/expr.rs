//! GitHub Actions expressions, as far as publish workflows use them: literals, context properties
//! (`github.ref`, `inputs.probe`, `vars.AWS_ROLE_ARN`, `github.event.pull_request.head.repo.full_name`
//! …), `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||` (returning an operand, as GitHub's do),
//! parentheses, and the functions `startsWith`, `endsWith`, `contains`, `format`, `success`,
//! `failure`, `always`, `cancelled`. Strings compare case-insensitively and values of different
//! types compare as numbers, as GitHub's rules say. A property nobody set is `null`.
//!
//! An `if:` the evaluator cannot read (an unknown function, a filter `*`, bad syntax) counts as
//! true: the sandbox then runs the job or step rather than guess it away.

/// A value of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
}

impl Value {
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Str(s) => !s.is_empty(),
        }
    }

    fn number(&self) -> f64 {
        match self {
            Value::Null => 0.0,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Num(n) => *n,
            Value::Str(s) if s.trim().is_empty() => 0.0,
            Value::Str(s) => s.trim().parse().unwrap_or(f64::NAN),
        }
    }

    /// The text a value interpolates as (`${{ … }}`).
    pub fn text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Num(n) => n.to_string(),
            Value::Str(s) => s.clone(),
        }
    }
}

/// What an expression reads: context properties and the job's or step's status.
pub trait Context {
    /// The value at `path` (`["github", "ref"]`); `None` when nothing is there.
    fn property(&self, path: &[String]) -> Option<Value>;
    /// `success()`: every earlier step (or needed job) succeeded.
    fn succeeded(&self) -> bool;
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Lit(Value),
    Prop(Vec<String>),
    Not(Box<Expr>),
    Bin(String, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(f64),
    Op(String),
}

fn tokens(text: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return None,
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        s.push('\'');
                        i += 2;
                    }
                    Some('\'') => break,
                    Some(ch) => {
                        s.push(*ch);
                        i += 1;
                    }
                }
            }
            i += 1;
            out.push(Tok::Str(s));
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            let n: String = chars[start..i].iter().collect();
            out.push(Tok::Num(n.parse().ok()?));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || "_-".contains(chars[i])) {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = ["==", "!=", "<=", ">=", "&&", "||"]
                .into_iter()
                .find(|o| *o == two)
                .map(str::to_owned)
                .or_else(|| "!<>().,[]".contains(c).then(|| c.to_string()))?;
            i += op.len();
            out.push(Tok::Op(op));
        }
    }
    Some(out)
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
}

impl Parser {
    fn peek_op(&self, op: &str) -> bool {
        matches!(self.toks.get(self.at), Some(Tok::Op(o)) if o == op)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let found = self.peek_op(op);
        if found {
            self.at += 1;
        }
        found
    }

    fn binary(&mut self, level: usize) -> Option<Expr> {
        const LEVELS: &[&[&str]] = &[&["||"], &["&&"], &["==", "!="], &["<", "<=", ">", ">="]];
        let Some(ops) = LEVELS.get(level) else {
            return self.unary();
        };
        let mut left = self.binary(level + 1)?;
        while let Some(op) = ops.iter().find(|op| self.peek_op(op)) {
            self.at += 1;
            let right = self.binary(level + 1)?;
            left = Expr::Bin((*op).to_owned(), Box::new(left), Box::new(right));
        }
        Some(left)
    }

    fn unary(&mut self) -> Option<Expr> {
        if self.eat_op("!") {
            return Some(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat_op("(") {
            let inner = self.binary(0)?;
            return self.eat_op(")").then_some(inner);
        }
        let tok = self.toks.get(self.at)?.clone();
        self.at += 1;
        match tok {
            Tok::Str(s) => Some(Expr::Lit(Value::Str(s))),
            Tok::Num(n) => Some(Expr::Lit(Value::Num(n))),
            Tok::Op(_) => None,
            Tok::Ident(id) => self.after_ident(id),
        }
    }

    fn after_ident(&mut self, id: String) -> Option<Expr> {
        match id.as_str() {
            "true" => return Some(Expr::Lit(Value::Bool(true))),
            "false" => return Some(Expr::Lit(Value::Bool(false))),
            "null" => return Some(Expr::Lit(Value::Null)),
            _ => {}
        }
        if self.eat_op("(") {
            let mut args = Vec::new();
            if !self.eat_op(")") {
                loop {
                    args.push(self.binary(0)?);
                    if self.eat_op(")") {
                        break;
                    }
                    if !self.eat_op(",") {
                        return None;
                    }
                }
            }
            return Some(Expr::Call(id.to_ascii_lowercase(), args));
        }
        let mut path = vec![id];
        loop {
            if self.eat_op(".") {
                match self.toks.get(self.at) {
                    Some(Tok::Ident(name)) => path.push(name.clone()),
                    _ => return None,
                }
                self.at += 1;
            } else if self.eat_op("[") {
                match self.toks.get(self.at) {
                    Some(Tok::Str(key)) => path.push(key.clone()),
                    _ => return None,
                }
                self.at += 1;
                if !self.eat_op("]") {
                    return None;
                }
            } else {
                return Some(Expr::Prop(path));
            }
        }
    }
}

fn parse(text: &str) -> Option<Expr> {
    let mut p = Parser {
        toks: tokens(text)?,
        at: 0,
    };
    let e = p.binary(0)?;
    (p.at == p.toks.len()).then_some(e)
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x.eq_ignore_ascii_case(y),
        (Value::Null, Value::Null) => true,
        _ => a.number() == b.number(),
    }
}

fn compare(op: &str, a: &Value, b: &Value) -> bool {
    let ord = match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(x.to_lowercase().cmp(&y.to_lowercase())),
        _ => a.number().partial_cmp(&b.number()),
    };
    let Some(ord) = ord else { return false };
    match op {
        "<" => ord.is_lt(),
        "<=" => ord.is_le(),
        ">" => ord.is_gt(),
        _ => ord.is_ge(),
    }
}

/// `None` when the expression uses something the sandbox cannot evaluate.
fn eval(e: &Expr, cx: &dyn Context) -> Option<Value> {
    Some(match e {
        Expr::Lit(v) => v.clone(),
        Expr::Prop(path) => cx.property(path).unwrap_or(Value::Null),
        Expr::Not(inner) => Value::Bool(!eval(inner, cx)?.truthy()),
        Expr::Bin(op, l, r) => {
            let left = eval(l, cx)?;
            match op.as_str() {
                "&&" if !left.truthy() => left,
                "||" if left.truthy() => left,
                "&&" | "||" => eval(r, cx)?,
                "==" => Value::Bool(equal(&left, &eval(r, cx)?)),
                "!=" => Value::Bool(!equal(&left, &eval(r, cx)?)),
                _ => Value::Bool(compare(op, &left, &eval(r, cx)?)),
            }
        }
        Expr::Call(name, args) => call(name, args, cx)?,
    })
}

fn call(name: &str, args: &[Expr], cx: &dyn Context) -> Option<Value> {
    let values: Vec<Value> = args.iter().map(|a| eval(a, cx)).collect::<Option<_>>()?;
    let text = |i: usize| values.get(i).map(Value::text).unwrap_or_default();
    let lower = |i: usize| text(i).to_lowercase();
    Some(match name {
        "success" => Value::Bool(cx.succeeded()),
        "failure" => Value::Bool(!cx.succeeded()),
        "always" => Value::Bool(true),
        "cancelled" => Value::Bool(false),
        "startswith" => Value::Bool(lower(0).starts_with(&lower(1))),
        "endswith" => Value::Bool(lower(0).ends_with(&lower(1))),
        "contains" => Value::Bool(lower(0).contains(&lower(1))),
        "format" => {
            let mut out = text(0);
            for i in 1..values.len() {
                out = out.replace(&format!("{{{}}}", i - 1), &text(i));
            }
            Value::Str(out)
        }
        _ => return None,
    })
}

/// The value of `text` (with or without `${{ }}`); `None` when it cannot be read.
pub fn evaluate(text: &str, cx: &dyn Context) -> Option<Value> {
    let inner = text.trim();
    let inner = inner
        .strip_prefix("${{")
        .and_then(|s| s.strip_suffix("}}"))
        .unwrap_or(inner);
    eval(&parse(inner)?, cx)
}

/// Whether an `if:` holds. Without a status function GitHub adds `success() &&`; a condition the
/// sandbox cannot read counts as true (so the job or step runs).
pub fn condition(text: Option<&str>, cx: &dyn Context) -> bool {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return cx.succeeded();
    };
    let lower = text.to_ascii_lowercase();
    let has_status = ["success(", "failure(", "always(", "cancelled("]
        .iter()
        .any(|f| lower.contains(f));
    if !has_status && !cx.succeeded() {
        return false;
    }
    evaluate(text, cx).is_none_or(|v| v.truthy())
}

/// `text` with every `${{ … }}` replaced by its value (an unreadable one by nothing).
pub fn interpolate(text: &str, cx: &dyn Context) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &rest[start + 3..start + end];
        out.push_str(&evaluate(inner, cx).map(|v| v.text()).unwrap_or_default());
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}
