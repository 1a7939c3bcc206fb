"""Every form of the applicant's flow, fed arbitrary text, numbers and unicode through the test
client: no input yields a server error, and every refusal names, in Chinese and next to the
field or above the form, what was wrong."""

import re

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from makerspace.applications.forms import BASIC_SECTIONS
from makerspace.core.demo import blank_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("fuzz")]

CJK = re.compile(r"[\u4e00-\u9fff]")

NASTY = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "NaN",
            "-Infinity",
            "２０",
            "9" * 40,
            "0.0000000001",
            "2099-13-45",
            "1900-01-01",
            "\x00",
            "a\x00b",
            "<script>alert(1)</script>",
            "'; DROP TABLE applications_application;--",
            "True",
            "on",
            "专业化众创空间",
            "测试专业化众创空间",
            "\u202eevil",
            "𠀀𠀁",
        ]
    ),
)

SETTINGS = settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fields(names, valid: dict | None = None):
    """Each field arbitrary, or (sometimes) a valid value so the save paths are reached too."""
    valid = valid or {}
    return st.fixed_dictionaries(
        {name: st.one_of(NASTY, st.just(valid[name])) if name in valid else NASTY for name in names}
    )


def _assert_answered(response, posted: dict) -> None:
    assert response.status_code in (200, 302, 303), response.status_code
    if response.status_code != 200:
        return
    document = lxml.html.fromstring(response.content.decode())
    errors = document.xpath('//form//p[@role="alert"]')
    assert errors, f"a refusal without a message for {posted!r}"
    for error in errors:
        text = error.text_content().strip()
        assert CJK.search(text), f"not a Chinese message: {text!r}"
        field = error.xpath('ancestor::div[starts-with(@id, "field-")]')
        assert field or "form-error" in error.get("class", ""), text


@pytest.fixture
def applicant(client, world):
    client.force_login(world.applicant)
    return client


@pytest.fixture
def draft(world):
    return world.draft()


def test_fuzz_registration(world, settings):
    settings.RATELIMIT_ENABLE = False  # hundreds of posts from one address: the limit is tested elsewhere
    valid = {
        "organisation_name": "模糊测试有限公司",
        "nature": "private_enterprise",
        "recommending_unit": str(world.unit.pk),
        "legal_representative": "王法人",
        "full_name": "张三",
        "mobile": "13812345678",
        "email": "fuzz@example.cn",
        "password1": "Fuzz-Passw0rd-2026",
        "password2": "Fuzz-Passw0rd-2026",
    }
    names = [*valid, "credit_code", "username"]

    @SETTINGS
    @given(data=_fields(names, valid))
    def run(data):
        _assert_answered(Client().post("/accounts/register/", data), data)

    run()


def test_fuzz_space(applicant):
    @SETTINGS
    @given(data=_fields(["name"]))
    def run(data):
        _assert_answered(applicant.post("/applications/spaces/new/", data), data)

    run()


def test_fuzz_start(applicant, world):
    from makerspace.applications import services

    space = services.space_create(user=world.applicant, name="模糊测试专业化众创空间")
    valid = {
        "space": str(space.pk),
        "batch": str(world.batch.pk),
        "recommending_unit": str(world.unit.pk),
        "supervisor": str(world.supervisor.organisation.pk),
    }

    @SETTINGS
    @given(data=_fields(valid, valid))
    def run(data):
        _assert_answered(applicant.post("/applications/new/", data), data)

    run()


@pytest.mark.parametrize("section", list(BASIC_SECTIONS))
def test_fuzz_basic_info_sections(applicant, draft, section):
    names = [*BASIC_SECTIONS[section][1], "row_version"]

    @SETTINGS
    @given(data=_fields(names))
    def run(data):
        _assert_answered(applicant.post(f"/applications/{draft.pk}/basic/{section}/", data), data)

    run()


def test_fuzz_settings(applicant, draft, world):
    valid = {
        "provincial_filing": "filed",
        "recommending_unit": str(world.unit.pk),
        "supervisor": str(world.supervisor.organisation.pk),
    }

    @SETTINGS
    @given(data=_fields([*valid, "row_version"], valid))
    def run(data):
        _assert_answered(applicant.post(f"/applications/{draft.pk}/settings/", data), data)

    run()


def test_fuzz_report(applicant, draft):
    names = [
        "builder_overview",
        "space_status",
        "overall_results",
        "goals_and_tasks",
        "organisation_and_support",
    ]

    @SETTINGS
    @given(data=_fields([*names, "row_version"]))
    def run(data):
        _assert_answered(applicant.post(f"/applications/{draft.pk}/report/", data), data)

    run()


def test_fuzz_autosave_never_fails(applicant, draft):
    @SETTINGS
    @given(data=_fields(["builder_overview", "space_status", "row_version"]))
    def run(data):
        response = applicant.post(f"/applications/{draft.pk}/autosave/report/", data)
        assert response.status_code == 200
        assert CJK.search(response.content.decode())

    run()


def test_fuzz_success_case(applicant, draft):
    valid = {
        "title": "案例",
        "enterprise_name": "某公司",
        "field": "生物医药",
        "joined_on": "2020-01-01",
        "services": "服务",
        "results": "成效",
    }

    @SETTINGS
    @given(data=_fields([*valid, "row_version"], valid))
    def run(data):
        _assert_answered(applicant.post(f"/applications/{draft.pk}/cases/", data), data)

    run()


def test_fuzz_commitment(applicant, draft):
    @SETTINGS
    @given(data=_fields(["signatory", "agree"], {"agree": "on", "signatory": "王法人"}))
    def run(data):
        _assert_answered(applicant.post(f"/applications/{draft.pk}/commitment/", data), data)

    run()


def test_fuzz_upload(applicant, draft):
    names = st.tuples(
        st.text(max_size=20), st.sampled_from([".pdf", ".jpg", ".png", ".exe", "", ".PDF"])
    ).map("".join)
    contents = st.one_of(
        st.binary(max_size=2048),
        st.just(blank_pdf()),
        st.binary(max_size=512).map(lambda b: b"%PDF-1.7\n" + b),
        st.binary(max_size=512).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
        st.binary(max_size=512).map(lambda b: b"\xff\xd8\xff\xe0" + b),
    )

    @SETTINGS
    @given(
        name=names,
        content=contents,
        kind=st.one_of(NASTY, st.sampled_from(["evidence", "applicant_commitment"])),
        title=NASTY,
    )
    def run(name, content, kind, title):
        upload = SimpleUploadedFile(name or "x", content)
        data = {"kind": kind, "title": title, "file": upload}
        _assert_answered(
            applicant.post(f"/applications/{draft.pk}/files/", data), {"name": name, "kind": kind}
        )

    run()
