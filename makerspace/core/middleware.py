class ChineseUnlessChosenMiddleware:
    """Chinese is the system's language; English is shown only to whoever picks it in the language
    switch (Django's language cookie). A browser's Accept-Language is not asked: government
    workstations often run English-language browsers whose users expect the Chinese system.

    Placed before LocaleMiddleware, which then finds only the cookie or falls back to
    LANGUAGE_CODE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
