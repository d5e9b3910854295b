"""The audit of staff reads is complete by construction: walk every staff page of the demo,
as every demo staff account, following the links each page offers; wherever a page names
a family (a parent's full name in the HTML), that request wrote a read event for that
family (on the event itself, or among the family ids it lists).

A new page or panel that shows a family without recording the read fails here."""

import html
import re
from collections import defaultdict, deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from babysteps.accounts.models import User
from babysteps.audit.models import AuditEvent
from babysteps.families.models import Parent

pytestmark = pytest.mark.django_db

HREF = re.compile(r"""href="([^"#]+)""")
# Not pages to read: signing out, the Django admin (its own audit), static files, the
# parents' portal (parents are not staff), the API (its reads are tested in tests/api).
SKIP_PREFIXES = ("/accounts/sign-out/", "/admin/", "/static/", "/portal/", "/api/")
PER_ROUTE = 3  # distinct URLs per route and account: enough to meet each page's variants
PER_ACCOUNT = 400


def _names() -> dict[str, set[int]]:
    names: dict[str, set[int]] = defaultdict(set)
    for parent in Parent.objects.all():
        if len(parent.full_name) >= 6:
            names[parent.full_name].add(parent.family_id)
    return names


def _covered(events) -> set[int]:
    ids: set[int] = set()
    for event in events:
        if event.family_id:
            ids.add(event.family_id)
        ids.update(event.detail.get("family_ids", []))
        ids.update(event.detail.get("shown", {}).get("family", []))
    return ids


def _links(body: str, base: str) -> list[str]:
    found = []
    for href in HREF.findall(body):
        url = urljoin(base, html.unescape(href))
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not path.startswith(SKIP_PREFIXES):
            found.append(path)
    return found


def _route(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return None


def _walk(user: User, names: dict[str, set[int]]) -> tuple[int, list[str]]:
    client = Client()
    client.force_login(user)
    queue, seen, per_route = deque(["/"]), {"/"}, defaultdict(int)
    visited, failures = 0, []
    while queue and visited < PER_ACCOUNT:
        url = queue.popleft()
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(url)
        visited += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = html.unescape(response.content.decode())
        named = {fid for name, fids in names.items() if name in body for fid in fids}
        events = AuditEvent.objects.filter(pk__gt=last, actor=user)
        missing = named - _covered(events)
        if missing:
            failures.append(f"{user.email} {url}: names families {sorted(missing)} unaudited")
        for link in _links(response.content.decode(), url):
            route = _route(link)
            if link in seen or route is None or per_route[route] >= PER_ROUTE:
                continue
            seen.add(link)
            per_route[route] += 1
            queue.append(link)
    return visited, failures


def test_every_staff_page_of_the_demo_audits_the_families_it_names():
    call_command("demo", "--quiet")
    names = _names()
    assert len(names) > 20
    staff = User.objects.filter(is_active=True, memberships__isnull=False).distinct()
    failures, visited = [], {}
    for user in staff.order_by("email"):
        visited[user.email], found = _walk(user, names)
        failures.extend(found)
    # The walk really went round the pages (a broken crawler would pass vacuously).
    assert sum(visited.values()) > 100, visited
    assert max(visited.values()) > 30, visited
    assert not failures, "\n".join(failures)
