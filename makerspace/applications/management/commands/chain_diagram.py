"""Print the state machine as a Mermaid diagram, read from the transitions themselves
(docs/review-chain.md embeds its output, so the picture cannot drift from the code)."""

from django.core.management.base import BaseCommand

from makerspace.applications.models import Application
from makerspace.applications.workflow import ENTRIES, GUARDS, State


def diagram() -> str:
    lines = ["stateDiagram-v2"]
    field = Application._meta.get_field("state")
    for transition in sorted(field.get_all_transitions(Application), key=lambda t: (t.name, t.source)):
        if transition.source == "*":
            continue
        target = transition.target
        targets = getattr(target, "allowed_states", None)
        names = list(targets) if targets else [target]
        if set(ENTRIES) <= set(names):
            names = [n for n in names if n not in ENTRIES] + ["next step"]
        rules = "、".join(dict.fromkeys(rule.code for rule in GUARDS.get(transition.name, ())))
        label = transition.name + (f" [{rules}]" if rules else "")
        for name in names:
            lines.append(f"    {transition.source} --> {name.replace(' ', '_')}: {label}")
    lines += [f"    note right of {s.value}: {s.label}" for s in (State.RETURNED, State.REVOKED)]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print the application state machine as a Mermaid diagram."

    def handle(self, *args, **options):
        self.stdout.write(diagram())
