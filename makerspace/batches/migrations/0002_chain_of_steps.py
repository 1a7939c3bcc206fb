"""Every batch gets the chain of steps it ran on: the 2018 Jiangsu chain, whose four deadline
columns become the deadlines of its steps; extensions name the step they moved."""

from datetime import timedelta

import django.db.models.deletion
from django.db import migrations, models

KINDS = [
    ("attest", "主管部门审核并出具信用承诺书（附件5）"),
    ("unit_review", "推荐单位逐项审核、排序并出具推荐函"),
    ("receipt", "受理电子材料并登记纸质材料一式两份"),
    ("formal_review", "形式审查"),
    ("selection", "专家评审、公示与择优推荐"),
    ("filing", "科技部备案并公布名单"),
]
PARTIES = [
    ("supervisor", "主管部门"),
    ("recommender", "推荐单位"),
    ("acceptance", "受理单位"),
    ("province", "省科技厅"),
    ("ministry", "科技部"),
]
LEVELS = [
    ("applicant", "申报单位提交"),
    ("attest", "主管部门审核"),
    ("unit_review", "推荐单位报送"),
    ("receipt", "材料受理"),
    ("formal_review", "形式审查"),
    ("selection", "省科技厅择优推荐"),
    ("filing", "科技部备案"),
]
OLD_TO_NEW_LEVEL = {"supervisor": "attest", "recommender": "unit_review", "province": "selection"}


def steps_from_deadlines(apps, schema_editor):
    Batch = apps.get_model("batches", "Batch")
    Step = apps.get_model("batches", "Step")
    DeadlineExtension = apps.get_model("batches", "DeadlineExtension")
    for batch in Batch.objects.all():
        province = batch.province_deadline
        rows = [
            ("attest", "supervisor", batch.supervisor_deadline, {}),
            ("unit_review", "recommender", batch.recommender_deadline, {"delivers_as_batch": True}),
            ("receipt", "acceptance", batch.recommender_deadline + timedelta(days=10), {}),
            ("formal_review", "province", province, {}),
            ("selection", "province", province, {"with_scoring": True, "with_publicity": True}),
            ("filing", "ministry", province + timedelta(days=60), {}),
        ]
        receipt = min(rows[2][2], province)
        rows[2] = ("receipt", "acceptance", receipt, {})
        for position, (kind, party, deadline, options) in enumerate(rows, start=1):
            Step.objects.create(
                batch=batch, position=position, kind=kind, party=party, deadline=deadline, **options
            )
    for old, new in OLD_TO_NEW_LEVEL.items():
        DeadlineExtension.objects.filter(level=old).update(level=new)


def deadlines_from_steps(apps, schema_editor):
    Batch = apps.get_model("batches", "Batch")
    DeadlineExtension = apps.get_model("batches", "DeadlineExtension")
    for batch in Batch.objects.all():
        steps = {s.kind: s.deadline for s in batch.steps.all()}
        fallback = batch.applicant_deadline
        batch.supervisor_deadline = steps.get("attest", fallback)
        batch.recommender_deadline = steps.get("unit_review", fallback)
        batch.province_deadline = steps.get("selection", fallback)
        batch.save()
    for old, new in OLD_TO_NEW_LEVEL.items():
        DeadlineExtension.objects.filter(level=new).update(level=old)


class Migration(migrations.Migration):
    dependencies = [("batches", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Step",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveSmallIntegerField(verbose_name="顺序")),
                ("kind", models.CharField(choices=KINDS, max_length=20, verbose_name="环节类型")),
                ("party", models.CharField(choices=PARTIES, max_length=20, verbose_name="办理方")),
                ("title", models.CharField(blank=True, max_length=100, verbose_name="环节名称")),
                ("deadline", models.DateTimeField(verbose_name="截止时间")),
                (
                    "delivers_as_batch",
                    models.BooleanField(
                        default=False,
                        help_text="推荐单位审核环节：推荐的申报随推荐函整批报送下一环节",
                        verbose_name="整批报送",
                    ),
                ),
                ("with_scoring", models.BooleanField(default=False, verbose_name="专家评审")),
                ("with_publicity", models.BooleanField(default=False, verbose_name="公示")),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="batches.batch",
                        verbose_name="申报批次",
                    ),
                ),
            ],
            options={
                "verbose_name": "审核环节",
                "verbose_name_plural": "审核环节",
                "ordering": ["batch", "position"],
                "constraints": [
                    models.UniqueConstraint(fields=("batch", "position"), name="one_step_per_position"),
                    models.UniqueConstraint(fields=("batch", "kind"), name="one_step_per_kind"),
                ],
            },
        ),
        migrations.AlterField(
            model_name="deadlineextension",
            name="level",
            field=models.CharField(choices=LEVELS, max_length=20, verbose_name="环节"),
        ),
        migrations.RunPython(steps_from_deadlines, deadlines_from_steps),
        migrations.RemoveField(model_name="batch", name="supervisor_deadline"),
        migrations.RemoveField(model_name="batch", name="recommender_deadline"),
        migrations.RemoveField(model_name="batch", name="province_deadline"),
        migrations.AddField(
            model_name="batch",
            name="revoked_by",
            field=models.CharField(
                choices=[("ministry", "科技部"), ("province", "省科技厅")],
                default="ministry",
                help_text="已备案众创空间被撤销备案时，由哪一方作出决定",
                max_length=20,
                verbose_name="撤销备案的部门",
            ),
        ),
    ]
