"""Synthetic data at production scale (100,000 applications over several batches) for benchmarks
and for checking that queues, rankings and dashboards keep their bounded queries at that size.

Rows are written with bulk_create in chunks: building them through the services would take hours,
and the point here is volume, not history. Every row is still valid by the model's own rules."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from makerspace.accounts.models import Nature, Organisation, RecommendingUnit, Role, User
from makerspace.applications.models import Application, BasicInfo, MakerSpace, Report
from makerspace.applications.workflow import Level, State
from makerspace.batches.models import Batch

from .demo import DEMO_PASSWORD, demo_credit_code, fill_complete
from .reference_data import ensure_recommending_units

# How generated applications spread over the chain (weights).
STATE_MIX = [
    (State.DRAFT, 30),
    (State.AT_SUPERVISOR, 15),
    (State.AT_RECOMMENDER, 15),
    (State.RECOMMENDED, 8),
    (State.DELIVERED, 6),
    (State.RECEIVED, 6),
    (State.FORMAL_PASSED, 5),
    (State.RECOMMENDED_TO_MINISTRY, 4),
    (State.FILED, 3),
    (State.PUBLISHED, 3),
    (State.DECLINED, 3),
    (State.WITHDRAWN, 2),
]
FIELDS = [
    "生物医药",
    "新材料",
    "集成电路",
    "人工智能",
    "新能源",
    "高端装备",
    "物联网",
    "节能环保",
    "数字创意",
    "现代农业",
]


# The highest party each state implies on the full chain the generated batches use (the real
# transitions raise `reached_level` step by step; the generator writes the rows directly).
REACHED_LEVEL = {
    State.DRAFT: Level.APPLICANT,
    State.AT_SUPERVISOR: Level.SUPERVISOR,
    State.AT_RECOMMENDER: Level.RECOMMENDER,
    State.RECOMMENDED: Level.RECOMMENDER,
    State.DECLINED: Level.RECOMMENDER,
    State.DELIVERED: Level.ACCEPTANCE,
    State.RECEIVED: Level.ACCEPTANCE,
    State.FORMAL_PASSED: Level.PROVINCE,
    State.FORMAL_FAILED: Level.PROVINCE,
    State.NOT_RECOMMENDED: Level.PROVINCE,
    State.RECOMMENDED_TO_MINISTRY: Level.MINISTRY,
    State.FILED: Level.MINISTRY,
    State.NOT_FILED: Level.MINISTRY,
    State.PUBLISHED: Level.MINISTRY,
}


def _unit_bodies(
    units: list[RecommendingUnit], seed_base: int, role: str, suffix: str
) -> dict[int, Organisation]:
    """One organisation of `role` per recommending unit (a supervising department, or the unit)."""
    bodies = {}
    for n, unit in enumerate(units):
        bodies[unit.pk], _ = Organisation.objects.get_or_create(
            credit_code=demo_credit_code(seed_base + n, "11"),
            defaults={"name": f"{unit.short_name}{suffix}", "kind": role, "recommending_unit": unit},
        )
    return bodies


def create_reviewers(count: int) -> list[str]:
    """`count` supervisors and `count` recommenders (load_supervisor_<n>, load_recommender_<n>),
    spread over the units, each with the published demo TOTP device so a load test can sign in
    as a real reviewing role does (password, then a code)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from makerspace.security.demo import DEMO_TOTP_KEY

    units = list(ensure_recommending_units().values())
    supervisors = _unit_bodies(units, 900_000, Role.SUPERVISOR, "负荷测试主管部门")
    recommenders = _unit_bodies(units, 950_000, Role.RECOMMENDER, "负荷测试推荐单位")
    template = User(username="x")
    template.set_password(DEMO_PASSWORD)
    names = []
    for n in range(count):
        unit = units[n % len(units)]
        for role, bodies in ((Role.SUPERVISOR, supervisors), (Role.RECOMMENDER, recommenders)):
            user, _ = User.objects.get_or_create(
                username=f"load_{role}_{n}",
                defaults={"role": role, "organisation": bodies[unit.pk], "password": template.password},
            )
            TOTPDevice.objects.get_or_create(
                user=user, key=DEMO_TOTP_KEY, defaults={"name": "负荷测试验证器", "confirmed": True}
            )
            names.append(user.username)
    return names


@transaction.atomic
def generate(
    *,
    count: int,
    batches: int = 3,
    applicants: int = 0,
    complete: bool = False,
    chunk: int = 2000,
    seed: int = 2018,
    stdout=None,
) -> dict:
    """Create `count` applications spread over `batches` batches and all recommending units.

    `applicants` of them (the first ones, all drafts in the newest open batch) get a login
    `load_applicant_<n>` with the demo password, for the load test to act as; with `complete` their
    drafts are filled, signed and ready to submit (through the real services, so it is slower).
    """
    rng = random.Random(seed)
    units = list(ensure_recommending_units().values())
    supervisors = _unit_bodies(units, 900_000, Role.SUPERVISOR, "负荷测试主管部门")
    now = timezone.now()
    batch_list = []
    for n in range(batches):
        year = now.year - (batches - 1 - n)
        is_open = n == batches - 1
        batch, _ = Batch.objects.get_or_create(
            year=year,
            document_number=f"负荷测试-{year}",
            defaults={
                "title": f"{year}年负荷测试批次",
                "status": Batch.Status.OPEN if is_open else Batch.Status.CLOSED,
                "applicant_deadline": now + timedelta(days=30 if is_open else -300),
                "quota": 200,
            },
        )
        if not batch.steps.exists():
            from makerspace.batches.chain import JIANGSU_2018, chain_from_preset

            chain_from_preset(batch=batch, preset=JIANGSU_2018)
        batch_list.append(batch)
    open_batch = batch_list[-1]
    creator = User.objects.filter(role=Role.ADMIN).first() or User.objects.create(
        username="load_admin", role=Role.ADMIN
    )
    start = Organisation.objects.count() + 1_000_000
    states, weights = zip(*STATE_MIX, strict=True)
    created = 0
    while created < count:
        size = min(chunk, count - created)
        organisations = [
            Organisation(
                name=f"负荷测试运营主体{start + created + i}有限公司",
                credit_code=demo_credit_code(start + created + i),
                kind=Role.APPLICANT,
                nature=rng.choice(Nature.values),
                legal_representative="测试法人",
                phone="025-83232116",
                address="江苏省南京市鼓楼区广州路37号",
                email="load@example.cn",
                recommending_unit=rng.choice(units),
            )
            for i in range(size)
        ]
        Organisation.objects.bulk_create(organisations)
        organisations = list(
            Organisation.objects.filter(credit_code__in=[o.credit_code for o in organisations]).order_by("pk")
        )
        spaces = MakerSpace.objects.bulk_create(
            [
                MakerSpace(organisation=o, name=f"{rng.choice(FIELDS)}{o.pk}号专业化众创空间")
                for o in organisations
            ]
        )
        spaces = list(
            MakerSpace.objects.filter(organisation__in=organisations)
            .select_related("organisation")
            .order_by("organisation_id")
        )
        applications = []
        for i, space in enumerate(spaces):
            index = created + i
            as_login = index < applicants
            batch = open_batch if as_login else rng.choice(batch_list)
            state = State.DRAFT if as_login else rng.choices(states, weights)[0]
            if batch.status == Batch.Status.CLOSED and state in (State.DRAFT, State.AT_SUPERVISOR):
                state = State.WITHDRAWN
            unit = space.organisation.recommending_unit
            applications.append(
                Application(
                    space=space,
                    batch=batch,
                    recommending_unit=unit,
                    unit_sort_order=unit.sort_order,
                    supervisor=supervisors[unit.pk],
                    state=state,
                    reached_level=REACHED_LEVEL.get(state, Level.RECOMMENDER),
                    current_version=0 if state == State.DRAFT else 1,
                    provincial_filing="filed",
                    created_by=creator,
                )
            )
        Application.objects.bulk_create(applications)
        applications = list(Application.objects.filter(space__in=spaces).only("pk", "batch__year"))
        for application in applications:
            application.number = Application.make_number(application.batch.year, application.pk)
        Application.objects.bulk_update(applications, ["number"])
        BasicInfo.objects.bulk_create(
            [
                BasicInfo(
                    application=a,
                    operator_name="负荷测试运营主体",
                    team_size=20,
                    team_college_count=rng.randint(5, 20),
                    floor_area=Decimal(rng.randint(2000, 20000)),
                    public_area=Decimal(1000),
                    professional_direction=rng.choice(FIELDS),
                )
                for a in applications
            ]
        )
        Report.objects.bulk_create([Report(application=a) for a in applications])
        if applicants and created < applicants:
            users = []
            for i, organisation in enumerate(organisations):
                if created + i >= applicants:
                    break
                user = User(
                    username=f"load_applicant_{created + i}", role=Role.APPLICANT, organisation=organisation
                )
                users.append(user)
            if users:
                template = User(username="x")
                template.set_password(DEMO_PASSWORD)
                for user in users:
                    user.password = template.password
                User.objects.bulk_create(users)
        if complete:
            for user in User.objects.filter(
                username__startswith="load_applicant_", organisation__in=organisations
            ):
                application = Application.objects.get(space__organisation=user.organisation_id)
                fill_complete(application, user)
        created += size
        if stdout:
            stdout.write(f"  {created}/{count}")
    return {"applications": created, "batches": len(batch_list)}
