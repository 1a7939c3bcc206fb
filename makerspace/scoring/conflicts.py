"""Conflicts of interest between an expert and an application. The assignment service asks this
one function before every assignment, automatic or by hand: an expert is never assigned where a
conflict exists.

- 同一单位: the expert works for the operating entity (by account or by declared work unit name);
- 同一建设主体: the expert's work unit is one of the builders named in 附件2;
- 同一地区: the expert's declared city is the city of the application's recommending unit;
- 本人声明: the expert declared a conflict with this application, or with a body by a name that
  is the operating entity or a builder.
"""

import unicodedata


def _name(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def builder_names(info) -> list[str]:
    if info is None:
        return []
    names = [info.builder_enterprise_name, info.builder_university_name, info.builder_institute_name]
    return [_name(n) for n in names if _name(n)]


def conflicts_between(expert, profile, declarations, application) -> list[str]:
    """Why `expert` must not score `application` (empty: no conflict). `declarations` are the
    expert's ConflictDeclarations; `application` comes with space__organisation, basic_info and
    recommending_unit loaded."""
    reasons = []
    organisation = application.space.organisation
    info = getattr(application, "basic_info", None)
    operator_names = {_name(organisation.name), _name(info.operator_name if info else "")} - {""}
    builders = set(builder_names(info))
    work_unit = _name(profile.organisation_name) if profile else ""
    if (expert.organisation_id and expert.organisation_id == organisation.pk) or work_unit in operator_names:
        reasons.append(f"同一单位：专家所在单位即运营主体（{organisation.name}）")
    if work_unit and work_unit in builders:
        reasons.append(f"同一建设主体：专家所在单位为该空间的建设主体（{profile.organisation_name}）")
    city = (profile.city or "").strip() if profile else ""
    if city and city == application.recommending_unit.city:
        reasons.append(f"同一地区：专家与申报均在{city}")
    for declaration in declarations:
        if declaration.application_id == application.pk:
            reasons.append(f"本人声明：{declaration.reason}")
        elif (
            declaration.organisation_name
            and _name(declaration.organisation_name) in operator_names | builders
        ):
            reasons.append(f"本人声明（{declaration.organisation_name}）：{declaration.reason}")
    return reasons
