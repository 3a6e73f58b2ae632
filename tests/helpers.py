"""Plain helpers for tests (fixtures live in conftest.py)."""

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
    from cms_site.accounts.identity import mainland_check_character

    first17 = f"{region}{birth}{serial:03d}"
    return first17 + mainland_check_character(first17)


def browser_login(page, username, password):
    """Log in through the real login form in a Playwright page."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
