"""The one state machine of an application (DESIGN §3), over its batch's chain of steps.

An application's state names where it stands: a phase of one kind of step (at the supervising
department, recommended and waiting for the unit's delivery, delivered, …) or an outcome (draft,
returned, declined at a step, published, withdrawn, disqualified, revoked). Each kind stands at most
once in a batch's chain (`batches.Step`), so the state names the step; where a transition leads is
read from the chain (`GET_STATE`), so one machine serves every chain a batch configures.

Every rule of DESIGN §4 that guards a transition is declared once, in `GUARDS`, as that
transition's conditions: no service, command, import, API or demo can fire a transition without its
rules. `unmet(application, name, actor)` gives the same conditions as messages, for the refusal and
for the disabled button's reason. A condition about the party firing the transition (the reviewer's
integrity) reads the actor that `acting` names while the transition fires: django-fsm hands its
conditions the instance only, and without an actor such a condition is unmet. Who may fire a
transition is asked of the permission module. Transitions
change nothing but the state: `applications.services.application_transition` wraps each in a
transaction with its event and audit row.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition

from makerspace.batches.models import Kind

from . import conditions as c


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    RETURNED = "returned", _("已退回修改")
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
    REVOKED = "revoked", _("已撤销备案")
    WITHDRAWN = "withdrawn", _("已撤回")
    DISQUALIFIED = "disqualified", _("已取消资格")


# The step kind each state stands at.
KIND_OF_STATE = {
    State.AT_SUPERVISOR: Kind.ATTEST,
    State.AT_RECOMMENDER: Kind.UNIT_REVIEW,
    State.RECOMMENDED: Kind.UNIT_REVIEW,
    State.DECLINED: Kind.UNIT_REVIEW,
    State.DELIVERED: Kind.RECEIPT,
    State.RECEIVED: Kind.FORMAL_REVIEW,
    State.FORMAL_FAILED: Kind.FORMAL_REVIEW,
    State.FORMAL_PASSED: Kind.SELECTION,
    State.NOT_RECOMMENDED: Kind.SELECTION,
    State.RECOMMENDED_TO_MINISTRY: Kind.FILING,
    State.FILED: Kind.FILING,
    State.NOT_FILED: Kind.FILING,
    State.PUBLISHED: Kind.FILING,
    State.REVOKED: Kind.FILING,
}
# The state an application enters a step of each kind in.
ENTRY = {
    Kind.ATTEST: State.AT_SUPERVISOR,
    Kind.UNIT_REVIEW: State.AT_RECOMMENDER,
    Kind.RECEIPT: State.DELIVERED,
    Kind.FORMAL_REVIEW: State.RECEIVED,
    Kind.SELECTION: State.FORMAL_PASSED,
    Kind.FILING: State.RECOMMENDED_TO_MINISTRY,
}
ENTRIES = list(ENTRY.values())

# In a step and waiting for its party (the party's queue).
PENDING = [*ENTRIES, State.RECOMMENDED, State.FILED]
EDITABLE = [State.DRAFT, State.RETURNED]
# The applicant may withdraw before the ministry's decision.
WITHDRAWABLE = [
    *EDITABLE,
    State.AT_SUPERVISOR,
    State.AT_RECOMMENDER,
    State.RECOMMENDED,
    State.DELIVERED,
    State.RECEIVED,
    State.FORMAL_PASSED,
]
# Fabrication found by the province cancels the application in any of these (R7).
DISQUALIFIABLE = [*WITHDRAWABLE, State.RECOMMENDED_TO_MINISTRY, State.FILED, State.PUBLISHED]
RETURNABLE = [
    State.AT_SUPERVISOR,
    State.AT_RECOMMENDER,
    State.RECOMMENDED,
    State.DELIVERED,
    State.RECEIVED,
    State.FORMAL_PASSED,
]
TERMINAL = [
    State.DECLINED,
    State.FORMAL_FAILED,
    State.NOT_RECOMMENDED,
    State.NOT_FILED,
    State.PUBLISHED,
    State.REVOKED,
    State.WITHDRAWN,
    State.DISQUALIFIED,
]
# Finished: nobody has anything left to do with it (a published space may still be revoked).
FINISHED = [s for s in TERMINAL if s != State.PUBLISHED]


class Level(models.IntegerChoices):
    """How far up the chain an application has climbed (the highest party that held it);
    decides who may see it."""

    APPLICANT = 0, _("申报单位")
    SUPERVISOR = 1, _("主管部门")
    RECOMMENDER = 2, _("推荐单位")
    ACCEPTANCE = 3, _("受理单位")
    PROVINCE = 4, _("省科技厅")
    MINISTRY = 5, _("科技部")


def kind_of(state: str) -> str | None:
    return KIND_OF_STATE.get(state)


def step_of(application):
    """The step of its batch's chain the application stands at, or None (draft, returned, withdrawn,
    disqualified)."""
    kind = kind_of(application.state)
    return application.batch.step(kind) if kind else None


def _entry_after(application, kind: str | None) -> str:
    step = application.batch.step_after(kind)
    if step is None:
        raise c.ChainEnd(f"“{application.batch.title}”的审核链在此结束。")
    return ENTRY[step.kind]


def _first_entry(application) -> str:
    return _entry_after(application, None)


def _next_entry(application) -> str:
    return _entry_after(application, kind_of(application.state))


def _recommended_or_next(application) -> str:
    step = step_of(application)
    return State.RECOMMENDED if step is not None and step.delivers_as_batch else _next_entry(application)


def _unit_decided_state(application) -> str:
    return State.RECOMMENDED


# The rules that guard each transition, each declared once (DESIGN §4). A transition not named
# here has none beyond its source state and its party. The reviewer's integrity comes after the
# rules of the application itself, so a reviewer first hears what the review still lacks.
GUARDS: dict[str, tuple[c.Rule, ...]] = {
    "submit": (c.R5_SUBMISSION_OPEN, c.R1_TO_R4_READY, c.R8_NO_BAD_CREDIT, c.FROZEN_VERSION),
    "return_to_applicant": (c.REVIEWER_INTEGRITY,),
    "forward": (
        c.R5_STEP_OPEN,
        c.R8_NO_BAD_CREDIT,
        c.R3_SUPERVISOR_COMMITMENT,
        c.R6_ATTESTED,
        c.REVIEWER_INTEGRITY,
    ),
    "recommend": (
        c.R5_STEP_OPEN,
        c.R8_NO_BAD_CREDIT,
        c.R6_REVIEWED_RECOMMEND,
        c.R9_NO_FAILED_CONDITION,
        c.REGIONAL_QUOTA,
        c.REVIEWER_INTEGRITY,
    ),
    "decline": (c.R6_REVIEWED_DECLINE, c.REVIEWER_INTEGRITY),
    "deliver": (c.R5_STEP_OPEN, c.R8_NO_BAD_CREDIT, c.RANKED_BY_UNIT, c.R3_DELIVERED_WITH_LETTER),
    "recall": (c.FLAGGED_BY_RECEIPT,),
    "receive": (c.R8_NO_BAD_CREDIT, c.R3_RECEIVABLE),
    "pass_formal_review": (
        c.R8_NO_BAD_CREDIT,
        c.R6_REVIEWED_PASS,
        c.R9_NO_FAILED_CONDITION,
        c.REVIEWER_INTEGRITY,
    ),
    "fail_formal_review": (c.R6_REVIEWED_FAIL, c.REVIEWER_INTEGRITY),
    "select": (c.R5_STEP_OPEN, c.R8_NO_BAD_CREDIT, c.R10_RANKED_WITHIN_QUOTA, c.PUBLICITY_CLEARED),
    "not_select": (c.R5_STEP_OPEN,),
    "file": (c.R8_NO_BAD_CREDIT,),
    "disqualify": (c.R7_FABRICATION_RECORDED,),
}


# Who fires the transition now being fired (see `acting`).
_actor: ContextVar = ContextVar("workflow_actor", default=None)


@contextmanager
def acting(user) -> Iterator[None]:
    """Fire transitions inside this block as `user`: the conditions about the actor read it."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def unmet(application, name: str, actor=None) -> list[c.Unmet]:
    """Every condition of transition `name` that the application (and `actor`, or the user that
    `acting` names, firing it) does not meet now, with the rule it belongs to and the message a
    user reads. Empty when the transition may go."""
    actor = actor if actor is not None else _actor.get()
    found = []
    for rule in GUARDS.get(name, ()):
        items = rule.check(application, name, actor) if rule.of_actor else rule.check(application, name)
        found += [item if isinstance(item, c.Unmet) else c.Unmet(rule.code, item) for item in items]
    return found


def batch_unmet(batch, name: str, unit_id=None) -> list[c.Unmet]:
    """The conditions of transition `name` that no application of the batch (or of the unit) can
    meet now: the batch-wide part of each rule, as its rule runs it. For the reason a page gives
    beside an action disabled on every row."""
    source = next(iter(getattr(ApplicationWorkflow, name)._django_fsm.transitions))
    kind = kind_of(source)
    return [
        c.Unmet(rule.code, message)
        for rule in GUARDS.get(name, ())
        if rule.of_batch is not None
        for message in rule.of_batch(batch, kind, unit_id)
    ]


def when(name: str):
    """The transition's conditions for django-fsm: met when `unmet` finds nothing."""

    def met(instance) -> bool:
        return not unmet(instance, name)

    met.__name__ = f"rules_of_{name}"
    return [met] if name in GUARDS else []


def may(transition_name: str):
    """The fsm permission hook: the permission module decides, per object and user."""

    def check(instance, user) -> bool:
        return user.has_perm(f"applications.{transition_name}", instance)

    return check


def _t(name: str, source, target):
    return transition(
        field="state", source=source, target=target, permission=may(name), conditions=when(name)
    )


NEXT = GET_STATE(_next_entry, states=ENTRIES)


class ApplicationWorkflow(ConcurrentTransitionMixin, models.Model):
    """Mixed into Application. ConcurrentTransitionMixin makes the save of a transition conditional
    on the state it started from, so of two reviewers deciding at once exactly one wins."""

    state = FSMField(_("状态"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    # applicant
    @_t("submit", EDITABLE, GET_STATE(_first_entry, states=ENTRIES))
    def submit(self):
        """提交：申报单位提交，进入审核链的第一个环节。"""

    @_t("withdraw", WITHDRAWABLE, State.WITHDRAWN)
    def withdraw(self):
        """撤回：申报单位在科技部决定前撤回申请。"""

    # any step's party: back to the applicant for changes, with the comments
    @_t("return_to_applicant", RETURNABLE, State.RETURNED)
    def return_to_applicant(self):
        """退回修改：附意见退回申报单位。"""

    # 主管部门 (attest)
    @_t("forward", State.AT_SUPERVISOR, NEXT)
    def forward(self):
        """审核通过：主管部门出具信用承诺书并报下一环节。"""

    # 推荐单位 (unit review)
    @_t(
        "recommend",
        State.AT_RECOMMENDER,
        GET_STATE(_recommended_or_next, states=[State.RECOMMENDED, *ENTRIES]),
    )
    def recommend(self):
        """推荐：推荐单位逐项审核后同意推荐。"""

    @_t("decline", State.AT_RECOMMENDER, State.DECLINED)
    def decline(self):
        """不予推荐。"""

    @_t("deliver", State.RECOMMENDED, NEXT)
    def deliver(self):
        """报送：推荐单位随推荐函整批报送（含补报）。"""

    # receipt
    @_t("recall", State.DELIVERED, GET_STATE(_unit_decided_state, states=[State.RECOMMENDED]))
    def recall(self):
        """撤回报送：受理方指出材料问题后，推荐单位将申报从报送中撤回。"""

    @_t("receive", State.DELIVERED, NEXT)
    def receive(self):
        """受理：电子档齐全且纸质材料一式两份已登记。"""

    # 省科技厅
    @_t("pass_formal_review", State.RECEIVED, NEXT)
    def pass_formal_review(self):
        """形式审查通过。"""

    @_t("fail_formal_review", State.RECEIVED, State.FORMAL_FAILED)
    def fail_formal_review(self):
        """形式审查未通过。"""

    @_t("select", State.FORMAL_PASSED, NEXT)
    def select(self):
        """择优推荐至科技部。"""

    @_t("not_select", State.FORMAL_PASSED, State.NOT_RECOMMENDED)
    def not_select(self):
        """未入选推荐名单。"""

    @_t("disqualify", DISQUALIFIABLE, State.DISQUALIFIED)
    def disqualify(self):
        """发现弄虚作假：取消资格并记入不良科技信用记录（R7）。"""

    # 科技部
    @_t("file", State.RECOMMENDED_TO_MINISTRY, State.FILED)
    def file(self):
        """备案。"""

    @_t("not_file", State.RECOMMENDED_TO_MINISTRY, State.NOT_FILED)
    def not_file(self):
        """不予备案。"""

    @_t("publish", State.FILED, State.PUBLISHED)
    def publish(self):
        """公布备案名单。"""

    @_t("revoke", State.PUBLISHED, State.REVOKED)
    def revoke(self):
        """撤销备案：已公布的众创空间被撤销，公开名单标注为已撤销。"""


TRANSITION_NAMES = [
    "submit",
    "withdraw",
    "return_to_applicant",
    "forward",
    "recommend",
    "decline",
    "deliver",
    "recall",
    "receive",
    "pass_formal_review",
    "fail_formal_review",
    "select",
    "not_select",
    "disqualify",
    "file",
    "not_file",
    "publish",
    "revoke",
]

# Transitions that must carry a written reason.
REASON_REQUIRED = {
    "return_to_applicant",
    "decline",
    "recall",
    "fail_formal_review",
    "disqualify",
    "not_file",
    "withdraw",
    "revoke",
}


def state_label(application) -> str:
    """The state as its reader should see it: a receipt held by the province reads 已报送省科技厅."""
    state = application.state
    if state in (State.DELIVERED, State.RECEIVED):
        receipt = application.batch.step(Kind.RECEIPT)
        if receipt is None:
            return str(_("形式审查中")) if state == State.RECEIVED else str(State(state).label)
        party = receipt.get_party_display()
        return f"已报送{party}" if state == State.DELIVERED else f"{party}已受理"
    key = (state, get_language())
    label = _STATE_LABELS.get(key)
    if label is None:
        label = _STATE_LABELS[key] = str(State(state).label)
    return label


# Each state's label per language: a queue names the state of each of its rows, and the label,
# translated lazily, costs some 40 calls each time it is made a string.
_STATE_LABELS: dict[tuple[str, str | None], str] = {}


def level_of(application) -> int | None:
    """The level of the party that holds the application's step now."""
    from makerspace.batches.chain import PARTY_LEVEL

    step = step_of(application)
    return PARTY_LEVEL[step.party] if step is not None else None
