"""Where a request's time goes: pyinstrument over the read, 304 and score paths, in process.

Run: .venv/bin/python bench/profile.py [read|revalidate|score|list|asof|newscore] [requests]
[--all] [--no-memo] (asof: a read at an as_of never asked before; newscore: a control never
seen before: the paths no kept answer can serve)
(--all keeps the library frames that pyinstrument hides by default; --no-memo profiles the app
itself, not the answers service/web/memo.py keeps in front of it)

The Flask test client stands in for gunicorn (its own cost shows up as werkzeug.test and is
not ours to fix); the database is the fixtures, built in a temp directory.
"""

import itertools
import sys
import tempfile
from pathlib import Path

from pyinstrument import Profiler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from controls import CONTROL  # noqa: E402  (bench/ is on sys.path as the script dir)

from service import create_app, store  # noqa: E402
from service.fixtures import load_fixtures  # noqa: E402

FRESH = itertools.count()
PATHS = {
    "asof": lambda c: c.get(f"/assumptions/a3?as_of=2025-09-01T00:00:00.{next(FRESH):06d}Z"),
    "newscore": lambda c: c.post("/score", json={**CONTROL, "name": f"new {next(FRESH)}"}),
    "read": lambda c: c.get("/framings/sliding-scale"),
    "revalidate": lambda c: c.get("/framings/sliding-scale", headers={"If-None-Match": 'W/"1"'}),
    "score": lambda c: c.post("/score", json=CONTROL),
    "list": lambda c: c.get("/watchlist"),
}


def main() -> None:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    which = args[0] if args else "read"
    count = int(args[1]) if len(args) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "framings.db")
        db = store.open_db(path)
        store.migrate(db)
        load_fixtures(db, ROOT / "fixtures")
        db.conn.close()
        config = {"DATABASE": path, **({"ANSWER_MEMO_BYTES": 0} if "--no-memo" in sys.argv else {})}
        client = create_app(config).test_client()
        request = PATHS[which]
        for _ in range(50):  # warm caches and imports before measuring
            request(client)
        profiler = Profiler(interval=0.0002)
        profiler.start()
        for _ in range(count):
            request(client)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all="--all" in sys.argv))


if __name__ == "__main__":
    main()
