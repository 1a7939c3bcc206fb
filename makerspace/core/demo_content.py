"""附件2 and 附件3 content for demo and test applications, varied by the space's field, so a
Suzhou robotics space does not print as 生物医药 built by a Nanjing pharmaceutical group.

Plain data: the field is read from the space's name (R2: "XXX专业化众创空间", XXX the field)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    keywords: tuple[str, ...]
    direction: str
    builder: str
    online_platform: str
    tech_platform: str
    overview: str
    status: str
    case_company: str
    case_service: str
    case_result: str


FIELDS = [
    Field(
        ("机器人", "智能制造", "装备"),
        "智能制造（工业机器人）",
        "苏州工业机器人集团有限公司",
        "机器人创新服务云平台",
        "机器人检测与中试公共技术服务平台",
        "建设主体为工业机器人龙头企业，拥有省级工程技术研究中心。",
        "空间聚焦工业机器人细分领域，提供样机试制、检测认证和应用场景对接服务。",
        "智能装备科技有限公司",
        "提供中试车间、检测设备与整机企业订单对接。",
        "完成天使轮融资，产品进入汽车零部件产线应用。",
    ),
    Field(
        ("纳米", "材料"),
        "新材料（纳米材料）",
        "苏州纳米科技发展有限公司",
        "纳米材料创新服务平台",
        "纳米材料表征与测试公共技术服务平台",
        "建设主体为纳米材料骨干企业，与中国科学院相关研究所共建实验室。",
        "空间聚焦纳米新材料细分领域，提供材料表征、小试中试和知识产权服务。",
        "纳米新材料科技有限公司",
        "提供表征测试、中试线与专利布局辅导。",
        "产品通过下游客户验证，实现批量销售。",
    ),
    Field(
        ("大数据", "互联网", "软件", "人工智能"),
        "互联网（大数据）",
        "江苏大数据产业集团有限公司",
        "大数据创业服务平台",
        "数据开放与算力公共技术服务平台",
        "建设主体为大数据领域骨干企业，运营区域数据中心。",
        "空间聚焦行业大数据应用，提供算力、数据集与场景开放服务。",
        "数智科技有限公司",
        "提供算力资源、脱敏数据集与行业客户对接。",
        "产品在三家三甲医院落地，完成A轮融资。",
    ),
    Field(
        ("新能源", "储能", "光伏"),
        "新能源（储能）",
        "常州新能源集团有限公司",
        "新能源创新服务平台",
        "储能电池检测公共技术服务平台",
        "建设主体为新能源龙头企业，拥有国家级企业技术中心。",
        "空间聚焦储能细分领域，提供电芯测试、系统集成与示范应用服务。",
        "储能科技有限公司",
        "提供测试平台、示范项目与供应链对接。",
        "储能系统进入示范电站应用。",
    ),
    Field(
        ("医", "药", "生物"),
        "生物医药",
        "南京医药集团有限公司",
        "药谷创新云平台",
        "生物医药公共技术服务平台",
        "建设主体为省属医药龙头企业，拥有国家级企业技术中心。",
        "空间聚焦生物医药细分领域，提供研发、检测、中试一体化服务。",
        "示范生物科技有限公司",
        "提供实验平台、导师辅导与融资对接。",
        "完成A轮融资，产品进入临床试验。",
    ),
]


def field_of(space_name: str) -> Field:
    for field in FIELDS:
        if any(keyword in space_name for keyword in field.keywords):
            return field
    return FIELDS[-1]


def space_content(space_name: str, cases: int) -> dict:
    """The values `fill_complete` writes: basic_info fields, report fields and success cases."""
    field = field_of(space_name)
    return {
        "basic_info": {
            "builder_enterprise_name": field.builder,
            "professional_direction": field.direction,
            "online_platform_name": field.online_platform,
            "tech_platform_name": field.tech_platform,
        },
        "report": {
            "builder_overview": field.overview,
            "space_status": field.status,
            "overall_results": "累计孵化项目120个，培育高新技术企业15家。",
            "goals_and_tasks": f"三年内建成国内一流的{field.direction}专业化众创空间。",
            "organisation_and_support": "设立专门运营团队，建立理事会决策机制。",
        },
        "cases": [
            {
                "title": f"成功案例{n}",
                "enterprise_name": f"{field.case_company}{n}",
                "field": field.direction,
                "services": field.case_service,
                "results": field.case_result,
            }
            for n in range(1, cases + 1)
        ],
    }
