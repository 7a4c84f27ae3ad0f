//! A repository's git data as far as GitHub's contents, refs and pulls endpoints show it: branches
//! pointing at commits, each commit holding the whole file tree (path → blob), and pull requests.
//! Blob SHAs are git's (`sha1("blob LEN\0" + bytes)`), so a client can compare them with `git
//! hash-object`; tree and commit SHAs are 40-hex SHA-1s of their contents, not git's exact
//! encoding. Every repository starts with one commit on `main` holding a README.

use std::collections::BTreeMap;
use std::time::SystemTime;

use sha1::{Digest as _, Sha1};

/// The branch every repository starts with (GitHub's default for new repositories).
pub const DEFAULT_BRANCH: &str = "main";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub sha: String,
    pub content: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Commit {
    pub sha: String,
    pub tree: String,
    pub parents: Vec<String>,
    pub message: String,
    pub date: SystemTime,
    /// Every file of the commit's tree, by path (`.github/workflows/publish.yml`).
    pub files: BTreeMap<String, Blob>,
}

#[derive(Debug, Clone)]
pub struct Pull {
    pub number: u64,
    pub title: String,
    pub body: String,
    /// Branch names (in this repository).
    pub head: String,
    pub base: String,
    pub state: String,
    pub created: SystemTime,
    /// The merge commit, once merged.
    pub merge_commit: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Git {
    pub default_branch: String,
    /// Branch name → commit SHA.
    pub branches: BTreeMap<String, String>,
    /// Lightweight tags created through the API: name → commit SHA.
    pub tags: BTreeMap<String, String>,
    pub commits: BTreeMap<String, Commit>,
    pub pulls: Vec<Pull>,
}

/// Git's object id: SHA-1 of `KIND LEN\0BODY`, in hex.
pub fn object_sha(kind: &str, body: &[u8]) -> String {
    let mut hasher = Sha1::new();
    hasher.update(format!("{kind} {}\0", body.len()).as_bytes());
    hasher.update(body);
    hex::encode(hasher.finalize())
}

pub fn blob(content: Vec<u8>) -> Blob {
    Blob {
        sha: object_sha("blob", &content),
        content,
    }
}

fn tree_sha(files: &BTreeMap<String, Blob>) -> String {
    let listing: String = files
        .iter()
        .map(|(path, b)| format!("100644 blob {} {path}\n", b.sha))
        .collect();
    object_sha("tree", listing.as_bytes())
}

fn commit_sha(tree: &str, parents: &[String], message: &str, date: SystemTime) -> String {
    let secs = date
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let mut body = format!("tree {tree}\n");
    for p in parents {
        body.push_str(&format!("parent {p}\n"));
    }
    body.push_str(&format!(
        "author Sandbox <sandbox@users.noreply.github.com> {secs:.3} +0000\n\n{message}\n"
    ));
    object_sha("commit", body.as_bytes())
}

impl Git {
    /// A repository with its first commit on [`DEFAULT_BRANCH`]: a README naming it.
    pub fn new(owner: &str, repo: &str, now: SystemTime) -> Self {
        let mut git = Self {
            default_branch: DEFAULT_BRANCH.to_owned(),
            branches: BTreeMap::new(),
            tags: BTreeMap::new(),
            commits: BTreeMap::new(),
            pulls: Vec::new(),
        };
        let mut files = BTreeMap::new();
        files.insert(
            "README.md".to_owned(),
            blob(format!("# {repo}\n\nA repository of {owner}.\n").into_bytes()),
        );
        let sha = git.add_commit(files, Vec::new(), "Initial commit", now);
        git.branches.insert(DEFAULT_BRANCH.to_owned(), sha);
        git
    }

    fn add_commit(
        &mut self,
        files: BTreeMap<String, Blob>,
        parents: Vec<String>,
        message: &str,
        date: SystemTime,
    ) -> String {
        let tree = tree_sha(&files);
        let sha = commit_sha(&tree, &parents, message, date);
        self.commits.insert(
            sha.clone(),
            Commit {
                sha: sha.clone(),
                tree,
                parents,
                message: message.to_owned(),
                date,
                files,
            },
        );
        sha
    }

    /// The commit a branch points at.
    pub fn branch(&self, name: &str) -> Option<&Commit> {
        self.commits.get(self.branches.get(name)?)
    }

    /// The commit a `ref` query names: a branch, a tag, or a commit SHA (full, or 7+ hex digits).
    pub fn resolve(&self, reference: &str) -> Option<&Commit> {
        let reference = reference
            .strip_prefix("refs/heads/")
            .or_else(|| reference.strip_prefix("heads/"))
            .unwrap_or(reference);
        if let Some(c) = self.branch(reference) {
            return Some(c);
        }
        if let Some(sha) = self.tags.get(reference.trim_start_matches("refs/tags/")) {
            return self.commits.get(sha);
        }
        let lower = reference.to_ascii_lowercase();
        if lower.len() >= 7 && lower.bytes().all(|b| b.is_ascii_hexdigit()) {
            return self.commits.values().find(|c| c.sha.starts_with(&lower));
        }
        None
    }

    /// Commits `content` at `path` on `branch` (which must exist); the new commit's SHA.
    pub fn commit_file(
        &mut self,
        branch: &str,
        path: &str,
        content: Vec<u8>,
        message: &str,
        now: SystemTime,
    ) -> Option<String> {
        let parent = self.branch(branch)?;
        let mut files = parent.files.clone();
        let parent_sha = parent.sha.clone();
        files.insert(path.to_owned(), blob(content));
        let sha = self.add_commit(files, vec![parent_sha], message, now);
        self.branches.insert(branch.to_owned(), sha.clone());
        Some(sha)
    }

    /// Merges `head` into `base` with a merge commit: the base's files with every file the head
    /// has in another version (or the base lacks) taken from the head. No conflict detection.
    /// The merge commit's SHA.
    pub fn merge(
        &mut self,
        head: &str,
        base: &str,
        message: &str,
        now: SystemTime,
    ) -> Option<String> {
        let (head_commit, base_commit) = (self.branch(head)?, self.branch(base)?);
        let mut files = base_commit.files.clone();
        for (path, b) in &head_commit.files {
            files.insert(path.clone(), b.clone());
        }
        let parents = vec![base_commit.sha.clone(), head_commit.sha.clone()];
        let sha = self.add_commit(files, parents, message, now);
        self.branches.insert(base.to_owned(), sha.clone());
        Some(sha)
    }

    /// Whether `head` has commits that `base` does not (GitHub's "No commits between" check).
    pub fn ahead(&self, head: &str, base: &str) -> bool {
        let (Some(head), Some(base)) = (self.branches.get(head), self.branches.get(base)) else {
            return false;
        };
        let mut seen = Vec::new();
        let mut todo = vec![base.clone()];
        while let Some(sha) = todo.pop() {
            if seen.contains(&sha) {
                continue;
            }
            if let Some(c) = self.commits.get(&sha) {
                todo.extend(c.parents.iter().cloned());
            }
            seen.push(sha);
        }
        !seen.contains(head)
    }
}

/// One tag of an action repository, from `assets/action-tags.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionTag {
    pub repository: String,
    pub tag: String,
    /// `commit` (lightweight) or `tag` (annotated: `object_sha` is the tag object).
    pub object_type: String,
    pub object_sha: String,
    pub commit: String,
}

static ACTION_TAGS_TSV: &str = include_str!("../../assets/action-tags.tsv");

/// Every tag of the action repositories the sandbox knows.
pub fn action_tags() -> &'static [ActionTag] {
    static TAGS: std::sync::LazyLock<Vec<ActionTag>> = std::sync::LazyLock::new(|| {
        ACTION_TAGS_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let c: Vec<&str> = l.split('\t').collect();
                match c.as_slice() {
                    [repository, tag, object_type, object_sha, commit] => Some(ActionTag {
                        repository: repository.to_ascii_lowercase(),
                        tag: (*tag).to_owned(),
                        object_type: (*object_type).to_owned(),
                        object_sha: (*object_sha).to_owned(),
                        commit: (*commit).to_owned(),
                    }),
                    _ => None,
                }
            })
            .collect()
    });
    &TAGS
}

/// The tag `tag` of `owner/repo` (exact name, as GitHub matches refs).
pub fn action_tag(owner: &str, repo: &str, tag: &str) -> Option<&'static ActionTag> {
    let repository = format!("{owner}/{repo}").to_ascii_lowercase();
    action_tags()
        .iter()
        .find(|t| t.repository == repository && t.tag == tag)
}

/// The annotated tag object `sha` of `owner/repo`.
pub fn tag_object(owner: &str, repo: &str, sha: &str) -> Option<&'static ActionTag> {
    let repository = format!("{owner}/{repo}").to_ascii_lowercase();
    let sha = sha.to_ascii_lowercase();
    action_tags()
        .iter()
        .find(|t| t.repository == repository && t.object_type == "tag" && t.object_sha == sha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_shas_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob(b"hello\n".to_vec()).sha,
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    #[test]
    fn commits_move_the_branch_and_keep_the_tree() {
        let now = SystemTime::UNIX_EPOCH;
        let mut git = Git::new("o", "r", now);
        let first = git.branches[DEFAULT_BRANCH].clone();
        git.branches.insert("feature".into(), first.clone());
        let second = git
            .commit_file("feature", "a/b.txt", b"x".to_vec(), "add", now)
            .unwrap();
        assert_ne!(first, second);
        let head = git.branch("feature").unwrap();
        assert_eq!(head.parents, std::slice::from_ref(&first));
        assert!(head.files.contains_key("README.md") && head.files.contains_key("a/b.txt"));
        assert!(git.ahead("feature", "main"));
        assert!(!git.ahead("main", "feature"));
        assert_eq!(
            git.resolve(&second[..7]).map(|c| c.sha.clone()),
            Some(second)
        );
        assert!(git.commit_file("nope", "x", Vec::new(), "m", now).is_none());
    }

    #[test]
    fn action_tags_are_loaded() {
        let v6 = action_tag("aws-actions", "configure-aws-credentials", "v6").unwrap();
        assert_eq!(v6.object_type, "tag");
        assert_eq!(v6.commit, "e6de054238d6b7531b4efff3b6587d9aade6a06c");
        assert_eq!(
            tag_object("AWS-Actions", "configure-aws-credentials", &v6.object_sha),
            Some(v6)
        );
        let co = action_tag("actions", "checkout", "v7").unwrap();
        assert_eq!(co.object_type, "commit");
        assert!(action_tag("actions", "checkout", "v7.9.9").is_none());
    }
}
