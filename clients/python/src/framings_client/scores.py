"""Scoring: a proposed control, a stored one, a batch, a comparison.

A score is a pure function of the control and the model versions it names, so these POSTs
write nothing and are retried like reads.
"""

from __future__ import annotations

from typing import Any

from framings_client._transport import Transport
from framings_client.reads import decoded
from framings_client.types import Batch, Comparison, Score, Text


class Scores:
    """Every scoring call takes `as_of` or `release` (the model as it stood then) and
    `format` ("md" for Markdown, as `Text`)."""

    transport: Transport

    def post_score(self, path: str, body: dict[str, Any], query: dict[str, Any]) -> Any:
        response = self.transport.send("POST", path, json=body, params=query, retryable=True)
        return decoded(response)

    def score(
        self,
        control: dict[str, Any],
        *,
        as_of: str | None = None,
        release: str | None = None,
        detail: str | None = None,
        format: str | None = None,
    ) -> Score | Text:
        """Score a control against each framing. The control may carry `assumptions`, what-if
        credences by assumption id. Raises `ValidationFailed` (422) naming each bad field."""
        query = {"as_of": as_of, "release": release, "detail": detail, "format": format}
        return self.post_score("/score", control, query)

    def score_stored(
        self,
        id: str,
        *,
        kind: str = "controls",
        as_of: str | None = None,
        release: str | None = None,
        format: str | None = None,
    ) -> Score | Text:
        """Score a stored control (or, `kind="watchlist"`, a watch item's measure); the answer's
        `source` names the version scored. Raises `NotFound`."""
        query = {"as_of": as_of, "release": release, "format": format}
        return decoded(self.transport.send("GET", f"/{kind}/{id}/score", params=query))

    def batch(
        self,
        controls: dict[str, dict[str, Any]],
        *,
        assumptions: dict[str, float] | None = None,
        as_of: str | None = None,
        release: str | None = None,
        format: str | None = None,
    ) -> Batch | Text:
        """Score up to 1,000 controls keyed by your names. A bad control does not fail the
        batch: its entry in `results` is a problem (`status`, `detail`, `errors`); see
        `failed(batch)`."""
        body: dict[str, Any] = {"controls": controls}
        if assumptions is not None:
            body["assumptions"] = assumptions
        return self.post_score(
            "/score/batch", body, {"as_of": as_of, "release": release, "format": format}
        )

    def compare(
        self,
        controls: list[dict[str, Any]],
        *,
        assumptions: dict[str, float] | None = None,
        as_of: str | None = None,
        release: str | None = None,
        format: str | None = None,
    ) -> Comparison | Text:
        """Two to twenty controls side by side, ranked per framing."""
        body: dict[str, Any] = {"controls": controls}
        if assumptions is not None:
            body["assumptions"] = assumptions
        return self.post_score(
            "/score/compare", body, {"as_of": as_of, "release": release, "format": format}
        )


def failed(batch: Batch) -> dict[str, dict[str, Any]]:
    """The entries of a batch's results that are problems (key -> problem object)."""
    return {
        key: answer
        for key, answer in batch["results"].items()
        if isinstance(answer, dict) and "status" in answer and "framings" not in answer
    }
