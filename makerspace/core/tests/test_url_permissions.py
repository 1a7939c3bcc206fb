"""Every URL of the project, walked as every role (DESIGN: "a test walks every URL pattern with
every role"). A new URL fails `test_every_url_has_a_permission_entry` until it is registered here.

How to register a URL: add `"namespace:name": Entry(expect=..., on=...)` to EXPECTED (a list of
entries when one state is not enough). `expect` gives the status of a GET for each role of
url_walk.ROLES — OK, LOGIN (302 to login), REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED — on an
object of the owner's world in state `on`; "other_*" roles are the same parties of another world
(another unit), so their status is the one on others' objects. Helpers: expect(default, **role),
signed_in(status, **role), owner_only(...), chain_sees(...). Objects you need beyond applications
(a submission, a notification…) come from `objects.get(key, builder)` in the entry's `kwargs`.
"""

import logging

import pytest

from makerspace.core.tests.factories import World

from .url_walk import (
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    ROLES,
    Entry,
    Objects,
    chain_sees,
    expect,
    owner_only,
    run_entry,
    run_post_entry,
    signed_in,
    walk,
)

APPLICANTS = {"owner": OK, "other_applicant": OK}
EVERYONE_BUT_APPLICANTS = dict.fromkeys(
    [
        "supervisor",
        "other_supervisor",
        "recommender",
        "other_recommender",
        "acceptance",
        "province",
        "expert",
        "ministry",
        "admin",
    ],
    FORBIDDEN,
)


def _notification(objects: Objects):
    from makerspace.notifications.models import Notification

    return Notification.objects.create(recipient=objects.world.applicant, kind="submit", title="通知")


def _supervisor_request(objects: Objects):
    from makerspace.accounts.services import supervisor_request_create

    world = objects.world
    return supervisor_request_create(
        user=world.applicant, application=objects.application("draft"), name="某区科技局"
    )


def _submission(objects: Objects):
    """A unit submission of the owner's unit, delivered with its 推荐函 (its own batch, so the
    applications the walk builds in the shared batch are not swept into it)."""
    from makerspace.reviews.selectors import delivery_of

    sibling = World(unit=objects.world.unit)
    return delivery_of(sibling.delivered()[0])


def _job(objects: Objects):
    """A finished package job the owner asked for."""
    from django.core.files.base import ContentFile

    from makerspace.documents.models import DocumentJob

    application = objects.application("recommended_to_ministry")
    job = DocumentJob.objects.create(
        kind=DocumentJob.JobKind.PACKAGE,
        application=application,
        version_number=application.current_version,
        input_sha256="0" * 64,
        status=DocumentJob.Status.DONE,
        progress=100,
        filename="package.pdf",
        requested_by=objects.world.applicant,
    )
    job.file.save("package", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return job


def _import(objects: Objects):
    """An import the owner's recommending unit uploaded."""
    from makerspace.documents.models import ApplicationImport

    return ApplicationImport.objects.create(
        uploaded_by=objects.world.recommender,
        batch=objects.world.batch,
        file_name="汇总表.xlsx",
        file_sha256="0" * 64,
    )


def _unissued_code() -> str:
    from makerspace.documents.stamp import CODE_GROUPS, GROUP_LENGTH, normalise_code

    return normalise_code("7" * CODE_GROUPS * GROUP_LENGTH)


def _batch(objects: Objects) -> dict:
    return {"batch_id": objects.world.batch.pk}


def _unit_batch(objects: Objects) -> dict:
    return {"unit_id": objects.world.unit.pk, "batch_id": objects.world.batch.pk}


# Integrity (makerspace.credit, makerspace.scoring, makerspace.publicity) -------------------------


def _credit_record(objects: Objects):
    from makerspace.credit.models import CreditRecord
    from makerspace.credit.services import credit_record_add

    return credit_record_add(
        user=objects.world.province,
        credit_code=objects.other_world.applicant.organisation.credit_code,
        subject_name="测试记录单位",
        kind=CreditRecord.Kind.OTHER,
        reason="测试",
        source_document="测试〔1〕号",
        starts_on=objects.world.batch.applicant_deadline.date(),
    )


def _credit_import(objects: Objects):
    from makerspace.credit.models import CreditImport

    return CreditImport.objects.create(
        uploaded_by=objects.world.province, file_name="信用.xlsx", file_sha256="0" * 64
    )


def _disqualified(objects: Objects):
    """An application of the owner, received and then disqualified with evidence (R7)."""
    from makerspace.credit.services import application_disqualify
    from makerspace.reviews.chain import scan

    world = objects.world
    # The owner's published space comes first: the credit record this leaves would stop (R8) the
    # submission it is built from, when a walk of every URL builds both.
    objects.application("published")
    application = world.advance(world.submitted(), "forward", "recommend", "deliver", "receive")
    application_disqualify(
        user=world.province, application=application, reason="虚假材料", evidence=scan("e")
    )
    return application


def _assignment(objects: Objects):
    from makerspace.scoring.services import assignment_create

    world = objects.world
    return assignment_create(
        user=world.province, application=objects.application("formal_passed"), expert=world.expert
    )


def _notice(objects: Objects):
    """A 公示 of a sibling batch (so the shared batch's selection is not held back)."""
    from django.utils import timezone

    from makerspace.publicity.services import notice_start

    sibling = World(unit=objects.world.unit)
    application = sibling.advance(
        sibling.submitted(), "forward", "recommend", "deliver", "receive", "pass_formal_review"
    )
    type(application).objects.filter(pk=application.pk).update(province_rank=1)
    return notice_start(
        user=sibling.province,
        batch=sibling.batch,
        title="公示",
        body="公示",
        contact="高新处",
        starts_on=timezone.localdate(),
    )


def _objection(objects: Objects):
    from makerspace.publicity.services import objection_file
    from makerspace.reviews.chain import scan

    return objection_file(
        notice=objects.get("notice", _notice),
        name="张某",
        phone="13812345678",
        email="",
        content="异议内容足够具体，请核查。",
        upload=scan("objection"),
    )


# After filing (makerspace.filed) ------------------------------------------------------------------


def _filed_space(objects: Objects):
    """The filed space the ministry's filing made of the owner's published application."""
    return objects.application("published").filed_space


def _report(objects: Objects):
    """The owner's annual report of a round opened after its filing: figures filled, signed and its
    sealed copy uploaded, not yet submitted."""
    from makerspace.filed.tests.helpers import open_round, ready, report_of

    filed_space = objects.get("filed_space", _filed_space)
    return ready(report_of(open_round(objects.world), filed_space), objects.world.applicant)


def _round(objects: Objects) -> dict:
    return {"pk": objects.get("report", _report).round_id}


def _report_pk(objects: Objects) -> dict:
    return {"pk": objects.get("report", _report).pk}


def _evaluation_round(objects: Objects) -> dict:
    from makerspace.filed.evaluations import evaluation_round_create

    report = objects.get("report", _report)
    evaluation_round = objects.get(
        "evaluation_round",
        lambda o: evaluation_round_create(user=o.world.province, report_round=report.round),
    )
    return {"pk": evaluation_round.pk}


def _evaluation_document(objects: Objects) -> dict:
    from makerspace.filed.models import EvaluationRound

    evaluation_round = EvaluationRound.objects.get(pk=_evaluation_round(objects)["pk"])
    return {"pk": evaluation_round.evaluations.get().pk, "fmt": "docx"}


def _space_pk(objects: Objects) -> dict:
    return {"pk": objects.get("filed_space", _filed_space).pk}


def _proposal(objects: Objects) -> dict:
    """The owner's request to leave the list, awaiting the province."""
    from makerspace.filed.services import exit_request

    filed_space = objects.get("filed_space", _filed_space)
    proposal = objects.get(
        "proposal",
        lambda o: exit_request(user=o.world.applicant, filed_space=filed_space, reason="主动退出"),
    )
    return {"pk": filed_space.pk, "proposal_id": proposal.pk}


def _change(objects: Objects) -> dict:
    """The owner's change of address, at its recommending unit."""
    from makerspace.filed.management_services import change_request_create

    filed_space = objects.get("filed_space", _filed_space)
    change = objects.get(
        "change",
        lambda o: change_request_create(
            user=o.world.applicant,
            filed_space=filed_space,
            field="address",
            new_value="新地址1号",
            reason="搬迁",
        ),
    )
    return {"pk": change.pk}


def _rectification(objects: Objects) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from makerspace.filed.management_services import spot_check_record

    filed_space = objects.get("filed_space", _filed_space)
    check = objects.get(
        "spot_check",
        lambda o: spot_check_record(
            user=o.world.province,
            filed_space=filed_space,
            visited_on=timezone.localdate(),
            inspectors="核查组",
            findings="导师名单不符",
            outcome="rectify",
            rectification_deadline=timezone.localdate() + timedelta(days=30),
            requirements="补签导师",
        ),
    )
    return {"pk": check.rectification.pk}


def _evaluation_pk(objects: Objects) -> dict:
    return {"pk": _evaluation_document(objects)["pk"]}


def _published_evaluation(objects: Objects):
    """Next year's evaluation of the owner's space, whose report is missing: graded without experts
    and published, so its appeal window is open."""
    from django.utils import timezone

    from makerspace.filed import evaluations
    from makerspace.filed.tests.helpers import open_round

    objects.get("filed_space", _filed_space)
    province = objects.world.province
    report_round = open_round(objects.world, year=timezone.now().year + 1)
    evaluation_round = evaluations.evaluation_round_create(user=province, report_round=report_round)
    evaluations.evaluation_round_grade(user=province, evaluation_round=evaluation_round)
    evaluations.evaluation_round_publish(user=province, evaluation_round=evaluation_round)
    return evaluation_round.evaluations.get()


def _appeal_file(objects: Objects) -> dict:
    evaluation = objects.get("published_evaluation", _published_evaluation)
    return {"pk": evaluation.filed_space_id, "evaluation_id": evaluation.pk}


def _appeal(objects: Objects) -> dict:
    from makerspace.filed.evaluations import appeal_file

    evaluation = objects.get("published_evaluation", _published_evaluation)
    appeal = objects.get(
        "appeal", lambda o: appeal_file(user=o.world.applicant, evaluation=evaluation, reason="已按时报送")
    )
    return {"pk": appeal.pk}


SEES_FILED_SPACE = signed_in(NOT_FOUND, owner=OK, recommender=OK, province=OK, ministry=OK)
SEES_REPORT = signed_in(NOT_FOUND, owner=OK, recommender=OK, province=OK)
ROUNDS = signed_in(FORBIDDEN, recommender=OK, other_recommender=OK, province=OK)

KEEPS_REGISTER = signed_in(FORBIDDEN, province=OK, admin=OK)


REVIEW_PARTIES = ("supervisor", "recommender", "acceptance", "province", "ministry")
QUEUE_OF = {party: signed_in(FORBIDDEN, **{party: OK}) for party in REVIEW_PARTIES}
QUEUE_OF["supervisor"]["other_supervisor"] = OK
QUEUE_OF["recommender"]["other_recommender"] = OK


STATS_DASHBOARDS = {
    "batch": signed_in(FORBIDDEN, acceptance=OK, province=OK),
    "jurisdiction": signed_in(
        FORBIDDEN, supervisor=OK, other_supervisor=OK, recommender=OK, other_recommender=OK
    ),
    "progress": signed_in(FORBIDDEN, **APPLICANTS),
    "filed": signed_in(FORBIDDEN, ministry=OK, province=OK),
    "trends": signed_in(OK, owner=FORBIDDEN, other_applicant=FORBIDDEN, expert=FORBIDDEN, admin=FORBIDDEN),
    "public": expect(OK),
}


EXPECTED: dict[str, Entry | list[Entry]] = {
    # Public and account pages -----------------------------------------------------------------
    "healthz": Entry(expect(OK)),
    "readyz": Entry(expect(OK)),
    # The test client comes from the loopback address, as a scraper on the server itself does;
    # through the proxy only the administrator (test_operations.py proves both).
    "metrics": Entry(expect(OK)),
    "public:home": Entry(expect(OK)),
    "public:lists": Entry(expect(OK)),
    # A batch whose list has not been published is not found by anyone.
    "public:list_detail": Entry(expect(NOT_FOUND), on="filed"),
    "api-schema": Entry(expect(OK)),
    "accounts:register": Entry(expect(REDIRECT, anonymous=OK)),
    "accounts:login": Entry(expect(OK)),
    "accounts:logout": Entry(expect(NOT_ALLOWED)),
    # An invitation link: an unknown token is not found, for anyone.
    "accounts:invitation": Entry(expect(NOT_FOUND)),
    # A registration's confirmation link: an unknown token is not found, for anyone.
    "accounts:register_confirm": Entry(expect(NOT_FOUND)),
    # 主管部门 named by applicants: the recommending units (each its own) and the administrator.
    "accounts:supervisor_requests": Entry(
        signed_in(FORBIDDEN, recommender=OK, other_recommender=OK, admin=OK)
    ),
    "accounts:supervisor_request_resolve": Entry(
        signed_in(NOT_ALLOWED),
        kwargs=lambda o: {"pk": o.get("supervisor_request", _supervisor_request).pk, "action": "add"},
    ),
    # Signed in, the password change asks for a recent re-authentication first.
    "accounts:password_change": Entry(signed_in(REDIRECT)),
    "accounts:password_change_done": Entry(signed_in(OK)),
    "accounts:password_reset": Entry(expect(OK)),
    "accounts:password_reset_done": Entry(expect(OK)),
    "accounts:password_reset_confirm": Entry(expect(OK)),  # an invalid link says so, to anyone
    "accounts:password_reset_complete": Entry(expect(OK)),
    # Security: each user's own account only; no object of another is ever addressed.
    "security:two_factor": Entry(signed_in(OK)),
    "security:otp_setup": Entry(signed_in(REDIRECT)),  # to re-authentication first
    "security:otp_qr": Entry(signed_in(NOT_FOUND)),  # no device being set up
    "security:otp_verify": Entry(signed_in(REDIRECT)),  # nothing to verify without a device
    "security:otp_disable": Entry(signed_in(NOT_ALLOWED)),
    "security:reauth": Entry(signed_in(OK)),
    # The meter beside a new password answers anyone, as registration and reset do (POST only).
    "security:password_check": Entry(expect(NOT_ALLOWED)),
    "security:email_change": Entry(signed_in(REDIRECT)),  # to re-authentication first
    # The confirmation page of a signed e-mail change: a button, the change itself is a POST.
    "security:email_confirm": Entry(signed_in(OK), kwargs=lambda o: {"token": "not-a-token"}),
    # The workspace sends each party to its own queue; expert and admin have a plain page.
    "core:home": Entry(signed_in(REDIRECT, expert=OK, admin=OK)),
    # The applicant's screens ------------------------------------------------------------------
    "applications:list": Entry(signed_in(FORBIDDEN, **APPLICANTS)),
    "applications:start": Entry(signed_in(FORBIDDEN, **APPLICANTS)),
    "applications:space_create": Entry(signed_in(FORBIDDEN, **APPLICANTS)),
    "applications:space_edit": Entry(owner_only()),
    "applications:detail": [
        Entry(owner_only(), on="draft"),
        Entry(chain_sees(up_to="supervisor"), on="at_supervisor"),
        Entry(chain_sees(up_to="ministry"), on="recommended_to_ministry"),
    ],
    "applications:settings": [
        Entry(owner_only(), on="draft"),
        # Submitted: visible to owner and supervisor, but frozen for both.
        Entry(chain_sees(FORBIDDEN, up_to="supervisor"), on="at_supervisor"),
    ],
    "applications:basic": [
        Entry(owner_only(), on="draft"),
        Entry(chain_sees(FORBIDDEN, up_to="recommender"), on="at_recommender"),
    ],
    "applications:report": Entry(owner_only()),
    "applications:cases": Entry(owner_only()),
    "applications:case_edit": [
        Entry(owner_only(), on="draft"),
        Entry(chain_sees(FORBIDDEN, up_to="supervisor"), on="at_supervisor"),
    ],
    "applications:files": Entry(owner_only()),
    "applications:commitment": [
        Entry(owner_only(), on="draft"),
        Entry(chain_sees(FORBIDDEN), on="recommended_to_ministry"),
    ],
    "applications:withdraw": [
        Entry(owner_only(), on="draft"),
        # Only the owner withdraws; the chain sees the application but may not.
        Entry(chain_sees(FORBIDDEN, owner=OK, up_to="acceptance"), on="received"),
    ],
    "applications:version": [
        Entry(chain_sees(up_to="supervisor"), on="at_supervisor"),
        Entry(chain_sees(), on="recommended_to_ministry"),
    ],
    "applications:file_download": [
        Entry(owner_only(), on="draft"),
        Entry(chain_sees(), on="recommended_to_ministry"),
    ],
    # POST only: a GET is refused for every signed-in role, whatever the object.
    "applications:autosave": Entry(
        signed_in(NOT_ALLOWED), kwargs=lambda o: {"pk": o.application("draft").pk, "section": "basic:entity"}
    ),
    "applications:case_delete": Entry(signed_in(NOT_ALLOWED)),
    "applications:file_remove": Entry(signed_in(NOT_ALLOWED)),
    "applications:submit": Entry(signed_in(NOT_ALLOWED)),
    # Read-only API: DRF answers 403 (not a login redirect) to an anonymous caller.
    "api:application_list": Entry(expect(OK, anonymous=FORBIDDEN)),
    "api:application_detail": [
        Entry(expect(NOT_FOUND, anonymous=FORBIDDEN, owner=OK), on="draft"),
        Entry({**chain_sees(), "anonymous": FORBIDDEN}, on="recommended_to_ministry"),
    ],
    # Inbox and history ------------------------------------------------------------------------
    "notifications:inbox": Entry(signed_in(OK)),
    "notifications:read": Entry(
        signed_in(NOT_ALLOWED), kwargs=lambda o: {"pk": o.get("notification", _notification).pk}
    ),
    "notifications:read_all": Entry(signed_in(NOT_ALLOWED)),
    "audit:application_history": [
        Entry(owner_only(), on="draft"),
        Entry(chain_sees(up_to="recommender"), on="at_recommender"),
        Entry(chain_sees(), on="recommended_to_ministry"),
    ],
    "audit:chain": Entry(signed_in(FORBIDDEN, province=OK, admin=OK)),
    # The review chain (makerspace.reviews) ----------------------------------------------------
    # Each party's pages answer 403 to every other role before any object is looked at; within
    # the party, another unit's object is not found.
    "reviews:supervisor_queue": Entry(QUEUE_OF["supervisor"]),
    "reviews:supervisor_detail": Entry(
        signed_in(FORBIDDEN, supervisor=OK, other_supervisor=NOT_FOUND), on="at_supervisor"
    ),
    "reviews:recommender_queue": Entry(QUEUE_OF["recommender"]),
    # A batch is shared: each unit's recommender gets its own unit's page for it.
    "reviews:recommender_batch": Entry(QUEUE_OF["recommender"], kwargs=_batch),
    # The receipt pages serve the party of the batch's receipt step: the province opens the queue
    # (its own receipts, where its chain gives it that step) but not a unit's set it does not receive.
    "reviews:acceptance_queue": Entry(signed_in(FORBIDDEN, acceptance=OK, province=OK)),
    "reviews:acceptance_submission": Entry(
        signed_in(FORBIDDEN, acceptance=OK, province=NOT_FOUND),
        kwargs=lambda o: {"submission_id": o.get("submission", _submission).pk},
    ),
    # The reviewers' integrity pledge (the notice, 三.2): every reviewing level signs its own.
    "reviews:pledge": Entry(
        signed_in(
            FORBIDDEN,
            supervisor=OK,
            other_supervisor=OK,
            recommender=OK,
            other_recommender=OK,
            acceptance=OK,
            province=OK,
        ),
        kwargs=_batch,
    ),
    "reviews:conflict_declare": Entry(signed_in(NOT_ALLOWED), on="at_recommender"),
    "reviews:pledges": Entry(QUEUE_OF["province"], kwargs=_batch),
    "reviews:province_queue": Entry(QUEUE_OF["province"]),
    "reviews:province_batch": Entry(QUEUE_OF["province"], kwargs=_batch),
    "reviews:province_deadlines": Entry(QUEUE_OF["province"], kwargs=_batch),
    "reviews:ministry_queue": Entry(QUEUE_OF["ministry"]),
    "reviews:ministry_batch": Entry(QUEUE_OF["ministry"], kwargs=_batch),
    # The itemised review: the party whose turn it is; those who see the application may not.
    "reviews:review": [
        Entry(chain_sees(FORBIDDEN, up_to="recommender", recommender=OK), on="at_recommender"),
        Entry(chain_sees(FORBIDDEN, up_to="acceptance", province=OK), on="received"),
    ],
    # Opening a document as a reviewer (recorded, R6): the chain, not the owner (it has its own).
    "reviews:open_attachment": [
        Entry(chain_sees(up_to="supervisor", owner=FORBIDDEN), on="at_supervisor"),
        Entry(chain_sees(owner=FORBIDDEN), on="recommended_to_ministry"),
    ],
    "reviews:open_form": Entry(
        chain_sees(up_to="supervisor", owner=FORBIDDEN),
        on="at_supervisor",
        kwargs=lambda o: {"pk": o.application("at_supervisor").pk, "kind": "basic_info"},
    ),
    "reviews:open_letter": Entry(
        signed_in(NOT_FOUND, recommender=OK, acceptance=OK, province=OK),
        kwargs=lambda o: {"submission_id": o.get("submission", _submission).pk},
    ),
    "reviews:supervisor_commitment": Entry(signed_in(NOT_ALLOWED), on="at_supervisor"),
    "reviews:supervisor_forward": Entry(signed_in(NOT_ALLOWED), on="at_supervisor"),
    "reviews:return": Entry(signed_in(NOT_ALLOWED), on="at_supervisor"),
    "reviews:review_decide": Entry(signed_in(NOT_ALLOWED), on="at_recommender"),
    "reviews:recommender_ranks": Entry(signed_in(NOT_ALLOWED), kwargs=_batch),
    "reviews:recommender_letter": Entry(signed_in(NOT_ALLOWED), kwargs=_batch),
    "reviews:recommender_submit": Entry(signed_in(NOT_ALLOWED), kwargs=_batch),
    "reviews:acceptance_check": Entry(signed_in(NOT_ALLOWED), on="delivered"),
    "reviews:acceptance_paper": Entry(signed_in(NOT_ALLOWED), on="delivered"),
    "reviews:acceptance_receive": Entry(signed_in(NOT_ALLOWED), on="delivered"),
    "reviews:province_ranks": Entry(signed_in(NOT_ALLOWED), kwargs=_batch),
    "reviews:province_select": Entry(signed_in(NOT_ALLOWED), on="formal_passed"),
    "reviews:province_not_select": Entry(signed_in(NOT_ALLOWED), on="formal_passed"),
    "reviews:ministry_file": Entry(signed_in(NOT_ALLOWED), on="recommended_to_ministry"),
    "reviews:ministry_not_file": Entry(signed_in(NOT_ALLOWED), on="recommended_to_ministry"),
    "reviews:ministry_publish": Entry(signed_in(NOT_ALLOWED), kwargs=_batch),
    # Documents (makerspace.documents) ---------------------------------------------------------
    "public:blank_forms": Entry(expect(OK)),
    "public:notice": Entry(expect(OK)),
    "documents:blank_form": Entry(expect(OK), kwargs=lambda o: {"number": 2}),
    "documents:verify_index": Entry(expect(OK)),
    # A code nobody issued is not found, by anyone.
    "documents:verify": Entry(expect(NOT_FOUND), kwargs=lambda o: {"code": _unissued_code()}),
    "documents:hub": Entry(
        signed_in(FORBIDDEN, **dict.fromkeys(REVIEW_PARTIES, OK), other_supervisor=OK, other_recommender=OK)
    ),
    "documents:application_document": [
        Entry(
            owner_only(),
            on="draft",
            kwargs=lambda o: {"pk": o.application("draft").pk, "kind": "basic_info", "fmt": "docx"},
        ),
        Entry(
            chain_sees(),
            kwargs=lambda o: {
                "pk": o.application("recommended_to_ministry").pk,
                "kind": "report",
                "fmt": "docx",
            },
        ),
    ],
    # Jobs are their requester's alone.
    "documents:job": Entry(owner_only(), kwargs=lambda o: {"pk": o.get("job", _job).pk}),
    "documents:job_progress": Entry(owner_only(), kwargs=lambda o: {"pk": o.get("job", _job).pk}),
    "documents:job_download": Entry(owner_only(), kwargs=lambda o: {"pk": o.get("job", _job).pk}),
    "documents:recommendation_letter": Entry(
        signed_in(FORBIDDEN, recommender=OK, acceptance=OK, province=OK),
        kwargs=lambda o: {**_unit_batch(o), "fmt": "docx"},
    ),
    "documents:province_letter": Entry(
        signed_in(FORBIDDEN, province=OK, acceptance=OK, ministry=OK),
        kwargs=lambda o: {**_batch(o), "fmt": "docx"},
    ),
    "documents:export_summary": Entry(
        signed_in(FORBIDDEN, **dict.fromkeys(REVIEW_PARTIES, OK), other_supervisor=OK, other_recommender=OK),
        query="?state=",
    ),
    "documents:import": Entry(signed_in(FORBIDDEN, recommender=OK, other_recommender=OK, province=OK)),
    # An import is its uploader's: other importers do not find it.
    "documents:import_preview": Entry(
        signed_in(FORBIDDEN, recommender=OK, other_recommender=NOT_FOUND, province=NOT_FOUND),
        kwargs=lambda o: {"pk": o.get("import", _import).pk},
    ),
    "documents:import_confirm": Entry(
        signed_in(NOT_ALLOWED), kwargs=lambda o: {"pk": o.get("import", _import).pk}
    ),
    "documents:package_build": Entry(signed_in(NOT_ALLOWED)),
    "documents:unit_dossier": Entry(signed_in(NOT_ALLOWED), kwargs=_unit_batch),
    "documents:batch_dossier": Entry(signed_in(NOT_ALLOWED), kwargs=_batch),
    # Integrity: the credit register (province and administrators), R7, review quality ----------
    "credit:register": Entry(KEEPS_REGISTER),
    "credit:record_add": Entry(KEEPS_REGISTER),
    "credit:record": Entry(
        KEEPS_REGISTER, kwargs=lambda o: {"pk": o.get("credit_record", _credit_record).pk}
    ),
    "credit:record_end": Entry(
        signed_in(NOT_ALLOWED), kwargs=lambda o: {"pk": o.get("credit_record", _credit_record).pk}
    ),
    "credit:import": Entry(KEEPS_REGISTER),
    # An import is its uploader's alone.
    "credit:import_preview": Entry(
        signed_in(FORBIDDEN, province=OK, admin=NOT_FOUND),
        kwargs=lambda o: {"pk": o.get("credit_import", _credit_import).pk},
    ),
    "credit:import_confirm": Entry(
        signed_in(NOT_ALLOWED), kwargs=lambda o: {"pk": o.get("credit_import", _credit_import).pk}
    ),
    "credit:export": Entry(KEEPS_REGISTER, kwargs=lambda o: {"fmt": "json"}),
    "credit:review_quality": Entry(KEEPS_REGISTER),
    # R7: the province disqualifies what it sees; the others who see it may not.
    "credit:disqualify": Entry(chain_sees(FORBIDDEN, up_to="acceptance", province=OK), on="formal_passed"),
    "credit:evidence": Entry(
        chain_sees(FORBIDDEN, up_to="acceptance", province=OK),
        kwargs=lambda o: {"pk": o.get("disqualified", _disqualified).pk},
    ),
    # Expert scoring: an expert sees only its own assignments; the province manages.
    "scoring:expert_home": Entry(signed_in(FORBIDDEN, expert=OK)),
    "scoring:expert_profile": Entry(signed_in(FORBIDDEN, expert=OK)),
    "scoring:conflict_declare": Entry(signed_in(NOT_ALLOWED)),
    "scoring:assignment": Entry(
        signed_in(NOT_FOUND, expert=OK, province=FORBIDDEN),
        kwargs=lambda o: {"pk": o.get("assignment", _assignment).pk},
    ),
    "scoring:assignment_file": Entry(
        signed_in(NOT_FOUND, expert=OK, province=FORBIDDEN),
        kwargs=lambda o: {
            "pk": (a := o.get("assignment", _assignment)).pk,
            "attachment_id": a.application.attachments.first().pk,
        },
    ),
    "scoring:assignment_submit": Entry(
        signed_in(NOT_ALLOWED), kwargs=lambda o: {"pk": o.get("assignment", _assignment).pk}
    ),
    "scoring:province_home": Entry(QUEUE_OF["province"]),
    "scoring:expert_invite": Entry(QUEUE_OF["province"]),
    "scoring:province_batch": Entry(QUEUE_OF["province"], kwargs=_batch),
    "scoring:weights": Entry(signed_in(NOT_ALLOWED), kwargs=_batch),
    "scoring:auto_assign": Entry(signed_in(NOT_ALLOWED), kwargs=_batch),
    "scoring:assign": Entry(signed_in(NOT_ALLOWED), kwargs=_batch),
    "scoring:assignment_remove": Entry(
        signed_in(NOT_ALLOWED), kwargs=lambda o: {"pk": o.get("assignment", _assignment).pk}
    ),
    # 公示: public pages for anyone, no login; objections handled by the province.
    "publicity:notice_list": Entry(expect(OK)),
    "publicity:notice_detail": Entry(expect(OK), kwargs=lambda o: {"pk": o.get("notice", _notice).pk}),
    "publicity:province_home": Entry(QUEUE_OF["province"]),
    "publicity:province_notice": Entry(
        QUEUE_OF["province"], kwargs=lambda o: {"pk": o.get("notice", _notice).pk}
    ),
    "publicity:objection_close": Entry(
        signed_in(NOT_ALLOWED), kwargs=lambda o: {"pk": o.get("objection", _objection).pk}
    ),
    "publicity:objection_file": Entry(
        QUEUE_OF["province"], kwargs=lambda o: {"pk": o.get("objection", _objection).pk}
    ),
    # After filing: filed spaces and their annual reports (makerspace.filed) ----------------------
    "filed:space_list": Entry(
        signed_in(FORBIDDEN, **APPLICANTS, recommender=OK, other_recommender=OK, province=OK, ministry=OK)
    ),
    "filed:space_detail": Entry(
        SEES_FILED_SPACE, kwargs=lambda o: {"pk": o.get("filed_space", _filed_space).pk}
    ),
    "filed:space_exit": Entry(signed_in(NOT_ALLOWED), kwargs=_space_pk),
    "filed:space_end": Entry(signed_in(NOT_ALLOWED), kwargs=_space_pk),
    "filed:proposal_decide": Entry(signed_in(NOT_ALLOWED), kwargs=_proposal),
    "filed:round_list": Entry(ROUNDS),
    "filed:round_create": Entry(signed_in(FORBIDDEN, province=OK)),
    "filed:round_detail": Entry(ROUNDS, kwargs=_round),
    "filed:round_close": Entry(signed_in(NOT_ALLOWED), kwargs=_round),
    "filed:my_reports": Entry(signed_in(FORBIDDEN, **APPLICANTS)),
    "filed:report_detail": Entry(SEES_REPORT, kwargs=_report_pk),
    # Only the space's own operating entity fills its report; the chain sees it but may not.
    "filed:report_edit": Entry(
        signed_in(NOT_FOUND, owner=OK, recommender=FORBIDDEN, province=FORBIDDEN), kwargs=_report_pk
    ),
    "filed:report_sealed": Entry(SEES_REPORT, kwargs=_report_pk),
    "filed:report_sign": Entry(signed_in(NOT_ALLOWED), kwargs=_report_pk),
    "filed:report_upload": Entry(signed_in(NOT_ALLOWED), kwargs=_report_pk),
    "filed:report_submit": Entry(signed_in(NOT_ALLOWED), kwargs=_report_pk),
    # Only the space's own operating entity asks for a change; only the province records a visit.
    "filed:change_create": Entry(
        signed_in(NOT_FOUND, owner=OK, recommender=FORBIDDEN, province=FORBIDDEN, ministry=FORBIDDEN),
        kwargs=lambda o: {"pk": o.get("filed_space", _filed_space).pk},
    ),
    "filed:change_decide": Entry(signed_in(NOT_ALLOWED), kwargs=_change),
    "filed:spot_check_create": Entry(
        signed_in(NOT_FOUND, owner=FORBIDDEN, recommender=FORBIDDEN, province=OK, ministry=FORBIDDEN),
        kwargs=lambda o: {"pk": o.get("filed_space", _filed_space).pk},
    ),
    "filed:rectification_complete": Entry(signed_in(NOT_ALLOWED), kwargs=_rectification),
    "filed:report_document": Entry(SEES_REPORT, kwargs=lambda o: {**_report_pk(o), "fmt": "docx"}),
    "filed:round_export": Entry(ROUNDS, kwargs=_round),
    # An evaluation not yet published is the province's alone.
    "filed:evaluation_document": Entry(signed_in(NOT_FOUND, province=OK), kwargs=_evaluation_document),
    "filed:evaluation_list": Entry(signed_in(FORBIDDEN, province=OK)),
    "filed:evaluation_create": Entry(signed_in(FORBIDDEN, province=OK)),
    "filed:evaluation_detail": Entry(signed_in(FORBIDDEN, province=OK), kwargs=_evaluation_round),
    # Public once published; before that nobody finds it.
    "filed:evaluation_results": Entry(expect(NOT_FOUND), kwargs=_evaluation_round),
    "filed:evaluation_action": Entry(
        signed_in(NOT_ALLOWED), kwargs=lambda o: {**_evaluation_round(o), "name": "grade"}
    ),
    "filed:indicator_weights": Entry(signed_in(NOT_ALLOWED), kwargs=_evaluation_round),
    "filed:expert_home": Entry(signed_in(FORBIDDEN, expert=OK)),
    "filed:expert_score": Entry(signed_in(NOT_ALLOWED), kwargs=_evaluation_pk),
    "filed:appeal_file": Entry(signed_in(NOT_ALLOWED), kwargs=_appeal_file),
    "filed:appeal_decide": Entry(signed_in(NOT_ALLOWED), kwargs=_appeal),
    "filed:report_decide": Entry(
        signed_in(NOT_ALLOWED), kwargs=lambda o: {**_report_pk(o), "name": "forward"}
    ),
    # Statistics (makerspace.stats): each role opens its own dashboards, counted over what it may
    # see; the public figures (published list only) are for anyone.
    "stats:home": Entry(expect(REDIRECT)),
    **{
        f"stats:{name}{suffix}": Entry(status)
        for name, status in STATS_DASHBOARDS.items()
        for suffix in ("", "_xlsx")
    },
}


SIGNED_IN = tuple(role for role in ROLES if role != "anonymous")
# Who gets past the permission module on a POST-only URL (its GET answers 405). Every other role
# is refused and writes nothing; the superuser is never among them unless the administrator is.
MAY_POST: dict[str, tuple[str, ...]] = {
    "accounts:logout": ROLES,
    "accounts:supervisor_request_resolve": ("recommender", "admin", "superuser"),
    "security:otp_disable": SIGNED_IN,
    "security:password_check": ROLES,
    "applications:autosave": ("owner",),
    "applications:case_delete": ("owner",),
    "applications:file_remove": ("owner",),
    "applications:submit": ("owner",),
    "notifications:read": ("owner",),
    "notifications:read_all": SIGNED_IN,
    "reviews:supervisor_commitment": ("supervisor",),
    "reviews:supervisor_forward": ("supervisor",),
    "reviews:return": ("supervisor",),
    "reviews:review_decide": ("recommender",),
    "reviews:conflict_declare": ("recommender",),
    # A batch-wide page: each unit acts on its own unit's submission in the batch.
    "reviews:recommender_ranks": ("recommender", "other_recommender"),
    "reviews:recommender_letter": ("recommender", "other_recommender"),
    "reviews:recommender_submit": ("recommender", "other_recommender"),
    "reviews:acceptance_check": ("acceptance",),
    "reviews:acceptance_paper": ("acceptance",),
    "reviews:acceptance_receive": ("acceptance",),
    "reviews:province_ranks": ("province",),
    "reviews:province_select": ("province",),
    "reviews:province_not_select": ("province",),
    "reviews:ministry_file": ("ministry",),
    "reviews:ministry_not_file": ("ministry",),
    "reviews:ministry_publish": ("ministry",),
    "documents:package_build": ("owner",),
    "documents:unit_dossier": ("recommender", "acceptance", "province"),
    "documents:batch_dossier": ("province", "ministry"),
    "documents:import_confirm": ("recommender",),  # the importer's own upload
    "credit:record_end": ("province", "admin", "superuser"),
    "credit:import_confirm": ("province",),  # the uploader's own import
    "scoring:conflict_declare": ("expert",),
    "scoring:assignment_submit": ("expert",),
    "scoring:weights": ("province",),
    "scoring:auto_assign": ("province",),
    "scoring:assign": ("province",),
    "scoring:assignment_remove": ("province",),
    "publicity:objection_close": ("province",),
    # After filing (makerspace.filed): the space's own operating entity, the party whose step it
    # is, the province for its decisions, the expert for its score.
    "filed:space_exit": ("owner",),
    "filed:space_end": ("province",),
    "filed:proposal_decide": ("province",),
    "filed:change_decide": ("recommender",),
    "filed:rectification_complete": ("province",),
    "filed:round_close": ("province",),
    "filed:report_sign": ("owner",),
    "filed:report_upload": ("owner",),
    "filed:report_submit": ("owner",),
    # Walked after the owner's submission: the report is at its unit.
    "filed:report_decide": ("recommender",),
    "filed:indicator_weights": ("province",),
    "filed:evaluation_action": ("province",),
    "filed:expert_score": ("expert",),
    "filed:appeal_file": ("owner",),
    "filed:appeal_decide": ("province",),
}


def test_every_post_only_url_says_who_may_post():
    post_only = {
        name
        for name, entry in EXPECTED.items()
        for e in (entry if isinstance(entry, list) else [entry])
        if NOT_ALLOWED in (e.expect["owner"], e.expect["province"])
    }
    assert post_only == set(MAY_POST), (
        f"missing: {sorted(post_only - set(MAY_POST))}; stale: {sorted(set(MAY_POST) - post_only)}"
    )


def _entries(name: str) -> list[Entry]:
    entry = EXPECTED[name]
    return entry if isinstance(entry, list) else [entry]


def test_every_url_has_a_permission_entry():
    missing = [route for route in walk() if route.name not in EXPECTED]
    assert not missing, "\n".join(
        f"URL {route.name} (/{route.route}) has no permission entry in test_url_permissions.EXPECTED"
        for route in missing
    )


def test_every_entry_names_an_existing_url():
    names = {route.name for route in walk()}
    stale = sorted(set(EXPECTED) - names)
    assert not stale, f"test_url_permissions.EXPECTED names URLs that no longer exist: {stale}"


def _namespaces() -> list[str]:
    return sorted({route.name.split(":")[0] if ":" in route.name else "(root)" for route in walk()})


@pytest.mark.django_db
@pytest.mark.parametrize("namespace", _namespaces())
def test_each_role_gets_the_expected_status(client, world, namespace):
    objects = Objects(world, World())
    routes = [
        route
        for route in walk()
        if route.name in EXPECTED
        and (route.name.split(":")[0] if ":" in route.name else "(root)") == namespace
    ]
    problems = []
    previous = logging.getLogger("django.request").level
    logging.getLogger("django.request").setLevel(logging.ERROR)
    try:
        for route in routes:
            for entry in _entries(route.name):
                problems += run_entry(client, route, entry, objects)
    finally:
        logging.getLogger("django.request").setLevel(previous)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("namespace", _namespaces())
def test_each_role_posting_is_refused_where_it_may_not_act(client, world, namespace):
    """The walk again with POST, every role and the superuser: no server error; where a role may
    not act its POST is refused and writes nothing (the audit chain, events, notifications,
    reviews, every application's state and version stay as they were)."""
    objects = Objects(world, World())
    routes = [
        route
        for route in walk()
        if route.name in EXPECTED
        and (route.name.split(":")[0] if ":" in route.name else "(root)") == namespace
    ]
    problems = []
    previous = logging.getLogger("django.request").level
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    try:
        for route in routes:
            for entry in _entries(route.name):
                problems += run_post_entry(client, route, entry, objects, MAY_POST.get(route.name))
    finally:
        logging.getLogger("django.request").setLevel(previous)
    assert not problems, "\n".join(problems)
