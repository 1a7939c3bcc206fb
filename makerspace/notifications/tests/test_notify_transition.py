import pytest
from django.core import mail
from django.db import transaction

from makerspace.accounts.models import Role
from makerspace.applications import services
from makerspace.core.tests.factories import UserFactory, World
from makerspace.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit hooks (notifications, then their mail) as a real commit would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_submission_tells_the_supervisor_in_app_and_by_mail(world, on_commit):
    application = on_commit(world.submitted)

    assert recipients("submit") == {world.supervisor.username}
    notification = Notification.objects.get(kind="submit")
    assert notification.application == application
    assert notification.link == f"/review/supervisor/{application.pk}/"
    assert "第1版" in notification.body
    assert "请登录系统审核" in notification.body
    assert [m.to for m in mail.outbox] == [[world.supervisor.email]]
    assert application.number in mail.outbox[0].subject


def test_forward_tells_the_recommenders_of_the_unit_only(world, on_commit):
    other_world = World()
    colleague = UserFactory(role=Role.RECOMMENDER, organisation=world.recommender.organisation)
    application = world.submitted()

    on_commit(lambda: world.advance(application, "forward"))

    assert recipients("forward") == {world.applicant.username, world.recommender.username, colleague.username}
    assert other_world.recommender.username not in recipients("forward")


def test_only_the_active_users_of_the_party_are_told(world, on_commit):
    """The audiences' conditions: the role and the organisation both, and active accounts only."""
    UserFactory(role=Role.SUPERVISOR, organisation=world.supervisor.organisation, is_active=False)
    UserFactory(role=Role.RECOMMENDER, organisation=world.supervisor.organisation)
    UserFactory(role=Role.SUPERVISOR)
    on_commit(world.submitted)

    assert recipients("submit") == {world.supervisor.username}


@pytest.mark.parametrize(
    ("steps", "last", "next_party"),
    [
        (["forward", "recommend"], "deliver", "acceptance"),
        (["forward", "recommend", "deliver"], "receive", "province"),
        (["forward", "recommend", "deliver", "receive", "pass_formal_review"], "select", "ministry"),
    ],
)
def test_each_level_is_told_when_the_application_reaches_it(world, on_commit, steps, last, next_party):
    application = world.advance(world.submitted(), *steps)

    on_commit(lambda: world.advance(application, last))

    assert recipients(last) == {world.applicant.username, getattr(world, next_party).username}


def test_applicant_is_told_of_a_return_with_its_comments(world, on_commit):
    application = world.submitted()

    on_commit(
        lambda: services.application_transition(
            user=world.supervisor,
            application=application,
            name="return_to_applicant",
            comment="场地面积证明缺少租赁合同，请补充。",
        )
    )

    notification = Notification.objects.get(kind="return_to_applicant")
    assert notification.recipient == world.applicant
    assert "退回修改" in notification.title
    assert "场地面积证明缺少租赁合同" in notification.body
    assert "场地面积证明缺少租赁合同" in mail.outbox[0].body
    assert notification.link == f"/applications/{application.pk}/"


def test_the_actor_is_not_told_of_its_own_act_but_colleagues_are(world, on_commit):
    colleague = UserFactory(role=Role.APPLICANT, organisation=world.applicant.organisation)

    on_commit(world.submitted)

    assert recipients("submit") == {world.supervisor.username, colleague.username}


def test_a_user_without_email_gets_the_inbox_message_but_no_mail(world, on_commit):
    world.supervisor.email = ""
    world.supervisor.save()

    on_commit(world.submitted)

    assert recipients("submit") == {world.supervisor.username}
    assert mail.outbox == []


def test_withdrawal_is_told_to_whoever_held_the_application(world, on_commit):
    application = world.advance(world.submitted(), "forward")

    on_commit(lambda: world.advance(application, "withdraw"))

    assert recipients("withdraw") == {world.recommender.username}


def test_nobody_is_told_of_a_transition_that_was_rolled_back(world, on_commit):
    application = world.submitted()

    def forward_then_fail():
        with transaction.atomic():
            world.advance(application, "forward")
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        on_commit(forward_then_fail)

    assert not Notification.objects.filter(kind="forward").exists()
    assert mail.outbox == []


def test_a_failing_mail_server_does_not_break_the_transition(world, on_commit, settings):
    settings.EMAIL_BACKEND = "makerspace.notifications.tests.broken_mail.BrokenBackend"

    application = on_commit(world.submitted)

    application.refresh_from_db()
    assert application.state == "at_supervisor"
    assert recipients("submit") == {world.supervisor.username}


def test_each_party_is_linked_to_its_own_screen(world, on_commit):
    application = world.advance(
        world.submitted(), "forward", "recommend", "deliver", "receive", "pass_formal_review"
    )

    on_commit(lambda: world.advance(application, "select"))

    links = dict(Notification.objects.filter(kind="select").values_list("recipient__role", "link"))
    assert links == {
        "applicant": f"/applications/{application.pk}/",
        "ministry": f"/review/ministry/batches/{application.batch_id}/",
    }
