from __future__ import annotations

import pytest

from linter.detectors.ci.shell import effective_argv, program_name, shell_commands


def programs(script: str) -> list[tuple[str, ...]]:
    return [effective_argv(c.argv) for c in shell_commands(script)]


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("npm ci && npm audit --audit-level=high", [("npm", "ci"), ("npm", "audit", "--audit-level=high")]),
        ("pip install x; pip-audit", [("pip", "install", "x"), ("pip-audit",)]),
        ("python -m pip_audit -r r.txt", [("pip_audit", "-r", "r.txt")]),
        ("python3 -I -m pip_audit", [("pip_audit",)]),
        ("poetry run pip-audit", [("pip-audit",)]),
        ("pipx run pip-audit", [("pip-audit",)]),
        ("uvx pip-audit", [("pip-audit",)]),
        ("uv run --with pip-audit pip-audit", [("pip-audit",)]),
        ("npx --yes audit-ci --high", [("audit-ci", "--high")]),
        ("bundle exec bundle-audit check --update", [("bundle-audit", "check", "--update")]),
        ("go run golang.org/x/vuln/cmd/govulncheck@latest ./...", [("govulncheck", "./...")]),
        ("docker run --rm -v $PWD:/src aquasec/trivy:0.50.0 fs /src", [("trivy", "fs", "/src")]),
        ("sudo FOO=1 ./bin/dependency-check.sh --scan .", [("dependency-check.sh", "--scan", ".")]),
        ("bash -c 'cargo audit'", [("cargo", "audit")]),
        ("trivy fs . 2>&1 | tee out.txt", [("trivy", "fs", ".", "2>&1"), ("tee", "out.txt")]),
    ],
)
def test_commands_at_command_position(script: str, expected: list[tuple[str, ...]]) -> None:
    assert programs(script) == expected


@pytest.mark.parametrize(
    "script",
    [
        'echo "npm audit"',
        "echo npm audit",
        "# npm audit",
        "npm test # && npm audit",
        "cat <<EOF > notes.txt\nnpm audit\nEOF",
        "printf '%s\\n' 'pip-audit'",
    ],
)
def test_text_that_is_not_a_command(script: str) -> None:
    found = [argv for argv in programs(script) if argv[:2] == ("npm", "audit") or argv[:1] == ("pip-audit",)]
    assert found == []


def test_or_true_swallows_failure_but_or_exit_does_not() -> None:
    swallowed = shell_commands("npm audit || true")
    assert swallowed[0].non_blocking is True
    reraised = shell_commands("npm audit || exit 1")
    assert reraised[0].non_blocking is False


def test_line_offsets_follow_newlines_and_continuations() -> None:
    commands = shell_commands("set -e\nnpm ci \\\n  --no-audit\n\nnpm audit")
    assert [(c.line_offset, c.argv[:2]) for c in commands] == [
        (0, ("set", "-e")), (1, ("npm", "ci")), (4, ("npm", "audit"))]


def test_heredoc_body_is_skipped_and_lines_still_counted() -> None:
    commands = shell_commands("cat <<'EOF'\nnpm audit\nEOF\nsafety check")
    assert [(c.line_offset, c.argv) for c in commands][-1] == (3, ("safety", "check"))


def test_unterminated_quote_and_huge_input_do_not_hang() -> None:
    assert shell_commands("echo 'never closed\nnpm audit") is not None
    shell_commands("a && " * 50_000)


@pytest.mark.parametrize(("word", "name"), [("./gradlew", "gradlew"), ("C:\\tools\\trivy.exe", "trivy"),
                                            ("Dependency-Check.BAT", "dependency-check")])
def test_program_name(word: str, name: str) -> None:
    assert program_name(word) == name
