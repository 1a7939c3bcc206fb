"""The scoring sheet (R9): the items of the 工作指引 — seven basic conditions, four features, six
tasks — taken from `reviews.checklists`, each scored 0–10, weighted per part as the batch sets."""

from decimal import ROUND_HALF_UP, Decimal

from makerspace.reviews.checklists import BASIC_CONDITIONS, FEATURES, RECOMMENDER_CHECKLIST, TASKS

MAX_ITEM_SCORE = 10
ITEMS = RECOMMENDER_CHECKLIST
GROUP_WEIGHT_FIELD = {BASIC_CONDITIONS: "basic", FEATURES: "features", TASKS: "tasks"}


def groups() -> list[tuple[str, list]]:
    result: dict[str, list] = {}
    for item in ITEMS:
        result.setdefault(item.group, []).append(item)
    return list(result.items())


def weights_dict(weights) -> dict[str, int]:
    return {"basic": weights.basic, "features": weights.features, "tasks": weights.tasks}


def weighted_total(scores: dict[str, int], weights: dict[str, int]) -> Decimal:
    """0–100: each part's share of its maximum, times the part's weight (weights sum to 100)."""
    total = Decimal(0)
    for group, items in groups():
        earned = sum(Decimal(scores[item.code]) for item in items)
        share = earned / (MAX_ITEM_SCORE * len(items))
        total += share * weights[GROUP_WEIGHT_FIELD[group]]
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def missing_items(scores: dict[str, int]) -> list[str]:
    return [item.code for item in ITEMS if item.code not in scores]
