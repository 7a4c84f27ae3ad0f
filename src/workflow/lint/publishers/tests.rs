use super::*;

fn first(script: &str) -> Option<(Client, Format)> {
    shell::commands(script).iter().find_map(publishes)
}

#[test]
fn every_publisher_is_recognised() {
    let cases = [
        (
            "python -m twine upload --non-interactive dist/*",
            Client::Twine,
        ),
        (
            "pipx run twine upload -r codeartifact dist/*",
            Client::Twine,
        ),
        ("uv publish --publish-url \"$URL\"", Client::Uv),
        ("poetry publish --build -r codeartifact", Client::Poetry),
        ("npm publish --access restricted", Client::Npm),
        ("pnpm -r publish --no-git-checks", Client::Pnpm),
        ("yarn npm publish", Client::Yarn),
        ("yarn publish --non-interactive", Client::Yarn),
        ("./mvnw -B clean deploy -s settings.xml", Client::Mvn),
        (
            "mvn --batch-mode deploy:deploy-file -Dfile=x.jar",
            Client::Mvn,
        ),
        ("./gradlew :lib:publish --no-daemon", Client::Gradle),
        (
            "gradle publishAllPublicationsToCodeArtifactRepository",
            Client::Gradle,
        ),
        (
            "dotnet nuget push out/*.nupkg --source codeartifact",
            Client::Dotnet,
        ),
        ("cargo publish --registry codeartifact", Client::Cargo),
        (
            "sudo -E env X=1 npx lerna publish from-package",
            Client::Npm,
        ),
    ];
    for (script, client) in cases {
        assert_eq!(first(script), Some((client, client.format())), "{script}");
    }
    assert_eq!(
        first(
            "aws codeartifact publish-package-version --domain d --repository r --format generic --namespace n --package p --package-version 1 --asset-content a --asset-name a --asset-sha256 x"
        ),
        Some((Client::AwsCli, Format::Generic))
    );
}

#[test]
fn look_alikes_do_not_publish() {
    for script in [
        "echo 'run twine upload later'",
        "./gradlew publishToMavenLocal",
        "./gradlew publishPlugins",
        "mvn -Ddeploy.skip=true install",
        "npm ci && npm test",
        "cargo build --release",
        "uv build",
        "poetry build",
        "twine check dist/*",
        "aws codeartifact login --tool npm --domain d --repository r",
    ] {
        assert_eq!(first(script), None, "{script}");
    }
}

#[test]
fn hints_name_the_user_tool() {
    let wf = crate::workflow::model::read(
        &crate::workflow::yaml::parse(
            "on: push\njobs:\n  p:\n    steps:\n      - uses: astral-sh/setup-uv@v6\n      - run: uv build\n",
        )
        .expect("yaml"),
    );
    let job = &wf.jobs[0];
    assert_eq!(hinted(job), [Client::Uv]);
    assert_eq!(likely_client(&[job], &[Format::Pypi]), Client::Uv);
    assert_eq!(likely_client(&[job], &[Format::Npm]), Client::Npm);
    assert_eq!(likely_client(&[], &[Format::Pypi]), Client::Twine);
}
