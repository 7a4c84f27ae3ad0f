//! A readable line diff of two JSON documents (pretty-printed, keys sorted).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    /// Only in the expected document (cawiz would add it).
    Expected(String),
    /// Only in the actual document (cawiz would remove it).
    Actual(String),
}

impl DiffLine {
    pub fn render(&self) -> String {
        match self {
            DiffLine::Same(l) => format!("  {l}"),
            DiffLine::Expected(l) => format!("+ {l}"),
            DiffLine::Actual(l) => format!("- {l}"),
        }
    }
}

/// `v` pretty-printed, one entry a line. Keys sorted whatever the map type, so documents in
/// different key orders line up.
pub fn pretty_lines(v: &Value) -> Vec<String> {
    serde_json::to_string_pretty(&super::normalize::sorted_keys(v))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The lines of a diff that differ, rendered (`+ …`, `- …`).
pub fn changed_lines(lines: &[DiffLine]) -> impl Iterator<Item = String> + '_ {
    lines
        .iter()
        .filter(|l| !matches!(l, DiffLine::Same(_)))
        .map(DiffLine::render)
}

/// Longest-common-subsequence diff of `expected` against `actual`; empty when they are equal.
pub fn diff_json(expected: &Value, actual: &Value) -> Vec<DiffLine> {
    if expected == actual {
        return Vec::new();
    }
    let (a, b) = (pretty_lines(expected), pretty_lines(actual));
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(DiffLine::Same(a[i].clone()));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(DiffLine::Actual(b[j].clone()));
            j += 1;
        } else {
            out.push(DiffLine::Expected(a[i].clone()));
            i += 1;
        }
    }
    out
}
