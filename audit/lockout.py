"""Locking out repeated failed logins (django-axes): a limit per person and another per address, the login page's
answer to a locked-out attempt, and who is locked out now.

A person (the username typed, from any address) is locked after ``LOCKOUT_USER_FAILURES`` failures; an address
(over any usernames) after ``LOCKOUT_ADDRESS_FAILURES``. Failures count as axes counts them: its rows (one per
username, address and browser) whose last failure is within the cool-off (``AXES_COOLOFF_TIME``). A lock therefore
ends one cool-off after the failure that reached the limit, since attempts made while locked are not counted
(``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT`` off) and the page can say when. A successful login does not
clear the failures (``AXES_RESET_ON_SUCCESS`` off): otherwise an attacker holding one account could clear their
address's count between guesses. Administrators lift a lock early (``audit.services.unlock``).
"""

from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.template.response import TemplateResponse
from django.utils import timezone

LOGIN_TEMPLATE = "registration/login.html"
PERSON, ADDRESS = "username", "ip_address"  # axes' names of the two lockout parameters


def limits():
    return {PERSON: settings.LOCKOUT_USER_FAILURES, ADDRESS: settings.LOCKOUT_ADDRESS_FAILURES}


def _counted(now=None):
    """The attempts whose failures still count: the last failure within the cool-off."""
    return AccessAttempt.objects.filter(attempt_time__gte=(now or timezone.now()) - get_cool_off())


def _lock_end(rows, limit, cool_off):
    """When a lock over ``rows`` ((attempt time, failures), newest first) ends: once the newest failures that reach
    ``limit`` have aged out of the cool-off. None if they do not reach it."""
    total = 0
    for attempt_time, failures in rows:
        total += failures
        if total >= limit:
            return attempt_time + cool_off
    return None


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with a limit of its own for the person and for the address.

    axes locks when ``get_failures()`` reaches ``AXES_FAILURE_LIMIT``, one number for every lockout parameter. Here
    ``AXES_FAILURE_LIMIT`` is 1 and ``get_failures()`` answers how many of the two limits are used up.
    """

    def get_failures(self, request, credentials=None):
        return len(self.used_up(request, credentials))

    def _attempts(self, request, credentials):
        counted = _counted(request.axes_attempt_time)
        return {
            PERSON: counted.filter(username=get_client_username(request, credentials)),
            ADDRESS: counted.filter(ip_address=request.axes_ip_address),
        }

    def used_up(self, request, credentials=None):
        """The parameters (PERSON, ADDRESS) of this login whose limit is reached."""
        wanted = limits()
        return [
            parameter
            for parameter, attempts in self._attempts(request, credentials).items()
            if (attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0) >= wanted[parameter]
        ]

    def locked_until(self, request, credentials=None):
        """When the lock on this login ends (the later of the person's and the address's), or None."""
        wanted, cool_off = limits(), get_cool_off(request)
        ends = [
            _lock_end(
                attempts.order_by("-attempt_time").values_list("attempt_time", "failures_since_start"),
                wanted[parameter],
                cool_off,
            )
            for parameter, attempts in self._attempts(request, credentials).items()
        ]
        return max((end for end in ends if end is not None), default=None)


def _when(moment):
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"{local:%H:%M}"
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def lockout_message(used_up, until):
    who = {(PERSON,): "该账号", (ADDRESS,): "您所在的网络地址"}.get(tuple(used_up), "该账号和您所在的网络地址")
    when = f"请于 {_when(until)} 后再试" if until else "请稍后再试"
    return f"{who}登录失败次数过多，已暂时锁定。{when}；如需提前解除，请联系系统管理员。"


def lockout_response(request, original_response=None, credentials=None):
    """axes' AXES_LOCKOUT_CALLABLE: the login page again, saying when to try again (status 429, Retry-After)."""
    handler = AxesProxyHandler.get_implementation()
    until = handler.locked_until(request, credentials)
    message = lockout_message(handler.used_up(request, credentials), until)
    names = getattr(original_response, "template_name", None) or []
    names = [names] if isinstance(names, str) else list(names)
    if LOGIN_TEMPLATE in names and getattr(original_response, "context_data", None) is not None:
        context = dict(original_response.context_data)  # the login view's own (its form, next, the county)
    else:  # another login form (the admin's): the site's login page
        context = {"form": AuthenticationForm(request), "next": request.POST.get("next", "")}
    context["lockout_message"] = message
    response = TemplateResponse(request, LOGIN_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
    if until:
        response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds())))
    return response.render()


@dataclass
class Lockout:
    """Failures counted now against a person or an address."""

    kind: str  # PERSON or ADDRESS
    value: str
    failures: int
    limit: int
    last_failure: datetime
    locked_until: datetime | None

    @property
    def locked(self):
        return self.locked_until is not None and self.locked_until > timezone.now()


def current_failures():
    """Every person and address with failures counted now, the locked ones first (one query)."""
    now, cool_off, wanted = timezone.now(), get_cool_off(), limits()
    fields = ("username", "ip_address", "attempt_time", "failures_since_start")
    rows = list(_counted(now).order_by("-attempt_time").values_list(*fields))
    found = []
    for kind, index in ((PERSON, 0), (ADDRESS, 1)):
        groups = {}
        for row in rows:
            groups.setdefault(row[index], []).append((row[2], row[3]))
        for value, attempts in groups.items():
            if value is None:
                continue
            found.append(
                Lockout(
                    kind=kind,
                    value=value,
                    failures=sum(failures for _time, failures in attempts),
                    limit=wanted[kind],
                    last_failure=attempts[0][0],
                    locked_until=_lock_end(attempts, wanted[kind], cool_off),
                )
            )
    return sorted(found, key=lambda lockout: (not lockout.locked, -lockout.failures, lockout.kind, lockout.value))


def reset(*, username=None, address=None):
    """Forget the failures of a person (from every address) or of an address (for every person)."""
    if username:
        return AxesProxyHandler.reset_attempts(username=username)
    if address:
        return AxesProxyHandler.reset_attempts(ip_address=address)
    return 0


def typed_username(request, credentials=None):
    """The username axes counts failures against: as typed, without NUL characters and cut to the length a username
    can have (150), so a hostile 10,000-character or NUL-laden username is counted, not a database error."""
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "POST", {}).get("username")
    return str(typed or "").replace("\x00", "")[:150] or None
