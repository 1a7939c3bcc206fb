"""Take applications through the review chain by its real services, as each party would on its
screens: used by the demo data and by the tests' `World.chain`. Nothing here skips a rule."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from makerspace.applications.models import Application
from makerspace.applications.workflow import State

from . import selectors, services
from .checklists import Verdict, checklist
from .models import Review, UnitSubmission


def scan(name: str) -> SimpleUploadedFile:
    from makerspace.core.demo import blank_pdf

    return SimpleUploadedFile(f"{name}.pdf", blank_pdf(name), content_type="application/pdf")


def forward(application: Application, supervisor) -> Application:
    """主管部门: sign 附件5 (after the R8 check), check its commitments item by item, forward."""
    services.supervisor_commitment_upload(
        user=supervisor, application=application, upload=scan("commitment5")
    )
    return decide(application, supervisor, "forward")


def open_documents(application: Application, reviewer, stage: str) -> None:
    for document in selectors.documents_to_open(application, stage):
        application_or_none = None if document.key.startswith("letter:") else application
        services.document_open_record(
            user=reviewer, application=application_or_none, key=document.key, title=document.title
        )


def judge_all(application: Application, reviewer, verdict: str = Verdict.MEETS) -> Review:
    """Open every document and judge every item, as R6 asks before a decision."""
    # The reviewer's integrity pledge for the batch comes first (the notice, 三.2), once.
    if selectors.pledge_of(reviewer, application.batch) is None:
        services.reviewer_pledge_sign(user=reviewer, batch=application.batch)
    review = services.review_start(user=reviewer, application=application)
    open_documents(application, reviewer, review.stage)
    services.judgements_save(
        user=reviewer,
        review=review,
        entries={
            item.code: (verdict, f"经核查，{item.code}项情况属实。") for item in checklist(review.stage)
        },
    )
    return review


def decide(application: Application, reviewer, decision: str, comment: str = "") -> Application:
    review = judge_all(application, reviewer)
    services.review_decide(user=reviewer, review=review, decision=decision, comment=comment)
    application.refresh_from_db()
    return application


def deliver(applications: list[Application], recommender) -> UnitSubmission:
    """推荐单位: rank the recommended ones in the given order, upload the 推荐函, submit the batch."""
    first = applications[0]
    submission = services.unit_submission_open(batch=first.batch, unit=first.recommending_unit)
    services.recommender_ranks_set(
        user=recommender,
        submission=submission,
        ranks={a.pk: n for n, a in enumerate(applications, start=1)},
    )
    services.unit_letter_upload(user=recommender, submission=submission, upload=scan("letter"))
    services.unit_submit(user=recommender, submission=submission)
    for application in applications:
        application.refresh_from_db()
    return submission


def receive(application: Application, acceptance, receiver: str = "余子佳") -> Application:
    """受理单位: confirm the electronic set, register two paper copies, receive."""
    services.material_check_record(user=acceptance, application=application, missing=[])
    services.paper_receipt_register(
        user=acceptance, application=application, copies=2, received_on=date.today(), receiver=receiver
    )
    services.application_receive(user=acceptance, application=application)
    application.refresh_from_db()
    return application


def select(application: Application, province, rank: int) -> Application:
    """省科技厅: rank a formally passed application and recommend it to the ministry."""
    services.province_ranks_set(user=province, batch=application.batch, ranks={application.pk: rank})
    application.refresh_from_db()
    services.province_select(user=province, application=application)
    application.refresh_from_db()
    return application


def file_and_publish(applications: list[Application], ministry, title: str = "") -> None:
    for application in applications:
        if application.state == State.RECOMMENDED_TO_MINISTRY:
            services.ministry_file(user=ministry, application=application)
    batch = applications[0].batch
    services.list_publish(
        user=ministry, batch=batch, title=title or f"{batch.year}年国家专业化众创空间备案名单"
    )
    for application in applications:
        application.refresh_from_db()


def disqualify(application: Application, province, reason: str = "经核查，申报材料弄虚作假") -> Application:
    """省科技厅 (R7): fabrication found, with its evidence."""
    from makerspace.credit.services import application_disqualify

    application_disqualify(user=province, application=application, reason=reason, evidence=scan("evidence"))
    application.refresh_from_db()
    return application
