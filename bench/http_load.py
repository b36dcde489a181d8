"""HTTP throughput and latency of Framings, each a ratio against a Flask hello-world floor.

Run: .venv/bin/python bench/http_load.py  (or `make bench`). Loopback only; about five minutes.

Both apps run under gunicorn with the repository's gunicorn.conf.py (same worker count, same
JSON access log) and are loaded by wrk, a separate process. The machine is shared and noisy,
so no figure stands alone: every target run is paired with a hello-world run just before it,
the ratio is taken within the pair, and the reported ratio is the median over ROUNDS
interleaved rounds. Besides the wrk scenarios it prints: the release-pinned read through the
nginx of docs/deploy.md (writer, two replicas, nginx, started as tests/system/cluster.py
starts them), worker memory after 1,000 and after 100,000 mixed requests, and /score/batch of
1,000 distinct controls in process, as CPU against hello-world requests in process.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import serve  # noqa: E402
from controls import CONTROL, CONTROLS, distinct_controls  # noqa: E402
from serve import HISTORY, MANY, ONE, ROOT, fetch, gunicorn  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
MEMORY_REQUESTS = int(os.environ.get("BENCH_MEMORY_REQUESTS", "100000"))
RELEASE = "bench-r1"
READ = "/assumptions/a3"


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    status: int = 200
    method: str = "GET"
    body: dict | None = None
    bodies: tuple = ()  # rotated, one per request, each made unique (see lua_script)
    headers: tuple = ()
    target: float | None = None  # minimum ratio to hello-world
    versus: str | None = None  # or: minimum ratio to this other scenario
    target_text: str = ""
    server: str = "app"  # or "nginx": the scale-out path
    fresh_as_of: bool = False  # a new ?as_of= on every request (see lua_script)


# The four figures of issue 18, by the name of the scenario (or batch row) that gives each.
REPEATED_READ = f"GET one resource, repeated ({READ})"
NEW_AS_OF = f"GET one resource, as_of never asked ({READ})"
NEW_SCORE = "POST /score, never-seen control"
SCENARIOS = [
    Scenario(REPEATED_READ, READ, target=1.0, target_text="≥ 1.0× hello"),
    Scenario(NEW_AS_OF, READ, fresh_as_of=True, target=0.6, target_text="≥ 0.6× hello"),
    Scenario(
        "GET with If-None-Match (304)",
        READ,
        304,
        headers=(("If-None-Match", "*"),),  # any current version: a 304 whatever its number
        versus=REPEATED_READ,
        target=1.1,
        target_text="≥ 1.1× full read",
    ),
    Scenario("GET list page (/watchlist)", "/watchlist", target=0.75, target_text="≥ 0.75× hello"),
    Scenario(
        NEW_SCORE,
        "/score",
        method="POST",
        bodies=tuple(CONTROLS),
        target=0.55,
        target_text="≥ 0.55× hello",
    ),
    Scenario(
        "POST /score, same control",
        "/score",
        method="POST",
        body=CONTROL,
        target=0.95,
        target_text="≥ 0.95× hello",
    ),
    Scenario(
        "POST /score?detail=summary",
        "/score?detail=summary",
        method="POST",
        bodies=tuple(CONTROLS),
    ),
    Scenario("GET latest, 1 version", f"/controls/{ONE}"),
    Scenario(
        f"GET latest, {HISTORY:,} versions",
        f"/controls/{MANY}",
        versus="GET latest, 1 version",
        target=0.9,
        target_text="≥ 0.9× 1 version",
    ),
    Scenario(
        "nginx: release-pinned read (cache)",
        f"{READ}?release={RELEASE}",
        target=3.0,
        target_text="≥ 3× hello",
        server="nginx",
    ),
]
# BENCH_ONLY="304,distinct": only the scenarios whose names hold one of these (and no memory
# run, and the nginx cluster only if a chosen scenario needs it), for quick checks while working.
ONLY = [part.strip() for part in os.environ.get("BENCH_ONLY", "").split(",") if part.strip()]
if ONLY:
    chosen = [s for s in SCENARIOS if any(part in s.name for part in ONLY)]
    wanted = {s.versus for s in chosen if s.versus}
    SCENARIOS = [s for s in SCENARIOS if s in chosen or s.name in wanted]
BY_NAME = {s.name: s for s in SCENARIOS}

DONE = """done = function(s, latency, requests)
  local e = s.errors
  io.write(string.format('BENCH {"requests": %d, "seconds": %f, "bad_status": %d, ' ..
    '"socket_errors": %d, "p50_ms": %f, "p99_ms": %f}\\n', s.requests, s.duration / 1e6,
    e.status, e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
end"""


def lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def lua_script(scenario: Scenario | None) -> str:
    """A wrk script: the request to send, and a JSON summary line printed at the end.

    Rotated bodies are made unique per request: the control's name carries the time, the
    wrk thread and a counter, so no answer is ever served from a cache of earlier answers
    (the "same control" scenario is the one that measures that cache). A fresh as_of is made
    the same way: a second of the run's start (after 2025-09-01) and, as its fraction, the
    thread and a counter, so every request asks for a point in time never asked before.
    """
    lines = []
    if scenario is not None:
        lines.append(f'wrk.method = "{scenario.method}"')
        if scenario.body is not None or scenario.bodies:
            lines.append('wrk.headers["Content-Type"] = "application/json"')
        if scenario.body is not None:
            lines.append(f"wrk.body = {lua_string(json.dumps(scenario.body))}")
        lines += [
            f'wrk.headers["{name}"] = {lua_string(value)}' for name, value in scenario.headers
        ]
        if scenario.fresh_as_of:
            lines.append(f"local path = {lua_string(scenario.path)}")
            lines.append("""local threads = 0
setup = function(thread) threads = threads + 1; thread:set("id", threads) end
local n, second = 0, 0
init = function(args) second = 1756684800 + os.time() % 10000000 end
request = function()
  n = n + 1
  local when = os.date("!%Y-%m-%dT%H:%M:%S", second) .. string.format(".%d%06dZ", id, n)
  return wrk.format(nil, path .. "?as_of=" .. when)
end""")
        if scenario.bodies:
            # Each body split around its name's end, where the unique suffix goes.
            parts = []
            for body in scenario.bodies:
                text = json.dumps(body)
                cut = text.index('"', text.index('"name": "') + len('"name": "'))
                parts.append(f"{{{lua_string(text[:cut])}, {lua_string(text[cut:])}}}")
            lines.append("local bodies = {" + ",\n".join(parts) + "}")
            lines.append("""local threads = 0
setup = function(thread) threads = threads + 1; thread:set("id", threads) end
local n, salt = 0, ""
init = function(args) salt = os.time() .. "-" .. tostring(id) end
request = function()
  n = n + 1
  local b = bodies[(n % #bodies) + 1]
  return wrk.format(nil, nil, nil, b[1] .. " " .. salt .. "-" .. n .. b[2])
end""")
    lines.append(DONE)
    return "\n".join(lines) + "\n"


def run_wrk(wrk: str, server: tuple, path: str, script: Path, seconds: int) -> dict:
    """One wrk run; also the server's CPU per request, which other load on the machine
    disturbs far less than throughput does."""
    url, master = server
    command = [
        wrk,
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(script),
        url + path,
    ]
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
    body = scenario.body if scenario.body is not None else (scenario.bodies or [None])[0]
    status, headers = fetch(base + scenario.path, scenario.method, body, dict(scenario.headers))
    if status != scenario.status:
        sys.exit(f"{scenario.name}: expected {scenario.status}, got {status}")
    if scenario.server == "nginx":  # the second request must be nginx's, from its cache
        status, headers = fetch(base + scenario.path)
        if headers.get("X-Cache-Status") != "HIT":
            sys.exit(f"{scenario.name}: nginx did not answer from its cache: {dict(headers)}")


def measure(wrk: str, hello: tuple, servers: dict, scripts: dict) -> dict[str, list[tuple]]:
    """ROUNDS rounds of (hello run, target run) pairs; warm both servers first."""
    run_wrk(wrk, hello, "/", scripts[None], 1)
    for scenario in SCENARIOS:
        run_wrk(wrk, servers[scenario.server], scenario.path, scripts[scenario.name], 1)
    pairs: dict[str, list[tuple]] = {s.name: [] for s in SCENARIOS}
    for round_ in range(ROUNDS):
        for scenario in SCENARIOS:
            base = run_wrk(wrk, hello, "/", scripts[None], SECONDS)
            server = servers[scenario.server]
            result = run_wrk(wrk, server, scenario.path, scripts[scenario.name], SECONDS)
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
            "p50": statistics.median(r["p50_ms"] for _, r in runs),
            "p99": statistics.median(r["p99_ms"] for _, r in runs),
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
            row["verdict"] = "pass" if measured >= scenario.target else "FAIL"
        rows.append(row)
    hello = [b for runs in pairs.values() for b, _ in runs]
    rows.append(
        {
            "name": "hello-world (floor)",
            "ratio": 1.0,
            "cpu_ratio": 1.0,
            "rps": statistics.median(b["rps"] for b in hello),
            "cpu_us": statistics.median(b["cpu_us"] for b in hello),
            "p50": statistics.median(b["p50_ms"] for b in hello),
            "p99": statistics.median(b["p99_ms"] for b in hello),
            "target": "",
            "verdict": "",
        }
    )
    return rows


def print_table(rows: list[dict]) -> None:
    print(
        f"\n{'scenario':<36} {'req/s':>6} {'× hello':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'CPU µs/req':>10} {'× hello':>8}  {'target':<18} {'got (req/s, CPU)':<17} result"
    )
    for r in rows:
        got = f"{r['versus'][0]:.2f}, {r['versus'][1]:.2f}" if "versus" in r else ""
        if r["target"] and not got:
            got = f"{r['ratio']:.2f}, {r['cpu_ratio']:.2f}"
        print(
            f"{r['name']:<36} {r['rps']:>6.0f} {r['ratio']:>7.2f}× {r['p50']:>7.2f} "
            f"{r['p99']:>7.1f} {r['cpu_us']:>10.0f} {r['cpu_ratio']:>7.2f}×  {r['target']:<18} "
            f"{got:<17} {r['verdict']}"
        )
    print(
        f"\nwrk -t{THREADS} -c{CONNECTIONS}, {SECONDS}s per run, {ROUNDS} interleaved rounds of "
        "(hello-world, target) pairs; every ratio is the median of per-pair ratios. "
        "CPU µs/req: user+system time of the gunicorn workers (nginx's workers for the nginx "
        "row) per request (× hello: hello's cost over the target's). Verdicts use req/s."
    )


def print_four(rows: list[dict], batch: dict | None) -> None:
    """The four figures issue 18 asks for, on one path each, with their targets."""
    by_name = {r["name"]: r for r in rows}
    print("\nThe four ratios (req/s against hello-world; the batch in hello-world requests' CPU):")
    for name, target in ((REPEATED_READ, 1.0), (NEW_SCORE, 0.55), (NEW_AS_OF, 0.6)):
        if name in by_name:
            ratio = by_name[name]["ratio"]
            verdict = "pass" if ratio >= target else "miss"
            print(f"  {name:<52} {ratio:5.2f}×  target ≥ {target}×  {verdict}")
    if batch is not None:
        worth = batch["full"] / batch["hello"] / 2500
        verdict = "pass" if worth <= 1 else "miss"
        name = "/score/batch of 1,000 distinct controls"
        print(f"  {name:<52} {worth:5.2f}×  of 2,500 hello  {verdict}")


def write_scripts(folder: Path, scenarios) -> dict:
    """One wrk Lua script per scenario (key None: the hello-world's), written into `folder`."""
    scripts = {}
    for scenario in [None, *scenarios]:
        key = scenario and scenario.name
        scripts[key] = folder / f"s{len(scripts)}.lua"
        scripts[key].write_text(lua_script(scenario))
    return scripts


# --- the scale-out path: writer, two replicas and nginx, as the system tests start them ---


@contextmanager
def nginx_cluster(folder: Path):
    """Yield (nginx URL, nginx master pid) in front of two replicas serving release RELEASE."""
    sys.path.insert(0, str(ROOT))
    import requests

    from tests.system import cluster

    binary = cluster.nginx_or_skip()
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        processes = []
        stack.callback(lambda: [cluster.stop(p) for p, _ in reversed(processes)])
        processes.append(cluster.start_gunicorn(folder / "writer"))
        writer = processes[0][1]
        if not cluster.wait_until(lambda: cluster.healthy(writer), 60):
            sys.exit("the writer did not come up")
        token = cluster.admin_token(folder / "writer" / "framings.db")
        answer = requests.post(
            f"{writer}/releases",
            headers={"Authorization": f"Bearer {token}"},
            json={"name": RELEASE, "description": "bench"},
            timeout=30,
        )
        answer.raise_for_status()
        processes += [cluster.start_replica(folder / f"replica{n}", writer) for n in (1, 2)]
        for _, url in processes[1:]:
            if not cluster.wait_until(lambda url=url: cluster.healthy(url), 60):
                sys.exit(f"replica {url} did not come up")
        process, url = cluster.start_nginx(
            binary, folder / "nginx", writer, [u for _, u in processes[1:]]
        )
        processes.append((process, url))
        if not cluster.wait_until(lambda: cluster.healthy(url), 30):
            sys.exit("nginx did not come up")
        yield url, process.pid


# --- memory: worker RSS after 1,000 and after MEMORY_REQUESTS mixed requests ---

MIXED = [
    ("GET", READ, None, ()),
    ("GET", READ, None, (("If-None-Match", "*"),)),
    ("GET", "/watchlist", None, ()),
    ("GET", f"/controls/{MANY}", None, ()),
    ("GET", "/framings/sliding-scale", None, ()),
    ("GET", "/chips?limit=5", None, ()),
    ("POST", "/score", CONTROL, ()),
    ("POST", "/score?detail=summary", CONTROL, ()),
]


def mixed_script() -> str:
    """Every MIXED request in turn; the score bodies made unique as in lua_script."""
    entries = []
    for method, path, body, headers in MIXED:
        fields = ", ".join(f"[ {lua_string(n)} ] = {lua_string(v)}" for n, v in headers)
        text = json.dumps(body) if body else ""
        entries.append(f'{{"{method}", {lua_string(path)}, {lua_string(text)}, {{{fields}}}}}')
    return (
        "local mixed = {"
        + ",\n".join(entries)
        + "}\n"
        + """local threads = 0
setup = function(thread) threads = threads + 1; thread:set("id", threads) end
local n, salt = 0, ""
init = function(args) salt = os.time() .. "-" .. tostring(id) end
request = function()
  n = n + 1
  local m = mixed[(n % #mixed) + 1]
  local headers = {}
  for k, v in pairs(m[4]) do headers[k] = v end
  local body = nil
  if m[3] ~= "" then
    headers["Content-Type"] = "application/json"
    body = m[3]:gsub('"name": "', '"name": "' .. salt .. "-" .. n .. " ", 1)
  end
  return wrk.format(m[1], m[2], headers, body)
end
"""
        + DONE
        + "\n"
    )


def worker_rss(master: int) -> list[int]:
    """Resident set size of each gunicorn worker, in KiB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]))
    return sorted(sizes)


def memory(wrk: str, app: tuple, folder: Path) -> dict:
    script = folder / "mixed.lua"
    script.write_text(mixed_script())
    url, master = app
    for n in range(1000):  # the first 1,000 one by one, then the rest in 10-second runs
        method, path, body, headers = MIXED[n % len(MIXED)]
        if body is not None:
            body = {**body, "name": f"{body['name']} first-{n}"}
        fetch(url + path, method, body, dict(headers))
    served = 1000
    early = (served, worker_rss(master))
    while served < MEMORY_REQUESTS:
        result = run_wrk(wrk, app, "/", script, 10)
        served += result["requests"]
        if result["socket_errors"] or result["bad_status"]:
            print(f"  warning: mixed load: {result}", file=sys.stderr)
    late = (served, worker_rss(master))
    growth = sum(late[1]) / sum(early[1]) - 1
    return {"early": early, "late": late, "growth": growth}


def print_memory(found: dict) -> None:
    (n1, early), (n2, late) = found["early"], found["late"]
    verdict = "pass" if found["growth"] <= 0.10 else "FAIL"
    print(
        f"\nMemory (worker RSS, MiB, {len(MIXED)} kinds of request in turn): after {n1:,} "
        f"requests {[round(k / 1024, 1) for k in early]} = {sum(early) / 1024:.1f}; after "
        f"{n2:,} {[round(k / 1024, 1) for k in late]} = {sum(late) / 1024:.1f}: "
        f"{found['growth']:+.1%}  target within 10%  {verdict}"
    )


# --- /score/batch of 1,000 distinct controls, in process, against hello-world requests ---


def batch_in_process(db: Path) -> dict:
    """CPU of one /score/batch of 1,000 distinct controls through the WSGI callable, as a
    number of hello-world requests through its own WSGI callable (best of 3 each)."""
    sys.path.insert(0, str(ROOT))
    from werkzeug.test import EnvironBuilder

    from bench.hello import app as hello_app
    from service import create_app

    app = create_app({"DATABASE": str(db)})
    controls = {f"c{n:04d}": c for n, c in enumerate(distinct_controls(1000))}
    body = json.dumps({"controls": controls})

    def call(wsgi, **kwargs) -> int:
        environ = EnvironBuilder(**kwargs).get_environ()
        status = []
        b"".join(wsgi(environ, lambda s, h, e=None: status.append(s)))
        return int(status[0].split()[0])

    def cpu(fn, times: int) -> float:
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            for _ in range(times):
                fn()
            best = min(best, time.process_time() - start)
        return best

    batch = {"path": "/score/batch", "method": "POST", "data": body}
    batch["content_type"] = "application/json"
    if call(app.wsgi_app, **batch) != 200:
        sys.exit("/score/batch did not answer 200")
    summary = {**batch, "path": "/score/batch", "query_string": "detail=summary"}
    for _ in range(200):
        call(hello_app.wsgi_app, path="/")
    hello = cpu(lambda: call(hello_app.wsgi_app, path="/"), 2500) / 2500
    full = cpu(lambda: call(app.wsgi_app, **batch), 1)
    short = cpu(lambda: call(app.wsgi_app, **summary), 1)
    return {"hello": hello, "full": full, "summary": short}


def print_batch(found: dict) -> None:
    hello = found["hello"]
    for name, key in (("/score/batch, 1,000 distinct", "full"), ("  ?detail=summary", "summary")):
        worth = found[key] / hello
        verdict = "pass" if worth <= 2500 else "FAIL"
        print(
            f"{name:<30} {found[key] * 1000:7.0f} ms CPU = {worth:6.0f} hello-world requests "
            f"({hello * 1e6:.0f} µs each)  target ≤ 2,500  {verdict if key == 'full' else ''}"
        )


def main() -> None:
    wrk = serve.ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="framings-bench-") as tmp:
        folder = Path(tmp)
        scripts = write_scripts(folder, SCENARIOS)
        db = serve.make_db(folder)
        batch = None
        if not ONLY:
            print("In process:")
            batch = batch_in_process(db)
            print_batch(batch)
        with ExitStack() as stack:
            hello = stack.enter_context(gunicorn("bench.hello:app", db))
            app = stack.enter_context(gunicorn("service.wsgi:app", db, "/health"))
            servers = {"app": app}
            if any(s.server == "nginx" for s in SCENARIOS):
                servers["nginx"] = stack.enter_context(nginx_cluster(folder / "cluster"))
            for scenario in SCENARIOS:
                check(servers[scenario.server][0], scenario)
            rows = summarise(measure(wrk, hello, servers, scripts))
            print_table(rows)
            if not ONLY:
                print_memory(memory(wrk, app, folder))
            print_four(rows, batch)


if __name__ == "__main__":
    main()
