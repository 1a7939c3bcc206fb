"""Uploads through the page, and downloads only through the permission check."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from makerspace.applications import services
from makerspace.applications.models import Attachment
from makerspace.applications.tests.helpers import field_errors, image_bytes, pdf_upload, png_upload
from makerspace.audit.models import AuditEvent
from makerspace.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(world):
    return world.draft()


def upload(client, application, file, kind="evidence", title="营业执照"):
    return client.post(
        reverse("applications:files", args=[application.pk]), {"kind": kind, "title": title, "file": file}
    )


def download_url(application, attachment):
    return reverse("applications:file_download", args=[application.pk, attachment.pk])


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_upload_through_the_page_records_the_file_and_its_sha256(applicant_client, application):
    response = upload(applicant_client, application, png_upload("场地.png"))
    assert response.status_code == 302
    page = applicant_client.get(reverse("applications:files", args=[application.pk]))
    assert download_url(application, application.attachments.get()) in page.content.decode()
    attachment = application.attachments.get()
    assert (attachment.title, attachment.original_name, attachment.content_type) == (
        "营业执照",
        "场地.png",
        "image/png",
    )
    download = applicant_client.get(download_url(application, attachment))
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(content_of(download)).hexdigest() == attachment.sha256


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("营业执照.pdf", image_bytes("PNG"), "扩展名.pdf与文件内容（image/png）不符"),
        ("合同.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300, "文件内容不是PDF、JPG 或 PNG"),
        ("tool.exe", b"MZ\x90\x00\x03" + b"\x00" * 300, "只能上传PDF、JPG 或 PNG文件"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_refused_files_show_a_clear_message_next_to_the_file_field(
    applicant_client, application, name, content, message
):
    response = upload(applicant_client, application, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    errors = field_errors(response, "file")
    assert any(message in error for error in errors), errors
    assert not application.attachments.exists()


def test_an_oversized_file_is_refused_next_to_the_file_field(applicant_client, application, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    response = upload(applicant_client, application, big)
    assert field_errors(response, "file") == ["文件大小为2.0 MB，超过1 MB的上限。"]


def test_download_is_logged(applicant_client, application, world):
    attachment = services.attachment_add_by_applicant(
        user=world.applicant, application=application, kind="evidence", title="", upload=pdf_upload()
    )
    applicant_client.get(download_url(application, attachment))
    assert AuditEvent.objects.filter(action="attachment.download", target_id=str(attachment.pk)).count() == 1


def test_download_of_someone_elses_file_is_404(client, application, world):
    attachment = services.attachment_add_by_applicant(
        user=world.applicant, application=application, kind="evidence", title="", upload=pdf_upload()
    )
    client.force_login(UserFactory(role="applicant"))
    assert client.get(download_url(application, attachment)).status_code == 404
    # before submission the supervising department does not see the draft's files either
    client.force_login(world.supervisor)
    assert client.get(download_url(application, attachment)).status_code == 404
    assert not AuditEvent.objects.filter(action="attachment.download").exists()


def test_a_file_of_another_application_is_404_even_for_its_owner(applicant_client, world):
    mine, also_mine = world.draft(), world.draft()
    attachment = services.attachment_add_by_applicant(
        user=world.applicant, application=also_mine, kind="evidence", title="", upload=pdf_upload()
    )
    response = applicant_client.get(reverse("applications:file_download", args=[mine.pk, attachment.pk]))
    assert response.status_code == 404


def test_retired_files_of_an_older_version_still_download(applicant_client, client, world):
    application = world.submitted()
    scan = application.attachments.get(kind=Attachment.Kind.APPLICANT_COMMITMENT)
    services.application_transition(
        user=world.supervisor, application=application, name="return_to_applicant", comment="承诺书不清晰"
    )
    application.refresh_from_db()
    response = upload(applicant_client, application, pdf_upload("新承诺书.pdf"), kind="applicant_commitment")
    assert response.status_code == 302
    scan.refresh_from_db()
    assert scan.retired_at is not None
    version_1 = application.versions.get(number=1)
    assert [a["id"] for a in version_1.data["attachments"]] == [scan.pk]

    # the applicant and the supervisor still open the file version 1 refers to
    assert applicant_client.get(download_url(application, scan)).status_code == 200
    client.force_login(world.supervisor)
    response = client.get(download_url(application, scan))
    assert response.status_code == 200
    assert hashlib.sha256(content_of(response)).hexdigest() == scan.sha256
    # the version page links it
    page = applicant_client.get(reverse("applications:version", args=[application.pk, 1]))
    assert download_url(application, scan) in page.content.decode()


def test_remove_retires_the_file_from_the_current_set(applicant_client, application, world):
    attachment = services.attachment_add_by_applicant(
        user=world.applicant, application=application, kind="evidence", title="", upload=pdf_upload()
    )
    response = applicant_client.post(
        reverse("applications:file_remove", args=[application.pk, attachment.pk])
    )
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.retired_at is not None
    page = applicant_client.get(reverse("applications:files", args=[application.pk]))
    assert download_url(application, attachment) not in page.content.decode()
    # removing it again finds nothing current
    response = applicant_client.post(
        reverse("applications:file_remove", args=[application.pk, attachment.pk])
    )
    assert response.status_code == 404


def test_the_overview_lists_each_current_file_with_its_kind_link_size_and_digest(applicant_client, world):
    application = world.complete_draft()
    kept = services.attachment_add_by_applicant(
        user=world.applicant,
        application=application,
        kind="evidence",
        title="<b>场地</b>证明",
        upload=pdf_upload(),
    )
    gone = services.attachment_add_by_applicant(
        user=world.applicant,
        application=application,
        kind="evidence",
        title="已移除的证明",
        upload=pdf_upload(),
    )
    services.attachment_remove(user=world.applicant, application=application, attachment=gone)

    html = applicant_client.get(reverse("applications:detail", args=[application.pk])).content.decode()

    download = reverse("applications:file_download", args=[application.pk, kept.pk])
    assert (
        f'<tr><td>证明材料</td><td><a href="{download}">&lt;b&gt;场地&lt;/b&gt;证明</a></td>'
        f"<td>{filesizeformat(kept.size)}</td><td><code>{kept.sha256[:16]}…</code></td></tr>"
    ) in html
    assert "已移除的证明" not in html
    files_table = html[html.index("<h2>材料</h2>") : html.index("</table>", html.index("<h2>材料</h2>"))]
    assert files_table.count("<tr><td>") == application.attachments.filter(retired_at__isnull=True).count()


# The files page's rows as templates/applications/files.html wrote them, the tag's reference.
FILES_PAGE_ROWS = """{% load i18n %}{% for a in attachments %}
      <tr><td>{{ a.get_kind_display }}</td><td><a href="{% url 'applications:file_download' application.pk a.pk %}">{{ a.title }}</a></td><td>{{ a.original_name }}</td><td>{{ a.size|filesizeformat }}</td><td>{{ a.uploaded_at|date:"Y-m-d H:i" }}</td>
        <td>{% if a.kind == "evidence" or a.kind == "applicant_commitment" %}<form method="post" action="{% url 'applications:file_remove' application.pk a.pk %}" class="inline">{% csrf_token %}<button type="submit" class="link" data-confirm="{% translate "确定移除该材料吗？" %}">{% translate "移除" %}</button></form>{% endif %}</td></tr>
    {% endfor %}"""  # noqa: E501


def test_the_files_page_lists_the_rows_its_template_wrote(applicant_client, world):
    from django.template import engines
    from django.test import RequestFactory

    application = world.complete_draft()
    services.attachment_add_by_applicant(
        user=world.applicant,
        application=application,
        kind="evidence",
        title="<i>场地</i>",
        upload=pdf_upload("a&b.pdf"),
    )
    html = applicant_client.get(reverse("applications:files", args=[application.pk])).content.decode()
    shown = html[html.index("<tbody>") : html.index("</tbody>")]
    request = RequestFactory().get("/")
    request.user = world.applicant
    reference = (
        engines["django"]
        .from_string(FILES_PAGE_ROWS)
        .render(
            {
                "application": application,
                "attachments": application.attachments.filter(retired_at__isnull=True),
            },
            request,
        )
    )

    def same(text):
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", text)).replace("<tbody>", "").strip()

    assert same(shown) == same(reference)
    assert "&lt;i&gt;场地&lt;/i&gt;" in shown and "a&amp;b.pdf" in shown
    assert (
        shown.count("<form")
        == application.attachments.filter(
            retired_at__isnull=True, kind__in=["evidence", "applicant_commitment"]
        ).count()
    )


def test_the_file_tables_escape_what_the_applicant_typed(applicant_client, application):
    upload(applicant_client, application, pdf_upload("证明.pdf"), title="<script>标题</script> & 1")
    typed_title = "&lt;script&gt;标题&lt;/script&gt; &amp; 1"
    files = applicant_client.get(reverse("applications:files", args=[application.pk])).content.decode()
    overview = applicant_client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert typed_title in files and typed_title in overview
    assert "<script>标题" not in files + overview
    assert 'data-confirm="确定移除该材料吗？">移除</button></form>' in files
