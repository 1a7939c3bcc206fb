"""The figures of every dashboard, read by aggregate queries over `visible_applications(user)`: a
figure counts exactly the applications the user's lists show, never one more. Each dashboard
costs a fixed number of queries whatever the number of applications (grouped counts, no rows
read one by one)."""

from collections import Counter, defaultdict
from datetime import datetime

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from makerspace.accounts.models import RecommendingUnit, Role
from makerspace.applications.models import Application, ApplicationEvent
from makerspace.applications.workflow import FINISHED, KIND_OF_STATE, PENDING, State, state_label
from makerspace.batches.deadlines import effective_deadline
from makerspace.batches.models import Batch, Kind, batch_label
from makerspace.batches.models import Level as DeadlineLevel
from makerspace.core.reference_data import CITIES, PROVINCES
from makerspace.permissions import visible_applications, visible_assignments, visible_unit_submissions
from makerspace.reviews.checks import PAPER_COPIES_REQUIRED
from makerspace.reviews.models import PaperReceipt
from makerspace.scoring.aggregate import summarise

from .figures import Dashboard, Table

# The map of the city tables is Jiangsu's (static/vendor/geo/jiangsu.json): its 13 设区市 (DESIGN §8)
# are listed in the province's order, and a city of another province is named with its province.
MAP_PROVINCE = "江苏省"
PROVINCE_ORDER = {name: index for index, name in enumerate(PROVINCES)}

# How far an application has gone, by state (used by the trends and the formal-review results).
RECEIVED_OR_LATER = [
    State.RECEIVED,
    State.FORMAL_PASSED,
    State.FORMAL_FAILED,
    State.RECOMMENDED_TO_MINISTRY,
    State.NOT_RECOMMENDED,
    State.FILED,
    State.NOT_FILED,
    State.PUBLISHED,
    State.REVOKED,
]
PASSED_FORMAL_REVIEW = [
    State.FORMAL_PASSED,
    State.RECOMMENDED_TO_MINISTRY,
    State.NOT_RECOMMENDED,
    State.FILED,
    State.NOT_FILED,
    State.PUBLISHED,
    State.REVOKED,
]
SELECTED = [State.RECOMMENDED_TO_MINISTRY, State.FILED, State.NOT_FILED, State.PUBLISHED, State.REVOKED]
FILED = [State.FILED, State.PUBLISHED, State.REVOKED]
OUTSIDE_CHAIN = "未进入或已离开审核链（草稿、退回、撤回、取消资格）"

# The party's own step for the jurisdiction dashboard: where its queue stands.
OWN_STEP = {
    Role.SUPERVISOR: (State.AT_SUPERVISOR, DeadlineLevel.ATTEST),
    Role.RECOMMENDER: (State.AT_RECOMMENDER, DeadlineLevel.UNIT_REVIEW),
}
# A unit's kind as its row in a table names it.
UNIT_KIND = {RecommendingUnit.Kind.CITY: "设区市", RecommendingUnit.Kind.HIGH_TECH_ZONE: "国家高新区"}
WAITING_LONGEST = 10
TOP_FIELDS = 10


def _counts(queryset: QuerySet, *fields: str) -> list[dict]:
    return list(queryset.values(*fields).annotate(n=Count("pk")).order_by())


def state_counts(queryset: QuerySet) -> Counter:
    return Counter({row["state"]: row["n"] for row in _counts(queryset, "state")})


def label_of(batch: Batch, state: str) -> str:
    """The state's label as the batch's chain names it (a receipt held by the province reads
    已报送省科技厅): the label the lists show."""
    return state_label(Application(state=state, batch=batch))


def batches_of(user, queryset: QuerySet | None = None) -> list[Batch]:
    """The batches in which the user sees at least one application, newest first."""
    scope = visible_applications(user, queryset)
    return list(
        Batch.objects.filter(pk__in=scope.values("batch_id"))
        .prefetch_related("steps", "extensions")
        .order_by("-year", "-pk")
    )


def chosen_batch(batches: list[Batch], wanted) -> Batch | None:
    for batch in batches:
        if str(batch.pk) == str(wanted):
            return batch
    return batches[0] if batches else None


def _by_state_table(batch: Batch | None, counts: Counter, key: str = "by_state") -> Table:
    rows = [
        [label_of(batch, state) if batch else str(State(state).label), counts[state]]
        for state in State.values
        if counts[state]
    ]
    return Table(key, "按状态统计申报数", ["状态", "申报数"], rows, chart="pie")


def _by_step_table(batch: Batch, counts: Counter) -> Table:
    rows = []
    for step in batch.chain():
        states = [s for s, kind in KIND_OF_STATE.items() if kind == step.kind]
        pending = sum(counts[s] for s in states if s in PENDING)
        ended = sum(counts[s] for s in states if s not in PENDING)
        rows.append([f"{step.position}. {step.label}（{step.get_party_display()}）", pending, ended])
    in_chain = {s for s, kind in KIND_OF_STATE.items() if batch.step(kind) is not None}
    rows.append([OUTSIDE_CHAIN, sum(n for s, n in counts.items() if s not in in_chain), 0])
    return Table(
        "by_step",
        "按审核环节统计申报数",
        ["环节", "办理中", "在本环节办结"],
        rows,
        chart="hbar",
        note="“办理中”为等待该环节办理方处理的申报；“在本环节办结”为在该环节作出最终结论的申报。",
    )


def _delta_text(deadline: datetime | None, now: datetime) -> str:
    if deadline is None:
        return "无此环节"
    seconds = (deadline - now).total_seconds()
    if seconds < 0:
        return f"已截止{int(-seconds // 86400)}天"
    days, rest = divmod(int(seconds), 86400)
    return f"剩余{days}天{rest // 3600}小时"


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# 省科技厅 / 受理单位 ---------------------------------------------------------------------------


def batch_dashboard(user, batch: Batch | None, now: datetime | None = None) -> Dashboard:
    """Where one batch stands: by state and by step of its chain, per city and high-tech zone,
    units not yet delivered with the time left, paper copies outstanding, formal-review results,
    expert scoring (for the province, which manages it) and the quota used."""
    now = now or timezone.now()
    if batch is None:
        return Dashboard("批次统计", [], now, scope="暂无可统计的申报")
    scope = visible_applications(user).filter(batch=batch)
    counts = state_counts(scope)
    total = sum(counts.values())
    units = _counts(
        scope,
        "recommending_unit_id",
        "recommending_unit__short_name",
        "recommending_unit__kind",
        "recommending_unit__city",
        "recommending_unit__sort_order",
        "state",
    )
    tables = [_by_state_table(batch, counts), _by_step_table(batch, counts)]
    tables += _unit_tables(units)
    if batch.step(Kind.UNIT_REVIEW) is not None:
        tables.append(_not_delivered_table(user, batch, now))
    tables.append(_paper_table(scope))
    tables.append(_formal_review_table(counts))
    scoring = _scoring_table(user, scope)
    if scoring is not None:
        tables.append(scoring)
    tables.append(_quota_table(batch, counts))
    return Dashboard(
        f"{batch.title} · 批次统计",
        tables,
        now,
        scope=f"{batch.year}年度 · {batch.get_status_display()}",
        headline=[
            ("申报总数", total),
            ("已报送待受理", counts[State.DELIVERED]),
            ("待形式审查", counts[State.RECEIVED]),
            ("已择优推荐", sum(counts[s] for s in SELECTED)),
        ],
    )


def _unit_tables(rows: list[dict]) -> list[Table]:
    per_unit: dict[int, dict] = {}
    for row in rows:
        unit = per_unit.setdefault(
            row["recommending_unit_id"],
            {
                "name": row["recommending_unit__short_name"],
                "kind": row["recommending_unit__kind"],
                "city": row["recommending_unit__city"],
                "order": (row["recommending_unit__kind"], row["recommending_unit__sort_order"]),
                "states": Counter(),
            },
        )
        unit["states"][row["state"]] += row["n"]
    ordered = sorted(per_unit.items(), key=lambda item: (item[1]["order"], item[0]))
    delivered_states = set(RECEIVED_OR_LATER) | {State.DELIVERED}
    unit_rows, by_city = [], Counter()
    for _, unit in ordered:
        states = unit["states"]
        total = sum(states.values())
        delivered = sum(n for s, n in states.items() if s in delivered_states)
        kind = UNIT_KIND.get(unit["kind"], "")
        unit_rows.append([f"{unit['name']}（{kind}）" if kind else unit["name"], total, delivered])
        by_city[unit["city"]] += total
    cities = CITIES + sorted(c for c in by_city if c not in CITIES)
    return [
        Table(
            "by_city",
            "按设区市统计申报数（含所在国家高新区）",
            ["设区市", "申报数"],
            [[city, by_city[city]] for city in cities],
            chart="map",
        ),
        Table(
            "by_unit",
            "按推荐单位（设区市、国家高新区）统计",
            ["推荐单位", "申报数", "已报送受理"],
            unit_rows,
        ),
    ]


def _not_delivered_table(user, batch: Batch, now: datetime) -> Table:
    """The recommending units (reference data) of the batch's province without a delivery of this
    batch that the user may see, with the time left to their deadline. The applications a unit
    still holds are not the province's to count (they have not reached it), so the table names the
    units, not their applications."""
    delivered = set(
        visible_unit_submissions(user)
        .filter(batch=batch, submitted_at__isnull=False)
        .values_list("recommending_unit_id", flat=True)
    )
    rows = []
    units = RecommendingUnit.objects.filter(active=True, province=batch.province)
    for unit in units.order_by("kind", "sort_order", "pk"):
        if unit.pk in delivered:
            continue
        deadline = effective_deadline(batch, DeadlineLevel.UNIT_REVIEW, unit.pk)
        rows.append([unit.short_name, unit.get_kind_display(), _local(deadline), _delta_text(deadline, now)])
    return Table(
        "not_delivered",
        "尚未报送的推荐单位及报送截止倒计时",
        ["推荐单位", "类别", "报送截止时间", "剩余时间"],
        rows,
        chart="",
        note="以服务器时间为准，已计入省科技厅批准的延期。",
    )


def _paper_table(scope: QuerySet) -> Table:
    copies = (
        PaperReceipt.objects.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(total=Sum("copies"))
        .values("total")
    )
    rows = (
        scope.filter(state=State.DELIVERED)
        .annotate(copies=Coalesce(Subquery(copies, output_field=IntegerField()), Value(0)))
        .filter(copies__lt=PAPER_COPIES_REQUIRED)
        .values("recommending_unit__short_name")
        .annotate(n=Count("pk"), registered=Sum("copies"))
        .order_by("recommending_unit__short_name")
    )
    return Table(
        "paper_outstanding",
        f"纸质材料未齐（应一式{PAPER_COPIES_REQUIRED}份）",
        ["推荐单位", "纸质材料未齐的申报数", "尚缺份数"],
        [
            [r["recommending_unit__short_name"], r["n"], r["n"] * PAPER_COPIES_REQUIRED - r["registered"]]
            for r in rows
        ],
        chart="hbar",
        note="已报送、尚未受理的申报中，登记的纸质材料不足两份者。",
    )


def _formal_review_table(counts: Counter) -> Table:
    return Table(
        "formal_review",
        "形式审查结果",
        ["结果", "申报数"],
        [
            ["待形式审查", counts[State.RECEIVED]],
            ["形式审查通过", sum(counts[s] for s in PASSED_FORMAL_REVIEW)],
            ["形式审查未通过", counts[State.FORMAL_FAILED]],
        ],
        chart="pie",
    )


def _scoring_table(user, scope: QuerySet) -> Table | None:
    if not user.has_perm("scoring.manage_scoring"):
        return None
    totals: dict[int, list] = defaultdict(list)
    assigned = submitted = 0
    for application_id, total, submitted_at in (
        visible_assignments(user)
        .filter(application__in=scope)
        .values_list("application_id", "total", "submitted_at")
    ):
        assigned += 1
        totals[application_id].append(total if submitted_at is not None else None)
        submitted += submitted_at is not None
    summaries = [summarise([t for t in ts if t is not None], len(ts)) for ts in totals.values()]
    return Table(
        "scoring",
        "专家评审进度与分歧",
        ["项目", "数量"],
        [
            ["评审任务（已分配）", assigned],
            ["评审任务（已提交）", submitted],
            ["评审任务（未提交）", assigned - submitted],
            ["参加评审的申报", len(summaries)],
            ["评分已齐的申报", sum(s.complete for s in summaries)],
            ["评分分歧较大的申报", sum(s.divergent for s in summaries)],
        ],
        chart="hbar",
        note="分歧：某位专家的总分偏离中位数超过20分，或各专家总分的标准差超过15分。",
    )


def _quota_table(batch: Batch, counts: Counter) -> Table:
    used = sum(counts[s] for s in SELECTED)
    rows = [["已择优推荐至科技部", used]]
    if batch.quota is not None:
        rows.append(["剩余名额", max(batch.quota - used, 0)])
    return Table(
        "quota",
        f"推荐名额使用（名额 {batch.quota if batch.quota is not None else '未设定'}）",
        ["项目", "数量"],
        rows,
        chart="pie",
    )


# 推荐单位 / 主管部门 --------------------------------------------------------------------------


def jurisdiction_dashboard(user, now: datetime | None = None) -> Dashboard:
    """The party's own jurisdiction: per batch how many are drafts, waiting for it, returned and
    reviewed; its reviews waiting longest; the countdown to its step's deadline."""
    now = now or timezone.now()
    own_state, level = OWN_STEP[user.role]
    scope = visible_applications(user)
    per_batch: dict[int, Counter] = defaultdict(Counter)
    for row in _counts(scope, "batch_id", "state"):
        per_batch[row["batch_id"]][row["state"]] += row["n"]
    batches = batches_of(user)
    unit_id = user.organisation.recommending_unit_id if user.organisation_id else None
    all_counts: Counter = Counter()
    progress, countdown = [], []
    for batch in batches:
        counts = per_batch[batch.pk]
        all_counts.update(counts)
        other = counts[State.WITHDRAWN] + counts[State.DISQUALIFIED]
        reviewed = (
            sum(counts.values()) - counts[State.DRAFT] - counts[State.RETURNED] - counts[own_state] - other
        )
        progress.append(
            [batch.title, counts[State.DRAFT], counts[own_state], counts[State.RETURNED], reviewed, other]
        )
        if batch.status == Batch.Status.OPEN:
            deadline = effective_deadline(batch, level, unit_id)
            countdown.append([batch.title, counts[own_state], _local(deadline), _delta_text(deadline, now)])
    waiting = _waiting_longest(scope, own_state, now)
    own_label = str(State(own_state).label)
    return Dashboard(
        "本辖区统计",
        [
            Table(
                "progress",
                "各批次申报办理情况",
                ["批次", "草稿", f"待本单位审核（{own_label}）", "已退回修改", "已审核", "撤回或取消资格"],
                progress,
                note="只统计已报到本单位的申报（与审核列表一致）；从未提交的草稿不在本单位范围内。",
            ),
            _by_state_table(None, all_counts),
            Table(
                "waiting",
                f"等待最久的审核（前{WAITING_LONGEST}件）",
                ["众创空间", "批次", "等待天数", "到达时间"],
                waiting,
                chart="hbar",
            ),
            Table(
                "countdown",
                "本环节截止倒计时",
                ["批次", "待审核申报数", "截止时间", "剩余时间"],
                countdown,
                chart="",
                note="以服务器时间为准，已计入省科技厅批准的延期。",
            ),
        ],
        now,
        scope=user.organisation.name if user.organisation_id else "",
        headline=[
            ("待本单位审核", all_counts[own_state]),
            ("已退回修改", all_counts[State.RETURNED]),
            ("已审核", sum(row[4] for row in progress)),
        ],
    )


def _waiting_longest(scope: QuerySet, state: str, now: datetime) -> list[list]:
    arrived = (
        ApplicationEvent.objects.filter(application=OuterRef("pk"), target=state)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    rows = (
        scope.filter(state=state)
        .annotate(arrived=Subquery(arrived))
        .order_by("arrived", "pk")
        .values("space__name", "batch__title", "arrived")[:WAITING_LONGEST]
    )
    return [
        [
            r["space__name"],
            r["batch__title"],
            round((now - r["arrived"]).total_seconds() / 86400, 1) if r["arrived"] else 0.0,
            _local(r["arrived"]),
        ]
        for r in rows
    ]


# 申报单位 ------------------------------------------------------------------------------------


def progress_timelines(user) -> list[dict]:
    """The applicant's own applications, each with the steps of its batch's chain: done, current
    or still ahead, and when it entered each (from its events)."""
    applications = list(
        visible_applications(user)
        .select_related("space", "batch")
        .prefetch_related("batch__steps", "events")
        .order_by("-batch__year", "-created_at")
    )
    timelines = []
    for application in applications:
        chain = application.batch.chain()
        kinds = [step.kind for step in chain]
        current_kind = KIND_OF_STATE.get(application.state)
        current = kinds.index(current_kind) if current_kind in kinds else None
        entered: dict[str, datetime] = {}
        returned_from = None
        for event in sorted(application.events.all(), key=lambda e: (e.at, e.pk)):
            kind = KIND_OF_STATE.get(event.target)
            if kind is not None:
                entered[kind] = event.at
            if event.transition == "return_to_applicant":
                returned_from = KIND_OF_STATE.get(event.source)
        # A returned application stands before the chain again; the step that returned it says so.
        if application.state == State.RETURNED and returned_from in kinds:
            current = kinds.index(returned_from)
        steps = []
        for index, step in enumerate(chain):
            if current is not None and index < current:
                status = "done"
            elif current is not None and index == current:
                status = "ended" if application.state in FINISHED else "current"
                if application.state == State.RETURNED:
                    status = "returned"
                # The last step's own outcome: a published space has gone the whole way.
                if application.state == State.PUBLISHED:
                    status = "done"
            else:
                status = "ahead"
            steps.append(
                {
                    "step": step,
                    "status": status,
                    "text": STATUS_TEXT[status],
                    # A step not reached in this pass shows no arrival of an earlier one.
                    "entered": entered.get(step.kind) if status != "ahead" else None,
                }
            )
        timelines.append(
            {
                "application": application,
                "state": state_label(application),
                "steps": steps,
                "with_applicant": application.submitted_at is None or application.state == State.RETURNED,
            }
        )
    return timelines


STATUS_TEXT = {
    "done": "已完成",
    "current": "办理中",
    "ended": "在此环节办结",
    "returned": "已退回修改",
    "ahead": "未到达",
}


def progress_dashboard(user, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    timelines = progress_timelines(user)
    rows = [
        [
            f"{t['application'].space.name}（{t['application'].batch.title}）",
            s["step"].label,
            s["step"].get_party_display(),
            s["text"],
            _local(s["entered"]),
            _local(s["step"].deadline),
        ]
        for t in timelines
        for s in t["steps"]
    ]
    return Dashboard(
        "申报进度",
        [
            Table(
                "timeline",
                "审核链各环节进度",
                ["申报", "环节", "办理方", "进度", "到达时间", "环节截止时间"],
                rows,
                chart="",
            )
        ],
        now,
        extra={"timelines": timelines},
    )


# 科技部 / 公众 -------------------------------------------------------------------------------


def filed_scope(user) -> QuerySet:
    """Filed spaces as the user's lists show them: the ministry's and the province's filed
    applications, or, for the public, only what the published list shows."""
    if user is None:
        return Application.objects.filter(state=State.PUBLISHED)
    return visible_applications(user).filter(state__in=FILED)


def filed_dashboard(scope: QuerySet, *, public: bool, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    places = _counts(scope, "batch__province", "recommending_unit__city")
    by_province, by_city = Counter(), Counter()
    for r in places:
        by_province[r["batch__province"]] += r["n"]
        by_city[_city_label(r["batch__province"], r["recommending_unit__city"])] += r["n"]
    provinces = sorted(by_province, key=lambda p: (PROVINCE_ORDER.get(p, len(PROVINCE_ORDER)), p))
    cities = CITIES + sorted(c for c in by_city if c not in CITIES)
    fields = sorted(
        _counts(scope, "basic_info__professional_direction"),
        key=lambda r: (-r["n"], r["basic_info__professional_direction"] or ""),
    )
    field_rows = [[r["basic_info__professional_direction"] or "未填写", r["n"]] for r in fields[:TOP_FIELDS]]
    rest = sum(r["n"] for r in fields[TOP_FIELDS:])
    if rest:
        field_rows.append(["其他方向", rest])
    builders = scope.aggregate(
        enterprise=Count("pk", filter=Q(basic_info__built_by_enterprise=True)),
        university=Count("pk", filter=Q(basic_info__built_by_university=True)),
        institute=Count("pk", filter=Q(basic_info__built_by_institute=True)),
    )
    years = sorted(_counts(scope, "batch__year"), key=lambda r: r["batch__year"])
    total = sum(by_province.values())
    noun = "已公布" if public else "已备案"
    if len(provinces) > 1:
        where = f"{len(provinces)}个省份"
    else:
        where = provinces[0] if provinces else settings.SITE_PROVINCE
    return Dashboard(
        f"{noun}专业化众创空间统计",
        [
            Table(
                "by_province",
                f"{noun}众创空间按省份分布",
                ["省份", "数量"],
                [[p, by_province[p]] for p in provinces],
                chart="hbar",
                note="省份为组织该批次申报的省级科技主管部门所在省份；未列出的省份暂无。",
            ),
            Table(
                "by_city",
                f"{noun}众创空间按设区市分布",
                ["设区市", "数量"],
                [[c, by_city[c]] for c in cities],
                chart="map",
                note=f"地图为{MAP_PROVINCE}；其他省份的城市在表中以“城市（省份）”列出。"
                if set(provinces) - {MAP_PROVINCE}
                else "",
            ),
            Table(
                "by_field",
                f"{noun}众创空间按主要专业方向",
                ["主要专业方向", "数量"],
                field_rows,
                chart="hbar",
            ),
            Table(
                "by_builder",
                f"{noun}众创空间按建设主体类型",
                ["建设主体", "数量"],
                [
                    ["龙头骨干企业或高新技术企业", builders["enterprise"]],
                    ["高校", builders["university"]],
                    ["科研院所", builders["institute"]],
                ],
                note="同一空间可由多类主体共同建设，各类分别计数。",
            ),
            Table(
                "by_year",
                f"{noun}众创空间按年度",
                ["年度", "数量"],
                [[f"{r['batch__year']}年", r["n"]] for r in years],
                chart="line",
            ),
        ],
        now,
        scope=where + ("（仅统计已公布名单）" if public else "（已备案、已公布及已撤销备案）"),
        headline=[(f"{noun}众创空间", total)],
    )


def _city_label(province: str, city: str) -> str:
    return city if province == MAP_PROVINCE else f"{city}（{province}）"


# 趋势 ---------------------------------------------------------------------------------------


def trends_dashboard(user, now: datetime | None = None) -> Dashboard:
    """The same figures across batches and years, scoped like every other figure."""
    now = now or timezone.now()
    per_batch: dict[tuple, Counter] = defaultdict(Counter)
    for row in _counts(visible_applications(user), "batch__year", "batch_id", "batch__title", "state"):
        per_batch[(row["batch__year"], row["batch_id"], row["batch__title"])][row["state"]] += row["n"]

    def figures(counts: Counter) -> list[int]:
        return [
            sum(n for s, n in counts.items() if s != State.DRAFT),
            sum(counts[s] for s in RECEIVED_OR_LATER),
            sum(counts[s] for s in SELECTED),
            sum(counts[s] for s in FILED),
        ]

    headers = ["已提交", "已受理", "择优推荐至科技部", "已备案"]
    batch_rows, by_year = [], defaultdict(Counter)
    for (year, _, title), counts in sorted(per_batch.items()):
        batch_rows.append([batch_label(year, title), *figures(counts)])
        by_year[year].update(counts)
    year_rows = [[f"{year}年", *figures(counts)] for year, counts in sorted(by_year.items())]
    return Dashboard(
        "历年趋势",
        [
            Table("by_batch", "各批次申报走势", ["批次", *headers], batch_rows, chart="line"),
            Table("by_year", "各年度申报走势", ["年度", *headers], year_rows, chart="line"),
        ],
        now,
        extra={"annual_note": "已备案众创空间的年度报告（火炬统计）纳入系统后，其年度数据将在此显示。"},
    )
