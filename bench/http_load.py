"""HTTP throughput and p99 latency of Framings, each a ratio against a Flask hello-world.

Run: .venv/bin/python bench/http_load.py  (or `make bench`). Loopback only; about two minutes.

Both apps run under gunicorn with the repository's gunicorn.conf.py (same worker count) and
are loaded by wrk, a separate process. The machine is shared and noisy, so no figure stands
alone: every target run is paired with a hello-world run just before it, the ratio is taken
within the pair, and the reported ratio is the median over ROUNDS interleaved rounds.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import serve  # noqa: E402
from serve import HISTORY, MANY, ONE, fetch, gunicorn  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
from controls import CONTROL  # noqa: E402  (bench/ is on sys.path as the script dir)


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    status: int = 200
    method: str = "GET"
    body: dict | None = None
    headers: tuple = ()
    target: float | None = None  # minimum ratio to hello-world
    versus: str | None = None  # or: minimum ratio to this other scenario
    target_text: str = ""


SCENARIOS = [
    Scenario("GET one resource", "/framings/sliding-scale", target=0.7, target_text="≥ 0.7× hello"),
    Scenario(
        "GET with If-None-Match (304)",
        "/framings/sliding-scale",
        304,
        headers=(("If-None-Match", 'W/"1"'),),
        versus="GET one resource",
        target=1.0,
        target_text="> 1× full read",
    ),
    Scenario(
        "POST /score", "/score", method="POST", body=CONTROL, target=0.5, target_text="≥ 0.5× hello"
    ),
    Scenario("GET latest, 1 version", f"/controls/{ONE}"),
    Scenario(
        f"GET latest, {HISTORY:,} versions",
        f"/controls/{MANY}",
        versus="GET latest, 1 version",
        target=0.9,
        target_text="≥ 0.9× 1 version",
    ),
    Scenario("GET list page (/watchlist)", "/watchlist"),
]
BY_NAME = {s.name: s for s in SCENARIOS}


def lua_script(scenario: Scenario | None) -> str:
    """A wrk script: the request to send, and a JSON summary line printed at the end."""
    lines = []
    if scenario is not None:
        lines.append(f'wrk.method = "{scenario.method}"')
        if scenario.body is not None:
            lines += [
                f"wrk.body = [==[{json.dumps(scenario.body)}]==]",
                'wrk.headers["Content-Type"] = "application/json"',
            ]
        lines += [f'wrk.headers["{name}"] = [==[{value}]==]' for name, value in scenario.headers]
    lines.append("""done = function(s, latency, requests)
  local e = s.errors
  io.write(string.format('BENCH {"requests": %d, "seconds": %f, "bad_status": %d, ' ..
    '"socket_errors": %d, "p99_ms": %f}\\n', s.requests, s.duration / 1e6, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(99) / 1000))
end""")
    return "\n".join(lines) + "\n"


def run_wrk(wrk: str, server: tuple, path: str, script: Path, seconds: int) -> dict:
    """One wrk run; also the server's CPU per request, which other load on the machine
    disturbs far less than throughput does."""
    url, master = server
    command = [wrk, "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), url + path]
    cpu = serve.cpu_seconds(master)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = serve.cpu_seconds(master) - cpu
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    result = json.loads(line.removeprefix("BENCH "))
    result["rps"] = result["requests"] / result["seconds"]
    result["cpu_us"] = cpu / max(result["requests"], 1) * 1e6
    return result


def check(base: str, scenario: Scenario) -> None:
    """Refuse to measure a scenario that does not answer what it is meant to."""
    status, _ = fetch(base + scenario.path, scenario.method, scenario.body, dict(scenario.headers))
    if status != scenario.status:
        sys.exit(f"{scenario.name}: expected {scenario.status}, got {status}")


def measure(wrk: str, hello: tuple, app: tuple, scripts: dict) -> dict[str, list[tuple]]:
    """ROUNDS rounds of (hello run, target run) pairs; warm both servers first."""
    for name, script in scripts.items():
        server, path = (hello, "/") if name is None else (app, BY_NAME[name].path)
        run_wrk(wrk, server, path, script, 1)
    pairs: dict[str, list[tuple]] = {s.name: [] for s in SCENARIOS}
    for round_ in range(ROUNDS):
        for scenario in SCENARIOS:
            base = run_wrk(wrk, hello, "/", scripts[None], SECONDS)
            result = run_wrk(wrk, app, scenario.path, scripts[scenario.name], SECONDS)
            if result["socket_errors"] or result["bad_status"]:
                print(f"  warning: {scenario.name}: {result}", file=sys.stderr)
            pairs[scenario.name].append((base, result))
        print(f"  round {round_ + 1}/{ROUNDS} done", file=sys.stderr)
    return pairs


def paired(pairs: dict, name: str, key: str, invert: bool = False) -> list[float]:
    """Per-pair target/hello ratios of `key` (inverted for costs: higher is better)."""
    if invert:
        return [b[key] / r[key] if r[key] else 0.0 for b, r in pairs[name]]
    return [r[key] / b[key] for b, r in pairs[name]]


def summarise(pairs: dict[str, list[tuple]]) -> list[dict]:
    rows = []
    rps = {s.name: paired(pairs, s.name, "rps") for s in SCENARIOS}
    cpu = {s.name: paired(pairs, s.name, "cpu_us", invert=True) for s in SCENARIOS}
    for scenario in SCENARIOS:
        runs = pairs[scenario.name]
        row = {
            "name": scenario.name,
            "ratio": statistics.median(rps[scenario.name]),
            "cpu_ratio": statistics.median(cpu[scenario.name]),
            "rps": statistics.median(r["rps"] for _, r in runs),
            "cpu_us": statistics.median(r["cpu_us"] for _, r in runs),
            "p99": statistics.median(r["p99_ms"] for _, r in runs),
            "hello_p99": statistics.median(b["p99_ms"] for b, _ in runs),
            "target": scenario.target_text,
            "verdict": "",
        }
        measured = row["ratio"]
        if scenario.versus:  # both normalised by their own paired hello run, then compared
            measured = statistics.median(
                a / b for a, b in zip(rps[scenario.name], rps[scenario.versus], strict=True)
            )
            row["versus"] = (
                measured,
                statistics.median(
                    a / b for a, b in zip(cpu[scenario.name], cpu[scenario.versus], strict=True)
                ),
            )
        if scenario.target is not None:
            strict = scenario.target_text.startswith(">")  # "cheaper than": strictly more req/s
            passed = measured > scenario.target if strict else measured >= scenario.target
            row["verdict"] = "pass" if passed else "FAIL"
        rows.append(row)
    hello = [b for runs in pairs.values() for b, _ in runs]
    rows.append(
        {
            "name": "hello-world (baseline)",
            "ratio": 1.0,
            "cpu_ratio": 1.0,
            "rps": statistics.median(b["rps"] for b in hello),
            "cpu_us": statistics.median(b["cpu_us"] for b in hello),
            "p99": statistics.median(b["p99_ms"] for b in hello),
            "target": "",
            "verdict": "",
        }
    )
    return rows


def print_table(rows: list[dict]) -> None:
    print(
        f"\n{'scenario':<30} {'req/s':>6} {'× hello':>8} {'p99 ms':>7} {'CPU µs/req':>10} "
        f"{'× hello':>8}  {'target':<18} {'got (req/s, CPU)':<17} result"
    )
    for r in rows:
        got = f"{r['versus'][0]:.2f}, {r['versus'][1]:.2f}" if "versus" in r else ""
        if r["target"] and not got:
            got = f"{r['ratio']:.2f}, {r['cpu_ratio']:.2f}"
        print(
            f"{r['name']:<30} {r['rps']:>6.0f} {r['ratio']:>7.2f}× {r['p99']:>7.1f} "
            f"{r['cpu_us']:>10.0f} {r['cpu_ratio']:>7.2f}×  {r['target']:<18} {got:<17} "
            f"{r['verdict']}"
        )
    print(
        f"\nwrk -t1 -c{CONNECTIONS}, {SECONDS}s per run, {ROUNDS} interleaved rounds of "
        "(hello-world, target) pairs; every ratio is the median of per-pair ratios. "
        "CPU µs/req: user+system time of the gunicorn workers per request (× hello: hello's "
        "cost over the target's). Verdicts use the req/s ratio."
    )


def write_scripts(folder: Path, scenarios) -> dict:
    """One wrk Lua script per scenario (key None: the hello-world's), written into `folder`."""
    scripts = {}
    for scenario in [None, *scenarios]:
        key = scenario and scenario.name
        scripts[key] = folder / f"s{len(scripts)}.lua"
        scripts[key].write_text(lua_script(scenario))
    return scripts


def main() -> None:
    wrk = serve.ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="framings-bench-") as tmp:
        scripts = write_scripts(Path(tmp), SCENARIOS)
        db = serve.make_db(Path(tmp))
        with (
            gunicorn("bench.hello:app", db) as hello,
            gunicorn("service.wsgi:app", db, "/health") as app,
        ):
            for scenario in SCENARIOS:
                check(app[0], scenario)
            print_table(summarise(measure(wrk, hello, app, scripts)))


if __name__ == "__main__":
    main()
