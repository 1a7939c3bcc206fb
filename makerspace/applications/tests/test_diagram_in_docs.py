"""docs/review-chain.md shows the state machine as `manage.py chain_diagram` draws it from the code:
a transition or a rule added to the workflow changes the picture, or this test fails."""

import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command


def test_the_diagram_in_the_docs_is_the_one_the_code_draws():
    out = io.StringIO()
    call_command("chain_diagram", stdout=out)
    drawn = out.getvalue().replace("```mermaid", "").replace("```", "").strip()
    text = Path(settings.BASE_DIR, "docs", "review-chain.md").read_text()
    start = text.index("```mermaid\n") + len("```mermaid\n")
    shown = text[start : text.index("```", start)].strip()
    assert shown == drawn, "run `manage.py chain_diagram` and paste its output into docs/review-chain.md"
