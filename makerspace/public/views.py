from django.shortcuts import render

from makerspace.batches.models import Batch

CONTACTS = [
    ("省科技企业孵化器协会", "余子佳、康亚飞", "025-83232116"),
    ("省科技厅高新处", "张迪", "025-83379768"),
]
CONTACT_EMAIL = "jscxcybgs@163.com"
CONTACT_ADDRESS = "南京市广州路37号江苏科技大厦408室"


def home(request):
    batches = Batch.objects.exclude(status=Batch.Status.DRAFT).order_by("-year", "-id")[:10]
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
