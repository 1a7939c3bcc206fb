"""Scores across experts for one application: mean, trimmed mean, and the divergence flag.

- trimmed mean: with three or more submitted sheets the single highest and single lowest totals
  are dropped and the rest averaged; with fewer it equals the mean;
- divergence: an expert's total more than DIVERGENCE_POINTS from the median of the totals, or
  the population standard deviation of the totals above STDEV_LIMIT, flags the application for
  the province to look at (docs/integrity.md).
"""

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

DIVERGENCE_POINTS = Decimal(20)
STDEV_LIMIT = Decimal(15)
MIN_EXPERTS = 3


def _q(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def trimmed_mean(totals: list[Decimal]) -> Decimal | None:
    if not totals:
        return None
    ordered = sorted(totals)
    kept = ordered[1:-1] if len(ordered) >= 3 else ordered
    return _q(sum(kept) / len(kept))


@dataclass
class ScoreSummary:
    assigned: int = 0
    totals: list[Decimal] = field(default_factory=list)
    mean: Decimal | None = None
    trimmed: Decimal | None = None
    median: Decimal | None = None
    stdev: Decimal | None = None
    outliers: list[Decimal] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return len(self.totals)

    @property
    def divergent(self) -> bool:
        return bool(self.outliers) or (self.stdev is not None and self.stdev > STDEV_LIMIT)

    @property
    def complete(self) -> bool:
        return self.assigned >= MIN_EXPERTS and self.submitted == self.assigned


def summarise(totals: list[Decimal], assigned: int) -> ScoreSummary:
    summary = ScoreSummary(assigned=assigned, totals=sorted(totals))
    if not totals:
        return summary
    summary.mean = _q(sum(totals) / len(totals))
    summary.trimmed = trimmed_mean(totals)
    median = Decimal(statistics.median(totals))
    summary.median = _q(median)
    summary.stdev = _q(statistics.pstdev(totals)) if len(totals) > 1 else Decimal("0.00")
    summary.outliers = [t for t in summary.totals if abs(t - median) > DIVERGENCE_POINTS]
    return summary
