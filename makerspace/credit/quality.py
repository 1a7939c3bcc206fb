"""Review quality for the province (严禁审核走过场): per reviewer, how each decided review was
done — time from start to decision, documents opened, checklist items commented (and how many
of the comments differ), and whether a positive decision was later reversed up the chain.
Reviews that opened nothing or took under a minute stand out. A fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count

from makerspace.applications.models import ApplicationEvent, ApplicationVersion
from makerspace.audit.labels import TRANSITION_LABELS
from makerspace.reviews.models import DocumentOpen, Judgement, Review

FAST = timedelta(minutes=1)
POSITIVE = {Review.Decision.RECOMMEND, Review.Decision.PASS}
# Events that undo a positive decision taken lower down.
REVERSALS = {"return_to_applicant", "fail_formal_review", "disqualify", "not_file"}


@dataclass
class ReviewRow:
    review: Review
    duration: timedelta
    opened: int
    commented: int
    distinct_comments: int
    reversed_by: str = ""

    @property
    def fast(self) -> bool:
        return self.duration < FAST

    @property
    def opened_nothing(self) -> bool:
        return self.opened == 0

    @property
    def flagged(self) -> bool:
        return self.fast or self.opened_nothing


@dataclass
class ReviewerRow:
    reviewer: object
    organisation_name: str
    reviews: list[ReviewRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.reviews)

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.reviews if r.flagged)

    @property
    def reversed(self) -> int:
        return sum(1 for r in self.reviews if r.reversed_by)

    @property
    def median_duration(self) -> timedelta:
        durations = sorted(r.duration for r in self.reviews)
        return durations[len(durations) // 2] if durations else timedelta(0)

    @property
    def documents_opened(self) -> int:
        return sum(r.opened for r in self.reviews)


def review_quality(batch=None) -> list[ReviewerRow]:
    reviews = Review.objects.exclude(decision="").select_related("reviewer", "application__space")
    if batch is not None:
        reviews = reviews.filter(application__batch=batch)
    reviews = list(reviews.annotate(commented=Count("judgements")).order_by("reviewer_id", "decided_at"))
    application_ids = {r.application_id for r in reviews}
    reviewer_ids = {r.reviewer_id for r in reviews}
    comments: dict[int, set[str]] = defaultdict(set)
    for review_id, comment in Judgement.objects.filter(review__in=[r.pk for r in reviews]).values_list(
        "review_id", "comment"
    ):
        comments[review_id].add(comment.strip())
    submitted = {
        (a, n): at
        for a, n, at in ApplicationVersion.objects.filter(application_id__in=application_ids).values_list(
            "application_id", "number", "submitted_at"
        )
    }
    opens = defaultdict(list)
    for reviewer_id, application_id, opened_at in DocumentOpen.objects.filter(
        reviewer_id__in=reviewer_ids, application_id__in=application_ids
    ).values_list("reviewer_id", "application_id", "opened_at"):
        opens[(reviewer_id, application_id)].append(opened_at)
    events = defaultdict(list)
    for application_id, transition, at, actor_id, label in ApplicationEvent.objects.filter(
        application_id__in=application_ids, transition__in=REVERSALS
    ).values_list("application_id", "transition", "at", "actor_id", "organisation_name"):
        events[application_id].append((transition, at, actor_id, label))

    by_reviewer: dict[int, ReviewerRow] = {}
    for review in reviews:
        since = submitted.get((review.application_id, review.version_number), review.started_at)
        opened = sum(
            1 for at in opens[(review.reviewer_id, review.application_id)] if since <= at <= review.decided_at
        )
        reversed_by = ""
        if review.decision in POSITIVE:
            for transition, at, actor_id, label in events[review.application_id]:
                if at > review.decided_at and actor_id != review.reviewer_id:
                    reversed_by = f"{label or '上级'}{TRANSITION_LABELS.get(transition, transition)}"
                    break
        row = ReviewRow(
            review=review,
            duration=review.decided_at - review.started_at,
            opened=opened,
            commented=review.commented,
            distinct_comments=len(comments[review.pk]),
            reversed_by=reversed_by,
        )
        by_reviewer.setdefault(
            review.reviewer_id,
            ReviewerRow(reviewer=review.reviewer, organisation_name=review.organisation_name),
        ).reviews.append(row)
    return sorted(by_reviewer.values(), key=lambda r: (-r.flagged, -r.reversed, r.organisation_name))
