"""Login lockout: one lockout per account, whatever spelling was typed (django-axes).

Contract (settings ``AXES_*`` in ``cms_site/settings/base.py`` point here):

- **Account key.** ``account_key`` resolves the typed identifier with the same function the
  password check uses (the app's ``backends.login_accounts``), so ``p958270(2)``, ``P9582702``, the
  phone ``+86 138-0013-8000`` and ``138 0013 8000`` of the same person are one key: the
  account's username. Failures count against that key from every address: 5 failures
  (``AXES_FAILURE_LIMIT``) within 15 minutes (``AXES_COOLOFF_TIME``) lock the account, and
  while it is locked even the right password, typed in any spelling, is refused before it is
  checked.
- **Unknown identifiers** all share the key ``UNKNOWN_IDENTIFIER`` and are counted per
  client address: ``LOGIN_UNKNOWN_IDENTIFIER_LIMIT`` failures with identifiers that match no
  account within the cool-off pause *every* login from that address (known accounts
  included), so probing random ID numbers is throttled and a locked address gives the same
  answer for every identifier. The limit is higher than the per-account one, because a
  training room behind one NAT address mistypes ID numbers now and then.
- **Tries during a lockout do not extend it** (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT
  = False``): they are refused without a password check and not recorded, so a lockout ends
  15 minutes after the failure that caused it, and the page can say how many minutes remain.
- **Same answer, same cost.** A wrong password and an unknown identifier get the same form
  error and run the password hasher once each; a locked account and a locked address get the
  same page with the minutes left (``lockout_response``).
- A successful login clears the account's own failures, not the address's probing count.
"""

import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessBase
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from ..backends import login_accounts

# Usernames cannot contain brackets or spaces (Django's username validator), so this key
# never collides with a real account.
UNKNOWN_IDENTIFIER = "(unknown identifier)"

_CACHE_ATTRIBUTE = "_login_account_keys"


def _typed_identifier(request, credentials):
    if credentials:
        return credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    data = getattr(request, "POST", None) or {}
    return data.get(settings.AXES_USERNAME_FORM_FIELD)


def account_key(request, credentials=None):
    """``AXES_USERNAME_CALLABLE``: the username of the account the identifier means, or
    ``UNKNOWN_IDENTIFIER``. Memoised per request (axes asks several times per login)."""
    identifier = (_typed_identifier(request, credentials) or "")[:256]
    cache = getattr(request, _CACHE_ATTRIBUTE, None)
    if cache is None:
        cache = {}
        if request is not None:
            setattr(request, _CACHE_ATTRIBUTE, cache)
    if identifier not in cache:
        accounts = login_accounts(identifier)
        cache[identifier] = accounts[0].get_username() if accounts else UNKNOWN_IDENTIFIER
    return cache[identifier]


def lockout_parameters(request_or_attempt, credentials=None):
    """``AXES_LOCKOUT_PARAMETERS``: an account is counted across addresses; unknown
    identifiers per address. (Used by axes for resets and log lines; the lock decision is
    ``AccountLockoutHandler.get_failures``.)"""
    if isinstance(request_or_attempt, AccessBase):
        key = request_or_attempt.username
    else:
        key = get_client_username(request_or_attempt, credentials)
    if key == UNKNOWN_IDENTIFIER:
        return [["username", "ip_address"]]
    return ["username"]


def _recent_attempts(request):
    since = (getattr(request, "axes_attempt_time", None) or timezone.now()) - get_cool_off(request)
    return AccessAttempt.objects.filter(attempt_time__gte=since)


def _counted(attempts):
    return [(row.attempt_time, row.failures_since_start) for row in attempts.order_by("-attempt_time")]


def _lock_end(rows, limit, cool_off):
    """When a lock built from ``rows`` (newest first) ends: the newest failures keep it while
    they still reach ``limit``; it ends when the row that completes the limit expires."""
    total = 0
    for attempt_time, failures in rows:
        total += failures
        if total >= limit:
            return attempt_time + cool_off
    return None


def lock_ends_at(request, credentials=None):
    """When the lockout that applies to this request ends, or ``None`` if it is not locked."""
    key = account_key(request, credentials)
    cool_off = get_cool_off(request)
    recent = _recent_attempts(request)
    ends = []
    if key != UNKNOWN_IDENTIFIER:
        ends.append(_lock_end(_counted(recent.filter(username=key)), get_failure_limit(request, credentials), cool_off))
    probing = recent.filter(username=UNKNOWN_IDENTIFIER, ip_address=getattr(request, "axes_ip_address", None))
    ends.append(_lock_end(_counted(probing), settings.LOGIN_UNKNOWN_IDENTIFIER_LIMIT, cool_off))
    ends = [end for end in ends if end is not None]
    return max(ends) if ends else None


class AccountLockoutHandler(AxesDatabaseHandler):
    """The axes database handler, deciding "locked?" by account and by probing address."""

    def get_failures(self, request, credentials=None) -> int:
        """Failures on the axes scale: the account's failures from every address, or the
        full failure limit when this address has used up its unknown-identifier allowance."""
        key = account_key(request, credentials)
        recent = _recent_attempts(request)
        account = 0
        if key != UNKNOWN_IDENTIFIER:
            account = sum(failures for _, failures in _counted(recent.filter(username=key)))
        probing = recent.filter(username=UNKNOWN_IDENTIFIER, ip_address=request.axes_ip_address)
        if sum(failures for _, failures in _counted(probing)) >= settings.LOGIN_UNKNOWN_IDENTIFIER_LIMIT:
            return max(account, get_failure_limit(request, credentials))
        return account


def remaining_minutes(request, credentials=None, now=None):
    """Whole minutes (rounded up, at least 1) until the lockout of this request ends."""
    end = lock_ends_at(request, credentials)
    if end is None:
        return 1
    seconds = (end - (now or timezone.now())) / timedelta(seconds=1)
    return max(1, math.ceil(seconds / 60))


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the translated lockout page with the minutes that remain."""
    context = {"minutes": remaining_minutes(request, credentials)}
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
