//! CodeArtifact calls, typed: `Ok(None)` where "does not exist" is an answer, not an error.

use aws_sdk_codeartifact::types::{PackageFormat, UpstreamRepository};

use super::{AwsError, AwsErrorKind, Clients, found};

/// What DescribeDomain says about a domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainInfo {
    pub name: String,
    pub owner: String,
    pub arn: String,
    pub status: String,
    pub encryption_key: Option<String>,
    pub repository_count: i32,
}

/// What DescribeRepository says about a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepositoryInfo {
    pub name: String,
    pub arn: String,
    pub description: Option<String>,
    /// Upstream repository names, in order.
    pub upstreams: Vec<String>,
    /// External connections and their status (`Available` when usable).
    pub external_connections: Vec<(String, String)>,
}

fn upstream(name: &str) -> Result<UpstreamRepository, AwsError> {
    UpstreamRepository::builder()
        .repository_name(name)
        .build()
        .map_err(|e| AwsError::new(AwsErrorKind::Other, "UpdateRepository", None, e.to_string()))
}

impl Clients {
    pub async fn describe_domain(
        &self,
        domain: &str,
        owner: &str,
    ) -> Result<Option<DomainInfo>, AwsError> {
        const OP: &str = "DescribeDomain";
        let result = self
            .codeartifact
            .describe_domain()
            .domain(domain)
            .domain_owner(owner)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e));
        let Some(out) = found(result)? else {
            return Ok(None);
        };
        let d = out.domain();
        Ok(Some(DomainInfo {
            name: d.and_then(|d| d.name()).unwrap_or(domain).to_owned(),
            owner: d.and_then(|d| d.owner()).unwrap_or(owner).to_owned(),
            arn: d.and_then(|d| d.arn()).unwrap_or_default().to_owned(),
            status: d
                .and_then(|d| d.status())
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            encryption_key: d.and_then(|d| d.encryption_key()).map(str::to_owned),
            repository_count: d.map(|d| d.repository_count()).unwrap_or_default(),
        }))
    }

    pub async fn create_domain(&self, domain: &str) -> Result<String, AwsError> {
        const OP: &str = "CreateDomain";
        let out = self
            .codeartifact
            .create_domain()
            .domain(domain)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out
            .domain()
            .and_then(|d| d.arn())
            .unwrap_or_default()
            .to_owned())
    }

    pub async fn delete_domain(&self, domain: &str, owner: &str) -> Result<(), AwsError> {
        const OP: &str = "DeleteDomain";
        self.codeartifact
            .delete_domain()
            .domain(domain)
            .domain_owner(owner)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    pub async fn describe_repository(
        &self,
        domain: &str,
        owner: &str,
        repository: &str,
    ) -> Result<Option<RepositoryInfo>, AwsError> {
        const OP: &str = "DescribeRepository";
        let result = self
            .codeartifact
            .describe_repository()
            .domain(domain)
            .domain_owner(owner)
            .repository(repository)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e));
        let Some(out) = found(result)? else {
            return Ok(None);
        };
        let Some(r) = out.repository() else {
            return Ok(None);
        };
        Ok(Some(RepositoryInfo {
            name: r.name().unwrap_or(repository).to_owned(),
            arn: r.arn().unwrap_or_default().to_owned(),
            description: r.description().map(str::to_owned),
            upstreams: r
                .upstreams()
                .iter()
                .filter_map(|u| u.repository_name())
                .map(str::to_owned)
                .collect(),
            external_connections: r
                .external_connections()
                .iter()
                .map(|c| {
                    (
                        c.external_connection_name().unwrap_or_default().to_owned(),
                        c.status()
                            .map(|s| s.as_str().to_owned())
                            .unwrap_or_default(),
                    )
                })
                .collect(),
        }))
    }

    pub async fn create_repository(
        &self,
        domain: &str,
        owner: &str,
        repository: &str,
        description: &str,
    ) -> Result<String, AwsError> {
        const OP: &str = "CreateRepository";
        let out = self
            .codeartifact
            .create_repository()
            .domain(domain)
            .domain_owner(owner)
            .repository(repository)
            .description(description)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out
            .repository()
            .and_then(|r| r.arn())
            .unwrap_or_default()
            .to_owned())
    }

    pub async fn delete_repository(
        &self,
        domain: &str,
        owner: &str,
        repository: &str,
    ) -> Result<(), AwsError> {
        const OP: &str = "DeleteRepository";
        self.codeartifact
            .delete_repository()
            .domain(domain)
            .domain_owner(owner)
            .repository(repository)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    pub async fn associate_external_connection(
        &self,
        domain: &str,
        owner: &str,
        repository: &str,
        connection: &str,
    ) -> Result<(), AwsError> {
        const OP: &str = "AssociateExternalConnection";
        self.codeartifact
            .associate_external_connection()
            .domain(domain)
            .domain_owner(owner)
            .repository(repository)
            .external_connection(connection)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    /// Replaces the repository's upstream list (UpdateRepository keeps the description).
    pub async fn set_upstreams(
        &self,
        domain: &str,
        owner: &str,
        repository: &str,
        upstreams: &[String],
    ) -> Result<(), AwsError> {
        const OP: &str = "UpdateRepository";
        let list = upstreams
            .iter()
            .map(|u| upstream(u))
            .collect::<Result<Vec<_>, _>>()?;
        self.codeartifact
            .update_repository()
            .domain(domain)
            .domain_owner(owner)
            .repository(repository)
            .set_upstreams(Some(list))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    /// The repository's PyPI endpoint URL (GetRepositoryEndpoint, format pypi).
    pub async fn pypi_endpoint(
        &self,
        domain: &str,
        owner: &str,
        repository: &str,
    ) -> Result<String, AwsError> {
        self.repository_endpoint(domain, owner, repository, crate::format::Format::Pypi)
            .await
    }

    /// GetRepositoryEndpoint for `format` (`…/npm/REPO/` for npm).
    pub async fn repository_endpoint(
        &self,
        domain: &str,
        owner: &str,
        repository: &str,
        format: crate::format::Format,
    ) -> Result<String, AwsError> {
        const OP: &str = "GetRepositoryEndpoint";
        let out = self
            .codeartifact
            .get_repository_endpoint()
            .domain(domain)
            .domain_owner(owner)
            .repository(repository)
            .format(PackageFormat::from(format.as_str()))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out.repository_endpoint().unwrap_or_default().to_owned())
    }

    /// A CodeArtifact authorization token and its expiry (seconds since the epoch). The token is a
    /// secret: never log, print or store it.
    pub async fn authorization_token(
        &self,
        domain: &str,
        owner: &str,
        duration_seconds: i64,
    ) -> Result<(String, Option<i64>), AwsError> {
        const OP: &str = "GetAuthorizationToken";
        let out = self
            .codeartifact
            .get_authorization_token()
            .domain(domain)
            .domain_owner(owner)
            .duration_seconds(duration_seconds)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok((
            out.authorization_token().unwrap_or_default().to_owned(),
            out.expiration().map(|t| t.secs()),
        ))
    }
}
