import rules
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
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


_CURRENT = mark_safe(' aria-current="page"')


def navigation(request) -> dict:
    """Menu entries by role; each target view still asks the permission module itself."""
    user = getattr(request, "user", None)
    items = [
        ("public:home", _("首页")),
        ("public:lists", _("备案名单")),
        ("publicity:notice_list", _("公示")),
        ("public:notice", _("通知原文")),
        ("public:blank_forms", _("空白表格")),
        # Each role's own dashboards (makerspace.stats), or the public figures.
        ("stats:home", _("统计")),
    ]
    if user is not None and user.is_authenticated:
        items.append(("core:home", _("工作台")))
        if user.role == Role.APPLICANT:
            items.append(("applications:list", _("我的申报")))
        items += REVIEW_NAV.get(user.role, [])
        # rules' own rule set: a role check, without the auth backends' permission-table queries.
        if rules.has_perm("documents.export_summary", user):
            items.append(("documents:hub", _("文件中心")))
    path = request.path
    entries = [(site_reverse(name), label) for name, label in items]
    # The menu is written here rather than in base.html's loop: it is on every page, and the
    # template language spent about 60 calls per entry on it.
    nav = format_html_join(
        "", '<a href="{}"{}>{}</a>', ((url, _CURRENT if path == url else "", label) for url, label in entries)
    )
    return {"nav_html": nav, **_inbox(user)}


def _inbox(user) -> dict:
    """The inbox link in the header, with the unread count: one indexed COUNT per page."""
    if user is None or not user.is_authenticated:
        return {}
    from makerspace.notifications.selectors import unread_count

    return {"inbox_url": site_reverse("notifications:inbox"), "inbox_unread": unread_count(user)}
