"""What a dashboard is made of: tables of figures, each drawn as a chart beside it and written to
the same .xlsx. One shape for every dashboard, so the page, the chart data and the download cannot
disagree."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Table:
    """One table of figures: the first column names the row, the others are numbers (or text for
    a list such as the longest-waiting reviews). `chart` is how the page draws it: "bar", "hbar",
    "pie", "line", "map" (the 13 设区市 of Jiangsu) or "" for a table with no chart."""

    key: str
    title: str
    headers: list[str]
    rows: list[list]
    chart: str = "bar"
    note: str = ""

    @property
    def dom_id(self) -> str:
        return f"chart-data-{self.key}"

    def column(self, header: str) -> list:
        index = self.headers.index(header)
        return [row[index] for row in self.rows]

    def value(self, label: str, header: str | None = None):
        """The figure of the row named `label` (in column `header`, default the second)."""
        index = self.headers.index(header) if header else 1
        for row in self.rows:
            if row[0] == label:
                return row[index]
        raise KeyError(label)

    def chart_data(self) -> dict:
        """What the chart script reads (a json_script element): categories and one series per
        numeric column (a column of text, such as a date, is the table's alone), the same numbers
        as the table."""
        numeric = [
            i
            for i in range(1, len(self.headers))
            if all(isinstance(row[i], int | float) and not isinstance(row[i], bool) for row in self.rows)
        ]
        return {
            "type": self.chart,
            "title": self.title,
            "categories": [str(row[0]) for row in self.rows],
            "series": [{"name": self.headers[i], "data": [row[i] for row in self.rows]} for i in numeric],
        }


@dataclass
class Dashboard:
    title: str
    tables: list[Table]
    computed_at: datetime
    scope: str = ""
    headline: list[tuple[str, object]] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)
