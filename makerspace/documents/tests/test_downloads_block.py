"""`{% application_downloads %}` writes what documents/_application_downloads.html wrote as a
template: the same markup, byte for byte but the CSRF token's random mask, for a draft and for a
submitted application with its versions."""

import re

import pytest
from django.template import engines
from django.test import RequestFactory

from makerspace.applications.selectors import application_versions
from makerspace.documents.models import APPLICATION_KINDS, Kind

# documents/_application_downloads.html as it was, rendered as the inclusion tag rendered it.
REFERENCE = """{% load rows %}<section class="card" id="documents">
  <h2>申报材料下载</h2>
  <p class="muted">{% if application.is_editable or not application.current_version %}当前为草稿，生成的文件带“草稿”水印，仅供核对。{% else %}以下为第{{ application.current_version }}版的正式文件，页脚印有申报编号、版本和验证码，可在<a href="{% site_url 'documents:verify_index' %}">文件真伪核验</a>页面核对。{% endif %}</p>
  <table>
    <tbody>
    {% for kind, label in document_kinds %}
      <tr><td>{{ label }}</td><td><a href="{% row_url 'documents:application_document' application.pk kind 'docx' %}">Word</a> · <a href="{% row_url 'documents:application_document' application.pk kind 'pdf' %}">PDF</a></td></tr>
    {% endfor %}
    </tbody>
  </table>
  <form method="post" action="{% row_url 'documents:package_build' application.pk %}" class="inline" data-once>{% csrf_token %}
    <div class="actions"><button type="submit">生成申报材料合订本（PDF）</button></div>
  </form>
  {% if versions %}<p class="muted">历史版本：{% for v in versions %}第{{ v.number }}版 <a href="{% row_url 'documents:application_document' application.pk 'basic_info' 'pdf' %}?version={{ v.number }}">附件2</a> <a href="{% row_url 'documents:application_document' application.pk 'report' 'pdf' %}?version={{ v.number }}">附件3</a>{% if not forloop.last %}；{% endif %}{% endfor %}</p>{% endif %}
</section>
"""  # noqa: E501


def _rendered(source: str, context: dict) -> str:
    html = engines["django"].from_string(source).render(context, RequestFactory().get("/"))
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'value="X"', html)


@pytest.mark.django_db
def test_the_tag_writes_the_templates_markup(world):
    draft = world.draft()
    submitted = world.submitted()
    submitted.current_version = 2  # two versions listed, as after a return and a resubmission
    versions = [type("V", (), {"number": n})() for n in (2, 1)]
    kinds = [(kind.value, Kind(kind).label) for kind in APPLICATION_KINDS]
    for application, shown in ((draft, application_versions(draft)), (submitted, versions)):
        tag = _rendered(
            "{% load documents %}{% application_downloads application versions %}",
            {"application": application, "versions": shown},
        )
        reference = _rendered(
            REFERENCE, {"application": application, "versions": shown, "document_kinds": kinds}
        )
        assert tag == reference
    assert "历史版本：第2版" in tag and "?version=1" in tag and "以下为第2版的正式文件" in tag
