"""Before and after: two source trees under gunicorn side by side, each a ratio to hello-world.

Run: .venv/bin/python bench/ab.py /path/to/other/tree [scenario name ...]
(the other tree is "before", this repository "after"; keep a copy of the tree before a change,
e.g. `cp -r . /tmp/before` without .venv). About 40 s per scenario with the defaults.

The same method as bench/http_load.py: every target run is paired with a hello-world run just
before it, and each ratio is taken within its pair. The before and after runs alternate, and
which goes first alternates between rounds, so a slow stretch of the shared machine hurts both.
Both trees serve one database, built by this tree.
"""

import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import serve  # noqa: E402
from http_load import BY_NAME, SCENARIOS, check, run_wrk, write_scripts  # noqa: E402
from serve import ROOT, gunicorn  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    before_root = Path(sys.argv[1]).resolve()
    names = sys.argv[2:] or [s.name for s in SCENARIOS if s.server == "app"]
    scenarios = [BY_NAME[name] for name in names]
    wrk = serve.ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="framings-ab-") as tmp:
        scripts = write_scripts(Path(tmp), scenarios)
        db = serve.make_db(Path(tmp))
        with (
            gunicorn("bench.hello:app", db) as hello,
            gunicorn("service.wsgi:app", db, "/health", before_root) as before,
            gunicorn("service.wsgi:app", db, "/health") as after,
        ):
            trees = {"before": before, "after": after}
            for scenario in scenarios:
                for server in trees.values():
                    check(server[0], scenario)
                    run_wrk(wrk, server, scenario.path, scripts[scenario.name], 1)  # warm up
            run_wrk(wrk, hello, "/", scripts[None], 1)
            results = {(s.name, t): [] for s in scenarios for t in trees}
            for round_ in range(ROUNDS):
                order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
                for scenario in scenarios:
                    for tree in order:
                        base = run_wrk(wrk, hello, "/", scripts[None], SECONDS)
                        script = scripts[scenario.name]
                        got = run_wrk(wrk, trees[tree], scenario.path, script, SECONDS)
                        results[(scenario.name, tree)].append((base, got))
                print(f"  round {round_ + 1}/{ROUNDS} done", file=sys.stderr)
    print(f"\nbefore: {before_root}\nafter:  {ROOT}\n")
    print(
        f"{'scenario':<36} {'req/s ratio':>22} {'CPU ratio':>20} {'p99 ms':>14} {'CPU µs/req':>14}"
    )
    for scenario in scenarios:
        row = {}
        for tree in trees:
            pairs = results[(scenario.name, tree)]
            row[tree] = (
                statistics.median(g["rps"] / b["rps"] for b, g in pairs),
                statistics.median(b["cpu_us"] / g["cpu_us"] for b, g in pairs if g["cpu_us"]),
                statistics.median(g["p99_ms"] for _, g in pairs),
                statistics.median(g["cpu_us"] for _, g in pairs),
            )
        b, a = row["before"], row["after"]
        print(
            f"{scenario.name:<36} {b[0]:>9.2f}× → {a[0]:.2f}× {b[1]:>11.2f}× → {a[1]:.2f}× "
            f"{b[2]:>6.1f} → {a[2]:<5.1f} {b[3]:>6.0f} → {a[3]:<5.0f}"
        )
    print(
        f"\nwrk -t1 -c{os.environ.get('BENCH_CONNECTIONS', '8')}, {SECONDS}s per run, "
        f"{ROUNDS} rounds; ratios to hello-world are medians of per-pair ratios."
    )


if __name__ == "__main__":
    main()
