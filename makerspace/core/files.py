"""Serving private files. Every caller has asked the permission module first; this only builds the
response, the same way everywhere: the type we detected at upload, never sniffed by the browser."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.http import FileResponse

logger = logging.getLogger(__name__)

EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def private_file_response(field, *, content_type: str, filename: str, inline: bool = True) -> FileResponse:
    response = FileResponse(
        field.open("rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=filename + EXTENSIONS.get(content_type, ""),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Files written before the rows that refer to them --------------------------------------------
#
# Storage is not transactional: a file saved in a transaction that then rolls back would stay in
# storage (S3 or disk) with no row pointing at it. `files_atomic` is `transaction.atomic` that also
# deletes every file `file_stored` told it about when the block fails; a block nested in another
# hands its files up, since the outer one can still roll back. `savepoint=False` (as for
# `transaction.atomic`) when nothing catches the block's failure inside an enclosing one: the
# failure then rolls that one back too, and the savepoint's two queries are saved.

_stored_files: ContextVar[list | None] = ContextVar("stored_files", default=None)


def file_stored(field_file) -> None:
    """Note a file just saved inside `files_atomic`; outside one it is the caller's to clean."""
    stored = _stored_files.get()
    if stored is not None:
        stored.append((field_file.storage, field_file.name))


@contextmanager
def files_atomic(*, savepoint: bool = True):
    parent = _stored_files.get()
    stored: list = []
    token = _stored_files.set(stored)
    try:
        with transaction.atomic(savepoint=savepoint):
            yield
    except BaseException:
        for storage, name in stored:
            try:
                storage.delete(name)
            except Exception:
                logger.exception("could not delete %s after a rolled-back write", name)
        raise
    finally:
        _stored_files.reset(token)
    if parent is not None:
        parent.extend(stored)
