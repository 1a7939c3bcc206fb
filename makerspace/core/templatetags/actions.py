"""`{% transition a "return_to_applicant" as act %}`: what a row shows of one transition, asked of
the same two places the server asks when the button is pressed.

- `act.shown`: the permission module lets this user fire it on this application (the party of its
  step) and the state machine has it from the application's state. Otherwise the row shows nothing.
- `act.reasons`: the messages of the transition's own conditions that are unmet now
  (`applications.workflow.unmet`); a shown action with reasons is drawn disabled, the reasons beside.
  `conditions=False` leaves them out where the page already shows the same rule's answer computed
  from rows it loaded once (the receipt list shows R3's `checks.receipt_state` for every row).

Templates never test state strings to decide an action: this tag, or django-rules'
`{% has_perm %}` for permissions that are not transitions, answer it."""

from dataclasses import dataclass, field

from django import template
from django_fsm import can_proceed

from makerspace.applications import workflow

register = template.Library()


@dataclass(frozen=True)
class Action:
    shown: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def enabled(self) -> bool:
        return self.shown and not self.reasons


def transition_action(user, application, name: str, *, conditions: bool = True) -> Action:
    from_here = can_proceed(getattr(application, name), check_conditions=False)
    if not (from_here and user.has_perm(f"applications.{name}", application)):
        return Action(shown=False)
    if not conditions:
        return Action(shown=True)
    return Action(shown=True, reasons=[unmet.message for unmet in workflow.unmet(application, name, user)])


@register.simple_tag(takes_context=True)
def transition(context, application, name: str, conditions: bool = True) -> Action:
    return transition_action(context["request"].user, application, name, conditions=conditions)
