import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from makerspace.core.tests.factories import UserFactory
from makerspace.notifications.models import Notification

pytestmark = pytest.mark.django_db


def notify(user, n: int = 1, **extra) -> list[Notification]:
    return Notification.objects.bulk_create(
        Notification(
            recipient=user, kind="submit", title=f"通知{i}", body="正文", link="/workspace/", **extra
        )
        for i in range(n)
    )


def test_inbox_lists_only_the_users_own_notifications(client):
    me, other = UserFactory(), UserFactory()
    notify(me, 2)
    Notification.objects.create(recipient=other, kind="submit", title="别人的秘密通知")
    client.force_login(me)

    response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 200
    assert sorted(n.title for n in response.context["page"]) == ["通知0", "通知1"]
    assert "别人的秘密通知" not in response.content.decode()


def test_header_shows_the_unread_count(client):
    me = UserFactory()
    notify(me, 3)
    client.force_login(me)

    html = client.get(reverse("notifications:inbox")).content.decode()

    assert 'class="inbox-link"' in html
    assert '<span class="badge">3</span>' in html


def test_the_unread_count_is_the_unread_rows_of_the_users_own_inbox():
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from makerspace.accounts.models import Role
    from makerspace.notifications.selectors import unread_count
    from makerspace.permissions import visible_notifications

    me, other, nobody = UserFactory(), UserFactory(), UserFactory()
    notify(me, 3)
    notify(me, 2, read_at=timezone.now())
    notify(other, 4)
    # One user of every role, superuser included, each with an inbox of its own size.
    staff = [UserFactory(role=role, is_superuser=role == Role.ADMIN) for role in Role.values]
    for n, user in enumerate(staff, start=1):
        notify(user, n)

    for user in (me, other, nobody, *staff):
        assert unread_count(user) == visible_notifications(user).filter(read_at__isnull=True).count()
    assert [unread_count(me), unread_count(other), unread_count(nobody)] == [3, 4, 0]
    assert [unread_count(user) for user in staff] == list(range(1, len(staff) + 1))
    assert unread_count(AnonymousUser()) == 0
    with CaptureQueriesContext(connection) as queries:
        unread_count(me)
    assert len(queries) == 1


def test_marking_read_needs_post_and_is_the_recipients_alone(client):
    me, other = UserFactory(), UserFactory()
    (mine,) = notify(me)
    (theirs,) = notify(other)
    client.force_login(me)

    assert client.get(reverse("notifications:read", args=[mine.pk])).status_code == 405
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None

    response = client.post(reverse("notifications:read", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_opening_a_notification_marks_it_read_and_follows_its_link(client):
    me = UserFactory()
    (mine,) = notify(me)
    client.force_login(me)

    response = client.post(reverse("notifications:read", args=[mine.pk]), {"open": "1"})

    assert response.status_code == 302
    assert response.url == "/workspace/"


def test_an_offsite_link_is_never_followed(client):
    me = UserFactory()
    (mine,) = notify(me)
    Notification.objects.filter(pk=mine.pk).update(link="https://evil.example.com/")
    client.force_login(me)

    response = client.post(reverse("notifications:read", args=[mine.pk]), {"open": "1"})

    assert response.url == reverse("notifications:inbox")


def test_mark_all_read_touches_only_own_unread(client):
    me, other = UserFactory(), UserFactory()
    notify(me, 3)
    notify(other, 2)
    client.force_login(me)

    client.post(reverse("notifications:read_all"))

    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 2


def test_unread_filter(client):
    me = UserFactory()
    first, _ = notify(me, 2)
    Notification.objects.filter(pk=first.pk).update(title="已读的", read_at="2026-01-01T00:00:00Z")
    client.force_login(me)

    html = client.get(reverse("notifications:inbox"), {"show": "unread"}).content.decode()

    assert "已读的" not in html
    assert "通知1" in html


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def _inbox_queries(client, count: int) -> list[str]:
    me = UserFactory()
    notify(me, count)
    client.force_login(me)
    client.get(reverse("notifications:inbox"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("notifications:inbox")).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_inbox_query_count_does_not_grow_with_the_inbox(client):
    few, many = _inbox_queries(client, 1), _inbox_queries(client, 80)

    assert len(few) == len(many)
    # Of them, the inbox's own: the header's unread count, the page's count and its rows.
    assert len([sql for sql in many if "notifications_notification" in sql]) == 3
