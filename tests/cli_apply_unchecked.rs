//! An item that could not be checked is never reported as done: with nothing to apply, `apply`
//! names the items that are not done and why, and exits 1 when one could not be checked
//! (the built binary against the in-process sandbox, a fault on the domain's read).

mod common;

use common::cli::{Cli, text};

#[tokio::test(flavor = "multi_thread")]
async fn an_unchecked_item_is_not_every_item_done() {
    let sb =
        common::start_sandbox_with_faults("complete", &["DescribeDomain=AccessDeniedException"])
            .await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    for args in [
        &["apply", "--yes", "--only", "domain"][..],
        &["apply", "--only", "domain"][..],
    ] {
        let out = cli.run(args).await;
        let all = text(&out);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "{args:?}: exit 1\n{all}");
        assert!(!stdout.contains("every item is done"), "{args:?}: {all}");
        assert!(
            stdout.contains("Nothing cawiz can apply"),
            "{args:?}: {all}"
        );
        assert!(
            stdout.contains("CodeArtifact domain (error)") && stdout.contains("DescribeDomain"),
            "{args:?}: the item, its status and the call: {all}"
        );
    }
}
