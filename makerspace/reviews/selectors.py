"""Reads for the review chain's pages. Each page costs a fixed number of queries, whatever the
number of applications: rows come with select_related / prefetch_related, never one by one."""

import functools
from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse

from makerspace.accounts.selectors import named_user_only
from makerspace.applications.models import Application, ApplicationEvent, ApplicationVersion, Attachment
from makerspace.applications.selectors import application_for_page_queryset, attachments_of
from makerspace.applications.workflow import Level, State
from makerspace.batches.deadlines import effective_deadline, read_together
from makerspace.batches.models import Batch, Kind
from makerspace.batches.models import Level as DeadlineLevel
from makerspace.core.prepared import Prepared, PreparedIn, PreparedRows, keep_prefetched, related_rows
from makerspace.core.templatetags.rows import row_reverse
from makerspace.permissions import (
    VisibleQuery,
    application_query,
    visible_applications,
    visible_unit_submissions,
)

from . import checks
from .checklists import STAGE_OF_STATE, Stage, grouped
from .models import (
    DocumentOpen,
    Judgement,
    MaterialCheck,
    PaperReceipt,
    Publication,
    Review,
    UnitSubmission,
)

# Rows per page (or per section) of the list pages: a page costs the same whatever the data size.
PAGE_SIZE = 50


def page_of(queryset: QuerySet | list, number, *, count: int | None = None, keys_first: bool = False) -> Page:
    """One page of `queryset` (PAGE_SIZE rows), its rows read into a list. `count`, when the page
    already knows it from an aggregate, spares the paginator its own COUNT query.

    `keys_first`: the page's keys are chosen in a subquery that reads only the sort's columns
    (from a covering index), and only those rows are read whole and joined; in the same query."""
    paginator = Paginator(queryset, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not queried again
    page = paginator.get_page(number)
    if not paginator.count:
        page.object_list = []
    elif keys_first and paginator.count > paginator.per_page:
        # (A section that fits on one page is read whole: no keys to choose, one query to compile.)
        bottom = (page.number - 1) * paginator.per_page
        keys = queryset.values("pk")[bottom : bottom + paginator.per_page]
        page.object_list = list(queryset.filter(pk__in=keys))
    else:
        page.object_list = list(page.object_list)
    return page


def empty_page(number) -> Page:
    """The page of a section that the page's own counts say is empty: its queryset is not built
    (it would not be run either)."""
    return page_of([], number, count=0)


def _per_state(applications: QuerySet) -> QuerySet:
    """The aggregate of applications per state, rows of `state` and `n`."""
    return applications.values("state").annotate(n=Count("pk")).order_by()


def _counter(rows) -> Counter:
    return Counter({row["state"]: row["n"] for row in rows})


def state_counts(queryset: QuerySet) -> Counter:
    """Applications per state, in one aggregate query."""
    return _counter(_per_state(queryset))


def share_batches(rows: list[Application], known=(), read=("steps", "extensions")) -> list[Application]:
    """Every row points at one Batch instance per batch: its chain and extensions, cached on the
    instance (Batch.chain, deadlines._extensions), are read once for the page, not once per row.
    The batches the page already holds (`known`) come first, read when first asked; the others
    come from the rows' own select_related copies, their steps and extensions (`read`) read
    together."""
    by_pk = {batch.pk: batch for batch in known}
    fresh = []
    for row in rows:
        shared = by_pk.get(row.batch_id)
        if shared is None:
            shared = by_pk[row.batch_id] = row.batch
            fresh.append(shared)
        elif not Application.batch.is_cached(row) or row.batch is not shared:
            row.batch = shared
    read_together(fresh, read)
    return rows


def _with_deadlines(applications, level: str) -> list[Application]:
    rows = list(applications)
    for application in rows:
        application.deadline = effective_deadline(application.batch, level, application.recommending_unit_id)
    return rows


# 主管部门 -------------------------------------------------------------------------------------


# The columns a queue's row shows (review_rows: number, space, operator, submitted) and its
# deadline reads (batch, unit); each queue adds its own.
QUEUE_ROW_ONLY = (
    "number",
    "state",
    "batch_id",
    "recommending_unit_id",
    "submitted_at",
    "space__name",
    "space__organisation__name",
)
# A queue row's batch: its title and what its deadlines read (its steps and extensions come
# with share_batches).
QUEUE_BATCH_ONLY = ("batch__title", "batch__applicant_deadline", "batch__status", "batch__year")


def _awaiting_supervisor(visible: QuerySet) -> QuerySet:
    return (
        visible.filter(state=State.AT_SUPERVISOR)
        .order_by("submitted_at", "pk")
        .select_related("space__organisation", "batch")
        .only(*QUEUE_ROW_ONLY, *QUEUE_BATCH_ONLY)
    )


# The queues are read by every reviewer on every visit: compiled once (makerspace.core.prepared).
_SUPERVISOR_QUEUE = VisibleQuery(_awaiting_supervisor)


def supervisor_queue(user, page=None) -> Page:
    queue = page_of(_SUPERVISOR_QUEUE.page_rows(user), page)
    queue.object_list = _with_deadlines(share_batches(queue.object_list), DeadlineLevel.ATTEST)
    return queue


def _passed_on_by_supervisor(visible: QuerySet) -> QuerySet:
    return (
        visible.exclude(state=State.AT_SUPERVISOR)
        .select_related("space", "batch")
        .only("number", "state", "updated_at", "batch_id", "space__name", "batch__title")
        .order_by("-updated_at")
    )


_SUPERVISOR_HANDLED = VisibleQuery(_passed_on_by_supervisor)


def handled_by_supervisor(user, limit: int = 50, *, batches=()) -> list[Application]:
    """The newest applications the department has passed on (or returned). Their states are named
    by their batch's chain: `batches` the page already read (the queue's) serve for theirs."""
    return share_batches(_SUPERVISOR_HANDLED.page_rows(user)[:limit], batches, read=("steps",))


def application_page_queryset() -> QuerySet[Application]:
    """The application of a reviewer's page with what its header shows; not its 附件2 row
    (basic_info): no reviewer's page or transition reads it, and each joined table costs the SQL
    of its columns and a model to make on every request."""
    return application_for_page_queryset()


def application_page_query():
    """application_page_queryset for get_application_for, compiled once (makerspace.core.prepared)."""
    return application_query(application_page_queryset)


def _current_attachments_of(application_id: int) -> QuerySet[Attachment]:
    return (
        Attachment.objects.filter(application_id=application_id, retired_at__isnull=True)
        .select_related("uploaded_by")
        .defer(*named_user_only("uploaded_by"))
        .order_by("kind", "pk")
    )


def _events_of(application_id: int) -> QuerySet[ApplicationEvent]:
    named = [name for name in named_user_only("actor") if name != "actor__organisation"]
    events = ApplicationEvent.objects.filter(application_id=application_id)
    return events.select_related("actor").defer(*named)


# Every reviewer's detail page reads these by the application's id alone: compiled once
# (makerspace.core.prepared).
_CURRENT_ATTACHMENTS = Prepared(_current_attachments_of, int)
_EVENTS = Prepared(_events_of, int)


def current_attachments(application: Application) -> list[Attachment]:
    return related_rows(application, "attachments", _CURRENT_ATTACHMENTS, whole=False)


def application_events(application: Application) -> list[ApplicationEvent]:
    """The timeline, newest first; each actor's organisation id comes with its name, so that
    changes_since_last_review finds the reviewer's unit's last version among them."""
    return related_rows(application, "events", _EVENTS, whole=False)


# Documents and reviews (R6) -------------------------------------------------------------------


def unit_submission_current(batch, unit) -> UnitSubmission | None:
    """The unit's latest delivery record for a batch (being prepared, or gone), or None; its batch
    the one given when it is one (not read again), and its unit read with it."""
    unit_id = getattr(unit, "pk", unit)
    given = isinstance(batch, Batch)
    read = _UNIT_SUBMISSION if given else _UNIT_SUBMISSION_WITH_BATCH
    submission = read.first(batch.pk if given else batch, unit_id)
    if submission is not None and given:
        submission.batch = batch
    return submission


def _unit_submission(batch_id: int, unit_id: int, *related: str) -> QuerySet[UnitSubmission]:
    return (
        UnitSubmission.objects.filter(batch_id=batch_id, recommending_unit_id=unit_id)
        .select_related("recommending_unit", *related)
        .order_by("-sequence")[:1]
    )


def _unit_submission_with_batch(batch_id: int, unit_id: int) -> QuerySet[UnitSubmission]:
    return _unit_submission(batch_id, unit_id, "batch")


# The unit's batch page and every write of its delivery read it: compiled once.
_UNIT_SUBMISSION = Prepared(_unit_submission, int, int)
_UNIT_SUBMISSION_WITH_BATCH = Prepared(_unit_submission_with_batch, int, int)


def delivery_of(application: Application) -> UnitSubmission | None:
    """The delivery that carries the application: the latest one of its unit that lists it."""
    return (
        UnitSubmission.objects.filter(applications=application)
        .select_related("recommending_unit")
        .order_by("-sequence")
        .first()
    )


def letter_flagged(submission: UnitSubmission) -> bool:
    """Whether the receiving party flagged this delivery's 推荐函 and the unit has not answered."""
    for application in submission.applications.prefetch_related(
        Prefetch(
            "material_checks",
            queryset=MaterialCheck.objects.order_by("-checked_at", "-id"),
            to_attr="latest_first",
        )
    ):
        latest = application.latest_first[0] if application.latest_first else None
        if latest and latest.answered_at is None and checks.Material.RECOMMENDATION_LETTER in latest.missing:
            return True
    return False


def unit_quota(batch: Batch, unit) -> tuple[int, int] | None:
    """The regional quota for one unit: (how many it may recommend, how many it has). The base is
    the applications the unit received in the batch; at least one may always go."""
    percent = batch.regional_quota_percent
    if percent is None:
        return None
    unit_id = getattr(unit, "pk", unit)
    mine = Application.objects.filter(batch=batch, recommending_unit_id=unit_id)
    base = mine.filter(reached_level__gte=Level.RECOMMENDER).count()
    cap = max(1, int(base * percent / 100))
    used = mine.filter(state__in=RECOMMENDED_OR_LATER).count()
    return cap, used


RECOMMENDED_OR_LATER = [
    State.RECOMMENDED,
    State.DELIVERED,
    State.RECEIVED,
    State.FORMAL_PASSED,
    State.FORMAL_FAILED,
    State.RECOMMENDED_TO_MINISTRY,
    State.NOT_RECOMMENDED,
    State.FILED,
    State.NOT_FILED,
    State.PUBLISHED,
    State.REVOKED,
]


def review_unsaved(user, application: Application) -> Review:
    """The review a reviewer would begin, to show before anything is saved."""
    return Review(
        application=application,
        version_number=application.current_version,
        stage=STAGE_OF_STATE[application.state],
        reviewer=user,
    )


def review_of(user, application: Application) -> Review | None:
    """The user's own review of the version under review at the application's stage, if begun."""
    stage = STAGE_OF_STATE.get(application.state)
    if stage is None:
        return None
    review = Review.objects.filter(
        application=application, version_number=application.current_version, stage=stage, reviewer=user
    ).first()
    if review is not None:
        review.application = application
    return review


# The forms generated from the version's data, which a reviewer reads like the uploaded scans.
GENERATED_FORMS = (
    ("basic_info", "附件2 国家专业化众创空间基础信息表"),
    ("report", "附件3 国家专业化众创空间备案申报书"),
)


def _version_data_of(application_id: int, number: int) -> QuerySet[ApplicationVersion]:
    return ApplicationVersion.objects.filter(application_id=application_id, number=number).only(
        "number", "data"
    )


# Every review page reads its version's data by (application, number): compiled once.
_VERSION_DATA = Prepared(_version_data_of, int, int)


def _version_data(application: Application) -> ApplicationVersion | None:
    """The version under review with its number and data alone, or None before the first submission."""
    if not application.current_version:
        return None
    return _VERSION_DATA.first(application.pk, application.current_version)


def documents_to_open(application: Application, stage: str) -> list[checks.Document]:
    """Every document of the version under review: 附件2 and 附件3 as generated from it, the files
    frozen into it, the 附件5 signed for it (an earlier version's 附件5 is superseded) and, for the
    formal review, the unit's 推荐函."""
    version = _version_data(application)
    frozen = {
        a["id"]
        for a in (version.data.get("attachments", []) if version else [])
        if a.get("kind") != Attachment.Kind.SUPERVISOR_COMMITMENT
    }
    # Every file of the application (a few dozen at most, in SQL compiled once), those frozen into
    # the version and its current 附件5 kept.
    attachments = sorted(attachments_of(application), key=lambda a: (a.kind, a.pk))
    documents = [
        checks.Document(
            key=f"attachment:{a.pk}",
            title=f"{a.get_kind_display()}：{a.title}",
            url=row_reverse("reviews:open_attachment", application.pk, a.pk),  # a dozen files: reversed once
        )
        for a in attachments
        if a.pk in frozen or checks.current_supervisor_commitments(application, [a])
    ]
    if version is not None:
        documents = [
            checks.Document(
                key=f"form:{kind}:{version.number}",
                title=f"{label}（第{version.number}版）",
                url=reverse("reviews:open_form", args=[application.pk, kind]),
            )
            for kind, label in GENERATED_FORMS
        ] + documents
    if stage == Stage.FORMAL:
        submission = delivery_of(application)
        if submission is not None and submission.has_letter:
            documents.append(
                checks.Document(
                    key=submission.letter_key,
                    title=f"推荐函（{submission.recommending_unit.name}）",
                    url=reverse("reviews:open_letter", args=[submission.pk]),
                )
            )
    return documents


def opened_keys(user, application: Application, keys: list[str]) -> set[str]:
    """The documents this reviewer has opened since the version under review was submitted: a
    resubmitted version is read again, not ticked off from an earlier reading."""
    opens = DocumentOpen.objects.filter(reviewer=user, document_key__in=keys)
    if application.submitted_at is not None:
        opens = opens.filter(opened_at__gte=application.submitted_at)
    return set(opens.values_list("document_key", flat=True))


@dataclass
class ReviewPage:
    review: Review
    groups: list
    judged: dict
    documents: list
    opened: set
    unmet: list[str]
    blocking: list[str]
    earlier: list[Review] = field(default_factory=list)


def application_reviews(application: Application) -> list[Review]:
    """Every review of the application, newest first, each with its reviewer and its judgements:
    the review page's own review (review_of's, found among them by own_review) and its earlier
    ones, in one query and one for the judgements (the reviews of one application are a handful:
    versions by stages by reviewers)."""
    reviews = _REVIEWS(application.pk)
    judgements: dict[int, list[Judgement]] = {review.pk: [] for review in reviews}
    for judgement in _JUDGEMENTS(application.pk) if reviews else []:
        judgements[judgement.review_id].append(judgement)
    for review in reviews:
        review.application = application
        keep_prefetched(review, "judgements", judgements[review.pk])
    return reviews


def _reviews_of(application_id: int) -> QuerySet[Review]:
    return (
        Review.objects.filter(application_id=application_id)
        .select_related("reviewer")
        .defer(*named_user_only("reviewer"))
    )


def _judgements_of(application_id: int) -> QuerySet[Judgement]:
    return Judgement.objects.filter(review__application_id=application_id)


# Every review page reads the application's reviews and their judgements by its id: compiled
# once (makerspace.core.prepared), the judgements in one query for all the reviews.
_REVIEWS = Prepared(_reviews_of, int)
_JUDGEMENTS = Prepared(_judgements_of, int)


def own_review(user, application: Application, reviews: list[Review]) -> Review | None:
    """review_of, found among the application's reviews (application_reviews) instead of read."""
    stage = STAGE_OF_STATE.get(application.state)
    return next(
        (
            r
            for r in reviews  # newest first, as review_of's .first(); one at most (one_review_per_reviewer)
            if r.reviewer_id == user.pk
            and r.stage == stage
            and r.version_number == application.current_version
        ),
        None,
    )


def review_page(user, review: Review, reviews: list[Review] | None = None) -> ReviewPage:
    """`reviews`: the application's reviews when the page read them (application_reviews): the
    judgements and the earlier reviews are taken from them instead of read again."""
    application = review.application
    if reviews is None:
        judged = {j.item_code: j for j in review.judgements.all()} if review.pk else {}
        earlier = list(
            Review.objects.filter(application=application)
            .exclude(pk=review.pk)
            .exclude(decision="")
            .select_related("reviewer")
            .prefetch_related("judgements")
            .order_by("-decided_at")
        )
    else:
        own = next((r for r in reviews if review.pk and r.pk == review.pk), None)
        judged = {j.item_code: j for j in own.judgements.all()} if own is not None else {}
        decided = [r for r in reviews if r.decision and r.pk != review.pk]
        # order_by("-decided_at"): a decided review has its time (review_decide sets both).
        earlier = sorted(decided, key=lambda r: r.decided_at, reverse=True)
    documents = documents_to_open(application, review.stage)
    opened = opened_keys(user, application, [d.key for d in documents])
    return ReviewPage(
        review=review,
        groups=grouped(review.stage),
        judged=judged,
        documents=documents,
        opened=opened,
        unmet=checks.review_unmet(review.stage, judged, documents, opened),
        blocking=checks.blocking_failures(review.stage, judged),
        earlier=earlier,
    )


# 推荐单位 -------------------------------------------------------------------------------------


def unit_applications_of(batch_id: int, unit_id: int) -> QuerySet[Application]:
    return Application.objects.filter(
        batch_id=batch_id, recommending_unit_id=unit_id, reached_level__gte=Level.RECOMMENDER
    )


def unit_applications(submission: UnitSubmission) -> QuerySet[Application]:
    return unit_applications_of(submission.batch_id, submission.recommending_unit_id)


def _unit_state_counts(batch_id: int, unit_id: int) -> QuerySet:
    return _per_state(unit_applications_of(batch_id, unit_id))


_UNIT_STATE_COUNTS = Prepared(_unit_state_counts, int, int)


def unit_state_counts(submission: UnitSubmission) -> Counter:
    """The unit's applications of the batch per state (state_counts' query, compiled once)."""
    return _counter(_UNIT_STATE_COUNTS(submission.batch_id, submission.recommending_unit_id))


def _awaiting_unit(visible: QuerySet, *, with_batch: bool) -> QuerySet:
    # The unit's queue shows the supervisor too; the batch is joined unless the page read it.
    related, shown = ("space__organisation", "supervisor"), (*QUEUE_ROW_ONLY, "supervisor__name")
    if with_batch:
        related, shown = (*related, "batch"), (*shown, *QUEUE_BATCH_ONLY)
    return (
        visible.filter(state=State.AT_RECOMMENDER)
        .order_by("batch_id", "submitted_at", "pk")
        .select_related(*related)
        .only(*shown)
    )


_UNIT_QUEUE = VisibleQuery(functools.partial(_awaiting_unit, with_batch=True), name="unit queue")
_UNIT_QUEUE_OF_BATCHES = VisibleQuery(
    functools.partial(_awaiting_unit, with_batch=False), name="unit queue rows"
)


def recommender_queue(user, page=None, *, batches=(), count: int | None = None) -> Page:
    """One page of the applications waiting for the unit; `batches`, those the page already read
    (recommender_batches), are the rows' batches instead of a copy per row, and `count`, when the
    page knows it from their counts, the number waiting."""
    query = _UNIT_QUEUE_OF_BATCHES if batches else _UNIT_QUEUE
    queue = page_of(query.page_rows(user), page, count=count)
    queue.object_list = _with_deadlines(share_batches(queue.object_list, batches), DeadlineLevel.UNIT_REVIEW)
    return queue


def _batch_counts_of(visible: QuerySet) -> QuerySet:
    return visible.values("batch_id", "state").annotate(n=Count("pk")).order_by()


def _batches_in(batch_ids: list[int]) -> QuerySet[Batch]:
    return Batch.objects.filter(pk__in=batch_ids)


def _unit_submissions(unit_id: int) -> QuerySet[UnitSubmission]:
    # A unit delivers once a batch, and again for each supplementary delivery: a few a year.
    return UnitSubmission.objects.filter(recommending_unit_id=unit_id).order_by("sequence", "pk")


# The unit's queue reads them on every visit: compiled once (makerspace.core.prepared).
_UNIT_BATCH_COUNTS = VisibleQuery(_batch_counts_of, name="unit batch counts")
_BATCHES_IN = PreparedIn(_batches_in)
_UNIT_SUBMISSIONS = Prepared(_unit_submissions, int)


def recommender_batches(user) -> list[dict]:
    """The batches in which the unit has applications, with its submission and the counts."""
    unit_id = user.organisation.recommending_unit_id
    by_batch: dict[int, Counter] = {}
    for row in _UNIT_BATCH_COUNTS.rows(user):
        by_batch.setdefault(row["batch_id"], Counter())[row["state"]] += row["n"]
    batches = sorted(_BATCHES_IN(list(by_batch)), key=lambda batch: (-batch.year, -batch.pk))
    read_together(batches)
    # Each batch's latest delivery that went out, else the one being prepared: a supplementary
    # delivery in preparation does not hide that the batch was delivered.
    submissions: dict[int, UnitSubmission] = {}
    for submission in _UNIT_SUBMISSIONS(unit_id):
        if submission.batch_id in by_batch and (
            submission.submitted_at is not None or submission.batch_id not in submissions
        ):
            submissions[submission.batch_id] = submission
    return [
        {
            "batch": batch,
            "counts": by_batch[batch.pk],
            "submission": submissions.get(batch.pk),
            "deadline": effective_deadline(batch, DeadlineLevel.UNIT_REVIEW, unit_id),
        }
        for batch in batches
    ]


def _material_checks_in(application_ids: list[int]) -> QuerySet[MaterialCheck]:
    return MaterialCheck.objects.filter(application_id__in=application_ids).order_by("-checked_at", "-id")


# The unit's pages read their rows' acceptance checks together, in SQL compiled once.
_MATERIAL_CHECKS_IN = PreparedIn(_material_checks_in)


def _with_latest_check(rows: list[Application]) -> list[Application]:
    latest_first: dict[int, list[MaterialCheck]] = {application.pk: [] for application in rows}
    for check in _MATERIAL_CHECKS_IN(list(latest_first)) if rows else []:
        latest_first[check.application_id].append(check)
    for application in rows:
        checks_of = latest_first[application.pk]
        latest = application.latest_check = checks_of[0] if checks_of else None
        application.flagged = [checks.Material(m).label for m in latest.missing] if latest else []
    return rows


def _unit_batch(batch_id: int, unit_id: int) -> QuerySet[Application]:
    return (
        unit_applications_of(batch_id, unit_id)
        .select_related("space", "supervisor")
        .order_by(F("recommender_rank").asc(nulls_last=True), "state", "pk")
    )


def _unit_ranking(batch_id: int, unit_id: int) -> QuerySet[Application]:
    return (
        unit_applications_of(batch_id, unit_id)
        .filter(state=State.RECOMMENDED)
        .select_related("space")
        .order_by(F("recommender_rank").asc(nulls_last=True), "pk")
    )


# The unit's batch page, read on every visit and after every ranking save: compiled once
# (makerspace.core.prepared).
_UNIT_BATCH = Prepared(_unit_batch, int, int)
_UNIT_RANKING = Prepared(_unit_ranking, int, int)


def unit_batch_rows(submission: UnitSubmission, page=None, *, count: int | None = None) -> Page:
    """One page of the unit's applications of one batch (ranked first), each with its latest
    acceptance check."""
    rows = page_of(
        PreparedRows(_UNIT_BATCH, (submission.batch_id, submission.recommending_unit_id)), page, count=count
    )
    rows.object_list = _with_latest_check(share_batches(rows.object_list, [submission.batch]))
    return rows


def unit_ranking_rows(submission: UnitSubmission, page=None, *, count: int | None = None) -> Page:
    """One page of the unit's recommended applications, ranked first: the rows of its ranking form."""
    if count == 0:
        return empty_page(page)
    return page_of(
        PreparedRows(_UNIT_RANKING, (submission.batch_id, submission.recommending_unit_id)), page, count=count
    )


def unit_ranking_rows_among(submission: UnitSubmission, ids: list[int]) -> QuerySet[Application]:
    """The rows a posted ranking form covered (its page), those still recommended."""
    return _unit_ranking(submission.batch_id, submission.recommending_unit_id).filter(pk__in=ids)


def unit_flagged_rows(submission: UnitSubmission, page=None, *, delivered: int | None = None) -> Page:
    """The unit's delivered applications whose latest acceptance check found materials missing;
    none to look for when the page's counts say nothing was delivered."""
    if delivered == 0:
        return empty_page(page)
    latest = MaterialCheck.objects.filter(application=OuterRef("application")).order_by("-checked_at", "-id")
    flagged = (
        MaterialCheck.objects.filter(
            application__in=unit_applications(submission).filter(state=State.DELIVERED),
            pk=Subquery(latest.values("pk")[:1]),
        )
        .exclude(missing=[])
        .values("application_id")
    )
    rows = page_of(
        unit_applications(submission).filter(pk__in=flagged).select_related("space").order_by("pk"),
        page,
    )
    rows.object_list = _with_latest_check(rows.object_list)
    return rows


# 受理单位 -------------------------------------------------------------------------------------


def acceptance_queue(user) -> QuerySet[UnitSubmission]:
    """The delivered unit submissions of the batches whose receipt step the user's party holds."""
    return (
        visible_unit_submissions(user)
        .filter(batch__steps__kind=Kind.RECEIPT, batch__steps__party=user.role)
        .select_related("batch", "recommending_unit", "submitted_by")
        .annotate(
            delivered=Count(
                "recommending_unit__applications",
                filter=Q(
                    recommending_unit__applications__batch_id=F("batch_id"),
                    recommending_unit__applications__state=State.DELIVERED,
                ),
            ),
            received=Count(
                "recommending_unit__applications",
                filter=Q(
                    recommending_unit__applications__batch_id=F("batch_id"),
                    recommending_unit__applications__reached_level__gte=Level.ACCEPTANCE,
                )
                & ~Q(recommending_unit__applications__state=State.DELIVERED),
            ),
        )
        .order_by("-submitted_at")
    )


def acceptance_rows(submission: UnitSubmission) -> list[Application]:
    """The applications of one delivery (or supplementary delivery), each with what `receive`
    still needs."""
    rows = list(
        Application.objects.filter(deliveries=submission)
        .select_related("space__organisation", "batch")
        .prefetch_related(
            "batch__steps",
            Prefetch(
                "attachments", queryset=Attachment.objects.filter(retired_at__isnull=True), to_attr="current"
            ),
            Prefetch(
                "material_checks",
                queryset=MaterialCheck.objects.select_related("checked_by").order_by("-checked_at", "-id"),
                to_attr="checks_latest_first",
            ),
            Prefetch(
                "paper_receipts",
                queryset=PaperReceipt.objects.select_related("registered_by"),
                to_attr="receipts",
            ),
        )
        .order_by("recommender_rank", "pk")
    )
    for application in rows:
        latest = application.checks_latest_first[0] if application.checks_latest_first else None
        application.latest_check = latest
        application.paper_copies = sum(r.copies for r in application.receipts)
        application.receipt = checks.receipt_state(
            application, application.current, submission, latest, application.paper_copies
        )
    return rows


# 省科技厅 / 科技部 -----------------------------------------------------------------------------


def batches_with_counts(user, states: list[str]) -> list[dict]:
    counts = (
        visible_applications(user)
        .filter(state__in=states)
        .values("batch_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_batch: dict[int, Counter] = {}
    for row in counts:
        by_batch.setdefault(row["batch_id"], Counter())[row["state"]] += row["n"]
    batches = Batch.objects.filter(pk__in=by_batch).prefetch_related("extensions").order_by("-year", "-pk")
    return [
        {
            "batch": batch,
            "counts": by_batch[batch.pk],
            "deadline": effective_deadline(batch, DeadlineLevel.SELECTION),
        }
        for batch in batches
    ]


def batch_counts(user, batch: Batch, states: list[str]) -> Counter:
    """Applications of the batch per state, in one aggregate query (compiled once per states)."""
    return _counter(_batch_counts_query(tuple(states)).rows(user, batch.pk))


@functools.cache
def _batch_counts_query(states: tuple[str, ...]) -> VisibleQuery:
    def refine(visible: QuerySet, batch_id: int) -> QuerySet:
        return _per_state(visible.filter(batch_id=batch_id, state__in=states))

    return VisibleQuery(refine, int, name=f"batch counts {states}")


_BATCH_ORDER = (
    F("province_rank").asc(nulls_last=True),
    "unit_sort_order",
    F("recommender_rank").asc(nulls_last=True),
    "pk",
)


def _batch_applications(user, batch: Batch, states: list[str]) -> QuerySet[Application]:
    """The batch's applications in `states`, ranked first (province rank, then the unit's order
    and rank)."""
    return (
        visible_applications(user)
        .filter(batch=batch, state__in=states)
        .select_related("space__organisation", "recommending_unit")
        .order_by(*_BATCH_ORDER)
    )


# The columns the batch pages print of each row (the province's ranking page, the ministry's page):
# a row read whole is some twenty fields of the application and of its space's organisation.
PROVINCE_ROW_COLUMNS = (
    "state",
    "number",
    "batch_id",
    "recommender_rank",
    "province_rank",
    "space__name",
    "recommending_unit__name",
    "recommending_unit__short_name",
)
MINISTRY_ROW_COLUMNS = (
    "state",
    "number",
    "batch_id",
    "province_rank",
    "space__name",
    "space__organisation__name",
    "recommending_unit__city",
)


def _only_columns(rows: QuerySet, columns: tuple[str, ...]) -> QuerySet:
    """The rows with `columns` alone, joined to the relations those columns name."""
    related = {column.rsplit("__", 1)[0] for column in columns if "__" in column}
    return rows.select_related(None).select_related(*related).only(*columns)


def _batch_rows_queryset(user, batch: Batch, states: list[str], columns: tuple[str, ...]) -> QuerySet:
    return _only_columns(_batch_applications(user, batch, states), columns)


@functools.cache
def _sections_query(states: tuple[str, ...], columns: tuple[str, ...]) -> VisibleQuery:
    """batch_sections' read of the short sections' rows together, compiled once per set of states
    (a page has a few) and columns (makerspace.core.prepared)."""

    def refine(visible: QuerySet, batch_id: int) -> QuerySet:
        rows = visible.filter(batch_id=batch_id, state__in=states)
        return _only_columns(rows, columns).order_by(*_BATCH_ORDER)

    return VisibleQuery(refine, int, name=f"batch sections {states}")


def batch_page(
    user,
    batch: Batch,
    states: list[str],
    page=None,
    *,
    count: int | None = None,
    columns: tuple[str, ...] = PROVINCE_ROW_COLUMNS,
) -> Page:
    # The order is application_batch_state_order's: the page's keys are read from the index in
    # order (the unit's order is the application's own column), and only those rows are joined.
    if count == 0:
        return empty_page(page)
    rows = page_of(_batch_rows_queryset(user, batch, states, columns), page, count=count, keys_first=True)
    rows.object_list = share_batches(rows.object_list, [batch])
    return rows


def batch_sections(
    user, batch: Batch, sections: list[tuple[list[str], object, int]], *, columns=PROVINCE_ROW_COLUMNS
) -> list[Page]:
    """The pages of a batch page's sections, each given as (states, page number, count): the
    sections whose rows all fit on one page are read together, in one query in the pages' common
    order, and split by state (a state belongs to one section); a longer section is read as
    batch_page reads it, one page of it. A small batch's page costs one query for its rows, a
    large one's one per section."""
    pages, whole = [], {}
    for states, number, count in sections:
        if count > PAGE_SIZE:
            pages.append(batch_page(user, batch, states, number, count=count, columns=columns))
            continue
        page = empty_page(number) if count == 0 else page_of([None] * count, number, count=count)
        page.object_list = []
        pages.append(page)
        if count:
            whole.update(dict.fromkeys(states, (page, count)))
    if whole:
        rows = _sections_query(tuple(whole), columns).rows(user, batch.pk)
        for row in share_batches(rows, [batch]):
            page, count = whole[row.state]
            if len(page.object_list) < count:  # (a row added since the counts waits for the next visit)
                page.object_list.append(row)
    return pages


def province_ranking_rows_among(batch: Batch, ids: list[int]) -> QuerySet[Application]:
    """The rows a posted province ranking form covered (its page), those still formally passed."""
    return (
        Application.objects.filter(batch=batch, state=State.FORMAL_PASSED, pk__in=ids)
        .select_related("space", "recommending_unit")
        .order_by(F("province_rank").asc(nulls_last=True), "pk")
    )


def batch_rows(user, batch: Batch, states: list[str]) -> dict[str, list[Application]]:
    """Every row of the batch in `states`, by state (unpaginated: for checks, not for pages)."""
    by_state: dict[str, list[Application]] = {state: [] for state in states}
    for application in share_batches(list(_batch_applications(user, batch, states)), [batch]):
        by_state[application.state].append(application)
    return by_state


def batch_extensions(batch: Batch):
    return batch.extensions.select_related("recommending_unit", "granted_by")


def batch_publications(batch: Batch) -> QuerySet[Publication]:
    return batch.publications.select_related("published_by").annotate(space_count=Count("applications"))


# 公众 -----------------------------------------------------------------------------------------


def published_batches() -> QuerySet[Batch]:
    return (
        Batch.objects.filter(publications__isnull=False)
        .annotate(
            space_count=Count("publications__applications", distinct=True),
        )
        .order_by("-year", "-pk")
    )


def published_lists(batch: Batch) -> list[Publication]:
    return list(
        batch.publications.order_by("published_at", "pk").prefetch_related(
            Prefetch(
                "applications",
                # The filed spaces of the list, revoked ones kept and marked (makerspace.filed); a
                # disqualification (R7) cancels the recommendation itself and takes it off.
                queryset=Application.objects.filter(
                    state__in=[State.PUBLISHED, State.REVOKED], filed_space__isnull=False
                )
                .select_related("filed_space")
                .order_by("province_rank", "pk"),
            )
        )
    )


def pledge_of(user, batch):
    from .models import ReviewerPledge

    return ReviewerPledge.objects.filter(batch=batch, reviewer=user).first()


def conflict_of(user, application):
    from .models import ReviewerConflict

    return ReviewerConflict.objects.filter(application=application, reviewer=user).first()


def integrity_problem(user, application) -> str:
    """Why this reviewer may not decide this application now (the notice, 三.2), or ""."""
    if conflict_of(user, application) is not None:
        return _integrity_text(application, has_conflict=True, signed_pledge=True)
    return _integrity_text(
        application, has_conflict=False, signed_pledge=pledge_of(user, application.batch) is not None
    )


@dataclass
class Integrity:
    problem: str
    signed_pledge: bool
    has_conflict: bool


@functools.cache
def _integrity_sql() -> str:
    from .models import ReviewerConflict, ReviewerPledge

    quote = connection.ops.quote_name

    def exists(model, scope: str) -> str:
        meta = model._meta
        return (
            f"EXISTS (SELECT 1 FROM {quote(meta.db_table)} WHERE {quote(meta.get_field(scope).column)} = %s "
            f"AND {quote(meta.get_field('reviewer').column)} = %s)"
        )

    return f"SELECT {exists(ReviewerConflict, 'application')}, {exists(ReviewerPledge, 'batch')}"


def integrity_of(user, application) -> Integrity:
    """What the review page shows of the reviewer's integrity: whether they declared a conflict
    with the application and signed the batch's pledge (integrity_problem's reasons, and whether
    to offer the pledge and the declaration). Both in one query of two EXISTS, written as SQL
    (portable: no more than SELECT EXISTS): the ORM's two exists() cost the page some 1,700
    Python calls, the same as annotations on the application some 2,600, this some 150."""
    with connection.cursor() as cursor:
        cursor.execute(_integrity_sql(), [application.pk, user.pk, application.batch_id, user.pk])
        has_conflict, signed_pledge = (bool(flag) for flag in cursor.fetchone())
    return Integrity(
        problem=_integrity_text(application, has_conflict=has_conflict, signed_pledge=signed_pledge),
        signed_pledge=signed_pledge,
        has_conflict=has_conflict,
    )


def _integrity_text(application, *, has_conflict: bool, signed_pledge: bool) -> str:
    if has_conflict:
        return "您已声明与该申报存在利益冲突，须回避：请由本单位其他审核人员作出结论。"
    if not signed_pledge:
        return f"作出第一个审核结论前，请先签署“{application.batch.title}”审核诚信承诺。"
    return ""


def pledges_of_batch(batch):
    """What the province sees: every pledge and every declared conflict of the batch."""
    from .models import ReviewerConflict, ReviewerPledge

    pledges = ReviewerPledge.objects.filter(batch=batch).select_related("reviewer").order_by("signed_at")
    conflicts = (
        ReviewerConflict.objects.filter(application__batch=batch)
        .select_related("reviewer", "application__space")
        .order_by("-declared_at")
    )
    return pledges, conflicts
