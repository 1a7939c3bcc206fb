"""Official documents, exports and imported sheets are Chinese whatever language the user reads the
site in: the functions that build them run under `in_chinese`."""

import functools

from django.conf import settings
from django.utils import translation


def in_chinese(function):
    """Run `function` with the site's own language (zh-hans) active; a fresh override per call,
    so concurrent requests in other languages do not share its saved state."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper
