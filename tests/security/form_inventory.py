"""Finding the site's HTML forms: every page of the URL conf that a visitor or a learner
can open is fetched and its ``<form method="post">`` elements are read (action, fields,
field types, choices). The form fuzzer posts generated values to each of them."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import NoReverseMatch, Resolver404, resolve, reverse


@dataclass
class FormField:
    name: str
    kind: str  # input type ("text", "number", "file", "checkbox", ...), "select" or "textarea"
    choices: list[str] = field(default_factory=list)
    value: str = ""


@dataclass
class Form:
    page: str
    action: str
    multipart: bool
    fields: dict[str, FormField] = field(default_factory=dict)

    @property
    def url_name(self) -> str:
        try:
            return resolve(urlsplit(self.action).path).view_name
        except Resolver404:
            return ""


class _FormParser(HTMLParser):
    def __init__(self, page):
        super().__init__()
        self.page, self.forms, self._form, self._select = page, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            post = (attrs.get("method") or "get").lower() == "post"
            action = urljoin(self.page, attrs.get("action") or self.page)
            self._form = Form(self.page, action, "multipart" in (attrs.get("enctype") or "")) if post else None
            if self._form is not None:
                self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag in ("input", "button"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            existing = self._form.fields.get(attrs["name"])
            if existing and kind in ("radio", "checkbox"):
                existing.choices.append(attrs.get("value") or "on")
            else:
                choices = [attrs.get("value") or "on"] if kind in ("radio", "checkbox") else []
                self._form.fields[attrs["name"]] = FormField(attrs["name"], kind, choices, attrs.get("value") or "")
        elif tag == "textarea":
            self._form.fields[attrs["name"]] = FormField(attrs["name"], "textarea")
        elif tag == "select":
            self._select = FormField(attrs["name"], "select")
            self._form.fields[attrs["name"]] = self._select
        if tag == "option" and self._select is not None:
            self._select.choices.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_on(url: str, html: str) -> list[Form]:
    parser = _FormParser(url)
    parser.feed(html)
    return parser.forms


def page_urls(routes, page_names, kwargs_for) -> tuple[list[str], list[str]]:
    """URLs of the classified pages that can be reversed with the world's objects, and the
    names that could not (no object of that kind in the world)."""
    urls, unreachable = [], []
    for route in routes:
        if route.name not in page_names:
            continue
        try:
            urls.append(reverse(route.name, kwargs=kwargs_for(route)))
        except NoReverseMatch:
            unreachable.append(route.name)
    return urls, unreachable
