"""Summarise locust's CSV output of scripts/bench.sh as a Markdown table."""

import csv
import sys
from pathlib import Path


def rows(path: Path) -> list[dict]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def table(stats: list[dict]) -> None:
    print("| endpoint | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in stats:
        print(
            f"| {r['Type']} {r['Name']} | {r['Request Count']} | {r['Failure Count']} | "
            f"{float(r['Requests/s']):.1f} | {r['50%']} | {r['95%']} | {r['99%']} |"
        )


def main(out: str, users: str, seconds: str, workers: str, applications: str) -> None:
    folder = Path(out)
    baseline = next(r for r in rows(folder / "baseline_stats.csv") if r["Name"] == "Aggregated")
    rush = rows(folder / "rush_stats.csv")
    signin = rows(folder / "signin_stats.csv")
    base_rps = float(baseline["Requests/s"])
    print(f"users={users} seconds={seconds} gunicorn_workers={workers} applications_in_db={applications}")
    print(f"baseline bare view: {base_rps:.1f} req/s, p50 {baseline['50%']} ms, p99 {baseline['99%']} ms\n")
    print("Sign-in on its own (10 users, 30 s):\n")
    table(signin)
    print(f"\nThe rush ({users} users, {seconds} s; four of them signing in again and again beside it):\n")
    table(rush)
    total = next(r for r in rush if r["Name"] == "Aggregated")
    ratio = float(total["Requests/s"]) / base_rps if base_rps else 0
    print(f"\nscenario throughput / bare-view throughput = {ratio:.2f}")


if __name__ == "__main__":
    main(*sys.argv[1:6])
