"""A small crawler: every URL and form a logged-in user can reach by following links."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

SKIP_PREFIXES = ("/static/", "/logout", "/lang/", "/favicon")


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    text_fields: list[str] = field(default_factory=list)
    file_fields: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            self._form = Form(self.page, urljoin(self.page, a.get("action") or self.page), (a.get("method") or "get").lower())
        elif self._form is not None and tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            name = a["name"]
            if kind in ("checkbox", "radio"):
                if name not in self._form.fields:
                    self._form.fields[name] = a.get("value", "y")
            elif kind == "file":
                self._form.file_fields.append(name)
            elif kind not in ("submit", "button"):
                self._form.fields[name] = a.get("value", "")
                if kind in ("text", "search", "email", "tel", "url", "password") and name != "csrf_token":
                    self._form.text_fields.append(name)
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
        elif self._select and tag == "option":
            if self._select not in self._form.fields or (a.get("value") and not self._form.fields[self._select]):
                self._form.fields[self._select] = a.get("value", "")
        elif self._form is not None and tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.fields[a["name"]] = ""
            self._form.text_fields.append(a["name"])

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _local(url: str) -> str | None:
    url = urldefrag(url)[0]
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or (parts.netloc and parts.netloc != "localhost"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/") or path.startswith(SKIP_PREFIXES):
        return None
    return path


def crawl(client, start: str, *, limit: int = 300) -> tuple[list[str], list[Form]]:
    """GET pages breadth-first from `start`, following local links; returns (urls, forms)."""
    seen: set[str] = set()
    queue = deque([start])
    urls: list[str] = []
    forms: list[Form] = []
    while queue and len(urls) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.status_code != 200:
            continue
        urls.append(url)
        if not response.mimetype.startswith("text/html"):
            continue
        parser = _PageParser(f"http://localhost{url}")
        parser.feed(response.get_data(as_text=True))
        for link in parser.links:
            local = _local(link)
            if local and local not in seen:
                queue.append(local)
        for form in parser.forms:
            form.action = _local(form.action) or form.action
            forms.append(form)
    return urls, forms
