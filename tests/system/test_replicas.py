"""Beyond one machine, on loopback: a writer, two read replicas and nginx, as real processes."""

from dataclasses import dataclass

import pytest
import requests

from tests.system.cluster import (
    admin_token,
    healthy,
    nginx_or_skip,
    start_gunicorn,
    start_nginx,
    start_replica,
    stop,
    wait_until,
)

pytestmark = pytest.mark.slow
SQLITE_MAGIC = b"SQLite format 3\x00"
H20_LICENCE = {
    "name": "Licence H20-class chips for China",
    "direction": "loosen",
    "instrument": "license_approval",
    "layers": ["inference_chips"],
    "reach": ["china_market"],
    "chips": ["nvidia-h20"],
}


@dataclass
class Cluster:
    writer: str
    replicas: list[str]
    nginx: str
    token: str

    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


def publish(cluster: Cluster, name: str) -> dict:
    answer = requests.post(
        f"{cluster.nginx}/releases",
        headers=cluster.auth(),
        json={"name": name, "description": f"Release {name}"},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def revise(cluster: Cluster, base: str, path: str, credence: float) -> int:
    """Change an assumption's credence through `base`; the new version number."""
    etag = requests.get(f"{cluster.writer}{path}", timeout=5).headers["ETag"]
    answer = requests.patch(
        f"{base}{path}",
        json={"assessment": {"credence": credence}},
        headers={
            **cluster.auth(),
            "If-Match": etag,
            "X-Change-Note": "replica test",
            "Content-Type": "application/merge-patch+json",
        },
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["version"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    binary = nginx_or_skip()
    root = tmp_path_factory.mktemp("cluster")
    processes = [start_gunicorn(root / "writer")]
    try:
        writer = processes[0][1]
        assert wait_until(lambda: healthy(writer))
        token = admin_token(root / "writer" / "framings.db")
        publish(Cluster(writer, [], writer, token), "r1")
        processes += [start_replica(root / f"replica{n}", writer) for n in (1, 2)]
        replicas = [url for _, url in processes[1:]]
        assert all(wait_until(lambda url=url: healthy(url)) for url in replicas)
        process, nginx = start_nginx(binary, root / "nginx", writer, replicas)
        processes.append((process, nginx))
        assert wait_until(lambda: healthy(nginx))
        yield Cluster(writer, replicas, nginx, token)
    finally:
        for process, _ in reversed(processes):
            stop(process)


def test_writer_serves_a_release_as_an_immutable_sqlite_file(cluster):
    answer = requests.get(f"{cluster.writer}/releases/r1/snapshot", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/vnd.sqlite3"
    assert answer.headers["ETag"] == '"r1"'
    assert "immutable" in answer.headers["Cache-Control"]
    assert answer.content.startswith(SQLITE_MAGIC)


def test_snapshot_revalidation_answers_304(cluster):
    answer = requests.get(
        f"{cluster.writer}/releases/r1/snapshot", headers={"If-None-Match": '"r1"'}, timeout=10
    )
    assert answer.status_code == 304


def test_each_replica_serves_the_release_at_its_seq(cluster):
    release = requests.get(f"{cluster.writer}/releases/r1", timeout=5).json()
    for url in cluster.replicas:
        health = requests.get(f"{url}/health", timeout=5)
        assert health.headers["X-Framings-Release"] == "r1"
        assert health.json()["seq"] == release["seq"]


def test_replicas_answer_reads_exactly_as_the_writer(cluster):
    expected = requests.get(f"{cluster.writer}/assumptions/a3?release=r1", timeout=5).json()
    for url in cluster.replicas:
        assert requests.get(f"{url}/assumptions/a3", timeout=5).json() == expected


def test_nginx_spreads_reads_over_both_replicas(cluster):
    # Distinct URLs, so that each misses the cache and goes to the next replica in turn.
    upstreams = {
        requests.get(f"{cluster.nginx}/chips?limit={n}", timeout=5).headers["X-Upstream"]
        for n in range(1, 7)
    }
    assert upstreams == {url.removeprefix("http://") for url in cluster.replicas}


def test_revalidation_through_nginx_answers_304(cluster):
    etag = requests.get(f"{cluster.nginx}/assumptions/a3", timeout=5).headers["ETag"]
    answer = requests.get(
        f"{cluster.nginx}/assumptions/a3", headers={"If-None-Match": etag}, timeout=5
    )
    assert answer.status_code == 304
    assert answer.headers["ETag"] == etag


def test_nginx_answers_a_permanent_url_from_its_cache(cluster):
    url = f"{cluster.nginx}/framings/sliding-scale/versions/1"
    requests.get(url, timeout=5)
    again = requests.get(url, timeout=5)
    assert again.status_code == 200 and again.headers["X-Cache-Status"] == "HIT"


def test_nginx_revalidates_a_cached_url_with_304(cluster):
    url = f"{cluster.nginx}/framings/sliding-scale/versions/1"
    etag = requests.get(url, timeout=5).headers["ETag"]
    answer = requests.get(url, headers={"If-None-Match": etag}, timeout=5)
    assert answer.status_code == 304 and answer.headers["X-Cache-Status"] == "HIT"


def test_scoring_posts_through_nginx_reach_a_replica(cluster):
    scored = requests.post(f"{cluster.nginx}/score", json=H20_LICENCE, timeout=10)
    assert scored.status_code == 200, scored.text
    assert scored.headers["X-Upstream"] in {u.removeprefix("http://") for u in cluster.replicas}


def test_replica_refuses_writes_naming_the_writer(cluster):
    answer = requests.patch(f"{cluster.replicas[0]}/assumptions/a3", json={}, timeout=5)
    assert answer.status_code == 405
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert cluster.writer in answer.json()["detail"]


def test_write_through_nginx_reaches_the_writer(cluster):
    version = revise(cluster, cluster.nginx, "/assumptions/a3", 0.42)
    latest = requests.get(f"{cluster.writer}/assumptions/a3", timeout=5).json()
    assert latest["version"] == version


def test_replicas_pick_up_the_next_release(cluster):
    version = revise(cluster, cluster.nginx, "/assumptions/a4", 0.07)
    publish(cluster, "r2")

    def everyone_serves_it() -> bool:
        bases = [*cluster.replicas, cluster.nginx, cluster.nginx]
        return all(
            requests.get(f"{base}/assumptions/a4", timeout=5).json()["version"] == version
            for base in bases
        )

    assert wait_until(everyone_serves_it)
    for url in cluster.replicas:
        assert requests.get(f"{url}/health", timeout=5).headers["X-Framings-Release"] == "r2"


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/changes.atom", "*/*"),
        ("/assumptions/a3", "text/markdown"),
        ("/assumptions/a3", "text/html"),
    ],
)
def test_a_forged_host_never_reaches_the_next_visitor_through_nginx(cluster, path, accept):
    forged = requests.get(
        f"{cluster.nginx}{path}", headers={"Host": "evil.example", "Accept": accept}, timeout=5
    )
    assert "evil.example" in forged.text  # no FRAMINGS_PUBLIC_URL here: links follow the Host
    answer = requests.get(f"{cluster.nginx}{path}", headers={"Accept": accept}, timeout=5)
    assert answer.status_code == 200
    assert "evil.example" not in answer.text
