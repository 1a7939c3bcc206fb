from html import escape

import rules
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from makerspace.accounts.models import Role
from makerspace.core.templatetags.rows import site_reverse

# The review chain's screens per role (makerspace.reviews).
REVIEW_NAV = {
    Role.APPLICANT: [("filed:my_reports", "年度报告")],
    Role.SUPERVISOR: [("reviews:supervisor_queue", "待审核申报")],
    Role.RECOMMENDER: [
        ("reviews:recommender_queue", "审核与推荐"),
        ("accounts:supervisor_requests", "主管部门添加"),
        ("filed:space_list", "备案众创空间"),
        ("filed:round_list", "年度报告"),
    ],
    Role.ACCEPTANCE: [("reviews:acceptance_queue", "受理")],
    Role.PROVINCE: [
        ("reviews:province_queue", "形式审查与择优推荐"),
        ("reviews:acceptance_queue", "材料受理"),
        ("scoring:province_home", "专家评审"),
        ("publicity:province_home", "公示与异议"),
        ("filed:space_list", "备案众创空间"),
        ("filed:round_list", "年度报告"),
        ("filed:evaluation_list", "绩效评价"),
        ("credit:register", "信用记录"),
        ("credit:review_quality", "审核质量"),
    ],
    Role.EXPERT: [("scoring:expert_home", "评审任务"), ("filed:expert_home", "绩效评价评分")],
    Role.ADMIN: [
        ("credit:register", "信用记录"),
        ("credit:review_quality", "审核质量"),
        ("accounts:supervisor_requests", "主管部门添加"),
    ],
    Role.MINISTRY: [("reviews:ministry_queue", "备案与公布"), ("filed:space_list", "备案众创空间")],
}


# The mark of the entry a page is on, in the menu and in an application's tabs.
CURRENT = ' aria-current="page"'


def navigation(request) -> dict:
    """Menu entries by role; each target view still asks the permission module itself."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    # rules' own rule set: a role check, without the auth backends' permission-table queries.
    exports = signed_in and rules.has_perm("documents.export_summary", user)
    role = user.role if signed_in else None
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language(), role, exports)
    entries = _MENUS.get(key)
    if entries is None:
        entries = _MENUS[key] = _menu(signed_in, role, exports)
    path = request.path
    # The menu is written here rather than in base.html's loop: it is on every page, and the
    # template language spent about 60 calls per entry on it.
    nav = "".join(
        f'<a href="{url}"{CURRENT if path == raw else ""}>{label}</a>' for raw, url, label in entries
    )
    return {"nav_html": mark_safe(nav), **_inbox(user)}


# Each menu, escaped, per URL configuration, script prefix, language, role and whether the role
# exports: everything its entries depend on (the entries above are constants), so a menu is
# built once per process and each page only marks the entry it is on.
_MENUS: dict[tuple, list[tuple[str, str, str]]] = {}


def _menu(signed_in: bool, role, exports: bool) -> list[tuple[str, str, str]]:
    items = [
        ("public:home", _("首页")),
        ("public:lists", _("备案名单")),
        ("publicity:notice_list", _("公示")),
        ("public:notice", _("通知原文")),
        ("public:blank_forms", _("空白表格")),
        # Each role's own dashboards (makerspace.stats), or the public figures.
        ("stats:home", _("统计")),
    ]
    if signed_in:
        items.append(("core:home", _("工作台")))
        if role == Role.APPLICANT:
            items.append(("applications:list", _("我的申报")))
        items += REVIEW_NAV.get(role, [])
        if exports:
            items.append(("documents:hub", _("文件中心")))
    urls = [(site_reverse(name), str(label)) for name, label in items]
    return [(url, escape(url), escape(label)) for url, label in urls]


def _inbox(user) -> dict:
    """The inbox link in the header, with the unread count: one indexed COUNT per page."""
    if user is None or not user.is_authenticated:
        return {}
    from makerspace.notifications.selectors import unread_count

    return {"inbox_url": site_reverse("notifications:inbox"), "inbox_unread": unread_count(user)}
