//! GitHub's paginated lists (`{"total_count": N, KEY: [...]}` with `per_page` and `page`): the
//! first page says how many items there are, so every other page is asked for at once (the
//! transport keeps a handful in flight) rather than one after another.

use reqwest::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::error::Context;
use super::{GithubClient, GithubError, unexpected};
use crate::listing::{Listed, Listing};

/// The most pages read of one list (a bound on a broken `total_count`).
const MAX_PAGES: usize = 1_000;

/// How many pages hold `total` items at `per_page` a page (at least the first, at most
/// [`MAX_PAGES`]).
pub fn page_count(total: usize, per_page: usize) -> usize {
    total.div_ceil(per_page.max(1)).clamp(1, MAX_PAGES)
}

/// One page: its items and the list's `total_count`.
struct Page<T> {
    items: Vec<T>,
    total: usize,
}

impl GithubClient {
    async fn page<T: DeserializeOwned>(
        &self,
        ctx: &Context,
        path: &str,
        key: &str,
        per_page: usize,
        page: usize,
    ) -> Result<Page<T>, GithubError> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            total_count: usize,
            #[serde(flatten)]
            rest: serde_json::Map<String, serde_json::Value>,
        }
        let url = format!("{path}?per_page={per_page}&page={page}");
        let mut raw: Raw = self.get_json(ctx, &url).await?;
        let items = raw.rest.remove(key).unwrap_or_default();
        let items =
            serde_json::from_value(items).map_err(|e| unexpected(ctx, StatusCode::OK, &e))?;
        Ok(Page {
            items,
            total: raw.total_count,
        })
    }

    /// Every item of the list at `path` (GitHub's `operation`), `per_page` a page: the first
    /// page, then the rest at once.
    pub(super) async fn list_pages<T: DeserializeOwned>(
        &self,
        ctx: &Context,
        operation: &str,
        path: &str,
        key: &str,
        per_page: usize,
    ) -> Result<Listed<T>, GithubError> {
        let first: Page<T> = self.page(ctx, path, key, per_page, 1).await?;
        let pages = page_count(first.total, per_page);
        let rest = (2..=pages).map(|n| self.page::<T>(ctx, path, key, per_page, n));
        let mut items = first.items;
        for page in futures::future::join_all(rest).await {
            items.extend(page?.items);
        }
        let listing = Listing {
            operation: operation.to_owned(),
            what: ctx.operation.clone(),
            pages,
            items: items.len(),
            complete: items.len() >= first.total,
        };
        Ok(Listed { items, listing })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_tells_how_many_to_ask_for() {
        assert_eq!(page_count(0, 30), 1);
        assert_eq!(page_count(30, 30), 1);
        assert_eq!(page_count(125, 30), 5);
        assert_eq!(page_count(125, 100), 2);
        assert_eq!(page_count(usize::MAX, 1), MAX_PAGES);
    }
}
