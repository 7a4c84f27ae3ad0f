//! The permissions policies on a domain and a repository, read with their revision and written
//! with it (`policyRevision`: optimistic locking, so a concurrent change is never overwritten).
//! "No policy" is AWS's ResourceNotFoundException on Get and Delete: `Ok(None)`.

use aws_sdk_codeartifact::types::ResourcePolicy;

use super::{AwsError, Clients, found};

/// A resource policy as AWS holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRead {
    pub document: String,
    pub revision: Option<String>,
}

/// Where a resource policy lives: the domain's, or one repository's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyOn<'a> {
    Domain,
    Repository(&'a str),
}

fn read(policy: Option<&ResourcePolicy>) -> Option<PolicyRead> {
    let p = policy?;
    Some(PolicyRead {
        document: p.document()?.to_owned(),
        revision: p.revision().map(str::to_owned),
    })
}

impl Clients {
    /// Get{Domain,Repository}PermissionsPolicy with its revision; `None` when there is none.
    pub async fn resource_policy(
        &self,
        domain: &str,
        owner: &str,
        on: PolicyOn<'_>,
    ) -> Result<Option<PolicyRead>, AwsError> {
        let c = &self.codeartifact;
        let got = match on {
            PolicyOn::Domain => {
                let r = c
                    .get_domain_permissions_policy()
                    .domain(domain)
                    .domain_owner(owner)
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("GetDomainPermissionsPolicy", &e));
                found(r)?.and_then(|o| read(o.policy()))
            }
            PolicyOn::Repository(repository) => {
                let r = c
                    .get_repository_permissions_policy()
                    .domain(domain)
                    .domain_owner(owner)
                    .repository(repository)
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("GetRepositoryPermissionsPolicy", &e));
                found(r)?.and_then(|o| read(o.policy()))
            }
        };
        Ok(got)
    }

    /// Put{Domain,Repository}PermissionsPolicy, with the revision read (none when there was no
    /// policy). A stale revision is AWS's ConflictException.
    pub async fn put_resource_policy(
        &self,
        domain: &str,
        owner: &str,
        on: PolicyOn<'_>,
        document: &str,
        revision: Option<&str>,
    ) -> Result<(), AwsError> {
        let c = &self.codeartifact;
        match on {
            PolicyOn::Domain => c
                .put_domain_permissions_policy()
                .domain(domain)
                .domain_owner(owner)
                .policy_document(document)
                .set_policy_revision(revision.map(str::to_owned))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| AwsError::from_sdk("PutDomainPermissionsPolicy", &e)),
            PolicyOn::Repository(repository) => c
                .put_repository_permissions_policy()
                .domain(domain)
                .domain_owner(owner)
                .repository(repository)
                .policy_document(document)
                .set_policy_revision(revision.map(str::to_owned))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| AwsError::from_sdk("PutRepositoryPermissionsPolicy", &e)),
        }
    }

    /// Delete{Domain,Repository}PermissionsPolicy at the revision read; `None` when there was
    /// none.
    pub async fn delete_resource_policy(
        &self,
        domain: &str,
        owner: &str,
        on: PolicyOn<'_>,
        revision: Option<&str>,
    ) -> Result<Option<()>, AwsError> {
        let c = &self.codeartifact;
        let r = match on {
            PolicyOn::Domain => c
                .delete_domain_permissions_policy()
                .domain(domain)
                .domain_owner(owner)
                .set_policy_revision(revision.map(str::to_owned))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| AwsError::from_sdk("DeleteDomainPermissionsPolicy", &e)),
            PolicyOn::Repository(repository) => c
                .delete_repository_permissions_policy()
                .domain(domain)
                .domain_owner(owner)
                .repository(repository)
                .set_policy_revision(revision.map(str::to_owned))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| AwsError::from_sdk("DeleteRepositoryPermissionsPolicy", &e)),
        };
        found(r)
    }
}
