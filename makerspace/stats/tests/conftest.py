import pytest

from makerspace.core.tests.factories import RecommendingUnitFactory, World


class Scene:
    """Two recommending units (南京, 苏州) in one batch, each with applications spread over the
    chain by the real transitions, so every dashboard has figures that the other unit must not see."""

    def __init__(self):
        self.a = World(
            unit=RecommendingUnitFactory(name="南京市科学技术局", short_name="南京市", city="南京")
        )
        self.batch = self.a.batch
        self.b = World(
            unit=RecommendingUnitFactory(name="苏州市科学技术局", short_name="苏州市", city="苏州"),
            batch=self.batch,
        )
        a, b = self.a, self.b
        self.a_draft = a.complete_draft()
        self.a_at_supervisor = a.submitted()
        self.a_at_recommender = a.forwarded()
        self.a_returned = a.advance(a.forwarded(), "return_to_applicant")
        self.a_delivered = a.delivered(2)
        self.a_received = a.received()
        self.a_failed = a.advance(a.received(), "fail_formal_review")
        self.a_selected = a.advance(a.formal_passed(), "select")
        self.a_published = a.advance(a.formal_passed(), "select", "file", "publish")
        # Last: a unit's delivery takes every recommended application with it.
        self.a_recommended = a.recommended()
        self.b_at_recommender = b.forwarded()
        self.b_delivered = b.delivered(1)
        self.b_published = b.advance(b.formal_passed(), "select", "file", "publish")

    def users(self) -> dict:
        a, b = self.a, self.b
        return {
            "applicant": a.applicant,
            "other_applicant": b.applicant,
            "supervisor": a.supervisor,
            "other_supervisor": b.supervisor,
            "recommender": a.recommender,
            "other_recommender": b.recommender,
            "acceptance": a.acceptance,
            "province": a.province,
            "ministry": a.ministry,
            "expert": a.expert,
            "admin": a.admin,
        }


@pytest.fixture
def scene(db, settings):
    settings.STATS_CACHE_SECONDS = 0
    return Scene()
