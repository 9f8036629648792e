"""Secrets a repository wrote into text that a report quotes: taken out before it is quoted.

Evidence quotes commands CI runs (``pytest -q`` in ``tests run on every change: pytest
`pytest -q```), and the resolution layer expands a job's ``env:`` values into them. A
repository that writes a token into a workflow (``env: SNYK_TOKEN: ghp_...``, ``run: curl
https://user:pass@host``, ``--password hunter2``) would otherwise have it copied into every
report, PR comment and CI log. Two guards:

* ``is_secret_name``: a variable named like a secret (``NPM_TOKEN``, ``DB_PASSWORD``,
  ``AWS_SECRET_ACCESS_KEY``) is never expanded (``linter.detectors.ci.expressions``); its
  value never decides which tool a command runs, so nothing is lost;
* ``redact``: quoted command text loses what still looks like a secret: a URL's user part
  and secret query parameters, the value of an option or assignment named like a secret
  (``--token x``, ``-Dsonar.login=x``, the .NET SonarScanner's ``/d:sonar.token=x``), the value
  of an HTTP header written in the command (``-H 'Authorization: Bearer x'``, ``X-Api-Key:``),
  the password of ``-u user:password`` (curl, wget), the token of ``snyk auth``, the
  short options particular programs take a secret with (``codecov -t``, ``docker login -p``,
  ``twine upload -p``, ``sshpass -p``, MySQL's ``-pPASSWORD``, OpenSSL's ``-passin pass:x``),
  and tokens of the well-known shapes (GitHub, GitLab, npm, PyPI, Slack, AWS, Stripe, Google,
  SonarQube, Docker Hub).
  Each is replaced by ``REDACTED``; ``$VARIABLE`` references stay, they hold no secret.
"""

from __future__ import annotations

import re

#: Name segments (split on ``_``, ``-``, ``.``) that make a variable or option a secret's.
#: ``login`` is SonarQube's (``-Dsonar.login=TOKEN``, long its documented way to pass a token).
_SECRET_WORDS = frozenset({"token", "tokens", "secret", "secrets", "password", "passwd", "pass", "passphrase",
                           "apikey", "key", "credential", "credentials", "auth", "pat", "pw", "login"})
_SEGMENTS = re.compile(r"[_.\-]+")
#: Whole names that look like secrets' but are not (``PWD`` is the working folder).
_NOT_SECRET = frozenset({"pwd", "oldpwd"})


def is_secret_name(name: str) -> bool:
    """``NPM_TOKEN``, ``db-password``, ``apiKey``: a name for a value that must not be shown."""
    lowered = name.lower()
    if lowered in _NOT_SECRET:
        return False
    words = {w for w in _SEGMENTS.split(re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()) if w}
    return bool(words & _SECRET_WORDS) or "apikey" in lowered or "api_key" in lowered


#: Query parameters that carry secrets in URLs (GitLab's ``private_token``, OAuth
#: ``access_token``, signed URLs' ``sig``...), compared in lower case; remote URLs are cleaned
#: of them too (``linter.repo.remotes.redact``).
SECRET_PARAMETERS = frozenset({"access_token", "private_token", "token", "auth", "password", "passwd", "key",
                               "secret", "sig", "signature", "x-amz-signature", "x-goog-signature", "code"})
_URL_USER = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]{0,20}://)[^\s/@'\"`]{1,500}@")
_SECRET_QUERY = re.compile(r"([?&](?:" + "|".join(re.escape(p) for p in sorted(SECRET_PARAMETERS))
                           + r")=)[^&#\s'\"`]{1,2000}", re.IGNORECASE)
_TOKEN = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255}|glpat-[A-Za-z0-9_-]{20,255}"
    r"|npm_[A-Za-z0-9]{30,255}|pypi-[A-Za-z0-9_-]{40,500}|xox[abposr]-[A-Za-z0-9-]{10,255}"
    r"|(?:AKIA|ASIA)[0-9A-Z]{16}|[sr]k_live_[A-Za-z0-9]{16,255}|AIza[A-Za-z0-9_-]{35}"
    r"|sq[apu]_[0-9a-f]{40}|dckr_pat_[A-Za-z0-9_-]{20,255})")
#: ``--token=x``, ``--password x``, ``-p`` is not read (too many meanings); ``NPM_TOKEN=x``; the
#: SonarScanner for .NET's ``/d:sonar.token=x``.
_OPTION = re.compile(r"(?<![\w$])(--?[A-Za-z][A-Za-z0-9_.-]{0,100}|/[dD]:[A-Za-z][A-Za-z0-9_.-]{0,100}(?==))"
                     r"(=|[ \t]{1,20})(?![-$])([^\s'\"`]{1,2000}|'[^'\n]{0,2000}'|\"[^\"\n]{0,2000}\")")
#: An HTTP header written in a command (``curl -H 'Authorization: Bearer x'``, ``X-Api-Key: x``):
#: its value, after a scheme word; the caller keeps headers not named like secrets.
_HEADER = re.compile(r"(?<![\w-])([A-Za-z][\w-]{0,60}):([ \t]{0,20}(?:(?i:bearer|basic|token|bot|digest)[ \t]{1,20})?)"
                     r"([^\s'\"`]{1,2000})")
_AUTHORIZATION = frozenset({"authorization", "proxy-authorization"})
#: Basic-auth credentials on a command line: curl's and wget's ``-u``/``--user user:password``
#: (``--proxy-user`` too); a numeric ``uid:gid`` (``docker run -u 1000:1000``) is not one.
_USER_PASSWORD = re.compile(r"(?<![\w-])(-u|--user|--proxy-user|--http-user)(=|[ \t]{1,20})"
                            r"(?:'([^'\n:$]{1,200}):([^'\n]{1,2000})'|\"([^\"\n:$]{1,200}):([^\"\n]{1,2000})\""
                            r"|([^\s:'\"`$]{1,200}):([^\s'\"`]{1,2000}))")
#: ``snyk auth <token>``: the Snyk CLI's token is its argument.
_SNYK_AUTH = re.compile(r"(?<![\w-])(snyk[ \t]{1,20}auth[ \t]{1,20})(?![-$])([^\s'\"`]{1,2000})")
#: Short options that give a secret to one program only (``-t`` and ``-p`` mean other things
#: elsewhere): the program's words, then, within the same command, the option and its value.
_PROGRAM_OPTION = re.compile(
    r"(?<![\w-])((?:codecov(?:cli)?|codecov\.io/bash\)?|sshpass"
    r"|(?:docker|podman|buildah|skopeo|nerdctl|oras)[ \t]{1,20}login|helm[ \t]{1,20}registry[ \t]{1,20}login"
    r"|twine[ \t]{1,20}upload)(?![\w-])[^\n;&|]{0,300}?[ \t](?:-t|-p))(=|[ \t]{1,20})(?![-$])"
    r"([^\s'\"`]{1,2000}|'[^'\n]{0,2000}'|\"[^\"\n]{0,2000}\")")
#: MySQL's and MariaDB's clients take the password glued to ``-p`` (``-p`` alone prompts).
_MYSQL_PASSWORD = re.compile(r"(?<![\w-])((?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)(?![\w-])"
                             r"[^\n;&|]{0,300}?[ \t]-p)(?![-$\s])([^\s'\"`]{1,2000})")
#: OpenSSL's pass phrase arguments, when given inline (``-passin pass:x``; ``env:``/``file:`` name
#: where it is, which is no secret).
_OPENSSL_PASS = re.compile(r"(?<![\w-])(-pass(?:in|out)?[ \t]{1,20}pass:)([^\s'\"`]{1,2000})")
_ASSIGNMENT = re.compile(r"(?<![\w$.-])([A-Za-z_][A-Za-z0-9_]{0,100})=(?!\$)([^\s'\"`]{1,2000}|'[^'\n]{0,2000}'"
                         r"|\"[^\"\n]{0,2000}\")")


def redact(text: str) -> str:
    """``text`` (a command as a report quotes it) without the secrets it visibly holds."""
    if not text:
        return text
    text = _URL_USER.sub(r"\1REDACTED@", text)
    text = _SECRET_QUERY.sub(r"\1REDACTED", text)
    text = _TOKEN.sub("REDACTED", text)
    text = _USER_PASSWORD.sub(_without_password, text)
    text = _SNYK_AUTH.sub(r"\1REDACTED", text)
    text = _PROGRAM_OPTION.sub(r"\1\2REDACTED", text)
    text = _MYSQL_PASSWORD.sub(r"\1REDACTED", text)
    text = _OPENSSL_PASS.sub(r"\1REDACTED", text)
    text = _OPTION.sub(lambda m: f"{m.group(1)}{m.group(2)}REDACTED" if _takes_secret(_option_name(m.group(1)))
                       else m.group(0), text)
    text = _HEADER.sub(lambda m: f"{m.group(1)}:{m.group(2)}REDACTED" if m.group(1).lower() in _AUTHORIZATION
                       or is_secret_name(m.group(1)) else m.group(0), text)
    return _ASSIGNMENT.sub(lambda m: f"{m.group(1)}=REDACTED" if is_secret_name(m.group(1)) else m.group(0), text)


def _without_password(match: re.Match[str]) -> str:
    """``-u user:REDACTED``, quoted as written; a ``uid:gid`` pair or a ``$PASSWORD`` stays."""
    quote = "'" if match.group(3) is not None else '"' if match.group(5) is not None else ""
    user, password = next((match.group(i), match.group(i + 1)) for i in (3, 5, 7) if match.group(i) is not None)
    if password.startswith("$") or (user.isdigit() and password.isdigit()):
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{quote}{user}:REDACTED{quote}"


def _takes_secret(name: str) -> bool:
    """An option named like a secret's that takes a value: ``--password-stdin`` reads it from
    the standard input and the next word is something else (the registry)."""
    return is_secret_name(name) and not name.lower().endswith("-stdin")


def _option_name(option: str) -> str:
    """``--api-token`` -> ``api-token``; ``/d:sonar.login`` -> ``sonar.login``."""
    return option[3:] if option.startswith("/") else option.lstrip("-")
