"""Plain helpers for tests (fixtures live in conftest.py)."""

import time

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def mainland_id(serial: int, birth: str = "19900307", region: str = "110105") -> str:
    """A valid mainland resident ID number (GB 11643 check digit) for test learners."""
    from cms_site.accounts.services.identity import mainland_check_character

    first17 = f"{region}{birth}{serial:03d}"
    return first17 + mainland_check_character(first17)


def browser_login(page, username, password):
    """Log in through the real login form in a Playwright page."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")


def requests_login(base_url, username, password):
    """A ``requests`` session logged in through the real login form of a live server."""
    import requests

    session = requests.Session()
    session.get(f"{base_url}/accounts/login/")
    token = session.cookies["csrftoken"]
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base_url}/accounts/login/"},
    )
    assert response.ok and "sessionid" in session.cookies
    return session


def wait_for_js(page, expression, timeout=30.0):
    """Poll a JS expression (which may return a promise) until it is truthy.

    Use this rather than Playwright's ``wait_for_function``: the site's CSP forbids
    ``eval``, which ``wait_for_function`` needs once it has to poll, and it would take a
    pending promise itself as truthy."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while True:
        try:
            value = page.evaluate(expression)
        except Error as err:  # the page navigated meanwhile (e.g. an update reload)
            if "destroyed" not in str(err) and "navigat" not in str(err):
                raise
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still falsy after {timeout}s: {expression}")
        page.wait_for_timeout(100)
