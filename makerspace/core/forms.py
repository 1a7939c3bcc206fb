from django.core.exceptions import ValidationError
from django.forms import Form


def add_validation_error(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message beside its field when the form
    has that field, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            for text in texts:
                form.add_error(name if name in form.fields else None, text)
    else:
        form.add_error(None, error)
