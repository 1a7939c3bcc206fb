"""Query counts and latency of the busiest pages at the current data size.

Run after `manage.py generate_applications`: it signs each role in (as the reviewer of the busiest
unit or department), requests each page `--repeat` times in-process through Django's test client,
and prints one Markdown row per page: queries, p50 and p95 in milliseconds. Two-factor login is
taken as done (its cost is one device lookup per request, measured by the HTTP benchmark)."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from makerspace.accounts.models import Organisation, Role, User  # noqa: E402
from makerspace.applications.models import Application  # noqa: E402
from makerspace.applications.workflow import State  # noqa: E402
from makerspace.batches.models import Batch  # noqa: E402
from makerspace.core.demo import demo_credit_code  # noqa: E402


def busiest(state: str, field: str) -> int:
    row = Application.objects.filter(state=state).values(field).annotate(n=Count("pk")).order_by("-n").first()
    return row[field]


def user_for(role: str, organisation: Organisation | None) -> User:
    user, _ = User.objects.get_or_create(
        username=f"measure_{role}_{organisation.pk if organisation else 0}",
        defaults={"role": role, "organisation": organisation},
    )
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    settings.OTP_REQUIRED_ROLES = []
    settings.AXES_ENABLED = False
    settings.ALLOWED_HOSTS = ["*"]

    open_batch = Batch.objects.filter(status=Batch.Status.OPEN, document_number__startswith="负荷测试").get()
    supervisor_org = Organisation.objects.get(pk=busiest(State.AT_SUPERVISOR, "supervisor"))
    unit_id = busiest(State.AT_RECOMMENDER, "recommending_unit")
    recommender_org, _ = Organisation.objects.get_or_create(
        credit_code=demo_credit_code(960_000 + unit_id, "11"),
        defaults={"name": "测量用推荐单位", "kind": Role.RECOMMENDER, "recommending_unit_id": unit_id},
    )
    anyone = Organisation.objects.filter(kind=Role.PROVINCE).first()
    applicant = (
        User.objects.filter(username="load_applicant_0").first()
        or User.objects.filter(role=Role.APPLICANT).first()
    )
    own = Application.objects.filter(space__organisation=applicant.organisation_id).first()

    pages = [
        ("申报单位 我的申报", applicant, reverse("applications:list")),
        ("申报单位 申报详情", applicant, reverse("applications:detail", args=[own.pk])),
        ("主管部门 待审核", user_for(Role.SUPERVISOR, supervisor_org), reverse("reviews:supervisor_queue")),
        (
            "推荐单位 待审核",
            user_for(Role.RECOMMENDER, recommender_org),
            reverse("reviews:recommender_queue"),
        ),
        (
            "推荐单位 本批次排序",
            user_for(Role.RECOMMENDER, recommender_org),
            reverse("reviews:recommender_batch", args=[open_batch.pk]),
        ),
        ("受理单位 待受理", user_for(Role.ACCEPTANCE, anyone), reverse("reviews:acceptance_queue")),
        ("省科技厅 工作台", user_for(Role.PROVINCE, anyone), reverse("reviews:province_queue")),
        (
            "省科技厅 择优排序",
            user_for(Role.PROVINCE, anyone),
            reverse("reviews:province_batch", args=[open_batch.pk]),
        ),
        ("科技部 工作台", user_for(Role.MINISTRY, anyone), reverse("reviews:ministry_queue")),
        (
            "科技部 本批次",
            user_for(Role.MINISTRY, anyone),
            reverse("reviews:ministry_batch", args=[open_batch.pk]),
        ),
        ("公众 备案名单", None, reverse("public:lists")),
    ]
    total = Application.objects.count()
    print(f"applications in the database: {total}; repeat: {args.repeat}")
    print("| page | queries | p50 ms | p95 ms | status |")
    print("|---|---:|---:|---:|---:|")
    for label, user, url in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(url)  # warm caches and the session
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"| {label} `{url}` | {len(queries)} | {statistics.median(timings):.0f} | {p95:.0f} "
            f"| {response.status_code} |"
        )


if __name__ == "__main__":
    main()
