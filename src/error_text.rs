//! An error and its causes as one line of text (for messages shown to the user).

use std::error::Error;

/// `err: cause: cause…`, each cause once (SDK and HTTP errors often repeat their source's text).
pub fn error_chain(err: &(dyn Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}
