"""Reads of the audit chain for the history pages, each a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import QuerySet

from makerspace.accounts.models import Role

from .labels import action_label
from .models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class HistoryRow:
    sequence: int
    at: object
    action: str
    label: str
    actor: str
    role: str
    organisation: str
    summary: str
    comment: str


def _role_label(role: str) -> str:
    return Role(role).label if role in Role.values else (role or "—")


# What scoring rows tell: which expert was assigned, its conflicts, its scores and totals.
EXPERT_REVIEW_PREFIX = "scoring."
EXPERT_REVIEW_SUMMARY = "专家评审"


def history_rows(events, *, viewer) -> list[HistoryRow]:
    """Readable rows; an applicant sees that experts reviewed, never which expert nor its scores
    (conflicts of interest): scoring rows keep only their label, whoever wrote them."""
    hide_experts = getattr(viewer, "role", None) == Role.APPLICANT
    rows = []
    for event in events:
        expert_review = hide_experts and event.action.startswith(EXPERT_REVIEW_PREFIX)
        if expert_review:
            rows.append(
                HistoryRow(
                    sequence=event.sequence,
                    at=event.at,
                    action=event.action,
                    label=action_label(event.action),
                    actor=EXPERT_REVIEW_SUMMARY,
                    role="",
                    organisation="",
                    summary=EXPERT_REVIEW_SUMMARY,
                    comment="",
                )
            )
            continue
        anonymous_expert = hide_experts and event.role == Role.EXPERT
        organisation = event.actor.organisation if event.actor and event.actor.organisation_id else None
        payload = event.payload if isinstance(event.payload, dict) else {}
        rows.append(
            HistoryRow(
                sequence=event.sequence,
                at=event.at,
                action=event.action,
                label=action_label(event.action),
                actor="评审专家" if anonymous_expert else (event.actor_label or "—"),
                role=_role_label(event.role),
                organisation="" if anonymous_expert or organisation is None else organisation.name,
                summary=event.summary,
                comment=str(payload.get("comment") or ""),
            )
        )
    return rows


def application_history(application) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(application=application)
        .select_related("actor__organisation")
        .order_by("sequence")
    )


def recent_events(limit: int = 50) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor__organisation").order_by("-sequence")[:limit]


def chain_head() -> AuditChainHead | None:
    return AuditChainHead.objects.filter(pk=1).first()
