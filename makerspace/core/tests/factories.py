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
    quota = 50

    @factory.post_generation
    def chain(self, create, extracted, **kwargs):
        """The batch's chain of steps: a preset's key (default: the 2018 Jiangsu chain); deadlines
        per kind of step as `chain__<kind>=datetime`."""
        from makerspace.batches.chain import PRESETS, chain_from_preset

        if create:
            preset = PRESETS[extracted or "jiangsu_2018"]
            # A 公示 lasts five working days: tests select without one unless they ask for it
            # (`chain__with_publicity=True`), as a batch configured without the notice would.
            with_publicity = kwargs.pop("with_publicity", False)
            deadlines = {
                spec.kind: timezone.now() + timedelta(days=10 + spec.days * 2) for spec in preset.steps
            }
            deadlines.update(kwargs)
            chain_from_preset(batch=self, preset=preset, deadlines=deadlines)
            if not with_publicity:
                self.steps.filter(with_publicity=True).update(with_publicity=False)
                self._chain_cache = None

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """No second save: the chain's steps are rows of their own."""


class World:
    """A small world: one unit, a batch, and one user per role for that unit (the provincial ones of
    the batch's province)."""

    def __init__(self, unit: RecommendingUnit | None = None, batch: Batch | None = None):
        self.unit = unit or RecommendingUnitFactory()
        self.batch = batch or BatchFactory()
        self.applicant = UserFactory(role=Role.APPLICANT, organisation__recommending_unit=self.unit)
        self.supervisor = UserFactory(role=Role.SUPERVISOR, organisation__recommending_unit=self.unit)
        self.recommender = UserFactory(role=Role.RECOMMENDER, organisation__recommending_unit=self.unit)
        # The province and its acceptance unit are those of the batch's province.
        province = self.batch.province
        self.acceptance = UserFactory(
            role=Role.ACCEPTANCE, organisation__recommending_unit=None, organisation__province=province
        )
        self.province = UserFactory(
            role=Role.PROVINCE, organisation__recommending_unit=None, organisation__province=province
        )
        self.expert = UserFactory(role=Role.EXPERT, organisation=None)
        self.ministry = UserFactory(role=Role.MINISTRY, organisation__recommending_unit=None)
        self.admin = UserFactory(role=Role.ADMIN, organisation__recommending_unit=None)
        self.superuser = UserFactory(
            role=Role.ADMIN, organisation=self.admin.organisation, is_superuser=True, is_staff=True
        )

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
        """Take the application through transitions in order, each by the party that holds it,
        doing on the way what that party's rules ask (makerspace.reviews.chain): no rule skipped."""
        from makerspace.applications import services as applications
        from makerspace.reviews import chain
        from makerspace.reviews import services as reviews

        steps = {
            "forward": lambda a: chain.forward(a, self.supervisor),
            "recommend": lambda a: chain.decide(a, self.recommender, "recommend"),
            "decline": lambda a: chain.decide(a, self.recommender, "decline", comment),
            "deliver": lambda a: chain.deliver([a], self.recommender),
            "receive": lambda a: chain.receive(
                a, self.acceptance if self._receipt_party(a) == "acceptance" else self.province
            ),
            "pass_formal_review": lambda a: chain.decide(a, self.province, "pass"),
            "fail_formal_review": lambda a: chain.decide(a, self.province, "fail", comment),
            "select": lambda a: chain.select(a, self.province, rank=self._next_province_rank(a)),
            "not_select": lambda a: reviews.province_not_select(
                user=self.province, application=a, comment=comment
            ),
            "file": lambda a: reviews.ministry_file(user=self.ministry, application=a, comment=comment),
            "not_file": lambda a: reviews.ministry_not_file(
                user=self.ministry, application=a, comment=comment
            ),
            "publish": lambda a: chain.file_and_publish([a], self.ministry),
            "withdraw": lambda a: applications.application_withdraw(
                user=self.applicant, application=a, reason=comment
            ),
            "return_to_applicant": lambda a: reviews.application_return(
                user=self._holder(a), application=a, comment=comment
            ),
            "disqualify": lambda a: chain.disqualify(a, self.province, comment),
        }
        for name in names:
            steps[name](application)
            application.refresh_from_db()
        return application

    def _receipt_party(self, application) -> str:
        return application.batch.step("receipt").party

    def _next_province_rank(self, application) -> int:
        from django.db.models import Max

        from makerspace.applications.models import Application

        top = Application.objects.filter(batch_id=application.batch_id).aggregate(m=Max("province_rank"))["m"]
        return (top or 0) + 1

    def _holder(self, application):
        step = application.step
        return {
            "supervisor": self.supervisor,
            "recommender": self.recommender,
            "acceptance": self.acceptance,
            "province": self.province,
            "ministry": self.ministry,
        }[step.party]

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
