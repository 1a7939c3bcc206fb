from django.shortcuts import render

from makerspace.batches.models import Batch

CONTACTS = [
    ("省科技企业孵化器协会", "余子佳、康亚飞", "025-83232116"),
    ("省科技厅高新处", "张迪", "025-83379768"),
]
CONTACT_EMAIL = "jscxcybgs@163.com"
CONTACT_ADDRESS = "南京市广州路37号江苏科技大厦408室"


def home(request):
    batches = (
        Batch.objects.exclude(status=Batch.Status.DRAFT)
        .prefetch_related("steps")
        .order_by("-year", "-id")[:10]
    )
    return render(
        request,
        "public/home.html",
        {
            "title": "首页",
            "batches": batches,
            "contacts": CONTACTS,
            "contact_email": CONTACT_EMAIL,
            "contact_address": CONTACT_ADDRESS,
        },
    )


def notice(request):
    """The notice itself, as issued and marked 此件主动公开 (public disclosure): no login."""
    from makerspace.documents.notice_text import NOTICE_PARAGRAPHS

    return render(
        request,
        "public/notice.html",
        {"title": "通知原文", "paragraphs": NOTICE_PARAGRAPHS},
    )


def published_batches(request):
    """科技部公布的备案名单, by batch. Public: no login, and nothing but what was published."""
    from makerspace.reviews.selectors import published_batches as batches_with_lists

    return render(
        request,
        "public/lists.html",
        {"title": "国家专业化众创空间备案名单", "batches": batches_with_lists()},
    )


def published_list(request, batch_id: int):
    from django.http import Http404

    from makerspace.reviews.selectors import published_lists

    batch = Batch.objects.filter(pk=batch_id).first()
    publications = published_lists(batch) if batch is not None else []
    if not publications:
        raise Http404("该批次尚未公布备案名单。")
    return render(
        request,
        "public/list_detail.html",
        {"title": f"{batch.title} · 备案名单", "batch": batch, "publications": publications},
    )
