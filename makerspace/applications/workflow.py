"""The one state machine of an application (DESIGN §3).

Every state and every transition lives here, with the role that may fire it; the object-level check
(is this *your* application?) is asked of the permission module. Transitions change nothing but the
state: the service `applications.services.application_transition` wraps each one in a transaction
with its event and audit row.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    AT_SUPERVISOR = "at_supervisor", _("主管部门审核中")
    AT_RECOMMENDER = "at_recommender", _("推荐单位审核中")
    RECOMMENDED = "recommended", _("推荐单位已推荐")
    DECLINED = "declined", _("推荐单位不予推荐")
    DELIVERED = "delivered", _("已报送受理单位")
    RECEIVED = "received", _("受理单位已受理")
    FORMAL_PASSED = "formal_passed", _("形式审查通过")
    FORMAL_FAILED = "formal_failed", _("形式审查未通过")
    RECOMMENDED_TO_MINISTRY = "recommended_to_ministry", _("已推荐至科技部")
    NOT_RECOMMENDED = "not_recommended", _("省科技厅未推荐")
    FILED = "filed", _("科技部已备案")
    NOT_FILED = "not_filed", _("科技部未予备案")
    PUBLISHED = "published", _("已公布")
    WITHDRAWN = "withdrawn", _("已撤回")
    DISQUALIFIED = "disqualified", _("已取消资格")


# States from which the applicant may still withdraw: everything before the ministry's decision.
WITHDRAWABLE = [
    State.DRAFT,
    State.AT_SUPERVISOR,
    State.AT_RECOMMENDER,
    State.RECOMMENDED,
    State.DELIVERED,
    State.RECEIVED,
    State.FORMAL_PASSED,
]
# States in which fabrication found by the province cancels the application (R7).
DISQUALIFIABLE = [
    *WITHDRAWABLE,
    State.RECOMMENDED_TO_MINISTRY,
    State.FILED,
    State.PUBLISHED,
]
RETURNABLE = [State.AT_SUPERVISOR, State.AT_RECOMMENDER, State.RECOMMENDED, State.RECEIVED]
EDITABLE = [State.DRAFT]


class Level(models.IntegerChoices):
    """How far up the chain an application has climbed; decides who may see it."""

    APPLICANT = 0, _("申报单位")
    SUPERVISOR = 1, _("主管部门")
    RECOMMENDER = 2, _("推荐单位")
    ACCEPTANCE = 3, _("受理单位")
    PROVINCE = 4, _("省科技厅")
    MINISTRY = 5, _("科技部")


LEVEL_OF_STATE = {
    State.DRAFT: Level.APPLICANT,
    State.AT_SUPERVISOR: Level.SUPERVISOR,
    State.AT_RECOMMENDER: Level.RECOMMENDER,
    State.RECOMMENDED: Level.RECOMMENDER,
    State.DECLINED: Level.RECOMMENDER,
    State.DELIVERED: Level.ACCEPTANCE,
    State.RECEIVED: Level.ACCEPTANCE,
    State.FORMAL_PASSED: Level.PROVINCE,
    State.FORMAL_FAILED: Level.PROVINCE,
    State.NOT_RECOMMENDED: Level.PROVINCE,
    State.RECOMMENDED_TO_MINISTRY: Level.MINISTRY,
    State.FILED: Level.MINISTRY,
    State.NOT_FILED: Level.MINISTRY,
    State.PUBLISHED: Level.MINISTRY,
}
TERMINAL = [
    State.DECLINED,
    State.FORMAL_FAILED,
    State.NOT_RECOMMENDED,
    State.NOT_FILED,
    State.PUBLISHED,
    State.WITHDRAWN,
    State.DISQUALIFIED,
]


def may(transition_name: str):
    """The fsm permission hook: the permission module decides, per object and user."""

    def check(instance, user) -> bool:
        return user.has_perm(f"applications.{transition_name}", instance)

    return check


class ApplicationWorkflow(ConcurrentTransitionMixin, models.Model):
    """Mixed into Application. ConcurrentTransitionMixin makes the save of a transition conditional
    on the state it started from, so of two reviewers deciding at once exactly one wins."""

    state = FSMField(_("状态"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    # applicant
    @transition(state, source=State.DRAFT, target=State.AT_SUPERVISOR, permission=may("submit"))
    def submit(self):
        """提交：申报单位提交至主管部门。"""

    @transition(state, source=WITHDRAWABLE, target=State.WITHDRAWN, permission=may("withdraw"))
    def withdraw(self):
        """撤回：申报单位在科技部决定前撤回申请。"""

    # supervising department
    @transition(state, source=State.AT_SUPERVISOR, target=State.AT_RECOMMENDER, permission=may("forward"))
    def forward(self):
        """审核通过：主管部门出具信用承诺书并报推荐单位。"""

    @transition(state, source=RETURNABLE, target=State.DRAFT, permission=may("return_to_applicant"))
    def return_to_applicant(self):
        """退回修改：附意见退回申报单位。"""

    # recommending unit
    @transition(state, source=State.AT_RECOMMENDER, target=State.RECOMMENDED, permission=may("recommend"))
    def recommend(self):
        """推荐：推荐单位逐项审核后同意推荐。"""

    @transition(state, source=State.AT_RECOMMENDER, target=State.DECLINED, permission=may("decline"))
    def decline(self):
        """不予推荐。"""

    @transition(state, source=State.RECOMMENDED, target=State.DELIVERED, permission=may("deliver"))
    def deliver(self):
        """报送：推荐单位随推荐函整批报送受理单位。"""

    # acceptance unit
    @transition(state, source=State.DELIVERED, target=State.RECEIVED, permission=may("receive"))
    def receive(self):
        """受理：电子档齐全且纸质材料一式两份已登记。"""

    # province
    @transition(
        state, source=State.RECEIVED, target=State.FORMAL_PASSED, permission=may("pass_formal_review")
    )
    def pass_formal_review(self):
        """形式审查通过。"""

    @transition(
        state, source=State.RECEIVED, target=State.FORMAL_FAILED, permission=may("fail_formal_review")
    )
    def fail_formal_review(self):
        """形式审查未通过。"""

    @transition(
        state, source=State.FORMAL_PASSED, target=State.RECOMMENDED_TO_MINISTRY, permission=may("select")
    )
    def select(self):
        """择优推荐至科技部。"""

    @transition(state, source=State.FORMAL_PASSED, target=State.NOT_RECOMMENDED, permission=may("not_select"))
    def not_select(self):
        """未入选推荐名单。"""

    @transition(state, source=DISQUALIFIABLE, target=State.DISQUALIFIED, permission=may("disqualify"))
    def disqualify(self):
        """发现弄虚作假：取消资格并记入不良科技信用记录（R7）。"""

    # ministry
    @transition(state, source=State.RECOMMENDED_TO_MINISTRY, target=State.FILED, permission=may("file"))
    def file(self):
        """备案。"""

    @transition(
        state, source=State.RECOMMENDED_TO_MINISTRY, target=State.NOT_FILED, permission=may("not_file")
    )
    def not_file(self):
        """不予备案。"""

    @transition(state, source=State.FILED, target=State.PUBLISHED, permission=may("publish"))
    def publish(self):
        """公布备案名单。"""


TRANSITION_NAMES = [
    "submit",
    "withdraw",
    "forward",
    "return_to_applicant",
    "recommend",
    "decline",
    "deliver",
    "receive",
    "pass_formal_review",
    "fail_formal_review",
    "select",
    "not_select",
    "disqualify",
    "file",
    "not_file",
    "publish",
]

# Transitions that must carry a written reason.
REASON_REQUIRED = {
    "return_to_applicant",
    "decline",
    "fail_formal_review",
    "disqualify",
    "not_file",
    "withdraw",
}
