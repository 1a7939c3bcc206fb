"""The queryset face and the predicate face of the filed spaces' permissions agree, for every role of
two provinces."""

import pytest

from makerspace.core.tests.factories import BatchFactory, RecommendingUnitFactory, World
from makerspace.filed.models import AnnualReport, FiledSpace
from makerspace.permissions import visible_filed_spaces, visible_reports

from .helpers import filed, open_round

pytestmark = pytest.mark.django_db


def test_visible_filed_spaces_and_reports_agree_with_the_rules_for_every_role(world):
    other = World(batch=world.batch)
    zhejiang = World(unit=RecommendingUnitFactory(province="浙江省"), batch=BatchFactory(province="浙江省"))
    filed(world), filed(other), filed(zhejiang)
    open_round(world)
    users = [*world.users().values(), *other.users().values(), *zhejiang.users().values()]
    for user in users:
        spaces = set(visible_filed_spaces(user))
        for filed_space in FiledSpace.objects.all():
            assert user.has_perm("filed.view_filedspace", filed_space) == (filed_space in spaces), (
                user.role,
                filed_space,
            )
        reports = set(visible_reports(user))
        for report in AnnualReport.objects.select_related("filed_space"):
            assert user.has_perm("filed.view_report", report) == (report in reports), (user.role, report)
    assert visible_filed_spaces(world.applicant).get().operator == world.applicant.organisation
    assert visible_reports(other.recommender).get().filed_space.recommending_unit == other.unit
    assert {s.batch.province for s in visible_filed_spaces(world.province)} == {"江苏省"}
    assert visible_filed_spaces(zhejiang.province).get().batch == zhejiang.batch
    assert visible_reports(zhejiang.province).get().filed_space.batch == zhejiang.batch
    assert visible_filed_spaces(world.ministry).count() == 3
