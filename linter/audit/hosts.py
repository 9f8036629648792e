"""List an organisation's repositories from GitHub or GitLab: ``audit --github-org`` / ``--gitlab-group``.

* GitHub: ``GET {$GITHUB_API_URL or https://api.github.com}/orgs/{org}/repos?type=all&per_page=100``
  with ``Authorization: Bearer $GITHUB_TOKEN`` when set; each entry's ``full_name``,
  ``clone_url``, ``archived``, ``fork`` and ``size`` (GitHub has no emptiness flag: a
  repository of size 0 is taken as empty).
* GitLab: ``GET {$CI_API_V4_URL or $GITLAB_API_URL or https://gitlab.com/api/v4}/groups/{id}/projects
  ?include_subgroups=true&with_shared=false&per_page=100`` with ``PRIVATE-TOKEN: $GITLAB_TOKEN``;
  each entry's ``path_with_namespace``, ``http_url_to_repo``, ``archived``,
  ``forked_from_project`` and ``empty_repo``.

Pages are followed through the ``Link`` header's ``rel="next"`` (GitLab's ``X-Next-Page`` when
there is no ``Link``). Rate limits are honoured as both services document: a 403 or 429 with
``Retry-After`` waits that many seconds; one with ``x-ratelimit-remaining: 0`` (GitHub) or
``RateLimit-Remaining: 0`` (GitLab) waits until the ``...-Reset`` time; a 429 with neither
waits a minute, doubling; and a successful page that leaves no request waits for the reset
before asking for the next. A wait longer than ``MAX_WAIT`` seconds is an error.

Archived repositories, forks and empty repositories are skipped unless asked for.

The API is untrusted input: every page is bounded in size and a listing in entries, every
entry checked for type, a ``next`` link or redirect that leaves the API's origin is refused (the
token would go with it), and a clone URL must be ``https`` (``http`` only when the API itself is served over
``http``) on the API's host (``api.github.com`` clones from ``github.com``). The token is
sent to the API only; when set it is also given to git for clones on that host, inside the
clone URL, which ``linter.audit.clone`` turns into a header and never writes anywhere.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections import Counter
from typing import Any, Callable, Iterator
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from linter.fast_dataclass import dataclass, field

#: A page of 100 repositories is under 1 MB; a page is parsed whole, and a hostile one of empty
#: objects costs about 25 bytes of memory per byte.
MAX_PAGE_BYTES = 8 * 1024 * 1024
MAX_PAGES = 20_000
#: Entries read in one listing (listed, skipped, malformed or repeated): no organisation is this
#: large, and an API that keeps answering with full pages is stopped here.
MAX_LISTED_ENTRIES = 200_000
MAX_WAIT = 3600.0
MAX_RETRIES = 6
REQUEST_TIMEOUT = 60.0
GITHUB_DEFAULT = "https://api.github.com"
GITLAB_DEFAULT = "https://gitlab.com/api/v4"


class ApiError(RuntimeError):
    """The listing failed; the message is one line for ``practicelint: error:``."""


@dataclass(frozen=True)
class Listed:
    """One repository the host listed."""

    full_name: str
    clone_url: str
    archived: bool
    fork: bool
    empty: bool


@dataclass
class Listing:
    repos: list[Listed] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    pages: int = 0
    waited: float = 0.0


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the API's origin (the token travels with the request)."""

    def __init__(self, origin: tuple[str, str]) -> None:
        self.origin = origin

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if _origin(newurl) != self.origin:
            raise ApiError(f"the API redirected to another origin ({_origin(newurl)[1] or 'unknown'}); refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower().rpartition("@")[2]


def _header(headers: Any, name: str) -> str | None:
    value = headers.get(name) if headers is not None else None
    return value.strip() if isinstance(value, str) else None


def next_link(link: str | None) -> str | None:
    """The ``rel="next"`` target of an RFC 8288 ``Link`` header."""
    if not link:
        return None
    for part in link.split(","):
        section = part.strip()
        if not section.startswith("<") or ">" not in section:
            continue
        target, _, params = section[1:].partition(">")
        rels = [p.strip() for p in params.split(";") if p.strip().lower().startswith("rel=")]
        if any("next" in r.split("=", 1)[1].strip().strip('"').lower().split() for r in rels):
            return target.strip()
    return None


class Client:
    """GET JSON pages from one API origin, with rate-limit waits (``sleep`` and ``clock``
    are injectable for tests)."""

    def __init__(self, base: str, headers: dict[str, str], *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time, max_wait: float = MAX_WAIT,
                 remaining_headers: tuple[str, str] = ("x-ratelimit-remaining", "x-ratelimit-reset")) -> None:
        scheme = urlsplit(base).scheme.lower()
        if scheme not in ("https", "http") or not urlsplit(base).netloc:
            raise ApiError(f"API URL must be http(s): {base!r}")
        self.base = base.rstrip("/")
        self.origin = _origin(self.base)
        self.headers = {"User-Agent": "practicelint-audit", **headers}
        self.sleep, self.clock, self.max_wait = sleep, clock, max_wait
        self.remaining_header, self.reset_header = remaining_headers
        self.opener = urllib.request.build_opener(_SameOrigin(self.origin))
        self.waited = 0.0

    def _wait(self, seconds: float, why: str) -> None:
        seconds = max(0.0, seconds)
        if seconds > self.max_wait:
            raise ApiError(f"rate limited: the API asks to wait {seconds:.0f}s ({why}), more than {self.max_wait:.0f}s")
        self.waited += seconds
        self.sleep(seconds)

    def _limit_wait(self, headers: Any, status: int, attempt: int) -> float | None:
        """Seconds to wait before retrying a refused request, or ``None`` if it is not a rate limit."""
        retry_after = _header(headers, "retry-after")
        if retry_after is not None:
            try:
                return float(retry_after)
            except ValueError:
                return 60.0
        if _header(headers, self.remaining_header) == "0":
            return self._until_reset(headers)
        if status == 429:
            return 60.0 * (2 ** attempt)
        return None

    def _until_reset(self, headers: Any) -> float:
        reset = _header(headers, self.reset_header)
        try:
            return float(reset) - self.clock() + 1.0 if reset is not None else 60.0
        except ValueError:
            return 60.0

    def get(self, url: str) -> tuple[Any, Any]:
        """``(parsed JSON, response headers)`` of one page."""
        if _origin(url) != self.origin:
            raise ApiError("the API's next page is on another origin; refused")
        for attempt in range(MAX_RETRIES):
            request = urllib.request.Request(url, headers=self.headers)
            try:
                with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                    body = response.read(MAX_PAGE_BYTES + 1)
                    headers = response.headers
            except urllib.error.HTTPError as exc:
                wait = self._limit_wait(exc.headers, exc.code, attempt) if exc.code in (403, 429) else None
                if wait is None and exc.code >= 500 and attempt < MAX_RETRIES - 1:
                    wait = 2.0 ** attempt
                if wait is None:
                    raise ApiError(f"GET {_path(url)}: HTTP {exc.code} {_short(exc.reason)}") from None
                self._wait(wait, f"HTTP {exc.code}")
                continue
            except (urllib.error.URLError, OSError, ValueError) as exc:
                reason = getattr(exc, "reason", exc)
                raise ApiError(f"GET {_path(url)}: {_short(reason)}") from None
            if len(body) > MAX_PAGE_BYTES:
                raise ApiError(f"GET {_path(url)}: a page larger than {MAX_PAGE_BYTES} bytes")
            try:
                return json.loads(body.decode("utf-8")), headers
            except (UnicodeDecodeError, ValueError, RecursionError):  # json recurses per nesting level
                raise ApiError(f"GET {_path(url)}: the answer is not JSON") from None
        raise ApiError(f"GET {_path(url)}: still refused after {MAX_RETRIES} attempts")

    def pages(self, url: str) -> Iterator[list[Any]]:
        """Every page of a paginated list, following ``Link: rel="next"`` (or ``X-Next-Page``)."""
        count = 0
        while url:
            count += 1
            if count > MAX_PAGES:
                raise ApiError(f"more than {MAX_PAGES} pages; refused")
            data, headers = self.get(url)
            if not isinstance(data, list):
                raise ApiError(f"GET {_path(url)}: expected a JSON list of repositories")
            yield data
            following = next_link(_header(headers, "link"))
            if following is None:
                page = _header(headers, "x-next-page")
                following = _with_page(url, page) if page and page.isdigit() else None
            if following is not None:
                following = urljoin(url, following)
                if _header(headers, self.remaining_header) == "0":
                    self._wait(self._until_reset(headers), "no request left until the reset")
            url = following or ""


def _with_page(url: str, page: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query + [("page", page)]), ""))


def _path(url: str) -> str:
    return urlsplit(url).path[:200]


def _short(reason: Any) -> str:
    return " ".join(str(reason).split())[:200]


def _clone_host_ok(clone_url: str, api: str) -> bool:
    """A clone URL on the API's host (or the host the ``api.`` subdomain serves), over https
    (http only when the API is plain http)."""
    clone, base = urlsplit(clone_url), urlsplit(api)
    scheme = clone.scheme.lower()
    if scheme != "https" and not (scheme == "http" and base.scheme.lower() == "http"):
        return False
    if clone.username or clone.password or clone.query or clone.fragment:
        return False
    host, api_host = (clone.hostname or "").lower(), (base.hostname or "").lower()
    return bool(host) and host in (api_host, api_host.removeprefix("api."))


def _with_token(clone_url: str, user: str, token: str | None) -> str:
    """The clone URL with the token as credentials (``linter.audit.clone`` sends them as a
    header and writes them nowhere)."""
    if not token:
        return clone_url
    parts = urlsplit(clone_url)
    return urlunsplit((parts.scheme, f"{quote(user, safe='')}:{quote(token, safe='')}@{parts.netloc}", parts.path,
                       parts.query, parts.fragment))


def _flag(entry: dict[str, Any], key: str) -> bool:
    return entry.get(key) is True


def _collect(client: Client, url: str, entries: Callable[[dict[str, Any]], Listed | None],
             include: set[str]) -> Listing:
    listing = Listing()
    seen: set[str] = set()
    read = 0
    for page in client.pages(url):
        listing.pages += 1
        read += len(page)
        if read > MAX_LISTED_ENTRIES:
            raise ApiError(f"more than {MAX_LISTED_ENTRIES} entries listed; refused")
        for entry in page:
            item = entries(entry) if isinstance(entry, dict) else None
            if item is None:
                listing.skipped["malformed"] += 1
                continue
            if item.full_name in seen:
                continue
            seen.add(item.full_name)
            reason = next((r for r, hit in (("archived", item.archived), ("fork", item.fork), ("empty", item.empty))
                           if hit and r not in include), None)
            if reason:
                listing.skipped[reason] += 1
                continue
            listing.repos.append(item)
    listing.waited = client.waited
    return listing


def github_org(org: str, include: set[str], env: dict[str, str] | None = None,
               sleep: Callable[[float], None] = time.sleep) -> Listing:
    """The repositories of a GitHub organisation (see the module docstring)."""
    env = dict(os.environ if env is None else env)
    if not org or "/" in org or len(org) > 100:
        raise ApiError(f"--github-org: not an organisation name: {org!r}")
    base = env.get("GITHUB_API_URL") or GITHUB_DEFAULT
    token = env.get("GITHUB_TOKEN") or None
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    client = Client(base, headers, sleep=sleep)

    def entry(raw: dict[str, Any]) -> Listed | None:
        name, url = raw.get("full_name"), raw.get("clone_url")
        if not (isinstance(name, str) and isinstance(url, str) and 0 < len(name) <= 300 and len(url) <= 2000):
            return None
        if not _clone_host_ok(url, base):
            return None
        size = raw.get("size")
        return Listed(name, _with_token(url, "x-access-token", token), _flag(raw, "archived"), _flag(raw, "fork"),
                      isinstance(size, int) and size == 0)

    query = urlencode({"type": "all", "per_page": 100})
    return _collect(client, f"{client.base}/orgs/{quote(org, safe='')}/repos?{query}", entry, include)


def gitlab_group(group: str, include: set[str], env: dict[str, str] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> Listing:
    """The projects of a GitLab group and its subgroups (see the module docstring)."""
    env = dict(os.environ if env is None else env)
    if not group or len(group) > 500:
        raise ApiError(f"--gitlab-group: not a group id or path: {group!r}")
    base = env.get("CI_API_V4_URL") or env.get("GITLAB_API_URL") or GITLAB_DEFAULT
    token = env.get("GITLAB_TOKEN") or None
    client = Client(base, {"PRIVATE-TOKEN": token} if token else {}, sleep=sleep,
                    remaining_headers=("ratelimit-remaining", "ratelimit-reset"))

    def entry(raw: dict[str, Any]) -> Listed | None:
        name, url = raw.get("path_with_namespace"), raw.get("http_url_to_repo")
        if not (isinstance(name, str) and isinstance(url, str) and 0 < len(name) <= 500 and len(url) <= 2000):
            return None
        if not _clone_host_ok(url, base):
            return None
        return Listed(name, _with_token(url, "oauth2", token), _flag(raw, "archived"),
                      isinstance(raw.get("forked_from_project"), dict), _flag(raw, "empty_repo"))

    query = urlencode({"include_subgroups": "true", "with_shared": "false", "per_page": 100})
    return _collect(client, f"{client.base}/groups/{quote(group.strip('/'), safe='')}/projects?{query}", entry,
                    include)
