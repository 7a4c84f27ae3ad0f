//! The file's lines, for placing findings inside multi-line values (a `run:` script).

/// The text of a workflow file, by line.
pub struct Source<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            lines: text.lines().collect(),
        }
    }

    /// The first line at or after `from` (1-based) whose text contains `needle`; `from` when none.
    pub fn find(&self, from: usize, needle: &str) -> usize {
        let needle = needle.trim();
        self.lines
            .iter()
            .enumerate()
            .skip(from.saturating_sub(1))
            .find(|(_, l)| l.contains(needle))
            .map_or(from, |(i, _)| i + 1)
    }

    /// The file line of each line of a script whose value starts at `from`, in order.
    pub fn script_lines(&self, from: usize, script: &str) -> Vec<usize> {
        let mut next = from;
        script
            .lines()
            .map(|line| {
                if line.trim().is_empty() {
                    return next;
                }
                let at = self.find(next, line);
                next = at + 1;
                at
            })
            .collect()
    }
}
