import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from makerspace.applications import services
from makerspace.audit.models import AuditEvent
from makerspace.audit.services import audit_record
from makerspace.core.tests.factories import World

pytestmark = pytest.mark.django_db


def history_url(application) -> str:
    return reverse("audit:application_history", args=[application.pk])


def test_owner_reads_the_history_with_chinese_labels_roles_and_comments(client, world):
    application = world.submitted()
    services.application_transition(
        user=world.supervisor, application=application, name="return_to_applicant", comment="请补充场地证明。"
    )
    client.force_login(world.applicant)

    response = client.get(history_url(application))

    html = response.content.decode()
    assert response.status_code == 200
    for label in ["创建申报", "上传材料", "签署信用承诺书", "提交申报", "退回修改"]:
        assert label in html
    assert "主管部门" in html
    assert world.supervisor.organisation.name in html
    assert "请补充场地证明。" in html
    labels = [row.label for row in response.context["rows"]]
    assert labels.index("提交申报") < labels.index("退回修改")


def test_an_applicant_cannot_see_another_applicants_history(client, world):
    other = World()
    theirs = other.submitted()
    client.force_login(world.applicant)

    assert client.get(history_url(theirs)).status_code == 404


@pytest.mark.parametrize("role", ["supervisor", "recommender"])
def test_reviewers_of_another_unit_get_404(client, world, role):
    application = world.advance(world.submitted(), "forward")
    client.force_login(getattr(World(), role))

    assert client.get(history_url(application)).status_code == 404


def test_the_province_sees_history_only_once_the_application_reached_acceptance(client, world):
    application = world.advance(world.submitted(), "forward", "recommend")
    client.force_login(world.province)
    assert client.get(history_url(application)).status_code == 404

    world.advance(application, "deliver")
    assert client.get(history_url(application)).status_code == 200


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(history_url(world.draft()))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_an_applicant_sees_that_an_expert_acted_but_not_which_expert(client, world):
    application = world.advance(world.submitted(), "forward", "recommend", "deliver", "receive")
    world.expert.full_name = "张专家"
    world.expert.save()
    audit_record(
        action="expert.score", actor=world.expert, target=application, application=application, summary="评分"
    )

    client.force_login(world.applicant)
    applicant_view = client.get(history_url(application)).content.decode()
    client.force_login(world.province)
    province_view = client.get(history_url(application)).content.decode()

    assert "张专家" not in applicant_view
    assert "评审专家" in applicant_view
    assert "张专家" in province_view


def _history_queries(client, world, extra_downloads: int) -> list[str]:
    application = world.submitted()
    attachment = application.attachments.first()
    for _ in range(extra_downloads):
        audit_record(
            action="attachment.download",
            actor=world.supervisor,
            target=attachment,
            application=application,
            summary="下载",
        )
    client.force_login(world.applicant)
    client.get(history_url(application))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(history_url(application)).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_history_query_count_does_not_grow_with_the_history(client, world):
    short, long = _history_queries(client, world, 0), _history_queries(client, world, 40)

    assert len(short) == len(long)
    # Of them, the history's own: the page's count and its rows (actors and units joined in).
    assert len([sql for sql in long if "audit_auditevent" in sql]) == 2


# The chain page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"), [("province", 200), ("admin", 200), ("applicant", 403), ("ministry", 403)]
)
def test_chain_status_is_for_the_province_and_the_operator(client, world, role, status):
    client.force_login(getattr(world, role))

    assert client.get(reverse("audit:chain")).status_code == status


def test_chain_status_reports_an_intact_chain(client, world):
    world.submitted()
    client.force_login(world.province)

    html = client.get(reverse("audit:chain"), {"verify": "1"}).content.decode()

    assert "审计日志完整" in html
    assert "提交申报" in html


def test_chain_status_names_the_first_tampered_row(client, world):
    world.submitted()
    victim = AuditEvent.objects.order_by("sequence")[2]
    AuditEvent.objects.filter(pk=victim.pk).update(summary="被改过")
    client.force_login(world.admin)

    response = client.get(reverse("audit:chain"), {"verify": "1"})

    assert response.context["verified"]["problem"] == f"第{victim.sequence}条记录内容已被修改"
    assert "校验失败" in response.content.decode()


def test_the_applicants_history_names_no_expert_and_no_expert_total(client, world):
    """Issue 15: the audit summaries of scoring carry the expert's name and total; only the actor
    column was anonymised. The applicant sees that experts scored, not who or how."""
    from makerspace.core.tests.factories import make_expert
    from makerspace.scoring import services as scoring
    from makerspace.scoring import sheet

    application = world.advance(
        world.submitted(), "forward", "recommend", "deliver", "receive", "pass_formal_review"
    )
    expert = make_expert(world, organisation_name="河海大学", full_name="章评审")
    assignment = scoring.assignment_create(user=world.province, application=application, expert=expert)
    scoring.scores_save(
        user=expert,
        assignment=assignment,
        scores={item.code: 7 for item in sheet.ITEMS},
        comment="专家意见不给申报单位",
    )
    assignment = scoring.scores_submit(user=expert, assignment=assignment)
    client.force_login(world.applicant)
    html = client.get(history_url(application)).content.decode()
    assert "章评审" not in html and "河海大学" not in html
    assert str(assignment.total) not in html
    assert "专家意见不给申报单位" not in html
    assert "专家评审" in html
    client.force_login(world.province)
    assert "章评审" in client.get(history_url(application)).content.decode()
