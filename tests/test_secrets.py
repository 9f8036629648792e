"""``linter.secrets``: what counts as a secret's name, and what quoted command text loses."""

from __future__ import annotations

import pytest

from linter.secrets import is_secret_name, redact


@pytest.mark.parametrize("name", ["GITHUB_TOKEN", "NPM_TOKEN", "DB_PASSWORD", "AWS_SECRET_ACCESS_KEY", "apiKey",
                                  "api-key", "SSH_KEY", "DOCKER_PASS", "auth", "SONAR_AUTH_TOKEN", "SONAR_LOGIN",
                                  "sonar.login"])
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["PWD", "PATH", "AUTHOR", "KEYBOARD", "MONKEY", "PATCH", "PASSIVE", "TOKENIZER_DIR",
                                  "os", "matrix"])
def test_names_that_are_not_secrets(name: str) -> None:
    assert not is_secret_name(name)


@pytest.mark.parametrize(("text", "expected"), [
    ("curl https://user:hunter2@example.com/x", "curl https://REDACTED@example.com/x"),
    ("git clone https://h/r?private_token=abc", "git clone https://h/r?private_token=REDACTED"),
    ("docker login --password hunter2 -u me", "docker login --password REDACTED -u me"),
    ("twine upload --password='a b' dist/*", "twine upload --password=REDACTED dist/*"),
    ("NPM_TOKEN=abc npm publish", "NPM_TOKEN=REDACTED npm publish"),
    ("snyk test ghp_" + "a" * 36, "snyk test REDACTED"),
    ("aws s3 ls AKIAABCDEFGHIJKLMNOP", "aws s3 ls REDACTED"),
    # SonarQube's token: Maven/Gradle ``-Dsonar.login``, the .NET scanner's ``/d:``, its shape
    ("mvn verify sonar:sonar -Dsonar.login=abc -Dsonar.host.url=https://s",
     "mvn verify sonar:sonar -Dsonar.login=REDACTED -Dsonar.host.url=https://s"),
    ("dotnet sonarscanner begin /k:p /d:sonar.token=\"a b\" /d:sonar.host.url=https://s",
     "dotnet sonarscanner begin /k:p /d:sonar.token=REDACTED /d:sonar.host.url=https://s"),
    ("sonar-scanner sqp_" + "0a" * 20, "sonar-scanner REDACTED"),
    ("docker login -u me -p dckr_pat_" + "x" * 24, "docker login -u me -p REDACTED"),
    # headers written in a command
    ("curl -H 'Authorization: Bearer eyJ.a.b' https://dtrack/api/v1/bom",
     "curl -H 'Authorization: Bearer REDACTED' https://dtrack/api/v1/bom"),
    ('curl -H "X-Api-Key: abc123" -H "PRIVATE-TOKEN:abc" https://h', 'curl -H "X-Api-Key: REDACTED" -H "PRIVATE-TOKEN:REDACTED" https://h'),
    # basic-auth credentials and the Snyk CLI's token argument
    ("curl -u admin:hunter2 https://h/api", "curl -u admin:REDACTED https://h/api"),
    ("curl --user='ci:p@ss w' https://h", "curl --user='ci:REDACTED' https://h"),
    ("wget --http-user=me --user=me:s3cret https://h", "wget --http-user=me --user=me:REDACTED https://h"),
    ("snyk auth 0f1e2d3c-aaaa-bbbb-cccc-111122223333 && snyk test", "snyk auth REDACTED && snyk test"),
    # short options that carry a secret for one program only
    ("codecov -t 0f1e2d3c-aaaa-bbbb-cccc-111122223333 -f coverage.xml", "codecov -t REDACTED -f coverage.xml"),
    ("bash <(curl -s https://codecov.io/bash) -t abc-123", "bash <(curl -s https://codecov.io/bash) -t REDACTED"),
    ("codecovcli upload-process -t=abc", "codecovcli upload-process -t=REDACTED"),
    ("docker login -u me -p hunter2 registry.example.com", "docker login -u me -p REDACTED registry.example.com"),
    ("podman login --username me -p 'hunter2' quay.io", "podman login --username me -p REDACTED quay.io"),
    ("helm registry login -u me -p s3cret ghcr.io", "helm registry login -u me -p REDACTED ghcr.io"),
    ("twine upload -u __token__ -p pypi_secret dist/*", "twine upload -u __token__ -p REDACTED dist/*"),
    ("sshpass -p hunter2 ssh deploy@host", "sshpass -p REDACTED ssh deploy@host"),
    ("mysql -u root -phunter2 app < schema.sql", "mysql -u root -pREDACTED app < schema.sql"),
    ("openssl enc -d -aes256 -passin pass:hunter2 -in s.enc", "openssl enc -d -aes256 -passin pass:REDACTED -in s.enc"),
])
def test_secrets_are_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "pytest -q --maxfail=1 -k key tests/",
    "snyk test --auth=$SNYK_TOKEN",  # a reference holds no secret
    "npm publish --token ${{ secrets.NPM_TOKEN }}",
    "git clone git@github.com:org/repo.git",
    "cd $PWD && make test CC=gcc",
    "curl https://example.com/x?page=2",
    "curl -H 'Content-Type: application/json' -H 'Accept: text/plain' https://host:8080/x",
    "docker run -v /d:/data image:tag && pytest -k 'a: b'",
    "docker run -u 1000:1000 image pytest",  # uid:gid, not a password
    "curl -u $USER:$PASSWORD https://h && curl -u me: https://h",  # references; no password given
    "snyk auth $SNYK_TOKEN",
    # the same short options elsewhere mean other things; references and prompts hold no secret
    "docker run -p 8080:80 -t image && pytest -p no:cacheprovider",
    "codecov -f coverage.xml -F unit && tar -t -f x.tar",
    "codecov -t $CODECOV_TOKEN",
    "docker login -u me -p ${{ secrets.REGISTRY_PASSWORD }} ghcr.io",
    "docker login -u me --password-stdin ghcr.io < token && docker push -p x",
    "mysql -u root -p app && mysqldump -P 3306 app",
    "openssl enc -d -passin env:SECRET -passout file:pw.txt",
    "echo codecov; make -p test",
])
def test_text_without_secrets_is_unchanged(text: str) -> None:
    assert redact(text) == text


def test_long_runs_are_linear() -> None:
    from tests.helpers import cpu_seconds

    start = cpu_seconds()
    for text in ("--token" + " " * 200_000, "a=" * 100_000, "https://" + "a" * 200_000, "-a " * 70_000,
                 "a:" * 100_000, "Authorization: " * 15_000, "/d:a" * 50_000, "x-" * 100_000,
                 "-u a:" * 40_000, "--user '" + "a" * 200_000, "-u " + "a" * 200_000 + ":", "snyk auth " * 20_000,
                 "codecov " * 30_000, "docker login " + "x " * 100_000, "mysql -p" * 30_000,
                 "-passin pass:" * 20_000):
        redact(text)
    assert cpu_seconds() - start < 5


def test_every_secret_query_parameter_is_redacted_in_quoted_commands_and_remotes() -> None:
    """One list (``SECRET_PARAMETERS``) serves both redactions: a command quoting a URL and a
    remote URL lose the same parameters."""
    from linter.repo.remotes import redact as redact_remote
    from linter.secrets import SECRET_PARAMETERS, redact

    for name in sorted(SECRET_PARAMETERS):
        quoted = redact(f"curl https://host/x?{name}=s3cr3tvalue&page=2")
        assert "s3cr3tvalue" not in quoted and "REDACTED" in quoted, name
        assert "s3cr3tvalue" not in redact_remote(f"https://host/org/repo.git?{name}=s3cr3tvalue")
