"""Issue 15: the upload checks against the hostile corpus (makerspace/core/tests/hostile.py): a
Flate bomb and page-object floods are bounded, active PDF actions refused, polyglots neutralised."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from makerspace.core.uploads import inspect_upload

from . import hostile


def _refused(data: bytes, name: str = "证明.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as error:
        inspect_upload(SimpleUploadedFile(name, data))
    return error.value


def test_the_hand_written_plain_pdf_is_accepted():
    inspect_upload(SimpleUploadedFile("证明.pdf", hostile.plain()))


def test_a_flate_bomb_is_refused_by_its_decompressed_size_and_quickly():
    bomb = hostile.flate_bomb(300)
    assert len(bomb) < 1024 * 1024
    started = time.process_time()
    error = _refused(bomb)
    assert error.code == "pdf_bomb"
    assert "解压后" in error.messages[0]
    assert time.process_time() - started < 5


def test_the_decompressed_bound_is_a_setting(settings):
    settings.UPLOAD_MAX_PDF_DECOMPRESSED_BYTES = 40 * 1024 * 1024
    assert _refused(hostile.flate_bomb(50)).code == "pdf_bomb"
    settings.UPLOAD_MAX_PDF_DECOMPRESSED_BYTES = 60 * 1024 * 1024
    inspect_upload(SimpleUploadedFile("证明.pdf", hostile.flate_bomb(50)))


def test_a_pdf_with_more_page_objects_than_the_page_limit_is_refused(settings):
    settings.UPLOAD_MAX_PDF_PAGES = 5
    inspect_upload(SimpleUploadedFile("证明.pdf", hostile.many_page_objects(5)))
    error = _refused(hostile.many_page_objects(50))
    assert error.code in {"pdf_too_long", "pdf_bomb"}


@pytest.mark.parametrize("name", sorted(hostile.HOSTILE_PDFS))
def test_a_pdf_with_an_active_action_is_refused(name):
    build, words = hostile.HOSTILE_PDFS[name]
    error = _refused(build())
    assert error.code == "pdf_active"
    assert words in error.messages[0]


def test_a_pdf_with_a_zip_appended_is_refused():
    error = _refused(hostile.pdf_zip_polyglot())
    assert error.code == "pdf_polyglot"
    assert "结束标记之后" in error.messages[0]


def test_html_in_front_of_a_pdf_is_refused_by_its_bytes():
    """libmagic finds %PDF within the first KB and says PDF; the file must start with it."""
    assert _refused(hostile.html_pdf_polyglot()).code == "pdf_polyglot"


def test_a_jpeg_with_a_script_appended_is_stored_without_it():
    upload = SimpleUploadedFile("照片.jpg", hostile.jpeg_with_appended_script())
    inspect_upload(upload)
    upload.seek(0)
    assert b"<?php" not in upload.read()
