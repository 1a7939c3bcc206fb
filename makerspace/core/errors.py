class RuleViolation(Exception):
    """A rule of the notice (R1–R10) refused an action; the message is shown to the user as is."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule = rule
        self.message = message

    def __str__(self) -> str:
        return self.message


class StateConflict(Exception):
    """Someone else changed the object first; the message says what to do."""
