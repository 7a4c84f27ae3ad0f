//! Every style the TUI uses, in one place. `NO_COLOR` gives a theme without colours (bold and
//! reverse only).

use ratatui::style::{Color, Modifier, Style};

use crate::checklist::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// No colours (bold and reverse only), whatever the environment says.
    pub const fn plain() -> Self {
        Self { color: false }
    }

    /// Colours unless the `NO_COLOR` convention asks otherwise.
    pub fn from_env() -> Self {
        Self {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn status(&self, status: Option<&Status>) -> Style {
        match status {
            Some(Status::Done { .. }) => self.fg(Color::Green),
            Some(Status::Missing { .. }) => self.fg(Color::Red),
            Some(Status::Drift { .. }) => self.fg(Color::Yellow),
            Some(Status::Blocked { .. }) => self.fg(Color::DarkGray),
            Some(Status::Error(_)) => self.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            Some(Status::Unknown { .. }) => self.fg(Color::Magenta),
            None => self.fg(Color::Cyan),
        }
    }

    /// A check row's traffic light.
    pub fn verdict(&self, verdict: &crate::checklist::rows::Verdict) -> Style {
        use crate::checklist::rows::Verdict;
        match verdict {
            Verdict::Ok => self.fg(Color::Green),
            Verdict::Fail => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Verdict::Warn => self.fg(Color::Yellow),
            Verdict::Unknown(_) => self.fg(Color::Magenta),
            Verdict::Skip(_) => self.fg(Color::DarkGray),
        }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn label(&self) -> Style {
        self.fg(Color::Gray)
    }

    pub fn command(&self) -> Style {
        self.fg(Color::LightBlue)
    }

    pub fn added(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn removed(&self) -> Style {
        self.fg(Color::Red)
    }

    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn badge(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }
}
