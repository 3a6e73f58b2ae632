"""Security headers: CSP everywhere; HSTS and secure cookies with production settings; no
inline script runs without the response's CSP nonce (templates scanned, pages crawled)."""

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_csp_and_basic_headers(client, site_data):
    response = client.get("/programs/energy/")
    csp = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'self'", "base-uri 'self'"):
        assert directive in csp
    assert "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Referrer-Policy"] == "same-origin"


PROBE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
from django.test import Client
client = Client()
plain = client.get("/healthz")
secure = client.get("/healthz", secure=True)
from django.conf import settings
print(json.dumps({
    "redirect": [plain.status_code, plain.get("Location", "")],
    "hsts": secure.get("Strict-Transport-Security", ""),
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


def test_production_settings_force_https_hsts_and_secure_cookies(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms_site.settings.production",
        "DJANGO_SECRET_KEY": "p" * 60,
        "ALLOWED_HOSTS": "testserver",
        "SITE_BASE_URL": "https://testserver",
        "CERTPLATFORM_DATA_DIR": str(tmp_path),
    }
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "WEB_CONCURRENCY", "LOCAL_MEMORY_CACHE"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["redirect"][0] == 301 and facts["redirect"][1].startswith("https://")
    assert "max-age=31536000" in facts["hsts"] and "includeSubDomains" in facts["hsts"]
    assert facts["csrf_cookie_secure"] is True
    assert facts["session_cookie_secure"] is True


# --- CSP: no inline script without this response's nonce ---------------------------------

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}
OUR_TEMPLATE_DIRS = [p for p in ROOT.glob("*/") if p.name not in {".venv", "static_collected", "var", "node_modules", ".git"}]


def script_src(csp):
    return next(d for d in csp.split(";") if d.strip().startswith("script-src")).split()[1:]


def test_script_src_has_no_unsafe_inline_or_eval(client, site_data):
    for url in ("/", "/programs/energy/", "/accounts/login/", "/admin/login/"):
        response = client.get(url)
        sources = script_src(response["Content-Security-Policy"])
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, (url, sources)
        assert "'self'" in sources


class ScriptAudit(HTMLParser):
    """Collects executable inline scripts and inline event handlers of a rendered page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inline_scripts = []  # (attrs, first line of the body)
        self.handlers = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith("javascript:"):
                self.handlers.append((tag, name, value))
        if tag == "script" and not attrs.get("src") and (attrs.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            self._open = attrs

    def handle_data(self, data):
        if self._open is not None and data.strip():
            self.inline_scripts.append((self._open, data.strip().splitlines()[0][:80]))
            self._open = None

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def audit(response):
    parser = ScriptAudit()
    parser.feed(response.content.decode())
    csp = response.get("Content-Security-Policy", "")
    nonces = set(re.findall(r"'nonce-([^']+)'", csp))
    unsafe = [(attrs, body) for attrs, body in parser.inline_scripts if attrs.get("nonce") not in nonces]
    return parser, unsafe


def crawl(client, seeds, limit, skip=()):
    """GET same-site HTML pages reachable from ``seeds`` (breadth first, at most ``limit``)."""
    queue, seen, pages = list(seeds), set(), []
    while queue and len(pages) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen or any(word in url for word in skip):
            continue
        seen.add(path)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages.append((url, response))
        for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
            target = urljoin(url, href.replace("&amp;", "&"))
            if urlsplit(target).path not in seen and not target.startswith(("/static/", "/media/")):
                queue.append(target)
    return pages


SKIP = ("logout", "/download", "/export", ".csv", ".xlsx", ".pdf", "/pack", "/material", "/snapshot", "/photo",
        "/sw.js", "/manifest", "/icons/", "/i18n/", "/documents/", "/images/")


def test_rendered_learner_pages_run_no_inline_script_without_the_nonce(client, world):
    client.force_login(world["owner"])
    pages = crawl(client, ["/", "/dashboard/", "/programs/energy/", "/programs/energy/exam/"], limit=40, skip=SKIP)
    assert len(pages) >= 15, [url for url, _ in pages]
    for url, response in pages:
        parser, unsafe = audit(response)
        assert not unsafe, (url, unsafe)
        assert not parser.handlers, (url, parser.handlers)


def test_rendered_admin_pages_run_no_inline_script_without_the_nonce(client, world):
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    admin = get_user_model().objects.create_superuser(username="csp-admin", password="Admin-2026!")
    client.force_login(admin)
    editable = Page.objects.filter(depth__gt=1).order_by("depth").first()
    seeds = ["/admin/", f"/admin/pages/{editable.pk}/edit/", "/admin/snippets/", f"/admin/pages/{editable.pk}/"]
    pages = crawl(client, seeds, limit=45, skip=SKIP + ("/delete", "/unpublish", "/lock", "/revisions/", "/history/"))
    assert len(pages) >= 25, [url for url, _ in pages]
    problems = []
    for url, response in pages:
        parser, unsafe = audit(response)
        problems += [(url, problem) for problem in unsafe + parser.handlers]
    assert not problems, problems
    # The page editor's date-time widgets do run inline scripts, and they carry the nonce.
    editor = next(response for url, response in pages if url.endswith(f"/{editable.pk}/edit/"))
    assert re.search(r'<script nonce="[^"]+">initDateTimeChooser', editor.content.decode())


def test_templates_have_no_inline_script_without_a_nonce():
    """Every template of the project: an executable inline <script> carries a nonce, and no
    element has an on*= event handler or a javascript: URL (neither can carry a nonce)."""
    offenders, templates = [], 0
    for base in OUR_TEMPLATE_DIRS:
        for path in base.rglob("templates/**/*.html"):
            templates += 1
            text = path.read_text()
            for match in re.finditer(r"<script\b([^>]*)>", text):
                attrs = match.group(1)
                if "src=" in attrs or re.search(r'type="(application/(ld\+)?json|text/template)"', attrs):
                    continue
                if "nonce=" not in attrs:
                    offenders.append((str(path.relative_to(ROOT)), match.group(0)))
            for match in re.finditer(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", text):
                offenders.append((str(path.relative_to(ROOT)), match.group(0)[:80]))
            if "javascript:" in text:
                offenders.append((str(path.relative_to(ROOT)), "javascript: URL"))
    assert templates > 50
    assert not offenders, offenders
