"""factory_boy factories shared by every app's tests. Applications are built by the real services,
with one helper per state, so test data is data the system itself could have produced."""

from datetime import timedelta
from itertools import count

import factory
from django.utils import timezone

from makerspace.accounts.models import Nature, Organisation, RecommendingUnit, Role, User
from makerspace.batches.models import Batch
from makerspace.core.demo import DEMO_PASSWORD, demo_credit_code, fill_complete

_codes = count(10_000)


class RecommendingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendingUnit
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试{n}市科学技术局")
    short_name = factory.Sequence(lambda n: f"测试{n}市")
    kind = RecommendingUnit.Kind.CITY
    city = "南京"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}有限公司")
    credit_code = factory.LazyFunction(lambda: demo_credit_code(next(_codes)))
    kind = Role.APPLICANT
    nature = Nature.PRIVATE_ENTERPRISE
    legal_representative = "王法人"
    phone = "025-83232116"
    address = "江苏省南京市鼓楼区广州路37号"
    email = "org@example.cn"
    recommending_unit = factory.SubFactory(RecommendingUnitFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.APPLICANT
    organisation = factory.SubFactory(OrganisationFactory, kind=factory.SelfAttribute("..role"))
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEMO_PASSWORD)
        if create:
            self.save()


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch

    year = factory.LazyFunction(lambda: timezone.now().year)
    title = factory.Sequence(lambda n: f"测试批次{n}")
    document_number = factory.Sequence(lambda n: f"测试〔{n}〕号")
    status = Batch.Status.OPEN
    applicant_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    supervisor_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    recommender_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    province_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=40))
    quota = 10


class World:
    """A small world: one unit, a batch, and one user per role for that unit."""

    def __init__(self, unit: RecommendingUnit | None = None, batch: Batch | None = None):
        self.unit = unit or RecommendingUnitFactory()
        self.batch = batch or BatchFactory()
        self.applicant = UserFactory(role=Role.APPLICANT, organisation__recommending_unit=self.unit)
        self.supervisor = UserFactory(role=Role.SUPERVISOR, organisation__recommending_unit=self.unit)
        self.recommender = UserFactory(role=Role.RECOMMENDER, organisation__recommending_unit=self.unit)
        self.acceptance = UserFactory(role=Role.ACCEPTANCE, organisation__recommending_unit=None)
        self.province = UserFactory(role=Role.PROVINCE, organisation__recommending_unit=None)
        self.expert = UserFactory(role=Role.EXPERT, organisation=None)
        self.ministry = UserFactory(role=Role.MINISTRY, organisation__recommending_unit=None)
        self.admin = UserFactory(role=Role.ADMIN, organisation__recommending_unit=None)

    def users(self) -> dict[str, User]:
        return {
            role: getattr(self, role)
            for role in (
                "applicant",
                "supervisor",
                "recommender",
                "acceptance",
                "province",
                "expert",
                "ministry",
                "admin",
            )
        }

    def draft(self, name: str | None = None, applicant: User | None = None):
        """An empty draft application of `applicant` (default: this world's applicant)."""
        from makerspace.applications import services

        applicant = applicant or self.applicant
        space = services.space_create(user=applicant, name=name or f"测试{next(_codes)}专业化众创空间")
        return services.application_create(
            user=applicant,
            space=space,
            batch=self.batch,
            recommending_unit=self.unit,
            supervisor=self.supervisor.organisation,
        )

    def complete_draft(self, **kwargs):
        application = self.draft(**kwargs)
        fill_complete(application, kwargs.get("applicant") or self.applicant)
        application.refresh_from_db()
        return application

    def submitted(self, **kwargs):
        from makerspace.applications import services

        application = self.complete_draft(**kwargs)
        services.application_submit(user=kwargs.get("applicant") or self.applicant, application=application)
        application.refresh_from_db()
        return application

    def advance(self, application, *names: str, comment: str = "测试意见"):
        """Fire transitions in order, each by the role the workflow gives it."""
        from makerspace.applications import services

        actor_for = {
            "forward": self.supervisor,
            "recommend": self.recommender,
            "decline": self.recommender,
            "deliver": self.recommender,
            "receive": self.acceptance,
            "pass_formal_review": self.province,
            "fail_formal_review": self.province,
            "select": self.province,
            "not_select": self.province,
            "disqualify": self.province,
            "file": self.ministry,
            "not_file": self.ministry,
            "publish": self.ministry,
            "withdraw": self.applicant,
        }
        for name in names:
            services.application_transition(
                user=actor_for[name], application=application, name=name, comment=comment
            )
            application.refresh_from_db()
        return application

    # The review chain by its real services, rules and all (makerspace.reviews.chain).

    def forwarded(self, **kwargs):
        """Submitted, 附件5 signed and forwarded: at the recommending unit."""
        from makerspace.reviews import chain

        return chain.forward(self.submitted(**kwargs), self.supervisor)

    def recommended(self, **kwargs):
        """Reviewed item by item, every document opened, and recommended by the unit."""
        from makerspace.reviews import chain

        return chain.decide(self.forwarded(**kwargs), self.recommender, "recommend")

    def delivered(self, count: int = 1):
        """`count` recommended applications, ranked and delivered with the unit's 推荐函."""
        from makerspace.reviews import chain

        applications = [self.recommended() for _ in range(count)]
        chain.deliver(applications, self.recommender)
        return applications

    def received(self):
        from makerspace.reviews import chain

        return chain.receive(self.delivered()[0], self.acceptance)

    def formal_passed(self):
        from makerspace.reviews import chain

        return chain.decide(self.received(), self.province, "pass")


def login_verified(client, user):
    """Log `client` in as `user` with a confirmed TOTP device verified in the session, as a
    reviewing role is after entering its code (see docs/security.md)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def make_expert(world: World, *, organisation_name: str = "东南大学", city: str = "", **kwargs) -> User:
    """An invited expert (makerspace.scoring) with the work unit and city its conflicts are
    checked against."""
    from makerspace.scoring.models import ExpertProfile

    expert = UserFactory(role=Role.EXPERT, organisation=None, **kwargs)
    ExpertProfile.objects.create(
        user=expert, organisation_name=organisation_name, city=city, invited_by=world.province
    )
    return expert
