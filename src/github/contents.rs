//! Repository files, refs and pull requests: what the workflow item reads (the default branch's
//! copy of a workflow) and writes (a commit on a new branch and a pull request, or on the default
//! branch), and the tag → commit look-up for pinning actions.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use serde::Deserialize;

use super::error::{Context, Need};
use super::{GithubClient, GithubError, repo_path, segment, unexpected};

/// A file as the contents API returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    pub path: String,
    pub text: String,
    /// The blob SHA (what an update must send back).
    pub sha: String,
}

/// A commit the contents API made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub sha: String,
    pub html_url: String,
}

/// An open pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    pub number: u64,
    pub html_url: String,
    /// It was open already (opening another was refused).
    pub existed: bool,
}

/// `a/b c.yml` → `a/b%20c.yml`: each segment encoded, slashes kept.
fn path_segments(path: &str) -> String {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(segment)
        .collect::<Vec<_>>()
        .join("/")
}

#[derive(Deserialize)]
struct Object {
    #[serde(rename = "type")]
    kind: String,
    sha: String,
}

#[derive(Deserialize)]
struct GitRef {
    object: Object,
}

impl GithubClient {
    fn read_ctx(&self, what: String, owner: &str, repo: &str) -> Context {
        self.ctx(what, owner, repo, Need::ContentsRead)
    }

    /// The repository's default branch (`GET /repos/{o}/{r}`).
    pub async fn default_branch(&self, owner: &str, repo: &str) -> Result<String, GithubError> {
        #[derive(Deserialize)]
        struct Raw {
            default_branch: String,
        }
        let ctx = self.ctx(
            format!("read the repository {owner}/{repo}"),
            owner,
            repo,
            Need::Metadata,
        );
        let raw: Raw = self.get_json(&ctx, &repo_path(owner, repo)).await?;
        Ok(raw.default_branch)
    }

    /// The file at `path` on `git_ref` (the default branch when `None`); `None` when there is
    /// no such file (404).
    pub async fn get_file(
        &self,
        owner: &str,
        repo: &str,
        path: &str,
        git_ref: Option<&str>,
    ) -> Result<Option<RemoteFile>, GithubError> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(rename = "type")]
            kind: String,
            path: String,
            sha: String,
            #[serde(default)]
            content: String,
        }
        let ctx = self.read_ctx(format!("read {path} of {owner}/{repo}"), owner, repo);
        let mut url = format!(
            "{}/contents/{}",
            repo_path(owner, repo),
            path_segments(path)
        );
        if let Some(r) = git_ref {
            url.push_str(&format!("?ref={}", segment(r)));
        }
        let (status, text) = match self.send(&ctx, Method::GET, &url, None).await {
            Ok(answer) => answer,
            Err(GithubError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        // A directory answers an array: not a file.
        let Ok(raw) = serde_json::from_str::<Raw>(&text) else {
            return Ok(None);
        };
        if raw.kind != "file" {
            return Ok(None);
        }
        let compact: String = raw.content.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = STANDARD
            .decode(compact)
            .map_err(|e| unexpected(&ctx, status, &e))?;
        Ok(Some(RemoteFile {
            path: raw.path,
            text: String::from_utf8_lossy(&bytes).into_owned(),
            sha: raw.sha,
        }))
    }

    /// The paths of the files directly in `dir` on `git_ref` (empty when there is no such
    /// directory).
    pub async fn list_files(
        &self,
        owner: &str,
        repo: &str,
        dir: &str,
        git_ref: Option<&str>,
    ) -> Result<Vec<String>, GithubError> {
        #[derive(Deserialize)]
        struct Entry {
            #[serde(rename = "type")]
            kind: String,
            path: String,
        }
        let ctx = self.read_ctx(format!("list {dir} of {owner}/{repo}"), owner, repo);
        let mut url = format!("{}/contents/{}", repo_path(owner, repo), path_segments(dir));
        if let Some(r) = git_ref {
            url.push_str(&format!("?ref={}", segment(r)));
        }
        let text = match self.send(&ctx, Method::GET, &url, None).await {
            Ok((_, text)) => text,
            Err(GithubError::NotFound { .. }) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let entries: Vec<Entry> = serde_json::from_str(&text).unwrap_or_default();
        Ok(entries
            .into_iter()
            .filter(|e| e.kind == "file")
            .map(|e| e.path)
            .collect())
    }

    /// The commit a branch points at (`GET …/git/ref/heads/{branch}`); `None` when there is no
    /// such branch.
    pub async fn branch_head(
        &self,
        owner: &str,
        repo: &str,
        branch: &str,
    ) -> Result<Option<String>, GithubError> {
        let ctx = self.read_ctx(
            format!("read the branch {branch} of {owner}/{repo}"),
            owner,
            repo,
        );
        let url = format!(
            "{}/git/ref/heads/{}",
            repo_path(owner, repo),
            path_segments(branch)
        );
        match self.get_json::<GitRef>(&ctx, &url).await {
            Ok(r) => Ok(Some(r.object.sha)),
            Err(GithubError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates `branch` at `sha`; `Ok(false)` when it exists already (GitHub's 422 "Reference
    /// already exists").
    pub async fn create_branch(
        &self,
        owner: &str,
        repo: &str,
        branch: &str,
        sha: &str,
    ) -> Result<bool, GithubError> {
        let ctx = self.ctx(
            format!("create the branch {branch} of {owner}/{repo}"),
            owner,
            repo,
            Need::WorkflowsWrite,
        );
        let url = format!("{}/git/refs", repo_path(owner, repo));
        let body = serde_json::json!({ "ref": format!("refs/heads/{branch}"), "sha": sha });
        match self.send(&ctx, Method::POST, &url, Some(&body)).await {
            Ok(_) => Ok(true),
            Err(GithubError::Other {
                status: 422,
                message,
                ..
            }) if message.contains("Reference already exists") => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Commits `text` at `path` on `branch` (`sha`: the blob being replaced, when the file exists).
    #[allow(clippy::too_many_arguments)]
    pub async fn put_file(
        &self,
        owner: &str,
        repo: &str,
        path: &str,
        text: &str,
        message: &str,
        branch: &str,
        sha: Option<&str>,
    ) -> Result<Committed, GithubError> {
        #[derive(Deserialize)]
        struct Commit {
            sha: String,
            #[serde(default)]
            html_url: String,
        }
        #[derive(Deserialize)]
        struct Raw {
            commit: Commit,
        }
        let ctx = self.ctx(
            format!("commit {path} to {branch} of {owner}/{repo}"),
            owner,
            repo,
            Need::WorkflowsWrite,
        );
        let url = format!(
            "{}/contents/{}",
            repo_path(owner, repo),
            path_segments(path)
        );
        let mut body = serde_json::json!({
            "message": message,
            "content": STANDARD.encode(text.as_bytes()),
            "branch": branch,
        });
        if let Some(sha) = sha {
            body["sha"] = serde_json::Value::String(sha.to_owned());
        }
        let (status, answer) = self.send(&ctx, Method::PUT, &url, Some(&body)).await?;
        let raw: Raw = serde_json::from_str(&answer).map_err(|e| unexpected(&ctx, status, &e))?;
        Ok(Committed {
            sha: raw.commit.sha,
            html_url: raw.commit.html_url,
        })
    }

    /// The open pull request from `head` (a branch of this repository), if any.
    pub async fn find_pull(
        &self,
        owner: &str,
        repo: &str,
        head: &str,
    ) -> Result<Option<PullRequest>, GithubError> {
        #[derive(Deserialize)]
        struct Raw {
            number: u64,
            html_url: String,
        }
        let ctx = self.read_ctx(
            format!("list the pull requests of {owner}/{repo}"),
            owner,
            repo,
        );
        let url = format!(
            "{}/pulls?state=open&head={}",
            repo_path(owner, repo),
            segment(&format!("{owner}:{head}"))
        );
        let pulls: Vec<Raw> = self.get_json(&ctx, &url).await?;
        Ok(pulls.into_iter().next().map(|p| PullRequest {
            number: p.number,
            html_url: p.html_url,
            existed: true,
        }))
    }

    /// Opens a pull request from `head` into `base`; the open one when GitHub says it exists.
    pub async fn open_pull(
        &self,
        owner: &str,
        repo: &str,
        head: &str,
        base: &str,
        title: &str,
        body: &str,
    ) -> Result<PullRequest, GithubError> {
        #[derive(Deserialize)]
        struct Raw {
            number: u64,
            html_url: String,
        }
        let ctx = self.ctx(
            format!("open a pull request from {head} into {base} of {owner}/{repo}"),
            owner,
            repo,
            Need::PullRequestsWrite,
        );
        let url = format!("{}/pulls", repo_path(owner, repo));
        let request =
            serde_json::json!({ "title": title, "head": head, "base": base, "body": body });
        match self.send(&ctx, Method::POST, &url, Some(&request)).await {
            Ok((status, text)) => {
                let raw: Raw =
                    serde_json::from_str(&text).map_err(|e| unexpected(&ctx, status, &e))?;
                Ok(PullRequest {
                    number: raw.number,
                    html_url: raw.html_url,
                    existed: false,
                })
            }
            Err(GithubError::Other {
                status: 422,
                message,
                ..
            }) if message.contains("already exists") => {
                match self.find_pull(owner, repo, head).await? {
                    Some(p) => Ok(p),
                    None => Err(GithubError::Other {
                        operation: ctx.operation,
                        status: 422,
                        message,
                    }),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// The commit a tag of `owner/repo` points at, following annotated tags
    /// (`GET …/git/ref/tags/{tag}`, then `…/git/tags/{sha}` while the object is a tag).
    pub async fn resolve_tag(
        &self,
        owner: &str,
        repo: &str,
        tag: &str,
    ) -> Result<String, GithubError> {
        let ctx = self.read_ctx(
            format!("resolve the tag {tag} of {owner}/{repo}"),
            owner,
            repo,
        );
        let url = format!(
            "{}/git/ref/tags/{}",
            repo_path(owner, repo),
            path_segments(tag)
        );
        let mut object = self.get_json::<GitRef>(&ctx, &url).await?.object;
        // Tags of tags are possible; a few levels at most.
        for _ in 0..5 {
            if object.kind != "tag" {
                break;
            }
            #[derive(Deserialize)]
            struct Tag {
                object: Object,
            }
            let url = format!(
                "{}/git/tags/{}",
                repo_path(owner, repo),
                segment(&object.sha)
            );
            object = self.get_json::<Tag>(&ctx, &url).await?.object;
        }
        if object.kind != "commit" {
            return Err(GithubError::Other {
                operation: ctx.operation,
                status: 200,
                message: format!("the tag points at a {}, not a commit", object.kind),
            });
        }
        Ok(object.sha)
    }
}
