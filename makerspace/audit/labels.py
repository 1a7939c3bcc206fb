"""Chinese labels for audit actions and transitions, shared by the history pages and notifications."""

TRANSITION_LABELS = {
    "submit": "提交申报",
    "withdraw": "撤回申报",
    "forward": "主管部门审核通过",
    "return_to_applicant": "退回修改",
    "recommend": "推荐单位同意推荐",
    "decline": "推荐单位不予推荐",
    "deliver": "报送受理单位",
    "receive": "受理",
    "pass_formal_review": "形式审查通过",
    "fail_formal_review": "形式审查未通过",
    "select": "择优推荐至科技部",
    "not_select": "未入选推荐名单",
    "disqualify": "取消资格（弄虚作假）",
    "file": "科技部备案",
    "not_file": "科技部不予备案",
    "publish": "公布备案名单",
}

ACTION_LABELS = {
    "organisation.register": "注册单位",
    "space.create": "创建众创空间",
    "space.rename": "众创空间更名",
    "application.create": "创建申报",
    "application.section_save": "保存申报内容",
    "application.case_save": "保存成功案例",
    "application.case_delete": "删除成功案例",
    "application.sign_commitment": "签署信用承诺书",
    "attachment.upload": "上传材料",
    "attachment.remove": "移除材料",
    "attachment.download": "下载材料",
    **{f"application.{name}": label for name, label in TRANSITION_LABELS.items()},
}

# Families of actions other apps add (reviews, deadlines, documents…), labelled by their prefix
# until they get a label of their own.
PREFIX_LABELS = {
    "review.": "审核",
    "checklist.": "审核清单",
    "deadline.": "截止时间",
    "batch.": "批次",
    "document.": "文书",
    "credit.": "信用记录",
    "expert.": "专家评审",
    "notification.": "通知",
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    for prefix, label in PREFIX_LABELS.items():
        if action.startswith(prefix):
            return f"{label}（{action.removeprefix(prefix)}）"
    return action
