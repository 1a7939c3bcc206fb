"""The one permission module. Every view, partial, download, export and API endpoint asks it.

Two faces of the same rules:
- predicates registered with django-rules answer "may this user do X to this object?";
- `visible_applications(user)` gives the queryset a user may list, built from the same conditions,
  and a test checks that the two agree for every role.
"""

import functools

import rules
from django.conf import settings
from django.db.models import QuerySet

from makerspace.accounts.models import Role
from makerspace.applications.workflow import DISQUALIFIABLE, EDITABLE, Level, State
from makerspace.core.prepared import Prepared, PreparedRows
from makerspace.reviews.checklists import STAGE_OF_STATE


def _role(user) -> str | None:
    return getattr(user, "role", None) if user.is_authenticated and user.is_active else None


def _has_role(role: str):
    @rules.predicate(name=f"is_{role}")
    def check(user) -> bool:
        return _role(user) == role

    return check


is_applicant = _has_role(Role.APPLICANT)
is_supervisor = _has_role(Role.SUPERVISOR)
is_recommender = _has_role(Role.RECOMMENDER)
is_acceptance = _has_role(Role.ACCEPTANCE)
is_province = _has_role(Role.PROVINCE)
is_expert = _has_role(Role.EXPERT)
is_ministry = _has_role(Role.MINISTRY)
is_admin = _has_role(Role.ADMIN)


# One deployment may serve several provinces: the province (省科技厅) and its acceptance unit act only
# on the batches of their own province, and on what belongs to those batches; the ministry and the
# parties below the province (scoped by their own unit or department) are not narrowed here.
PROVINCIAL_ROLES = (Role.ACCEPTANCE, Role.PROVINCE)


def province_of(user) -> str | None:
    """The province a provincial user acts for: its organisation's (loaded with the user by
    accounts.backends, so no query), or the deployment's own for an account without one. None for
    every other role."""
    if _role(user) not in PROVINCIAL_ROLES:
        return None
    organisation = user.organisation if user.organisation_id else None
    return organisation.province if organisation is not None else settings.SITE_PROVINCE


def _province_of_object(obj) -> str | None:
    """The province an object belongs to: a batch's or a recommending unit's own, else that of the
    batch it hangs from (an application, a unit submission, a filed space, an assignment, a report,
    a notice or an objection). None when it names none."""
    from makerspace.accounts.models import RecommendingUnit
    from makerspace.batches.models import Batch

    if isinstance(obj, Batch | RecommendingUnit):
        return obj.province
    for attribute in ("batch", "application", "filed_space", "notice"):
        related = getattr(obj, attribute, None)
        if related is not None:
            return _province_of_object(related)
    return None


@rules.predicate
def in_users_province(user, obj=None) -> bool:
    """Asked with an object: whether it belongs to the provincial user's own province (always yes
    for other roles). Asked without one (a page, a form), yes: that page lists only the objects of
    the user's province, through the queryset faces below."""
    province = province_of(user)
    if province is None or obj is None:
        return True
    return _province_of_object(obj) == province


def visible_batches(user, queryset: QuerySet | None = None) -> QuerySet:
    """The batches a user may open: a provincial user its own province's, everyone else all (the
    parties below the province reach a batch only through their own applications)."""
    from makerspace.batches.models import Batch

    qs = queryset if queryset is not None else Batch.objects.all()
    province = province_of(user)
    return qs if province is None else qs.filter(province=province)


def _opened_batch(pk: int):
    from makerspace.batches.models import Batch

    return Batch.objects.exclude(status=Batch.Status.DRAFT).filter(pk=pk)


def _opened_batch_in(pk: int, province: str):
    return _opened_batch(pk).filter(province=province)


# Every reviewer's batch page starts here: compiled once (makerspace.core.prepared).
_OPENED_BATCH = Prepared(_opened_batch, int)
_OPENED_BATCH_IN = Prepared(_opened_batch_in, int, str)


def get_batch_for(user, pk):
    """A batch past its drafting that the user may open (`visible_batches`), or Http404: a
    provincial user learns nothing of another province's batches."""
    from django.http import Http404

    try:
        pk = int(pk)
    except (ValueError, TypeError):
        raise Http404("没有找到该申报批次。") from None
    province = province_of(user)
    rows = _OPENED_BATCH(pk) if province is None else _OPENED_BATCH_IN(pk, province)
    if not rows:
        raise Http404("没有找到该申报批次。")
    return rows[0]


@rules.predicate
def owns_application(user, application) -> bool:
    return (
        _role(user) == Role.APPLICANT
        and user.organisation_id is not None
        and application.space.organisation_id == user.organisation_id
    )


@rules.predicate
def supervises_application(user, application) -> bool:
    return (
        _role(user) == Role.SUPERVISOR
        and user.organisation_id is not None
        and application.supervisor_id == user.organisation_id
        and application.reached_level >= Level.SUPERVISOR
    )


@rules.predicate
def recommends_application(user, application) -> bool:
    return (
        _role(user) == Role.RECOMMENDER
        and user.organisation is not None
        and user.organisation.recommending_unit_id == application.recommending_unit_id
        and application.reached_level >= Level.RECOMMENDER
    )


@rules.predicate
def accepts_application(user, application) -> bool:
    return (
        _role(user) == Role.ACCEPTANCE
        and application.reached_level >= Level.ACCEPTANCE
        and in_users_province(user, application)
    )


@rules.predicate
def province_sees_application(user, application) -> bool:
    return (
        _role(user) == Role.PROVINCE
        and application.reached_level >= Level.ACCEPTANCE
        and in_users_province(user, application)
    )


@rules.predicate
def ministry_sees_application(user, application) -> bool:
    return _role(user) == Role.MINISTRY and application.reached_level >= Level.MINISTRY


def _in_state(*states):
    @rules.predicate(name=f"in_state_{'_'.join(states)}")
    def check(user, application) -> bool:
        return application.state in states

    return check


is_editable = _in_state(*EDITABLE)

can_view_application = (
    owns_application
    | supervises_application
    | recommends_application
    | accepts_application
    | province_sees_application
    | ministry_sees_application
)


@rules.predicate
def owns_space(user, space) -> bool:
    return (
        _role(user) == Role.APPLICANT
        and user.organisation_id
        and space.organisation_id == user.organisation_id
    )


rules.add_perm("applications.create_application", is_applicant)
rules.add_perm("applications.change_makerspace", owns_space)
rules.add_perm("applications.view_application", can_view_application)
rules.add_perm("applications.change_application", owns_application & is_editable)
rules.add_perm("applications.view_history", can_view_application)


def acts_for_party(user, party: str, application) -> bool:
    """Whether the user acts as `party` for this application: its own supervising department, its
    own recommending unit, the provincial bodies for their own province's batches, the ministry for
    every one."""
    role = _role(user)
    if role != party or not user.organisation_id:
        return False
    if party == Role.SUPERVISOR:
        return application.supervisor_id == user.organisation_id
    if party == Role.RECOMMENDER:
        return user.organisation.recommending_unit_id == application.recommending_unit_id
    if party in PROVINCIAL_ROLES:
        return in_users_province(user, application)
    return True


@rules.predicate
def holds_current_step(user, application) -> bool:
    """The party of the step of the batch's chain where the application stands now."""
    step = application.step
    return step is not None and acts_for_party(user, step.party, application)


@rules.predicate
def revokes_for_batch(user, application) -> bool:
    return acts_for_party(user, application.batch.revoked_by, application)


under_itemised_review = _in_state(*STAGE_OF_STATE)

# Transitions: who may fire each, per object. The source state and the rules (R3–R10) are the state
# machine's own conditions (applications.workflow.GUARDS).
rules.add_perm("applications.submit", owns_application)
rules.add_perm("applications.withdraw", owns_application)
for _name in (
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
    "file",
    "not_file",
    "publish",
):
    rules.add_perm(f"applications.{_name}", holds_current_step)
# The unit takes an application back from its delivery when the receiving party flags it.
rules.add_perm("applications.recall", recommends_application)
rules.add_perm("applications.disqualify", province_sees_application)
rules.add_perm("applications.revoke", revokes_for_batch)

rules.add_perm("batches.extend_deadline", is_province & in_users_province)


@rules.predicate
def receives_notification(user, notification) -> bool:
    return user.is_authenticated and notification.recipient_id == user.pk


rules.add_perm("notifications.change_notification", receives_notification)
# The audit chain as a whole (verify result) is the province's and the operator's to see.
rules.add_perm("audit.view_chain", is_province | is_admin)


@rules.predicate
def resolves_for_unit(user, request) -> bool:
    """A 主管部门 named by an applicant is added by the recommending unit it belongs under."""
    return (
        _role(user) == Role.RECOMMENDER
        and user.organisation_id is not None
        and user.organisation.recommending_unit_id == request.recommending_unit_id
    )


rules.add_perm("accounts.view_supervisor_requests", is_recommender | is_admin)
rules.add_perm("accounts.resolve_supervisor_request", resolves_for_unit | is_admin)
rules.add_perm("core.view_workspace", rules.is_authenticated)
# The operator's tools: the outbox and the background jobs, retried from /admin/; the metrics.
rules.add_perm("core.retry_background_work", is_admin)
rules.add_perm("core.view_metrics", is_admin)


def require(user, perm: str, obj=None, message: str = "您无权进行此操作。") -> None:
    """Raise PermissionDenied with `message` unless the user holds `perm` (on `obj`). Services call
    it again behind their views, so no caller reaches a write without the same check."""
    from django.core.exceptions import PermissionDenied

    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def _application_scope(user) -> tuple[str, tuple] | None:
    """Which of visible_applications' filters is the user's, and the values it takes; None for a
    user who lists no application."""
    role = _role(user)
    if role == Role.APPLICANT and user.organisation_id:
        return Role.APPLICANT, (user.organisation_id,)
    if role == Role.SUPERVISOR and user.organisation_id:
        return Role.SUPERVISOR, (user.organisation_id,)
    if role == Role.RECOMMENDER and user.organisation_id and user.organisation.recommending_unit_id:
        return Role.RECOMMENDER, (user.organisation.recommending_unit_id,)
    if role in PROVINCIAL_ROLES:
        return Role.PROVINCE, (province_of(user),)
    if role == Role.MINISTRY:
        return Role.MINISTRY, ()
    return None


def _scoped_applications(qs: QuerySet, scope: str, values: tuple) -> QuerySet:
    if scope == Role.APPLICANT:
        return qs.filter(space__organisation_id=values[0])
    if scope == Role.SUPERVISOR:
        return qs.filter(supervisor_id=values[0], reached_level__gte=Level.SUPERVISOR)
    if scope == Role.RECOMMENDER:
        return qs.filter(recommending_unit_id=values[0], reached_level__gte=Level.RECOMMENDER)
    if scope == Role.PROVINCE:
        return qs.filter(reached_level__gte=Level.ACCEPTANCE, batch__province=values[0])
    return qs.filter(reached_level__gte=Level.MINISTRY)


# The values each scope's filter takes, for a prepared query (makerspace.core.prepared).
_SCOPE_TYPES = {
    Role.APPLICANT: (int,),
    Role.SUPERVISOR: (int,),
    Role.RECOMMENDER: (int,),
    Role.PROVINCE: (str,),
    Role.MINISTRY: (),
}


def visible_applications(user, queryset: QuerySet | None = None) -> QuerySet:
    """The applications a user may list: the queryset face of `applications.view_application`."""
    from makerspace.applications.models import Application

    qs = queryset if queryset is not None else Application.objects.all()
    scope = _application_scope(user)
    return qs.none() if scope is None else _scoped_applications(qs, *scope)


class VisibleQuery:
    """A read of the applications a user may list: `refine(visible, *values)`, where `visible` is
    visible_applications' filter of `base()` (default: every application), built and compiled once
    per scope (makerspace.core.prepared) since the rush's pages read the same few shapes for every
    user. `types` are the values' types; `refine` may read nothing but its arguments."""

    def __init__(self, refine, *types: type, base=None, name: str = ""):
        self.refine = refine
        self.types = types
        self.base = base
        self.name = name or refine.__qualname__
        self._prepared = {}

    def _for(self, user):
        scope = _application_scope(user)
        if scope is None:
            return None, ()
        name, values = scope
        prepared = self._prepared.get(name)
        if prepared is None:
            count = len(self.types)

            def build(*values):
                from makerspace.applications.models import Application

                base = self.base() if self.base is not None else Application.objects.all()
                return self.refine(_scoped_applications(base, name, values[count:]), *values[:count])

            build.__qualname__ = f"{self.name} for {name}"
            prepared = self._prepared[name] = Prepared(build, *self.types, *_SCOPE_TYPES[name])
        return prepared, values

    def rows(self, user, *values) -> list:
        prepared, scope_values = self._for(user)
        return [] if prepared is None else prepared(*values, *scope_values)

    def page_rows(self, user, *values):
        """The rows for page_of (a Paginator's object list): counted and sliced in prepared SQL."""
        prepared, scope_values = self._for(user)
        return [] if prepared is None else PreparedRows(prepared, (*values, *scope_values))

    def get(self, user, pk):
        """For application_query's: the application `pk` if the user may see it, else None."""
        rows = self.rows(user, pk)
        return rows[0] if rows else None


def _by_pk(visible, pk):
    return visible.filter(pk=pk)


@functools.cache
def application_query(queryset, *args) -> VisibleQuery:
    """get_application_for's read of `queryset(*args)` (a selector's function and its arguments,
    the relations a page shows), one per shape: every applicant's and reviewer's page starts with
    it."""
    return VisibleQuery(_by_pk, int, base=lambda: queryset(*args), name=f"{queryset.__qualname__}{args}")


def get_application_for(user, pk, perm: str = "applications.view_application", queryset=None):
    """Fetch one application the user may act on (`queryset`: a QuerySet, or an application_query).

    Http404 when the user may not see it (never a hint that it exists); PermissionDenied when the
    user sees it but may not do this to it now (for example edit a submitted application)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from makerspace.applications.models import Application

    if isinstance(queryset, VisibleQuery):
        # Only a pk that is no id is a 404 here: a shape that Prepared refuses is a programming
        # error and must say so.
        try:
            pk = int(pk)
        except (ValueError, TypeError):
            raise Http404("没有找到该申报，或您无权查看。") from None
        application = queryset.get(user, pk)
        if application is None:
            raise Http404("没有找到该申报，或您无权查看。")
    else:
        qs = queryset if queryset is not None else Application.objects.select_related("space", "batch")
        try:
            application = visible_applications(user, qs).get(pk=pk)
        except (Application.DoesNotExist, ValueError, TypeError):
            raise Http404("没有找到该申报，或您无权查看。") from None
    if not user.has_perm(perm, application):
        raise PermissionDenied("当前状态下您不能进行此操作。")
    return application


def visible_notifications(user) -> QuerySet:
    """A user's own inbox: nobody lists or opens the notifications of another."""
    from makerspace.notifications.models import Notification

    if not user.is_authenticated:
        return Notification.objects.none()
    # notifications.selectors.unread_count compiles this queryset once (makerspace.core.prepared):
    # it may depend on the user's id alone (the suite's PREPARED_QUERIES_CHECK compares the two).
    return Notification.objects.filter(recipient_id=user.pk)


def get_notification_for(user, pk):
    """One notification of the user's own inbox, or Http404."""
    from django.http import Http404

    from makerspace.notifications.models import Notification

    try:
        notification = visible_notifications(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该通知。") from None
    if not user.has_perm("notifications.change_notification", notification):
        raise Http404("没有找到该通知。")
    return notification


def get_space_for(user, pk):
    """The applicant's own maker space, or Http404."""
    from django.http import Http404

    from makerspace.applications.models import MakerSpace

    space = MakerSpace.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if space is None or not user.has_perm("applications.change_makerspace", space):
        raise Http404("没有找到该众创空间。")
    return space


__all__ = [
    "get_application_for",
    "get_batch_for",
    "get_notification_for",
    "get_space_for",
    "visible_applications",
    "visible_batches",
    "visible_notifications",
]


# Review chain: the parties after the applicant (makerspace.reviews) ----------------------------


@rules.predicate
def recommends_for_unit(user, submission) -> bool:
    """The object is a reviews.UnitSubmission: the unit's own recommending staff."""
    return (
        _role(user) == Role.RECOMMENDER
        and user.organisation is not None
        and user.organisation.recommending_unit_id == submission.recommending_unit_id
    )


@rules.predicate
def submission_delivered(user, submission) -> bool:
    return submission.submitted_at is not None


reviews_party = (
    supervises_application
    | recommends_application
    | accepts_application
    | province_sees_application
    | ministry_sees_application
)
rules.add_perm("reviews.view_supervisor_queue", is_supervisor)
rules.add_perm("reviews.view_recommender_queue", is_recommender)
# The receipt pages serve whichever party a batch's chain gives its receipt step: the acceptance
# unit in the 2018 chain, the province where it receives itself.
rules.add_perm("reviews.view_acceptance_queue", is_acceptance | is_province)


@rules.predicate
def receives_for_batch(user, batch) -> bool:
    from makerspace.batches.models import Kind

    step = batch.step(Kind.RECEIPT) if batch is not None else None
    return step is not None and _role(user) == step.party and in_users_province(user, batch)


rules.add_perm("reviews.receive_for_batch", receives_for_batch)
rules.add_perm("reviews.view_province_queue", is_province)
rules.add_perm("reviews.view_ministry_queue", is_ministry)
# Opening an application's documents through the review chain, which records the open (R6).
rules.add_perm("reviews.open_document", reviews_party)
rules.add_perm("reviews.sign_supervisor_commitment", holds_current_step & _in_state(State.AT_SUPERVISOR))
rules.add_perm("reviews.review_application", holds_current_step & under_itemised_review)
# A quick return for completion (退回补正) with a reason, without the full itemised review.
rules.add_perm("reviews.return_for_completion", holds_current_step & under_itemised_review)
rules.add_perm("reviews.check_materials", holds_current_step & _in_state(State.DELIVERED))
rules.add_perm("reviews.manage_unit_submission", recommends_for_unit)
rules.add_perm(
    "reviews.view_unit_submission",
    recommends_for_unit | ((is_acceptance | is_province) & submission_delivered & in_users_province),
)
rules.add_perm("reviews.publish_list", is_ministry)
# The notice (三.2) binds every reviewing level: each signs the batch's pledge and declares conflicts.
reviews_as_official = is_supervisor | is_recommender | is_acceptance | is_province
rules.add_perm("reviews.sign_reviewer_pledge", reviews_as_official & in_users_province)
rules.add_perm("reviews.declare_reviewer_conflict", holds_current_step)
rules.add_perm("reviews.view_reviewer_pledges", is_province)
rules.add_perm("credit.add_creditrecord", is_province | is_admin)


def visible_unit_submissions(user, queryset: QuerySet | None = None) -> QuerySet:
    """The unit submissions a user may list: the queryset face of `reviews.view_unit_submission`."""
    from makerspace.reviews.models import UnitSubmission

    qs = queryset if queryset is not None else UnitSubmission.objects.all()
    role = _role(user)
    if role == Role.RECOMMENDER and user.organisation_id and user.organisation.recommending_unit_id:
        return qs.filter(recommending_unit_id=user.organisation.recommending_unit_id)
    if role in PROVINCIAL_ROLES:
        return qs.filter(submitted_at__isnull=False, batch__province=province_of(user))
    return qs.none()


def get_unit_submission_for(user, pk, perm: str = "reviews.view_unit_submission", queryset=None):
    """One unit submission: Http404 when not visible, PermissionDenied when visible but not allowed."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from makerspace.reviews.models import UnitSubmission

    if queryset is None:
        queryset = UnitSubmission.objects.select_related("batch", "recommending_unit")
    qs = queryset
    try:
        submission = visible_unit_submissions(user, qs).get(pk=pk)
    except (UnitSubmission.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该报送批次，或您无权查看。") from None
    if not user.has_perm(perm, submission):
        raise PermissionDenied("您不能对该报送批次进行此操作。")
    return submission


# Documents: generated documents, letters, dossiers, 汇总表, imports (makerspace.documents) -------


@rules.predicate
def belongs_to_unit(user, unit) -> bool:
    return (
        _role(user) == Role.RECOMMENDER
        and unit is not None
        and user.organisation_id is not None
        and user.organisation.recommending_unit_id == unit.pk
    )


rules.add_perm("documents.download_application_document", can_view_application)
provincial = (is_acceptance | is_province) & in_users_province
rules.add_perm("documents.view_recommendation_letter", belongs_to_unit | provincial)
rules.add_perm("documents.view_province_letter", provincial | is_ministry)
rules.add_perm("documents.build_unit_dossier", belongs_to_unit | provincial)
rules.add_perm("documents.build_batch_dossier", (is_province & in_users_province) | is_ministry)
rules.add_perm(
    "documents.export_summary", is_supervisor | is_recommender | is_acceptance | is_province | is_ministry
)
# A unit imports for its own city or zone, the province for any unit (see documents/imports.py).
rules.add_perm("documents.import_applications", is_recommender | is_province)


# Integrity: the credit register (makerspace.credit), expert scoring (makerspace.scoring) and the
# public notice period (makerspace.publicity) ---------------------------------------------------

# The credit register stays national: a record names an organisation, not a batch, and a 失信 record
# bars the organisation wherever it applies next, so no province's register can be told apart.
keeps_register = is_province | is_admin
rules.add_perm("credit.view_register", keeps_register)
rules.add_perm("credit.end_creditrecord", keeps_register)
rules.add_perm("credit.import_creditrecords", keeps_register)
rules.add_perm("credit.export_register", keeps_register)
rules.add_perm("credit.view_review_quality", keeps_register)


@rules.predicate
def uploaded_import(user, pending) -> bool:
    return pending.uploaded_by_id == user.pk


rules.add_perm("credit.view_creditimport", keeps_register & uploaded_import)
# R7: the province cancels an application it sees, in any state before or after the ministry.
rules.add_perm("credit.disqualify_application", province_sees_application & _in_state(*DISQUALIFIABLE))
rules.add_perm("credit.view_disqualification", province_sees_application)


@rules.predicate
def assigned_expert(user, assignment) -> bool:
    return _role(user) == Role.EXPERT and assignment.expert_id == user.pk


rules.add_perm("scoring.manage_experts", is_province & in_users_province)
rules.add_perm("scoring.manage_scoring", is_province & in_users_province)
# An expert is assigned to an application that passed the formal review (the scoring of 择优).
EXPERT_ASSIGNABLE = (State.FORMAL_PASSED,)
rules.add_perm("scoring.assign_expert", is_province & in_users_province & _in_state(*EXPERT_ASSIGNABLE))
rules.add_perm("scoring.view_assignments", is_expert)
rules.add_perm("scoring.score_assignment", assigned_expert)


def visible_assignments(user, queryset: QuerySet | None = None) -> QuerySet:
    """An expert sees only its own assignments; the province those of its own batches."""
    from makerspace.scoring.models import Assignment

    qs = queryset if queryset is not None else Assignment.objects.all()
    role = _role(user)
    if role == Role.EXPERT:
        return qs.filter(expert_id=user.pk)
    if role == Role.PROVINCE:
        return qs.filter(application__batch__province=province_of(user))
    return qs.none()


def get_assignment_for(user, pk, perm: str = "scoring.score_assignment", queryset=None):
    """One assignment: Http404 when not visible, PermissionDenied when visible but not allowed."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from makerspace.scoring.models import Assignment

    qs = queryset if queryset is not None else Assignment.objects.select_related("application", "expert")
    try:
        assignment = visible_assignments(user, qs).get(pk=pk)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该评审任务。") from None
    if not user.has_perm(perm, assignment):
        raise PermissionDenied("您不能对该评审任务进行此操作。")
    return assignment


rules.add_perm("publicity.manage_notices", is_province & in_users_province)
rules.add_perm("publicity.handle_objection", is_province & in_users_province)


# Security (issue 15): scope of documents that list several applications ------------------------


def lists_only_visible(user, applications) -> bool:
    """A letter or dossier that names these applications may be given to `user` only when every one
    of them is in `visible_applications(user)`: a partial official letter would misstate the list,
    so the whole document waits until the user may see all it names."""
    from makerspace.applications.models import Application

    ids = {a.pk for a in applications}
    if not ids:
        return True
    return visible_applications(user, Application.objects.filter(pk__in=ids)).count() == len(ids)


def require_lists_only_visible(user, applications) -> None:
    """Http404, as for an application the user may not see: no hint of what the document holds."""
    from django.http import Http404

    if not lists_only_visible(user, applications):
        raise Http404("没有找到该文件，或您无权查看。")


@rules.predicate
def space_never_submitted(user, space) -> bool:
    """A space's name is frozen with its first submitted version: what reviewers, the 公示 and the
    public list show is what was submitted. After filing a name changes by a change request."""
    from makerspace.applications.models import ApplicationVersion

    return not ApplicationVersion.objects.filter(application__space_id=space.pk).exists()


rules.add_perm("applications.rename_makerspace", owns_space & space_never_submitted)


# After filing: filed spaces, annual reports, evaluation, dynamic management (makerspace.filed) ---


def _filed_space_of(obj):
    """A FiledSpace, or an object of one (a report, a change request, an evaluation)."""
    from makerspace.filed.models import FiledSpace

    return obj if isinstance(obj, FiledSpace) else obj.filed_space


@rules.predicate
def operates_filed_space(user, obj) -> bool:
    """The space's own operating entity (its applicant accounts)."""
    return (
        _role(user) == Role.APPLICANT
        and user.organisation_id is not None
        and _filed_space_of(obj).operator_id == user.organisation_id
    )


@rules.predicate
def recommends_filed_space(user, obj) -> bool:
    return (
        _role(user) == Role.RECOMMENDER
        and user.organisation is not None
        and user.organisation.recommending_unit_id == _filed_space_of(obj).recommending_unit_id
    )


@rules.predicate
def holds_report_step(user, report) -> bool:
    """The party of the round's step where the report stands now."""
    step = report.step
    if step is None:
        return False
    return {
        Role.APPLICANT: operates_filed_space,
        Role.RECOMMENDER: recommends_filed_space,
        Role.PROVINCE: lambda u, r: _role(u) == Role.PROVINCE and in_users_province(u, r),
    }[step.party](user, report)


@rules.predicate
def report_editable(user, report) -> bool:
    return report.is_editable


province_of_space = is_province & in_users_province
sees_filed_space = operates_filed_space | recommends_filed_space | province_of_space | is_ministry
rules.add_perm("filed.view_filedspace", sees_filed_space)
# Pages asked without an object are named list_* (not view_*): a view_* permission asked without an
# object keeps Django's answer, which is yes for every superuser (accounts.User.has_perm).
rules.add_perm("filed.list_filed_spaces", is_applicant | is_recommender | is_province | is_ministry)
rules.add_perm("filed.view_report", operates_filed_space | recommends_filed_space | province_of_space)
rules.add_perm("filed.list_my_reports", is_applicant)
rules.add_perm("filed.change_report", operates_filed_space & report_editable)
rules.add_perm("filed.submit", operates_filed_space)


def _report_in(*states):
    @rules.predicate(name=f"report_in_{'_'.join(states)}")
    def check(user, report) -> bool:
        return report.state in states

    return check


# The unit forwards what stands at its step, the province accepts what stands at its own; either
# returns what it holds.
rules.add_perm("filed.forward", holds_report_step & _report_in("at_recommender"))
rules.add_perm("filed.accept", holds_report_step & _report_in("at_province"))
rules.add_perm("filed.return_report", holds_report_step)
rules.add_perm("filed.mark_missing", province_of_space)
rules.add_perm("filed.list_rounds", is_province | is_recommender)
# A reporting round (and its evaluation round) is one per year for the whole deployment (its year is
# unique) and names no province: opening and closing it stay the role's; the reports in it are
# narrowed to the province's own filed spaces (visible_reports, holds_report_step).
rules.add_perm("filed.open_round", is_province)
rules.add_perm("filed.manage_round", is_province)
rules.add_perm("filed.revoke_filedspace", province_of_space)


def visible_filed_spaces(user, queryset: QuerySet | None = None) -> QuerySet:
    """The filed spaces a user may list: the queryset face of `filed.view_filedspace`."""
    from makerspace.filed.models import FiledSpace

    qs = queryset if queryset is not None else FiledSpace.objects.all()
    role = _role(user)
    if role == Role.APPLICANT and user.organisation_id:
        return qs.filter(operator_id=user.organisation_id)
    if role == Role.RECOMMENDER and user.organisation_id and user.organisation.recommending_unit_id:
        return qs.filter(recommending_unit_id=user.organisation.recommending_unit_id)
    if role == Role.PROVINCE:
        return qs.filter(batch__province=province_of(user))
    if role == Role.MINISTRY:
        return qs
    return qs.none()


def visible_reports(user, queryset: QuerySet | None = None) -> QuerySet:
    """The annual reports a user may list: the queryset face of `filed.view_report`."""
    from makerspace.filed.models import AnnualReport

    qs = queryset if queryset is not None else AnnualReport.objects.all()
    role = _role(user)
    if role == Role.APPLICANT and user.organisation_id:
        return qs.filter(filed_space__operator_id=user.organisation_id)
    if role == Role.RECOMMENDER and user.organisation_id and user.organisation.recommending_unit_id:
        return qs.filter(filed_space__recommending_unit_id=user.organisation.recommending_unit_id)
    if role == Role.PROVINCE:
        return qs.filter(filed_space__batch__province=province_of(user))
    return qs.none()


def _get_visible(visible, model, user, pk, perm: str, queryset, message: str):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    try:
        obj = visible(user, queryset).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(message) from None
    if not user.has_perm(perm, obj):
        raise PermissionDenied("当前状态下您不能进行此操作。")
    return obj


def get_filed_space_for(user, pk, perm: str = "filed.view_filedspace", queryset=None):
    """One filed space: Http404 when not visible, PermissionDenied when visible but not allowed."""
    from makerspace.filed.models import FiledSpace

    qs = queryset if queryset is not None else FiledSpace.objects.select_related("batch", "recommending_unit")
    return _get_visible(visible_filed_spaces, FiledSpace, user, pk, perm, qs, "没有找到该备案众创空间。")


def get_report_for(user, pk, perm: str = "filed.view_report", queryset=None):
    """One annual report: Http404 when not visible, PermissionDenied when visible but not allowed."""
    from makerspace.filed.models import AnnualReport

    qs = queryset if queryset is not None else AnnualReport.objects.select_related("round", "filed_space")
    return _get_visible(visible_reports, AnnualReport, user, pk, perm, qs, "没有找到该年度报告。")


@rules.predicate
def evaluation_open_for_appeal(user, evaluation) -> bool:
    return evaluation.round.published_at is not None and evaluation.round.finalised_at is None


rules.add_perm("filed.manage_evaluation", is_province)
rules.add_perm("filed.list_evaluations", is_province)
rules.add_perm("filed.score_evaluation", is_expert)
rules.add_perm("filed.appeal_evaluation", operates_filed_space & evaluation_open_for_appeal)


@rules.predicate
def filed_space_managed(user, obj) -> bool:
    return _filed_space_of(obj).status in ("active", "rectifying")


@rules.predicate
def holds_change_step(user, request) -> bool:
    if request.state == "at_recommender":
        return recommends_filed_space(user, request)
    if request.state == "at_province":
        return _role(user) == Role.PROVINCE and in_users_province(user, request)
    return False


rules.add_perm("filed.request_change", operates_filed_space & filed_space_managed)
rules.add_perm("filed.review_change", holds_change_step)
rules.add_perm("filed.spot_check", province_of_space)


@rules.predicate
def evaluation_published(user, evaluation) -> bool:
    return evaluation.round.published_at is not None


rules.add_perm(
    "filed.view_evaluation",
    province_of_space | ((operates_filed_space | recommends_filed_space) & evaluation_published),
)


def visible_evaluations(user, queryset: QuerySet | None = None) -> QuerySet:
    """The evaluation results a user may open: the province those of its own province's spaces, a
    space's operating entity and unit their own once published."""
    from makerspace.filed.models import Evaluation

    qs = queryset if queryset is not None else Evaluation.objects.all()
    role = _role(user)
    if role == Role.PROVINCE:
        return qs.filter(filed_space__batch__province=province_of(user))
    published = qs.filter(round__published_at__isnull=False)
    if role == Role.APPLICANT and user.organisation_id:
        return published.filter(filed_space__operator_id=user.organisation_id)
    if role == Role.RECOMMENDER and user.organisation_id and user.organisation.recommending_unit_id:
        return published.filter(filed_space__recommending_unit_id=user.organisation.recommending_unit_id)
    return qs.none()


def get_evaluation_for(user, pk, perm: str = "filed.view_evaluation", queryset=None):
    from makerspace.filed.models import Evaluation

    qs = (
        queryset
        if queryset is not None
        else Evaluation.objects.select_related("round", "filed_space", "report")
    )
    return _get_visible(visible_evaluations, Evaluation, user, pk, perm, qs, "没有找到该评价结果。")


# Statistics (makerspace.stats): every figure counts `visible_applications(user)`, so a dashboard
# shows no more than the lists it summarises; these say only which dashboard a role opens ---------

rules.add_perm("stats.view_batch_dashboard", is_province | is_acceptance)
rules.add_perm("stats.view_jurisdiction_dashboard", is_supervisor | is_recommender)
rules.add_perm("stats.view_own_progress", is_applicant)
rules.add_perm("stats.view_filed_dashboard", is_ministry | is_province)
rules.add_perm(
    "stats.view_trends", is_supervisor | is_recommender | is_acceptance | is_province | is_ministry
)
# The public figures count only the published list, which anyone may read.
rules.add_perm("stats.view_public_dashboard", rules.always_allow)
# The meter beside a new password: registration and reset are open to anyone, as their forms.
rules.add_perm("security.check_password", rules.always_allow)
