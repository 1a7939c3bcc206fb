"""Demo data: the 2018 batch as the notice gives it, an open batch, one account per role, and
applications in several states. Built by calling the real services, so it is data the system
itself could have produced. Safe to run again: it does nothing when the demo accounts exist."""

import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from makerspace.accounts.credit_code import complete
from makerspace.accounts.models import Nature, Organisation, Role, User
from makerspace.batches.models import Batch, Kind

from .reference_data import city_unit_name, ensure_recommending_units

DEMO_PASSWORD = "Demo-2026-Jiangsu"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def demo_credit_code(seed: int, prefix: str = "91") -> str:
    """A valid 统一社会信用代码 for demo organisations (region 320000, a made-up body)."""
    return complete(f"{prefix}320000{seed:09d}")


def blank_pdf(text: str = "demo") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _org(seed: int, name: str, kind: str, unit=None, **extra) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        credit_code=demo_credit_code(seed, "11" if kind != Role.APPLICANT else "91"),
        defaults={"name": name, "kind": kind, "recommending_unit": unit, **extra},
    )
    return org


def _user(username: str, full_name: str, role: str, organisation: Organisation | None) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "role": role,
            "organisation": organisation,
            "email": f"{username}@example.cn",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def ensure_batches(now=None) -> tuple[Batch, Batch]:
    def at(y, m, d, hh=23, mm=59):
        return datetime(y, m, d, hh, mm, 59, tzinfo=SHANGHAI)

    batch_2018, _ = Batch.objects.get_or_create(
        year=2018,
        document_number="苏科高发〔2018〕169号",
        defaults={
            "title": "2018年国家专业化众创空间备案推荐",
            "status": Batch.Status.CLOSED,
            "applicant_deadline": at(2018, 7, 5),
        },
    )
    _ensure_chain(
        batch_2018,
        {
            Kind.ATTEST: at(2018, 7, 10),
            Kind.UNIT_REVIEW: at(2018, 7, 15),  # the notice's deadline for the units' delivery
            Kind.RECEIPT: at(2018, 7, 20),
            Kind.FORMAL_REVIEW: at(2018, 8, 15),
            Kind.SELECTION: at(2018, 8, 15),
            Kind.FILING: at(2018, 10, 31),
        },
    )
    now = now or timezone.now()
    open_batch, _ = Batch.objects.get_or_create(
        year=now.year,
        document_number="演示批次",
        defaults={
            "title": f"{now.year}年国家专业化众创空间备案推荐（演示）",
            "status": Batch.Status.OPEN,
            "applicant_deadline": now + timedelta(days=30),
            "quota": 10,
        },
    )
    _ensure_chain(
        open_batch,
        {
            Kind.ATTEST: now + timedelta(days=40),
            Kind.UNIT_REVIEW: now + timedelta(days=50),
            Kind.RECEIPT: now + timedelta(days=55),
            Kind.FORMAL_REVIEW: now + timedelta(days=60),
            Kind.SELECTION: now + timedelta(days=70),
            Kind.FILING: now + timedelta(days=120),
        },
    )
    return batch_2018, open_batch


def _ensure_chain(batch: Batch, deadlines: dict) -> None:
    """The 2018 Jiangsu chain of steps, with the batch's deadlines (once)."""
    from makerspace.batches.chain import JIANGSU_2018, chain_from_preset

    if not batch.steps.exists():
        chain_from_preset(batch=batch, preset=JIANGSU_2018, deadlines=deadlines)


DEMO_ACCOUNTS = [
    ("applicant", "申报单位", "南京药谷创新发展有限公司"),
    ("applicant2", "申报单位", "苏州纳米科技创业服务有限公司"),
    ("supervisor", "主管部门", "南京市江北新区科技创新局"),
    ("supervisor_sz", "主管部门", "苏州市姑苏区科学技术局"),
    ("recommender", "推荐单位", "南京市科学技术局"),
    ("recommender_sz", "推荐单位", "苏州市科学技术局"),
    ("acceptance", "受理单位", "江苏省科技企业孵化器协会"),
    ("province", "省科技厅", "江苏省科学技术厅"),
    ("expert", "评审专家", "（个人）"),
    ("expert2", "评审专家", "（个人）"),
    ("expert3", "评审专家", "（个人）"),
    ("ministry", "科技部", "中华人民共和国科学技术部"),
    ("admin", "系统管理员", "专业化众创空间备案推荐系统运维组"),
]


# The demo's history is played through the real services as of three weeks ago, so that its 公示
# (at least five working days, holidays included) has ended today and a newcomer can finish the
# chain in one sitting; the open batch's deadlines are set from today, so they lie ahead.
DEMO_HISTORY = timedelta(days=21)
# The earlier batch whose spaces the filed-space demo reports on.
EARLIER_FILING = timedelta(days=400)


def seed_demo() -> list[tuple[str, str, str]]:
    """Create the demo world; return (username, role label, organisation) for printing."""
    # time-machine moves the clock for the services the demo calls (rather than a back door in
    # them): each event, audit row and 公示 carries the date it would have had.
    import time_machine

    today = timezone.now()
    fresh = not User.objects.filter(username="applicant").exists()
    with time_machine.travel(today - DEMO_HISTORY, tick=True):
        accounts = _seed_demo(today)
    if fresh:
        _seed_after_filing(today)
    return accounts


def _seed_after_filing(today) -> None:
    """The life after filing (makerspace.filed): an earlier batch played at its own dates a year
    and a month ago, its spaces filed with this year's published one; then, today, two years of
    annual reports, an evaluation, a revocation, a change request and a rectification."""
    import time_machine

    from makerspace.filed.demo import seed_after_filing, seed_earlier_filing

    users = {u.username: u for u in User.objects.filter(username__in=[*DEMO_REVIEWERS, "applicant2"])}
    with time_machine.travel(today - EARLIER_FILING, tick=True), transaction.atomic():
        seed_earlier_filing(
            operator=users["applicant2"],
            supervising=users["supervisor_sz"].organisation,
            unit=users["recommender_sz"],
            province=users["province"],
            ministry=users["ministry"],
        )
    with transaction.atomic():
        seed_after_filing(
            province=users["province"],
            ministry=users["ministry"],
            operator=users["applicant2"],
            unit=users["recommender_sz"],
            experts=list(User.objects.filter(username__in=[e[0] for e in DEMO_EXPERTS]).order_by("username")),
        )


@transaction.atomic
def _seed_demo(today) -> list[tuple[str, str, str]]:
    units = ensure_recommending_units()
    _, open_batch = ensure_batches(now=today)
    if User.objects.filter(username="applicant").exists():
        return DEMO_ACCOUNTS
    nanjing = units[city_unit_name("南京")]
    suzhou = units[city_unit_name("苏州")]

    province = _org(1, "江苏省科学技术厅", Role.PROVINCE)
    acceptance = _org(2, "江苏省科技企业孵化器协会", Role.ACCEPTANCE)
    ministry = _org(3, "中华人民共和国科学技术部", Role.MINISTRY)
    recommender_org = _org(4, "南京市科学技术局", Role.RECOMMENDER, nanjing)
    recommender_sz = _org(5, "苏州市科学技术局", Role.RECOMMENDER, suzhou)
    supervisor_org = _org(6, "南京市江北新区科技创新局", Role.SUPERVISOR, nanjing)
    supervisor_sz = _org(7, "苏州市姑苏区科学技术局", Role.SUPERVISOR, suzhou)
    operations = _org(8, "专业化众创空间备案推荐系统运维组", Role.ADMIN)
    applicant_org = _org(
        101,
        "南京药谷创新发展有限公司",
        Role.APPLICANT,
        nanjing,
        nature=Nature.STATE_ENTERPRISE,
        legal_representative="王建国",
        phone="025-58001234",
        address="江苏省南京市江北新区药谷大道8号",
        email="office@yaogu.example.cn",
    )
    applicant_sz = _org(
        102,
        "苏州纳米科技创业服务有限公司",
        Role.APPLICANT,
        suzhou,
        nature=Nature.PRIVATE_ENTERPRISE,
        legal_representative="李敏",
        phone="0512-62551234",
        address="江苏省苏州市工业园区若水路398号",
        email="office@nano.example.cn",
    )

    applicant = _user("applicant", "张申报", Role.APPLICANT, applicant_org)
    applicant2 = _user("applicant2", "李申报", Role.APPLICANT, applicant_sz)
    supervisor = _user("supervisor", "陈主管", Role.SUPERVISOR, supervisor_org)
    _user("supervisor_sz", "周主管", Role.SUPERVISOR, supervisor_sz)
    recommender = _user("recommender", "刘推荐", Role.RECOMMENDER, recommender_org)
    _user("recommender_sz", "吴推荐", Role.RECOMMENDER, recommender_sz)
    _user("acceptance", "余受理", Role.ACCEPTANCE, acceptance)
    _user("province", "张高新", Role.PROVINCE, province)
    _user("expert", "赵专家", Role.EXPERT, None)
    _user("ministry", "孙备案", Role.MINISTRY, ministry)
    admin = _user("admin", "系统管理员", Role.ADMIN, operations)
    admin.is_staff = admin.is_superuser = True
    admin.save()

    _demo_applications(
        open_batch, applicant, applicant2, supervisor, recommender, supervisor_org, supervisor_sz
    )
    return DEMO_ACCOUNTS


def fill_complete(application, user, *, cases: int = 3) -> None:
    """Fill every part of an application so that it is ready to submit (used by demo and tests)."""
    from makerspace.applications import services
    from makerspace.applications.models import Attachment, ProvincialFiling
    from makerspace.core.demo_content import space_content

    varied = space_content(application.space.name, cases)
    info = application.basic_info
    values = {
        "founded_on": datetime(2016, 5, 18).date(),
        "legal_representative": info.legal_representative or "王建国",
        "legal_phone": info.legal_phone or "025-58001234",
        "person_in_charge": "钱负责",
        "person_in_charge_mobile": "13812345678",
        "contact_name": "孙联系",
        "contact_mobile": "13912345678",
        "address": info.address or "江苏省南京市鼓楼区广州路37号",
        "email": info.email or "contact@example.cn",
        "operator_nature": info.operator_nature or Nature.STATE_ENTERPRISE,
        "built_by_enterprise": True,
        "built_by_university": False,
        "built_by_institute": False,
        "team_size": 18,
        "team_college_count": 16,
        "mentor_count": 25,
        "floor_area": Decimal("12000"),
        "public_area": Decimal("3500"),
        "angel_fund": Decimal("5000"),
        "resident_projects": 46,
        "resident_enterprises": 38,
        "events_held": 60,
        "has_online_platform": True,
        "has_tech_platform": True,
        "mgmt_entry_standard": True,
        "mgmt_exit_conditions": True,
        "mgmt_incubation_database": True,
        **varied["basic_info"],
    }
    for key, value in values.items():
        setattr(info, key, value)
    info.full_clean()
    info.save()
    report = application.report
    for key, text in varied["report"].items():
        setattr(report, key, text)
    report.save()
    for n, case in enumerate(varied["cases"], start=1):
        application.success_cases.create(position=n, **case)
    application.provincial_filing = ProvincialFiling.FILED
    application.save(update_fields=["provincial_filing"])
    services.attachment_add_by_applicant(
        user=user,
        application=application,
        kind=Attachment.Kind.APPLICANT_COMMITMENT,
        title="申报单位信用承诺书（盖章）",
        upload=SimpleUploadedFile("commitment.pdf", blank_pdf("commitment"), content_type="application/pdf"),
    )
    application.refresh_from_db()
    services.commitment_sign(user=user, application=application, signatory=info.legal_representative)


def _demo_applications(batch, applicant, applicant2, supervisor, recommender, supervisor_org, supervisor_sz):
    from makerspace.applications import services

    def start(user, name, supervising):
        space = services.space_create(user=user, name=name)
        return services.application_create(
            user=user,
            space=space,
            batch=batch,
            recommending_unit=user.organisation.recommending_unit,
            supervisor=supervising,
        )

    start(applicant, "智能医疗器械专业化众创空间", supervisor_org)  # an empty draft to fill in

    ready = start(applicant, "生物医药专业化众创空间", supervisor_org)
    fill_complete(ready, applicant)  # complete, ready to submit

    submitted = start(applicant, "创新药物研发专业化众创空间", supervisor_org)
    fill_complete(submitted, applicant)
    services.application_submit(user=applicant, application=submitted)

    returned = start(applicant, "医疗大数据专业化众创空间", supervisor_org)
    fill_complete(returned, applicant)
    services.application_submit(user=applicant, application=returned)
    from makerspace.reviews import services as review_services

    review_services.application_return(
        user=supervisor, application=returned, comment="请补充入驻企业名单，并核对公共服务场地面积。"
    )

    forwarded = start(applicant2, "纳米新材料专业化众创空间", supervisor_sz)
    fill_complete(forwarded, applicant2, cases=4)
    services.application_submit(user=applicant2, application=forwarded)

    _demo_review_chain(start, applicant, applicant2, supervisor, supervisor_org, supervisor_sz)


def _demo_review_chain(start, applicant, applicant2, supervisor, supervisor_org, supervisor_sz):
    """Applications further up the chain, taken there by the review services (makerspace.reviews):
    one at the Nanjing recommending unit; a Suzhou batch delivered, with one application awaiting
    acceptance, one formally passed, one awaiting the ministry and one on the public list."""
    from makerspace.applications import services
    from makerspace.credit.models import CreditRecord
    from makerspace.credit.services import credit_record_add
    from makerspace.reviews import chain

    users = {u.username: u for u in User.objects.filter(username__in=DEMO_REVIEWERS)}
    province, ministry = users["province"], users["ministry"]

    def submitted(user, name, supervising, cases=3):
        application = start(user, name, supervising)
        fill_complete(application, user, cases=cases)
        services.application_submit(user=user, application=application)
        application.refresh_from_db()
        return application

    at_recommender = submitted(applicant, "合成生物专业化众创空间", supervisor_org)
    chain.forward(at_recommender, supervisor)

    suzhou = []
    for name in (
        "第三代半导体专业化众创空间",
        "新型显示专业化众创空间",
        "智能传感器专业化众创空间",
        "工业机器人专业化众创空间",
    ):
        application = submitted(applicant2, name, supervisor_sz, cases=4)
        chain.forward(application, users["supervisor_sz"])
        suzhou.append(chain.decide(application, users["recommender_sz"], "recommend"))
    chain.deliver(suzhou, users["recommender_sz"])
    _, passed, awaiting_ministry, published = suzhou
    for application in (passed, awaiting_ministry, published):
        chain.receive(application, users["acceptance"])
        chain.decide(application, province, "pass")

    credit_record_add(
        user=province,
        credit_code=demo_credit_code(999),
        subject_name="演示失信科技服务有限公司",
        kind=CreditRecord.Kind.BAD_SCIENTIFIC_CREDIT,
        reason="在科技计划项目申报中提供虚假材料（演示数据）。",
        source_document="苏科监〔2017〕1号（演示）",
        starts_on=datetime(2017, 9, 1).date(),
        ends_on=datetime(2030, 8, 31).date(),
    )
    notice = _demo_integrity(passed, awaiting_ministry, published, province)

    # The 公示 has run its five working days: the province selects, the ministry files and
    # publishes, on the day after the notice ended (the clock moved on, as the days would).
    import time_machine

    from makerspace.reviews import services as review_services

    after = datetime.combine(notice.ends_on + timedelta(days=1), datetime.min.time(), tzinfo=SHANGHAI)
    with time_machine.travel(after.replace(hour=9), tick=True):
        for application in (published, awaiting_ministry):
            application.refresh_from_db()
            review_services.province_select(user=province, application=application)
        published.refresh_from_db()
        chain.file_and_publish(
            [published], ministry, title=f"{published.batch.year}年国家专业化众创空间备案名单（演示）"
        )


def _demo_integrity(passed, awaiting_ministry, published, province):
    """Expert scoring and a 公示 (makerspace.scoring, makerspace.publicity): the three formally
    passed Suzhou applications ranked and each scored by three experts from outside Suzhou (one
    sheet of the third submitted), and the list on public notice from the day the history is played
    at, so the notice has ended today and the third may still be selected."""
    from makerspace.publicity.services import notice_start
    from makerspace.reviews import services as review_services
    from makerspace.scoring import services as scoring_services
    from makerspace.scoring.models import ExpertProfile
    from makerspace.scoring.sheet import ITEMS

    for username, organisation_name, city in DEMO_EXPERTS:
        user = User.objects.get(username=username) if username == "expert" else None
        if user is None:
            user = _user(username, f"{organisation_name[:2]}专家", Role.EXPERT, None)
        ExpertProfile.objects.get_or_create(
            user=user, defaults={"organisation_name": organisation_name, "city": city, "invited_by": province}
        )
    review_services.province_ranks_set(
        user=province, batch=passed.batch, ranks={published.pk: 1, awaiting_ministry.pk: 2, passed.pk: 3}
    )
    scoring_services.auto_assign(user=province, batch=passed.batch)
    expert = User.objects.get(username="expert")
    assignment = passed.expert_assignments.get(expert=expert)
    scoring_services.scores_save(
        user=expert,
        assignment=assignment,
        scores={item.code: 8 for item in ITEMS},
        comment="聚焦第三代半导体细分领域，研发与中试条件完备（演示数据）。",
    )
    scoring_services.scores_submit(user=expert, assignment=assignment)
    return notice_start(
        user=province,
        batch=passed.batch,
        title=f"{passed.batch.year}年国家专业化众创空间拟推荐名单公示（演示）",
        body="公示期内如有异议，请通过本页面实名提出，并写明事实和理由。",
        contact="省科技厅高新处（演示）",
        starts_on=timezone.localdate(),
    )


DEMO_EXPERTS = [
    ("expert", "东南大学", "南京"),
    ("expert2", "南京大学", "南京"),
    ("expert3", "江南大学", "无锡"),
]
DEMO_REVIEWERS = ["supervisor_sz", "recommender_sz", "acceptance", "province", "ministry"]
