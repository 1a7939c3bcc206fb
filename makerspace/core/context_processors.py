from django.urls import reverse

from makerspace.accounts.models import Role


def navigation(request) -> dict:
    """Menu entries by role; each target view still asks the permission module itself."""
    user = getattr(request, "user", None)
    items = [("public:home", "首页")]
    if user is not None and user.is_authenticated:
        items.append(("core:home", "工作台"))
        if user.role == Role.APPLICANT:
            items.append(("applications:list", "我的申报"))
    path = request.path
    entries = []
    for name, label in items:
        url = reverse(name)
        entries.append({"url": url, "label": label, "active": path == url})
    return {"nav_items": entries, **_inbox(user)}


def _inbox(user) -> dict:
    """The inbox link in the header, with the unread count: one indexed COUNT per page."""
    if user is None or not user.is_authenticated:
        return {}
    from makerspace.notifications.selectors import unread_count

    return {"inbox_url": reverse("notifications:inbox"), "inbox_unread": unread_count(user)}
