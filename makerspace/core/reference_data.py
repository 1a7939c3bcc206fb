"""Reference data (DESIGN §8): the provincial-level divisions a batch belongs to, and Jiangsu's
cities and high-tech zones, which administrators edit afterwards in the admin."""

# The 31 provincial-level divisions of the mainland in the order of their GB/T 2260 codes (11 北京
# … 65 新疆): the province whose science department runs a batch is one of them.
PROVINCES = [
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
]
PROVINCE_CHOICES = [(name, name) for name in PROVINCES]


def site_province() -> str:
    """The deployment's own province (SITE_PROVINCE): the default of a new batch, organisation and
    recommending unit, and the province of every one that existed before a deployment served several."""
    from django.conf import settings

    return settings.SITE_PROVINCE


CITIES = [
    "南京",
    "无锡",
    "徐州",
    "常州",
    "苏州",
    "南通",
    "连云港",
    "淮安",
    "盐城",
    "扬州",
    "镇江",
    "泰州",
    "宿迁",
]

# National high-tech zones in Jiangsu in 2018 (17) and 苏州工业园区, with the city each lies in.
HIGH_TECH_ZONES = [
    ("南京高新技术产业开发区管委会", "南京高新区", "南京"),
    ("无锡高新技术产业开发区管委会", "无锡高新区", "无锡"),
    ("江阴高新技术产业开发区管委会", "江阴高新区", "无锡"),
    ("徐州高新技术产业开发区管委会", "徐州高新区", "徐州"),
    ("常州高新技术产业开发区管委会", "常州高新区", "常州"),
    ("武进高新技术产业开发区管委会", "武进高新区", "常州"),
    ("苏州高新技术产业开发区管委会", "苏州高新区", "苏州"),
    ("昆山高新技术产业开发区管委会", "昆山高新区", "苏州"),
    ("常熟高新技术产业开发区管委会", "常熟高新区", "苏州"),
    ("南通高新技术产业开发区管委会", "南通高新区", "南通"),
    ("连云港高新技术产业开发区管委会", "连云港高新区", "连云港"),
    ("淮安高新技术产业开发区管委会", "淮安高新区", "淮安"),
    ("盐城高新技术产业开发区管委会", "盐城高新区", "盐城"),
    ("扬州高新技术产业开发区管委会", "扬州高新区", "扬州"),
    ("镇江高新技术产业开发区管委会", "镇江高新区", "镇江"),
    ("泰州医药高新技术产业开发区管委会", "泰州医药高新区", "泰州"),
    ("宿迁高新技术产业开发区管委会", "宿迁高新区", "宿迁"),
    ("苏州工业园区管委会", "苏州工业园区", "苏州"),
]


def city_unit_name(city: str) -> str:
    return f"{city}市科学技术局"


def ensure_recommending_units():
    """Create the 13 city bureaux and the high-tech zones if missing; return them by name."""
    from makerspace.accounts.models import RecommendingUnit

    units = {}
    for order, city in enumerate(CITIES, start=1):
        units[city_unit_name(city)], _ = RecommendingUnit.objects.get_or_create(
            name=city_unit_name(city),
            defaults={
                "short_name": f"{city}市",
                "kind": RecommendingUnit.Kind.CITY,
                "city": city,
                "sort_order": order,
            },
        )
    for order, (name, short, city) in enumerate(HIGH_TECH_ZONES, start=1):
        units[name], _ = RecommendingUnit.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": RecommendingUnit.Kind.HIGH_TECH_ZONE,
                "city": city,
                "sort_order": order,
            },
        )
    return units
