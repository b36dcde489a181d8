"""The rate limit on scoring: per client, configurable, 429 with Retry-After, a batch counted by
its size, counted even where the answer memo would answer without the app."""

import pytest

from service import create_app
from service.ops import limits

CONTROL = {
    "name": "Licence H20-class chips for China",
    "direction": "loosen",
    "instrument": "license_approval",
    "layers": ["inference_chips"],
    "reach": ["china_market"],
    "chips": ["nvidia-h20"],
}


def limited(db_path, spec: str, **extra):
    config = {"DATABASE": str(db_path), "TESTING": True, "SCORE_RATE_LIMIT": spec, **extra}
    return create_app(config).test_client()


def score(client, n: int = 0, address: str = "192.0.2.1", **headers):
    return client.post(
        "/score",
        json={**CONTROL, "name": f"Control {n}"},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def batch(client, size: int, address: str = "192.0.2.1"):
    controls = {f"c{i}": {**CONTROL, "name": f"Batch control {i}"} for i in range(size)}
    return client.post(
        "/score/batch", json={"controls": controls}, environ_base={"REMOTE_ADDR": address}
    )


def assert_refused(answer) -> None:
    assert answer.status_code == 429, answer.get_data(as_text=True)
    assert answer.mimetype == "application/problem+json"
    assert int(answer.headers["Retry-After"]) >= 1


def test_past_the_limit_a_client_gets_429_with_retry_after(db_path):
    client = limited(db_path, "5/minute")
    assert [score(client, n).status_code for n in range(5)] == [200] * 5
    assert_refused(score(client, 5))


def test_a_batch_counts_each_of_its_controls(db_path):
    client = limited(db_path, "10/minute")
    assert batch(client, 8).status_code == 200
    assert_refused(batch(client, 3))
    assert batch(client, 2, address="192.0.2.9").status_code == 200  # another client


def test_repeated_requests_the_memo_could_answer_are_counted_too(db_path):
    client = limited(db_path, "4/minute")
    answers = [score(client).status_code for _ in range(6)]  # the same body each time
    assert answers[:4] == [200] * 4
    assert answers[4:] == [429, 429]


def test_each_client_has_its_own_count(db_path):
    client = limited(db_path, "2/minute")
    for address in ("192.0.2.1", "192.0.2.2"):
        assert [score(client, n, address).status_code for n in range(2)] == [200, 200]
    assert_refused(score(client, 3, "192.0.2.1"))


def test_x_forwarded_for_names_the_client_only_behind_a_trusted_proxy(db_path):
    client = limited(db_path, "1/minute", TRUSTED_PROXIES="127.0.0.1")
    # From an untrusted address, a forged X-Forwarded-For changes nothing.
    assert score(client, 1, "192.0.2.1", **{"X-Forwarded-For": "198.51.100.1"}).status_code == 200
    assert_refused(score(client, 2, "192.0.2.1", **{"X-Forwarded-For": "198.51.100.2"}))
    # Through the trusted proxy, the address it appended is the client.
    for n, client_address in enumerate(("198.51.100.7", "198.51.100.8")):
        forwarded = {"X-Forwarded-For": f"10.0.0.1, {client_address}"}
        assert score(client, 10 + n, "127.0.0.1", **forwarded).status_code == 200


def test_the_window_ends_after_its_period(db_path, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(limits, "clock", lambda: now[0])
    client = limited(db_path, "1/10seconds")
    assert score(client, 1).status_code == 200
    refused = score(client, 2)
    assert_refused(refused)
    assert refused.headers["Retry-After"] == "10"
    now[0] += 10
    assert score(client, 3).status_code == 200


def test_off_turns_the_limit_off(db_path):
    client = limited(db_path, "off")
    assert all(score(client, n).status_code == 200 for n in range(8))


def test_a_malformed_limit_stops_the_start(db_path):
    with pytest.raises(ValueError):
        limited(db_path, "lots")
