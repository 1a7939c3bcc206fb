"""Screens of the parties after the applicant. Views authorise (permission module), parse and call
a service; every URL takes object ids, so each can be walked with every role."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from makerspace.accounts.selectors import recommending_unit
from makerspace.applications import workflow
from makerspace.applications.conditions import NO_PROVINCE_RANK
from makerspace.applications.diff import changes_since_last_review
from makerspace.applications.models import Application, Attachment
from makerspace.applications.workflow import State
from makerspace.batches.deadlines import effective_deadline, is_open
from makerspace.batches.models import Kind
from makerspace.batches.models import Level as DeadlineLevel
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.core.files import private_file_response
from makerspace.core.views import PAGE_REFUSED, attempt, attempt_posted
from makerspace.credit.selectors import check_r8_credit
from makerspace.permissions import get_application_for, get_batch_for, get_unit_submission_for, require
from makerspace.publicity.rules import publicity_blockers, read_once
from makerspace.scoring.selectors import attach_scores

from . import checks, selectors, services
from .checklists import Stage
from .forms import (
    CommentForm,
    ConflictForm,
    DecisionForm,
    ExtensionForm,
    JudgementsForm,
    MaterialCheckForm,
    PaperReceiptForm,
    PublishForm,
    RanksForm,
    ReasonForm,
    ReturnForm,
    ScanForm,
)
from .models import UnitSubmission


def _serve(field, content_type: str, filename: str):
    return private_file_response(field, content_type=content_type, filename=filename)


def _paged(request, param: str, select: Callable, *args, anchor: str = "", base: str = "", **kwargs) -> Page:
    """One section's page, its number read from its own query parameter (`?page=2`, `?passed=3`),
    ready for includes/pagination.html: links go to `base` (the page's own URL, also when it is
    shown again after a refused POST) and keep the other sections' pages."""
    return _linked(request, param, select(*args, page=request.GET.get(param), **kwargs), anchor, base)


def _linked(request, param: str, page: Page, anchor: str = "", base: str = "") -> Page:
    """`page`, read with the number of its query parameter, ready for includes/pagination.html."""
    others = request.GET.copy()
    others.pop(param, None)
    page.param = param
    page.query_prefix = f"{others.urlencode()}&" if others else ""
    page.anchor = anchor
    page.base = base or request.path
    page.links = [
        None if n == page.paginator.ELLIPSIS else n
        for n in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return page


def _posted_ids(data, prefix: str) -> list[int]:
    """The application ids of a ranking form's fields (`rank_<id>`): the rows of the page it showed."""
    ids = (key[len(prefix) :] for key in data if key.startswith(prefix))
    return [int(i) for i in ids if i.isdigit() and len(i) <= 18]


def _page_query(request, param: str, anchor: str) -> str:
    """Back to the page of a section the form was posted from."""
    number = request.GET.get(param, "")
    return (f"?{param}={number}" if number.isdigit() else "") + f"#{anchor}"


def _queue_url(user) -> str:
    from makerspace.core.views import queue_url_for

    return queue_url_for(user) or reverse("core:home")


# 主管部门 -------------------------------------------------------------------------------------


@login_required
@require_GET
def supervisor_queue(request):
    require(request.user, "reviews.view_supervisor_queue", message=PAGE_REFUSED)
    queue = _paged(request, "page", selectors.supervisor_queue, request.user)
    return render(
        request,
        "reviews/supervisor_queue.html",
        {
            "title": "主管部门审核",
            "queue": queue,
            "handled": selectors.handled_by_supervisor(
                request.user, batches={a.batch for a in queue.object_list}
            ),
        },
    )


def _supervisor_page(request, application, scan_form=None, return_form=None, status=200):
    attachments = selectors.current_attachments(application)
    signed = checks.current_supervisor_commitments(application, attachments)
    missing = checks.missing_materials(application, attachments, required=checks.UP_TO_SUPERVISOR)
    deadline = effective_deadline(application.batch, DeadlineLevel.ATTEST, application.recommending_unit_id)
    can_act = request.user.has_perm("reviews.sign_supervisor_commitment", application)
    events = list(selectors.application_events(application))
    return render(
        request,
        "reviews/supervisor_detail.html",
        {
            "title": application.space.name,
            "application": application,
            "credit": check_r8_credit(application.space.organisation) if can_act else None,
            "attachments": attachments,
            "signed": signed,
            "missing": [checks.Material(m).label for m in missing],
            "deadline": deadline,
            "can_act": can_act,
            "scan_form": scan_form or ScanForm(),
            "return_form": return_form or ReturnForm(),
            "events": events,
            "comparison": changes_since_last_review(application, request.user, events),
        },
        status=status,
    )


@login_required
@require_GET
def supervisor_detail(request, pk: int):
    require(request.user, "reviews.view_supervisor_queue", message=PAGE_REFUSED)
    application = get_application_for(request.user, pk, queryset=selectors.application_page_query())
    return _supervisor_page(request, application)


@login_required
@require_POST
def supervisor_commitment(request, pk: int):
    application = get_application_for(
        request.user, pk, "reviews.sign_supervisor_commitment", selectors.application_page_query()
    )
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.supervisor_commitment_upload(
                user=request.user, application=application, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        except RuleViolation as error:
            form.add_error(None, f"（{error.rule}）{error.message}")
        else:
            messages.success(request, "已上传主管部门信用承诺书（附件5），可以审核通过并报送推荐单位。")
            return redirect("reviews:supervisor_detail", application.pk)
    return _supervisor_page(request, application, scan_form=form, status=400)


@login_required
@require_POST
def supervisor_forward(request, pk: int):
    application = get_application_for(
        request.user, pk, "applications.forward", selectors.application_page_query()
    )
    form = CommentForm(request.POST)
    form.is_valid()
    done = attempt(
        request,
        lambda: services.supervisor_forward(
            user=request.user, application=application, comment=form.cleaned_data.get("comment", "")
        ),
        f"{application.number} 已审核通过，报送{application.recommending_unit.name}。",
    )
    return redirect(
        "reviews:supervisor_queue" if done else "reviews:supervisor_detail", *([] if done else [pk])
    )


@login_required
@require_POST
def application_return(request, pk: int):
    """退回修改 with comments, from any level that may return the application now."""
    application = get_application_for(
        request.user, pk, "applications.return_to_applicant", selectors.application_page_query()
    )
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "退回须填写意见。")
        return redirect(_queue_url(request.user))
    attempt(
        request,
        lambda: services.application_return(
            user=request.user, application=application, comment=form.cleaned_data["comment"]
        ),
        f"{application.number} 已退回申报单位修改。",
    )
    return redirect(_queue_url(request.user))


# Documents (R6) -------------------------------------------------------------------------------


@login_required
@require_GET
def open_attachment(request, pk: int, attachment_id: int):
    """A reviewer opens a document: the open is recorded (R6), then the file is served."""
    application = get_application_for(request.user, pk, "reviews.open_document")
    attachment = get_object_or_404(Attachment, pk=attachment_id, application=application)
    services.document_open_record(
        user=request.user,
        application=application,
        key=f"attachment:{attachment.pk}",
        title=f"{attachment.get_kind_display()}：{attachment.title}",
    )
    return _serve(attachment.file, attachment.content_type, f"{application.number}-{attachment.title}")


@login_required
@require_GET
def open_form(request, pk: int, kind: str):
    """A reviewer opens 附件2 or 附件3 as generated from the version under review: recorded (R6)."""
    from makerspace.documents import services as documents

    application = get_application_for(request.user, pk, "reviews.open_document")
    titles = dict(selectors.GENERATED_FORMS)
    if kind not in titles or not application.current_version:
        raise Http404("没有该文件。")
    rendered = documents.application_document(
        user=request.user,
        application=application,
        kind=kind,
        fmt="pdf",
        version_number=application.current_version,
    )
    services.document_open_record(
        user=request.user,
        application=application,
        key=f"form:{kind}:{application.current_version}",
        title=f"{titles[kind]}（第{application.current_version}版）",
    )
    from io import BytesIO

    from django.http import FileResponse

    return FileResponse(
        BytesIO(rendered.data), filename=rendered.filename, content_type=rendered.content_type
    )


@login_required
@require_GET
def open_letter(request, submission_id: int):
    submission = get_unit_submission_for(request.user, submission_id)
    if not submission.has_letter:
        raise Http404("该批次尚未上传推荐函。")
    services.document_open_record(
        user=request.user,
        application=None,
        key=submission.letter_key,
        title=f"推荐函（{submission.recommending_unit.name}）",
    )
    return _serve(
        submission.letter, submission.letter_content_type, f"推荐函-{submission.recommending_unit.short_name}"
    )


# Itemised review (R6, R9) ---------------------------------------------------------------------


def _review_page(request, application, review, form=None, decision_form=None, status=200, reviews=None):
    page = selectors.review_page(request.user, review, reviews)
    integrity = selectors.integrity_of(request.user, application)
    return render(
        request,
        "reviews/review.html",
        {
            "title": f"{review.get_stage_display()}：{application.space.name}",
            "application": application,
            "page": page,
            "form": form or JudgementsForm(stage=review.stage, judged=page.judged),
            "decision_form": decision_form or DecisionForm(stage=review.stage),
            # The notice (三.2): the reviewer's pledge for the batch, and no declared conflict.
            "integrity_problem": integrity.problem,
            "signed_pledge": integrity.signed_pledge,
            "has_conflict": integrity.has_conflict,
            "conflict_form": ConflictForm(),
            "comparison": changes_since_last_review(application, request.user),
            # R8 again at the formal review: the province sees the register before it passes.
            "credit": check_r8_credit(application.space.organisation)
            if review.stage == Stage.FORMAL
            else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    application = get_application_for(
        request.user, pk, "reviews.review_application", selectors.application_page_query()
    )
    if request.method == "GET":
        # Reading writes nothing: a review is begun by the first judgement saved. The reviewer's own
        # review is one of the application's, read once with the earlier ones.
        reviews = selectors.application_reviews(application)
        review = selectors.own_review(request.user, application, reviews) or selectors.review_unsaved(
            request.user, application
        )
        return _review_page(request, application, review, reviews=reviews)
    review = services.review_start(user=request.user, application=application)
    if request.method == "POST":
        form = JudgementsForm(request.POST, stage=review.stage, judged={})
        if form.is_valid():
            try:
                saved = services.judgements_save(user=request.user, review=review, entries=form.entries())
            except ValidationError as error:
                for code, texts in error.message_dict.items():
                    field = f"{code}_comment" if f"{code}_comment" in form.fields else None
                    for text in texts:
                        form.add_error(field, text)
            except StateConflict as error:
                messages.error(request, str(error))
                return redirect("reviews:review", application.pk)
            else:
                messages.success(
                    request, f"已保存{len(saved)}项审核意见。" if saved else "审核意见没有变化。"
                )
                return redirect("reviews:review", application.pk)
        return _review_page(request, application, review, form=form, status=400)
    return _review_page(request, application, review)


@login_required
@require_POST
def review_decide(request, pk: int):
    application = get_application_for(
        request.user, pk, "reviews.review_application", selectors.application_page_query()
    )
    review = services.review_start(user=request.user, application=application)
    form = DecisionForm(request.POST, stage=review.stage)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        done = attempt(
            request,
            lambda: services.review_decide(
                user=request.user, review=review, decision=decision, comment=form.cleaned_data["comment"]
            ),
            f"{application.number}：{review.get_stage_display()}结论已记录。",
            form=form,
        )
        if done:
            return redirect(
                _queue_url(request.user) if decision != "recommend" else _unit_batch_url(application)
            )
    return _review_page(request, application, review, decision_form=form, status=400)


def _unit_batch_url(application: Application) -> str:
    return reverse("reviews:recommender_batch", args=[application.batch_id])


# 推荐单位 -------------------------------------------------------------------------------------


@login_required
@require_GET
def recommender_queue(request):
    require(request.user, "reviews.view_recommender_queue", message=PAGE_REFUSED)
    batches = selectors.recommender_batches(request.user)
    return render(
        request,
        "reviews/recommender_queue.html",
        {
            "title": "推荐单位审核",
            "queue": _paged(
                request,
                "page",
                selectors.recommender_queue,
                request.user,
                batches=[b["batch"] for b in batches],
                # The batch list's counts are of the same applications: they hold the queue's size.
                count=sum(b["counts"][State.AT_RECOMMENDER] for b in batches),
            ),
            "batches": batches,
        },
    )


def _unit_submission(request, batch_id: int):
    require(request.user, "reviews.view_recommender_queue", message=PAGE_REFUSED)
    batch = get_batch_for(request.user, batch_id)
    organisation = request.user.organisation if request.user.organisation_id else None
    unit_id = organisation.recommending_unit_id if organisation is not None else None
    if unit_id is None:
        raise PermissionDenied("您的账号未关联推荐单位。")
    if request.method == "GET":
        # Reading writes nothing: the latest delivery record (its unit read with it), or an unsaved
        # one to show.
        submission = selectors.unit_submission_current(batch, unit_id) or UnitSubmission(
            batch=batch, recommending_unit=recommending_unit(unit_id)
        )
        require(request.user, "reviews.manage_unit_submission", submission)
        return submission
    submission = services.unit_submission_open(batch=batch, unit=organisation.recommending_unit)
    return get_unit_submission_for(request.user, submission.pk, "reviews.manage_unit_submission")


def _receiving_party(batch) -> str:
    """Who the unit's delivery goes to: the party of the step after the unit's in the chain."""
    after = batch.step_after(Kind.UNIT_REVIEW)
    return after.get_party_display() if after is not None else "下一环节"


def _unit_batch_page(request, submission, ranks_form=None, letter_form=None, status=200):
    counts = selectors.unit_state_counts(submission)
    base = reverse("reviews:recommender_batch", args=[submission.batch_id])
    ranking = _paged(
        request,
        "ranks",
        selectors.unit_ranking_rows,
        submission,
        count=counts[State.RECOMMENDED],
        anchor="ranks",
        base=base,
    )
    deadline = effective_deadline(
        submission.batch, DeadlineLevel.UNIT_REVIEW, submission.recommending_unit_id
    )
    # After a delivery went, applications recommended since go in a supplementary delivery (补报).
    supplementary = submission.is_submitted and counts[State.RECOMMENDED] > 0
    open_now = (not submission.is_submitted or supplementary) and not workflow.batch_unmet(
        submission.batch, "deliver", submission.recommending_unit_id
    )
    return render(
        request,
        "reviews/recommender_batch.html",
        {
            "title": f"{submission.batch.title} · 本单位报送",
            "submission": submission,
            "counts": counts,
            "rows": _paged(
                request,
                "page",
                selectors.unit_batch_rows,
                submission,
                count=sum(counts.values()),
                anchor="rows",
                base=base,
            ),
            "pending": counts[State.AT_RECOMMENDER],
            "recommended": counts[State.RECOMMENDED],
            "flagged": _paged(
                request,
                "flagged",
                selectors.unit_flagged_rows,
                submission,
                delivered=counts[State.DELIVERED],
                anchor="flagged",
                base=base,
            ),
            "ranking": ranking,
            "ranks_form": ranks_form or RanksForm(applications=ranking.object_list, attr="recommender_rank"),
            "letter_form": letter_form or ScanForm(),
            "deadline": deadline,
            "open_now": open_now,
            "supplementary": supplementary,
            "receiving_party": _receiving_party(submission.batch),
        },
        status=status,
    )


@login_required
@require_GET
def recommender_batch(request, batch_id: int):
    submission = _unit_submission(request, batch_id)
    return _unit_batch_page(request, submission)


def _ranks_saved(request, form, save: Callable, success: str, done_url: str, page: Callable):
    """A ranking form of a page's rows: saved by `save(ranks)` and back to the ranking, or the page
    again with the form and what refused it."""
    if form.is_valid() and attempt(request, lambda: save(form.ranks()), success, form=form):
        return redirect(done_url)
    return page(form)


@login_required
@require_POST
def recommender_ranks(request, batch_id: int):
    submission = _unit_submission(request, batch_id)
    # The form covers the rows of the page it was shown with; the other pages' ranks stay.
    shown = selectors.unit_ranking_rows_among(submission, _posted_ids(request.POST, "rank_"))
    return _ranks_saved(
        request,
        RanksForm(request.POST, applications=shown, attr="recommender_rank"),
        lambda ranks: services.recommender_ranks_set(user=request.user, submission=submission, ranks=ranks),
        "推荐排序已保存。",
        reverse("reviews:recommender_batch", args=[batch_id]) + _page_query(request, "ranks", "ranks"),
        lambda form: _unit_batch_page(request, submission, ranks_form=form, status=400),
    )


@login_required
@require_POST
def recommender_letter(request, batch_id: int):
    submission = _unit_submission(request, batch_id)
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.unit_letter_upload(
                user=request.user, submission=submission, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        except RuleViolation as error:
            form.add_error(None, f"（{error.rule}）{error.message}")
        else:
            messages.success(request, "推荐函已上传。")
            return redirect("reviews:recommender_batch", batch_id)
    return _unit_batch_page(request, submission, letter_form=form, status=400)


@login_required
@require_POST
def recommender_submit(request, batch_id: int):
    submission = _unit_submission(request, batch_id)
    attempt(
        request,
        lambda: services.unit_submit(user=request.user, submission=submission),
        f"已报送{_receiving_party(submission.batch)}。本批次的推荐名单和排序已锁定。",
    )
    return redirect("reviews:recommender_batch", batch_id)


# 受理单位 -------------------------------------------------------------------------------------


@login_required
@require_GET
def acceptance_queue(request):
    require(request.user, "reviews.view_acceptance_queue", message=PAGE_REFUSED)
    return render(
        request,
        "reviews/acceptance_queue.html",
        {"title": "受理", "submissions": selectors.acceptance_queue(request.user)},
    )


@login_required
@require_GET
def acceptance_submission(request, submission_id: int):
    require(request.user, "reviews.view_acceptance_queue", message=PAGE_REFUSED)
    submission = get_unit_submission_for(request.user, submission_id)
    if not request.user.has_perm("reviews.receive_for_batch", submission.batch):
        raise Http404("该批次的材料不由本单位受理。")
    rows = selectors.acceptance_rows(submission)
    for application in rows:
        # One pair of forms per application, with ids of its own so each label finds its field.
        auto_id = f"id_{application.pk}_%s"
        application.check_form = MaterialCheckForm(auto_id=auto_id)
        application.paper_form = PaperReceiptForm(
            auto_id=auto_id, initial={"received_on": timezone.localdate()}
        )
    return render(
        request,
        "reviews/acceptance_submission.html",
        {
            "title": f"{submission.recommending_unit.name} · {submission.batch.title}",
            "submission": submission,
            "rows": rows,
        },
    )


def _acceptance_back(application):
    submission = selectors.delivery_of(application)
    if submission is None:
        return redirect("reviews:acceptance_queue")
    return redirect(reverse("reviews:acceptance_submission", args=[submission.pk]) + f"#app-{application.pk}")


@login_required
@require_POST
def acceptance_check(request, pk: int):
    application = get_application_for(request.user, pk, "reviews.check_materials")
    form = MaterialCheckForm(request.POST)
    attempt_posted(
        request,
        form,
        lambda data: services.material_check_record(user=request.user, application=application, **data),
        f"{application.number}：电子材料核对已记录。",
        "核对表填写有误。",
    )
    return _acceptance_back(application)


@login_required
@require_POST
def acceptance_paper(request, pk: int):
    application = get_application_for(request.user, pk, "reviews.check_materials")
    form = PaperReceiptForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.paper_receipt_register(
                user=request.user, application=application, **form.cleaned_data
            ),
            f"{application.number}：已登记纸质材料{form.cleaned_data['copies']}份。",
        )
    else:
        messages.error(
            request, "纸质材料登记有误：" + "；".join(e for errs in form.errors.values() for e in errs)
        )
    return _acceptance_back(application)


@login_required
@require_POST
def acceptance_receive(request, pk: int):
    application = get_application_for(request.user, pk, "applications.receive")
    attempt(
        request,
        lambda: services.application_receive(user=request.user, application=application),
        f"{application.number} 已受理，转省科技厅形式审查。",
    )
    return _acceptance_back(application)


# 省科技厅 -------------------------------------------------------------------------------------

PROVINCE_STATES = [
    State.DELIVERED,
    State.RECEIVED,
    State.FORMAL_PASSED,
    State.FORMAL_FAILED,
    State.RECOMMENDED_TO_MINISTRY,
    State.NOT_RECOMMENDED,
]


@login_required
@require_GET
def province_queue(request):
    require(request.user, "reviews.view_province_queue", message=PAGE_REFUSED)
    return render(
        request,
        "reviews/province_queue.html",
        {
            "title": "省科技厅审查推荐",
            "batches": selectors.batches_with_counts(request.user, PROVINCE_STATES),
        },
    )


def _sections(
    request, batch, counts, base: str, sections, columns=selectors.PROVINCE_ROW_COLUMNS
) -> list[Page]:
    """A batch page's sections, each (query parameter, states, anchor), paged by its parameter."""
    pages = selectors.batch_sections(
        request.user,
        batch,
        [(states, request.GET.get(param), sum(counts[s] for s in states)) for param, states, _ in sections],
        columns=columns,
    )
    return [
        _linked(request, param, page, anchor, base)
        for (param, _, anchor), page in zip(sections, pages, strict=True)
    ]


def _province_page(request, batch, ranks_form=None, status=200):
    counts = selectors.batch_counts(request.user, batch, PROVINCE_STATES)
    received, passed, selected, closed = _sections(
        request,
        batch,
        counts,
        reverse("reviews:province_batch", args=[batch.pk]),
        [
            ("received", [State.RECEIVED], "received"),
            ("passed", [State.FORMAL_PASSED], "ranks"),
            ("selected", [State.RECOMMENDED_TO_MINISTRY], "selected"),
            ("closed", [State.FORMAL_FAILED, State.NOT_RECOMMENDED], "closed"),
        ],
    )
    # Expert scores (makerspace.scoring) beside the rows shown: one query for the whole page.
    attach_scores(passed.object_list + selected.object_list)
    # The 公示 panel and the 公示 among the reasons 推荐 is disabled: one reading of the batch's 公示.
    with read_once():
        publicity = publicity_blockers(batch)
        # Why 推荐 is disabled for every row: the batch-wide part of the conditions the
        # transition checks (R5, R10's quota, 公示); a row without a rank says so beside its button.
        select_reasons = [u.message for u in workflow.batch_unmet(batch, "select")]
    return render(
        request,
        "reviews/province_batch.html",
        {
            "title": f"{batch.title} · 省级审查推荐",
            "batch": batch,
            "counts": counts,
            "received": received,
            "passed": passed,
            "selected": selected,
            "closed": closed,
            "selected_count": counts[State.RECOMMENDED_TO_MINISTRY],
            "ranks_form": ranks_form or RanksForm(applications=passed.object_list, attr="province_rank"),
            "deadline": effective_deadline(batch, DeadlineLevel.SELECTION),
            "open_now": is_open(batch, DeadlineLevel.SELECTION),
            "publicity_blockers": publicity,
            "select_reasons": select_reasons,
            "no_rank_reason": NO_PROVINCE_RANK,
        },
        status=status,
    )


@login_required
@require_GET
def province_batch(request, batch_id: int):
    require(request.user, "reviews.view_province_queue", message=PAGE_REFUSED)
    return _province_page(request, get_batch_for(request.user, batch_id))


@login_required
@require_POST
def province_ranks(request, batch_id: int):
    require(request.user, "reviews.view_province_queue", message=PAGE_REFUSED)
    batch = get_batch_for(request.user, batch_id)
    # The form covers the rows of the page it was shown with; the other pages' ranks stay.
    shown = selectors.province_ranking_rows_among(batch, _posted_ids(request.POST, "rank_"))
    return _ranks_saved(
        request,
        RanksForm(request.POST, applications=shown, attr="province_rank"),
        lambda ranks: services.province_ranks_set(user=request.user, batch=batch, ranks=ranks),
        "省级排序已保存。",
        reverse("reviews:province_batch", args=[batch_id]) + _page_query(request, "passed", "ranks"),
        lambda form: _province_page(request, batch, ranks_form=form, status=400),
    )


@login_required
@require_POST
def province_select(request, pk: int):
    application = get_application_for(request.user, pk, "applications.select")
    form = CommentForm(request.POST)
    form.is_valid()
    attempt(
        request,
        lambda: services.province_select(
            user=request.user, application=application, comment=form.cleaned_data.get("comment", "")
        ),
        f"{application.number} 已择优推荐至科技部。",
    )
    return redirect("reviews:province_batch", application.batch_id)


@login_required
@require_POST
def province_not_select(request, pk: int):
    application = get_application_for(request.user, pk, "applications.not_select")
    form = CommentForm(request.POST)
    form.is_valid()
    attempt(
        request,
        lambda: services.province_not_select(
            user=request.user, application=application, comment=form.cleaned_data.get("comment", "")
        ),
        f"{application.number} 未列入推荐名单。",
    )
    return redirect("reviews:province_batch", application.batch_id)


@login_required
@require_http_methods(["GET", "POST"])
def province_deadlines(request, batch_id: int):
    require(request.user, "batches.extend_deadline", message=PAGE_REFUSED)
    batch = get_batch_for(request.user, batch_id)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_extend(user=request.user, batch=batch, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    for text in errors:
                        form.add_error(name if name in form.fields else None, text)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, "截止时间已延长，理由已记录。")
            return redirect("reviews:province_deadlines", batch_id)
    levels = [
        (label, batch.base_deadline(value), effective_deadline(batch, value))
        for value, label in DeadlineLevel.choices
        if batch.base_deadline(value) is not None
    ]
    return render(
        request,
        "reviews/province_deadlines.html",
        {
            "title": f"{batch.title} · 截止时间",
            "batch": batch,
            "form": form,
            "levels": levels,
            "extensions": selectors.batch_extensions(batch),
        },
        status=400 if form.errors else 200,
    )


# 科技部 ---------------------------------------------------------------------------------------

MINISTRY_STATES = [State.RECOMMENDED_TO_MINISTRY, State.FILED, State.NOT_FILED, State.PUBLISHED]


@login_required
@require_GET
def ministry_queue(request):
    require(request.user, "reviews.view_ministry_queue", message=PAGE_REFUSED)
    return render(
        request,
        "reviews/ministry_queue.html",
        {"title": "科技部备案", "batches": selectors.batches_with_counts(request.user, MINISTRY_STATES)},
    )


def _ministry_page(request, batch, publish_form=None, status=200):
    counts = selectors.batch_counts(request.user, batch, MINISTRY_STATES)
    pending, filed, not_filed = _sections(
        request,
        batch,
        counts,
        reverse("reviews:ministry_batch", args=[batch.pk]),
        [
            ("pending", [State.RECOMMENDED_TO_MINISTRY], "pending"),
            ("filed", [State.FILED], "filed"),
            ("not_filed", [State.NOT_FILED], "not_filed"),
        ],
        columns=selectors.MINISTRY_ROW_COLUMNS,
    )

    return render(
        request,
        "reviews/ministry_batch.html",
        {
            "title": f"{batch.title} · 备案",
            "batch": batch,
            "counts": counts,
            "pending": pending,
            "filed": filed,
            "not_filed": not_filed,
            "publications": selectors.batch_publications(batch),
            "publish_form": publish_form
            or PublishForm(initial={"title": f"{batch.year}年国家专业化众创空间备案名单"}),
            "reason_form": ReasonForm(),
        },
        status=status,
    )


@login_required
@require_GET
def ministry_batch(request, batch_id: int):
    require(request.user, "reviews.view_ministry_queue", message=PAGE_REFUSED)
    return _ministry_page(request, get_batch_for(request.user, batch_id))


@login_required
@require_POST
def ministry_file(request, pk: int):
    application = get_application_for(request.user, pk, "applications.file")
    attempt(
        request,
        lambda: services.ministry_file(user=request.user, application=application),
        f"{application.space.name} 已备案。",
    )
    return redirect("reviews:ministry_batch", application.batch_id)


@login_required
@require_POST
def ministry_not_file(request, pk: int):
    application = get_application_for(request.user, pk, "applications.not_file")
    form = ReasonForm(request.POST)
    attempt_posted(
        request,
        form,
        lambda data: services.ministry_not_file(
            user=request.user, application=application, comment=data["comment"]
        ),
        f"{application.space.name} 不予备案。",
        "不予备案须填写理由。",
    )
    return redirect("reviews:ministry_batch", application.batch_id)


@login_required
@require_POST
def ministry_publish(request, batch_id: int):
    require(request.user, "reviews.publish_list", message=PAGE_REFUSED)
    batch = get_batch_for(request.user, batch_id)
    form = PublishForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: services.list_publish(user=request.user, batch=batch, **form.cleaned_data),
        "备案名单已公布。",
        form=form,
    ):
        return redirect("reviews:ministry_batch", batch_id)
    return _ministry_page(request, batch, publish_form=form, status=400)


# The reviewers' own integrity (the notice, 三.2) ---------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def pledge(request, batch_id: int):
    from django.utils.http import url_has_allowed_host_and_scheme

    from .forms import PledgeForm

    batch = get_batch_for(request.user, batch_id)
    require(request.user, "reviews.sign_reviewer_pledge", batch, message=PAGE_REFUSED)
    target = request.POST.get("next") or request.GET.get("next") or reverse("core:home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("core:home")
    signed = selectors.pledge_of(request.user, batch)
    form = PledgeForm(request.POST or None)
    if request.method == "POST" and signed is None and form.is_valid():
        services.reviewer_pledge_sign(user=request.user, batch=batch)
        messages.success(request, "已签署审核诚信承诺。")
        return redirect(target)
    return render(
        request,
        "reviews/pledge.html",
        {
            "title": f"{batch.title} · 审核诚信承诺",
            "batch": batch,
            "signed": signed,
            "form": form,
            "next": target,
        },
        status=400 if request.method == "POST" and signed is None else 200,
    )


@login_required
@require_POST
def conflict_declare(request, pk: int):
    from .forms import ConflictForm

    application = get_application_for(request.user, pk, "reviews.declare_reviewer_conflict")
    form = ConflictForm(request.POST)
    attempt_posted(
        request,
        form,
        lambda data: services.reviewer_conflict_declare(user=request.user, application=application, **data),
        f"{application.number}：已声明利益冲突，本申报须由本单位其他审核人员作出结论。",
        "请选择利益冲突类型并说明具体情况。",
    )
    return redirect("reviews:review", application.pk)


@login_required
@require_GET
def pledges(request, batch_id: int):
    require(request.user, "reviews.view_reviewer_pledges", message=PAGE_REFUSED)
    batch = get_batch_for(request.user, batch_id)
    signed, conflicts = selectors.pledges_of_batch(batch)
    return render(
        request,
        "reviews/pledges.html",
        {
            "title": f"{batch.title} · 审核诚信承诺与利益冲突",
            "batch": batch,
            "pledges": signed,
            "conflicts": conflicts,
        },
    )
