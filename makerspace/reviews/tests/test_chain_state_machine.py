"""A stateful property test of the review chain (issue: the review chain as data). Every party acts
at random through the real services: applicants submit, withdraw and resubmit; reviewers return,
decide, deliver, flag and recall; the province extends deadlines and disqualifies. After every step:

- no dead end: each application that is not finished has a party that may move it, and that
  party's own screen shows the action;
- no rule skipped: every application past a step has what the step requires;
- the audit chain verifies.

It runs on the 2018 Jiangsu chain and on the chain without a 主管部门 where the province receives.
"""

import contextlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from makerspace.applications import services as applications
from makerspace.applications.models import Application
from makerspace.applications.workflow import FINISHED, RETURNABLE, WITHDRAWABLE, State
from makerspace.audit.services import audit_verify
from makerspace.batches.models import Level
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.core.tests.factories import BatchFactory, World, login_verified
from makerspace.reviews import chain
from makerspace.reviews import services as reviews
from makerspace.reviews.checks import Material
from makerspace.reviews.models import PaperReceipt, Review, UnitSubmission

# What a refusal of the rules looks like: the machine tries, the rules say no, nothing moves.
REFUSALS = (RuleViolation, StateConflict, ValidationError, PermissionDenied)

# The forward move of each state, by the party that holds it (World.advance does its work).
FORWARD = {
    State.AT_SUPERVISOR: "forward",
    State.AT_RECOMMENDER: "recommend",
    State.RECOMMENDED: "deliver",
    State.DELIVERED: "receive",
    State.RECEIVED: "pass_formal_review",
    State.FORMAL_PASSED: "select",
    State.RECOMMENDED_TO_MINISTRY: "file",
    State.FILED: "publish",
}
NEGATIVE = {
    State.AT_RECOMMENDER: "decline",
    State.RECEIVED: "fail_formal_review",
    State.FORMAL_PASSED: "not_select",
    State.RECOMMENDED_TO_MINISTRY: "not_file",
}
# Transitions that move an application on (an escape like withdraw or disqualify is not progress).
MOVES = {"submit", *FORWARD.values(), *NEGATIVE.values(), "return_to_applicant", "recall"}


class ChainMachine(RuleBasedStateMachine):
    preset = "jiangsu_2018"
    applications = Bundle("applications")

    def __init__(self):
        super().__init__()
        self.world = World(batch=BatchFactory(chain=self.preset))
        self.users = {**self.world.users(), "owner": self.world.applicant}
        self.client = Client()

    def app(self, pk) -> Application:
        return Application.objects.select_related("batch", "space").get(pk=pk)

    # Applicants ------------------------------------------------------------------------------

    @rule(target=applications)
    def submit_a_new_application(self):
        return self.world.submitted().pk

    @rule(pk=applications)
    def resubmit_after_return(self, pk):
        application = self.app(pk)
        if application.state != State.RETURNED:
            return
        applications.commitment_sign(user=self.world.applicant, application=application, signatory="王法人")
        with contextlib.suppress(REFUSALS):
            applications.application_submit(user=self.world.applicant, application=self.app(pk))

    @rule(pk=applications, draw=st.integers(min_value=0, max_value=3))
    def withdraw(self, pk, draw):
        application = self.app(pk)
        if draw == 0 and application.state in WITHDRAWABLE:
            applications.application_withdraw(
                user=self.world.applicant, application=application, reason="不再申报"
            )

    # Reviewers -------------------------------------------------------------------------------

    @rule(pk=applications, steps=st.integers(min_value=1, max_value=8))
    def holders_move_it_on(self, pk, steps):
        """Each holder in turn does its work and moves the application on, `steps` times."""
        for _ in range(steps):
            self._try(pk, FORWARD)

    # Saying no, returning and flagging end or loop an application's way: drawn one time in four,
    # so that runs reach the far end of the chain too.
    @rule(pk=applications, draw=st.integers(min_value=0, max_value=3))
    def holder_says_no(self, pk, draw):
        if draw == 0:
            self._try(pk, NEGATIVE)

    @rule(pk=applications, draw=st.integers(min_value=0, max_value=3))
    def holder_returns_it(self, pk, draw):
        application = self.app(pk)
        if draw == 0 and application.state in RETURNABLE:
            self._try(pk, {application.state: "return_to_applicant"})

    @rule(pk=applications)
    def receipt_flags_and_unit_recalls(self, pk):
        application = self.app(pk)
        if application.state != State.DELIVERED:
            return
        receiver = self.world.acceptance if self.world._receipt_party(application) == "acceptance" else None
        receiver = receiver or self.world.province
        reviews.material_check_record(
            user=receiver,
            application=application,
            missing=[Material.RECOMMENDATION_LETTER],
            note="推荐函未加盖公章",
        )
        reviews.delivery_recall(
            user=self.world.recommender, application=self.app(pk), reason="补盖公章后补报"
        )

    # The province ----------------------------------------------------------------------------

    @rule(days=st.integers(min_value=1, max_value=30), level=st.sampled_from(list(Level.values)))
    def province_extends_a_deadline(self, days, level):
        from makerspace.batches.deadlines import effective_deadline

        current = effective_deadline(self.world.batch, level)
        if current is None:
            return
        reviews.deadline_extend(
            user=self.world.province,
            batch=self.world.batch,
            level=level,
            new_deadline=current + timedelta(days=days),
            reason="统一延期",
        )

    @rule(pk=applications, draw=st.integers(min_value=0, max_value=3))
    def province_disqualifies(self, pk, draw):
        if draw:
            return
        with contextlib.suppress(REFUSALS):
            chain.disqualify(self.app(pk), self.world.province)

    def _try(self, pk, moves):
        application = self.app(pk)
        name = moves.get(application.state)
        if name is None:
            return
        with contextlib.suppress(REFUSALS):
            self.world.advance(application, name)

    # After every step ------------------------------------------------------------------------

    @invariant()
    def no_dead_end(self):
        for application in Application.objects.filter(batch=self.world.batch).select_related(
            "batch", "space"
        ):
            if application.state in FINISHED or application.state == State.PUBLISHED:
                continue
            # A move the party may make from this state; its rules may still ask work of the party
            # first (a review, a signature), which the screen offers.
            movers = [
                (role, t.name)
                for t in application.get_all_state_transitions()
                if t.name in MOVES and t.source in (application.state, "*", "+")
                for role, user in self.users.items()
                if user.has_perm(f"applications.{t.name}", application)
            ]
            assert movers, f"{application.number} stuck at {application.state}: nobody may move it"
            role = movers[0][0]
            url, actions = screen(application)
            user = self.users[role]
            self.client.logout()
            login_verified(self.client, user) if role != "owner" else self.client.force_login(user)
            html = self.client.get(url).content.decode()
            assert any(action in html for action in actions), (
                f"{application.number} at {application.state}: {role}'s screen {url} shows none of {actions}"
            )

    @invariant()
    def no_rule_skipped(self):
        for application in Application.objects.filter(batch=self.world.batch).prefetch_related("events"):
            for event in application.events.all():
                problem = EVIDENCE.get(event.transition, lambda a, e: "")(application, event)
                assert not problem, f"{application.number} {event.transition}: {problem}"

    @invariant()
    def audit_chain_verifies(self):
        assert audit_verify()[1] is None


class ProvinceReceiptMachine(ChainMachine):
    preset = "province_receipt"


def screen(application) -> tuple[str, list[str]]:
    """The holder's own screen for the application, and the action URLs it should carry."""
    pk, batch = application.pk, application.batch_id
    state = application.state
    if state in (State.DRAFT, State.RETURNED):
        return reverse("applications:detail", args=[pk]), [reverse("applications:submit", args=[pk])]
    if state == State.AT_SUPERVISOR:
        return reverse("reviews:supervisor_detail", args=[pk]), [
            reverse("reviews:supervisor_commitment", args=[pk]),
            reverse("reviews:review", args=[pk]),
        ]
    if state in (State.AT_RECOMMENDER, State.RECEIVED):
        return reverse("reviews:review", args=[pk]), [reverse("reviews:review_decide", args=[pk])]
    if state == State.RECOMMENDED:
        return reverse("reviews:recommender_batch", args=[batch]), [
            reverse("reviews:recommender_submit", args=[batch]),
            reverse("reviews:return", args=[pk]),
        ]
    if state == State.DELIVERED:
        submission = UnitSubmission.objects.filter(applications=application).order_by("-sequence").first()
        return reverse("reviews:acceptance_submission", args=[submission.pk]), [
            reverse("reviews:acceptance_receive", args=[pk])
        ]
    if state == State.FORMAL_PASSED:
        return reverse("reviews:province_batch", args=[batch]), [
            reverse("reviews:province_select", args=[pk])
        ]
    if state == State.RECOMMENDED_TO_MINISTRY:
        return reverse("reviews:ministry_batch", args=[batch]), [reverse("reviews:ministry_file", args=[pk])]
    if state == State.FILED:
        return reverse("reviews:ministry_batch", args=[batch]), [
            reverse("reviews:ministry_publish", args=[batch])
        ]
    raise AssertionError(f"no screen known for {state}")


def _reviewed(stage: str, decision: str):
    def check(application, event) -> str:
        found = Review.objects.filter(
            application=application, stage=stage, decision=decision, decided_at__lte=event.at
        ).exists()
        return "" if found else f"no {stage} review decided {decision} before it"

    return check


def _submitted(application, event) -> str:
    return "" if application.versions.filter(number=event.version_number).exists() else "no frozen version"


def _delivered(application, event) -> str:
    found = UnitSubmission.objects.filter(
        applications=application, submitted_at__isnull=False, letter_uploaded_at__isnull=False
    ).exists()
    return "" if found else "delivered without a submitted unit batch and its 推荐函"


def _received(application, event) -> str:
    copies = sum(r.copies for r in PaperReceipt.objects.filter(application=application))
    return "" if copies >= 2 else "received without two paper copies"


def _selected(application, event) -> str:
    return (
        "" if application.province_rank or application.state != State.RECOMMENDED_TO_MINISTRY else "no rank"
    )


EVIDENCE = {
    "submit": _submitted,
    "forward": _reviewed("supervisor", "forward"),
    "recommend": _reviewed("recommender", "recommend"),
    "decline": _reviewed("recommender", "decline"),
    "deliver": _delivered,
    "receive": _received,
    "pass_formal_review": _reviewed("formal", "pass"),
    "fail_formal_review": _reviewed("formal", "fail"),
    "select": _selected,
}

SETTINGS = settings(
    max_examples=8,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "machine", [ChainMachine, ProvinceReceiptMachine], ids=["jiangsu_2018", "province_receipt"]
)
def test_every_party_acting_at_random_leaves_no_dead_end_and_skips_no_rule(machine, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    run_state_machine_as_test(machine, settings=SETTINGS)
