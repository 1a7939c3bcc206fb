"""Machinery of the URL-walk permission test (test_url_permissions.py): every URL pattern of the
project, every role, the status each must get. The registry of expectations lives in the test."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Expected outcomes of a GET.
OK = 200
LOGIN = "login"  # 302 to the login page
REDIRECT = 302  # any other redirect
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405

# The roles the walk plays. "other_*" belong to a second, unrelated world (another unit), so their
# expectation is what a party gets on *others'* objects; the rest belong to the object's own world.
ROLES = (
    "anonymous",
    "owner",
    "other_applicant",
    "supervisor",
    "other_supervisor",
    "recommender",
    "other_recommender",
    "acceptance",
    "province",
    "expert",
    "ministry",
    "admin",
    "superuser",  # the administrator's account with Django's is_superuser and is_staff set
)
CHAIN = ("supervisor", "recommender", "acceptance", "province", "ministry")

# URL names the walk never visits: Django's own admin and the language switch (POST-only,
# no permission involved).
SKIPPED_NAMESPACES = ("admin",)
SKIPPED_NAMES = {"set_language"}


def expect(default, **by_role) -> dict[str, object]:
    """One expectation per role: `default` for every role not named."""
    unknown = set(by_role) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; use one of {ROLES}")
    found = {role: by_role.get(role, default) for role in ROLES}
    # A superuser is asked the same rules as its role (the administrator): Django's flag adds nothing.
    found["superuser"] = by_role.get("superuser", found["admin"])
    return found


def signed_in(status, **by_role) -> dict[str, object]:
    """Anonymous visitors go to the login page; signed-in roles get `status` unless named."""
    return expect(status, anonymous=LOGIN, **by_role)


def owner_only(status=OK, *, others=NOT_FOUND, **by_role) -> dict[str, object]:
    """The applicant's own object: the owner gets `status`, everyone else `others` (not visible)."""
    return expect(others, **{"anonymous": LOGIN, "owner": status, **by_role})


def chain_sees(status=OK, *, up_to: str = "ministry", others=NOT_FOUND, **by_role) -> dict[str, object]:
    """An application its owner and the chain up to (and including) `up_to` see; the province
    sees what the acceptance unit sees."""
    visible = list(CHAIN[: CHAIN.index(up_to) + 1])
    if "acceptance" in visible:
        visible.append("province")
    base = {"anonymous": LOGIN, "owner": status, **dict.fromkeys(visible, status)}
    return expect(others, **{**base, **by_role})


@dataclass(frozen=True)
class Entry:
    """What each role gets on GET of one URL.

    `on` names the state of the application the URL is built on (see Objects.application);
    `kwargs` builds the URL's arguments when the defaults (pk → application, space_id, case_id,
    attachment_id, number, section, batch_id) do not fit."""

    expect: dict[str, object]
    on: str = "draft"
    kwargs: Callable[["Objects"], dict] | None = None
    query: str = ""


@dataclass
class Objects:
    """The objects the walk builds URLs from, made lazily and once per test by the real services."""

    world: object
    other_world: object
    _applications: dict = field(default_factory=dict)
    _extra: dict = field(default_factory=dict)

    # How far each state is from a complete draft, by the transitions of World.advance.
    STATES = {
        "draft": None,
        "at_supervisor": [],
        "at_recommender": ["forward"],
        "recommended": ["forward", "recommend"],
        "delivered": ["forward", "recommend", "deliver"],
        "received": ["forward", "recommend", "deliver", "receive"],
        "formal_passed": ["forward", "recommend", "deliver", "receive", "pass_formal_review"],
        "recommended_to_ministry": [
            "forward",
            "recommend",
            "deliver",
            "receive",
            "pass_formal_review",
            "select",
        ],
        "filed": ["forward", "recommend", "deliver", "receive", "pass_formal_review", "select", "file"],
        "published": [
            "forward",
            "recommend",
            "deliver",
            "receive",
            "pass_formal_review",
            "select",
            "file",
            "publish",
        ],
    }

    def application(self, state: str):
        if state not in self._applications:
            steps = self.STATES[state]
            if steps is None:
                application = self.world.complete_draft()
            else:
                application = self.world.advance(self.world.submitted(), *steps)
            self._applications[state] = application
        return self._applications[state]

    def get(self, key: str, build: Callable[["Objects"], object]):
        """Any other object an entry needs (a reviews submission, a notification…), built once."""
        if key not in self._extra:
            self._extra[key] = build(self)
        return self._extra[key]

    def users(self) -> dict[str, object]:
        w, o = self.world, self.other_world
        return {
            "anonymous": None,
            "owner": w.applicant,
            "other_applicant": o.applicant,
            "supervisor": w.supervisor,
            "other_supervisor": o.supervisor,
            "recommender": w.recommender,
            "other_recommender": o.recommender,
            "acceptance": w.acceptance,
            "province": w.province,
            "expert": w.expert,
            "ministry": w.ministry,
            "admin": w.admin,
            "superuser": w.superuser,
        }


def default_kwargs(pattern_keys: list[str], entry: Entry, objects: Objects) -> dict:
    if entry.kwargs is not None:
        return entry.kwargs(objects)
    application = objects.application(entry.on)
    values = {
        "pk": lambda: application.pk,
        "space_id": lambda: application.space_id,
        "case_id": lambda: application.success_cases.order_by("pk").first().pk,
        "attachment_id": lambda: application.attachments.order_by("pk").first().pk,
        "number": lambda: application.current_version or 1,
        "section": lambda: "entity",
        "batch_id": lambda: application.batch_id,
        "uidb64": lambda: "MQ",
        "token": lambda: "invalid-token",
    }
    missing = [key for key in pattern_keys if key not in values]
    if missing:
        raise KeyError(f"no default for URL arguments {missing}: give the entry a `kwargs` builder")
    return {key: values[key]() for key in pattern_keys}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    keys: list[str]


def walk(patterns=None, namespace: str | None = None, prefix: str = "") -> Iterator[Route]:
    """Every named URL pattern of the project, recursively through includes."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            if ns and ns.split(":")[0] in SKIPPED_NAMESPACES:
                continue
            yield from walk(pattern.url_patterns, ns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if route.startswith(("static/", "media/")) or pattern.name in SKIPPED_NAMES:
                continue
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            if name is None:
                name = f"<unnamed {route}>"
            yield Route(name, route, list(pattern.pattern.converters))


def outcome(response, login_url: str) -> object:
    if response.status_code == 302:
        return LOGIN if response.url.split("?")[0] == login_url else REDIRECT
    return response.status_code


def run_entry(client, route: Route, entry: Entry, objects: Objects) -> list[str]:
    """GET the URL as every role; return one line per role whose status differs from the entry."""
    url = reverse(route.name, kwargs=default_kwargs(route.keys, entry, objects)) + entry.query
    login_url = reverse("accounts:login")
    problems = []
    for role, user in objects.users().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        got = outcome(client.get(url), login_url)
        if got != entry.expect[role]:
            problems.append(f"{route.name} {url} as {role}: expected {entry.expect[role]}, got {got}")
    return problems


REFUSED = (LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED)


def footprint() -> tuple:
    """What a refused POST must leave as it was: the audit chain, the events and notifications,
    every application's state and row version, and the rows of the review chain's records."""
    from makerspace.applications.models import Application, ApplicationEvent
    from makerspace.audit.models import AuditEvent
    from makerspace.notifications.models import Notification
    from makerspace.reviews.models import Review

    return (
        AuditEvent.objects.count(),
        ApplicationEvent.objects.count(),
        Notification.objects.count(),
        Review.objects.count(),
        tuple(Application.objects.order_by("pk").values_list("pk", "state", "row_version")),
    )


def run_post_entry(client, route: Route, entry: Entry, objects: Objects, may_post=None) -> list[str]:
    """POST (no data) to the URL as every role. No role ever gets a server error; a role the URL
    refuses (by its GET, or, for a POST-only URL, by not being in `may_post`) is refused on POST
    too and writes nothing; a role `may_post` names gets past the permission module."""
    url = reverse(route.name, kwargs=default_kwargs(route.keys, entry, objects)) + entry.query
    login_url = reverse("accounts:login")
    problems = []
    for role, user in objects.users().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        if may_post is not None:
            refused = role not in may_post
        else:
            refused = entry.expect[role] in (LOGIN, FORBIDDEN, NOT_FOUND)
        before = footprint() if refused else None
        response = client.post(url, {})
        got = outcome(response, login_url)
        if response.status_code >= 500:
            problems.append(f"POST {route.name} {url} as {role}: server error {response.status_code}")
        elif refused and got not in REFUSED:
            problems.append(f"POST {route.name} {url} as {role}: expected a refusal, got {got}")
        elif refused and footprint() != before:
            problems.append(f"POST {route.name} {url} as {role}: refused but wrote to the database")
        elif not refused and may_post is not None and got in (LOGIN, FORBIDDEN, NOT_FOUND):
            problems.append(f"POST {route.name} {url} as {role}: expected to be let through, got {got}")
    return problems
