//! The start-up screens: "looking for credentials", and the welcome screen shown when there are
//! none and no sandbox — how to configure AWS, or press `s` for the built-in sandbox.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::model::{Model, Phase};

use super::{Theme, spinner};

pub fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let lines = match &model.phase {
        Phase::Welcome { reason } => welcome(reason, theme),
        _ => vec![
            Line::from(""),
            Line::styled(
                format!("{} looking for AWS credentials…", spinner(model)),
                theme.status(None),
            ),
        ],
    };
    let block = Block::new().title(Line::styled(" Welcome to cawiz ", theme.title()));
    frame.render_widget(
        Paragraph::new(super::safe::lines(lines))
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

fn welcome<'a>(reason: &str, theme: &Theme) -> Vec<Line<'a>> {
    let step = |cmd: &'a str, what: &'a str| {
        Line::from(vec![
            Span::styled(format!("  {cmd}"), theme.command()),
            Span::styled(format!("  {what}"), theme.dim()),
        ])
    };
    vec![
        Line::from(
            "cawiz sets up GitHub Actions publishing Python packages to AWS CodeArtifact through \
             OIDC, live from AWS: item by item (a), or everything pending after one \
             confirmation (A).",
        ),
        Line::from(""),
        Line::styled(
            format!("{}.", reason.trim_end_matches('.')),
            theme.warning(),
        ),
        Line::from(""),
        Line::styled(
            "To use your AWS account, configure credentials as for the AWS CLI, then press r:",
            theme.title(),
        ),
        step(
            "aws configure sso && aws sso login",
            "IAM Identity Center (SSO)",
        ),
        step("aws configure", "access keys in ~/.aws/credentials"),
        step(
            "export AWS_PROFILE=NAME",
            "an existing profile (or cawiz --profile NAME)",
        ),
        step(
            "export AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=…",
            "keys in the environment",
        ),
        Line::from(""),
        Line::styled(
            "Or try the whole checklist first in the built-in sandbox (no AWS account, nothing \
             leaves this machine):",
            theme.title(),
        ),
        Line::from(vec![
            Span::styled("  press s", theme.warning()),
            Span::styled("  (the same as `cawiz --sandbox`)", theme.dim()),
        ]),
    ]
}
