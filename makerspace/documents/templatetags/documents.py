from django import template

from makerspace.documents.models import APPLICATION_KINDS, Kind

register = template.Library()


@register.inclusion_tag("documents/_application_downloads.html", takes_context=True)
def application_downloads(context, application, versions=()):
    """The download block of an application page: 附件2–5 in Word and PDF, and the package."""
    return {
        "csrf_token": context.get("csrf_token"),
        "application": application,
        "versions": versions,
        "document_kinds": [(kind.value, Kind(kind).label) for kind in APPLICATION_KINDS],
    }
