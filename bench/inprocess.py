"""CPU per request of each bench scenario through the WSGI callables, in process, against a
hello-world: the quick before-and-after check while changing code (no gunicorn, no wrk).

Run: .venv/bin/python bench/inprocess.py [tree]   (tree: another copy of the source, to compare)

Each figure is the best of 3 runs of N requests, in µs of CPU (`time.process_time`), and its
ratio to the hello-world's µs. Distinct scores give every request a new name, as the HTTP
bench's wrk scripts do, so no score is ever answered from a cache of earlier answers.
"""

import io
import json
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
TREE = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else BENCH.parent
sys.path.insert(0, str(TREE))

import serve  # noqa: E402
from controls import CONTROL, CONTROLS  # noqa: E402

READ = "/assumptions/a3"
RUNS, COUNT = 3, 600


def environ(method="GET", path="/", query="", body: bytes = b"", headers=()) -> dict:
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8080",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SCRIPT_NAME": "",
        "HTTP_HOST": "127.0.0.1:8080",
        "HTTP_USER_AGENT": "bench",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "REMOTE_ADDR": "127.0.0.1",
    }
    if body:
        env["CONTENT_TYPE"] = "application/json"
        env["CONTENT_LENGTH"] = str(len(body))
    for name, value in headers:
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


def call(app, env: dict) -> str:
    status = []
    env = {**env, "wsgi.input": io.BytesIO(env["wsgi.input"].getvalue())}
    result = app(env, lambda s, h, e=None: status.append(s))
    b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return status[0]


def cpu(fn) -> float:
    """Best of RUNS runs of COUNT calls, µs of CPU per call."""
    best = float("inf")
    for _ in range(RUNS):
        start = time.process_time()
        for n in range(COUNT):
            fn(n)
        best = min(best, time.process_time() - start)
    return best / COUNT * 1e6


def scenarios(etag: str):
    same = json.dumps(CONTROL).encode()
    bodies = [json.dumps(c)[:-1].encode() for c in CONTROLS]  # closed below, with a unique name

    def distinct(n, salt=[0]):  # noqa: B006 - a counter kept across calls
        salt[0] += 1
        body = bodies[n % len(bodies)] + b', "name": "c%d"}' % salt[0]
        return environ("POST", "/score", body=body)

    yield "GET one resource", lambda n: environ(path=READ), "200 OK"
    revalidation = [("If-None-Match", etag)]
    yield "GET 304", lambda n: environ(path=READ, headers=revalidation), "304 NOT MODIFIED"
    yield "GET list page", lambda n: environ(path="/watchlist"), "200 OK"
    yield "POST /score same", lambda n: environ("POST", "/score", body=same), "200 OK"
    yield "POST /score distinct", distinct, "200 OK"


def main() -> None:
    from hello import app as hello

    from service import create_app

    with tempfile.TemporaryDirectory(prefix="framings-inprocess-") as tmp:
        db = serve.make_db(Path(tmp))
        app = create_app({"DATABASE": str(db)})
        etag = app.test_client().get(READ).headers["ETag"]
        floor = cpu(lambda n: call(hello, environ()))
        print(f"{'hello-world':<24} {floor:7.0f} µs  1.00×")
        for name, make, expected in scenarios(etag):
            status = call(app, make(0))
            assert status.upper() == expected, (name, status)
            cost = cpu(lambda n, make=make: call(app, make(n)))
            print(f"{name:<24} {cost:7.0f} µs  {floor / cost:.2f}×")


if __name__ == "__main__":
    main()
