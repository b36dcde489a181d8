"""A walk over the whole API of a live server, driven by its own OpenAPI document.

Every operation in the document is called with real ids and with ids that do not exist, in
every format its `format` parameter lists and by Accept (an odd one included), with a query it
refuses, conditionally, on a deleted resource, and (writes) in each way a write can fail and
succeed. Each answer is kept as a Step for the tests to check against the document
(tests/system/test_live_walk.py) and to hand its HTML to the Nu HTML checker.
"""

import json
from dataclasses import dataclass

import requests

MISSING = "no-such-thing"
ODD_ACCEPT = "application/vnd.unheard-of"


@dataclass
class Step:
    method: str
    path: str  # the document's path template
    url: str
    status: int
    mimetype: str
    headers: dict
    body: bytes

    @property
    def label(self) -> str:
        return f"{self.method} {self.url} -> {self.status} {self.mimetype}"


class Walker:
    def __init__(self, base: str, token: str):
        self.base = base
        self.session = requests.Session()
        self.auth = {"Authorization": f"Bearer {token}"}
        self.document = self.session.get(f"{base}/openapi.json", timeout=30).json()
        self.steps: list[Step] = []
        # Pages the document does not describe, for the HTML checker: the API's docs page.
        self.extra_pages: dict[str, bytes] = {}

    def call(self, method: str, template: str, url: str, **kwargs) -> requests.Response:
        response = self.session.request(method, self.base + url, timeout=60, **kwargs)
        self.steps.append(
            Step(
                method,
                template,
                url,
                response.status_code,
                response.headers.get("Content-Type", "").split(";")[0].strip(),
                dict(response.headers),
                response.content,
            )
        )
        return response

    def get(self, template: str, url: str, **kwargs) -> requests.Response:
        return self.call("GET", template, url, **kwargs)

    def write(self, method: str, template: str, url: str, note="walk", **kwargs):
        headers = {**self.auth, "X-Change-Note": note, **kwargs.pop("headers", {})}
        return self.call(method, template, url, headers=headers, **kwargs)

    # --- the walk ---------------------------------------------------------------------------

    def run(self) -> list[Step]:
        ids = {kind: self.ids(kind) for kind in self.kinds()}
        self.prepare(ids)
        for template, operations in self.document["paths"].items():
            for method, operation in operations.items():
                if method == "parameters":
                    continue
                if method == "get":
                    self.reads(template, operation, ids)
                else:
                    self.writes(template, method.upper(), ids)
        self.extra_pages["GET /docs"] = self.session.get(f"{self.base}/docs", timeout=30).content
        return self.steps

    def kinds(self) -> list[str]:
        """The versioned kinds: the collections with a history per item."""
        return [p.split("/")[1] for p in self.document["paths"] if p.endswith("/{id}/versions")]

    def ids(self, kind: str) -> list[str]:
        items = self.session.get(f"{self.base}/{kind}?limit=200", timeout=30).json()["items"]
        return [item["id"] for item in items]

    def prepare(self, ids: dict) -> None:
        """A release to read, and one deleted chip (for the 410s)."""
        self.write("POST", "/releases", "/releases", json={"name": "walk", "description": "A walk"})
        chip = ids["chips"][-1]
        etag = self.session.get(f"{self.base}/chips/{chip}", timeout=30).headers["ETag"]
        self.write("DELETE", "/chips/{id}", f"/chips/{chip}", headers={"If-Match": etag})
        self.deleted = ("chips", chip)
        ids["chips"] = ids["chips"][:-1]

    def fill(self, template: str, ids: dict, real: bool = True) -> list[str]:
        """URLs for a path template: with ids that exist, or ones that do not."""
        kind = template.strip("/").split("/")[0]
        urls = []
        kinds = [kind] if "{kind}" not in template else list(ids)
        for each in kinds:
            url = template.replace("{kind}", each)
            known = ids.get(each, [])
            if each == "watchlist" and "score" in template or "badge" in template:
                known = [i for i in known if self.has_control(each, i)]
            id_ = (known[0] if known else MISSING) if real else MISSING
            url = url.replace("{id}", id_)
            url = url.replace("{number}", "1" if real else "999999")
            url = url.replace("{name}", "walk" if real else MISSING)
            url = url.replace("{slug}", "validation" if real else MISSING)
            urls.append(url)
        return urls

    def has_control(self, kind: str, id_: str) -> bool:
        body = self.session.get(f"{self.base}/{kind}/{id_}", timeout=30).json().get("body")
        return bool(body and body.get("control"))

    def formats(self, operation: dict) -> list[str]:
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "format" and parameter["in"] == "query":
                return parameter["schema"].get("enum", [])
        return []

    def reads(self, template: str, operation: dict, ids: dict) -> None:
        if template == "/releases/{name}/snapshot":
            response = self.get(template, "/releases/walk/snapshot")
            etag = response.headers.get("ETag")
            if etag:
                self.get(template, "/releases/walk/snapshot", headers={"If-None-Match": etag})
            self.get(template, f"/releases/{MISSING}/snapshot")
            return
        accepts = ["text/html", "text/markdown", "text/csv", ODD_ACCEPT]
        for url in self.fill(template, ids):
            response = self.get(template, url)
            for fmt in self.formats(operation):
                self.get(template, f"{url}?format={fmt}")
            if self.formats(operation):
                self.get(template, f"{url}?format=xml")
            for accept in accepts:
                self.get(template, url, headers={"Accept": accept})
            self.get(template, f"{url}?limit=abc&as_of=yesterday")
            if "ETag" in response.headers:
                self.get(template, url, headers={"If-None-Match": response.headers["ETag"]})
        if "{" in template:
            for url in self.fill(template, ids, real=False):
                self.get(template, url)
        kind, id_ = self.deleted
        if template.startswith(f"/{kind}/{{id}}") or template == "/embed/{kind}/{id}":
            self.get(
                template,
                template.replace("{kind}", kind).replace("{id}", id_).replace("{number}", "1"),
            )
        if template == "/score/form":
            self.get(template, "/score/form?control=" + ids["controls"][0])

    def writes(self, template: str, method: str, ids: dict) -> None:
        if template == "/score/form":
            control = self.session.get(
                f"{self.base}/controls/{ids['controls'][0]}", timeout=30
            ).json()["body"]["control"]
            form = {k: v for k, v in control.items() if isinstance(v, str | list)}
            self.call(method, template, template, data=form)
            self.call(method, template, template, data={"name": "incomplete"})
            return
        if template in ("/score", "/score/batch", "/score/compare"):
            control = self.session.get(
                f"{self.base}/controls/{ids['controls'][0]}", timeout=30
            ).json()["body"]["control"]
            body = {
                "/score": control,
                "/score/batch": {"controls": {"a": control, "b": {}}},
                "/score/compare": {"controls": [control, control]},
            }[template]
            for accept in (None, "text/markdown", "text/html", "text/csv"):
                headers = {"Accept": accept} if accept else {}
                self.call(method, template, template, json=body, headers=headers)
            self.call(method, template, template, json={"name": 1})
            self.call(
                method,
                template,
                template,
                data="{not json",
                headers={"Content-Type": "application/json"},
            )
            self.call(
                method,
                template,
                template,
                data="name=x",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            return
        if template == "/releases":
            self.write(method, template, template, json={"name": "walk-2", "description": "x"})
            self.write(method, template, template, json={"name": "walk-2", "description": "x"})
            self.call(method, template, template, json={"name": "walk-3", "description": "x"})
            self.write(method, template, template, json={"name": "Not A Slug"})
            return
        self.kind_writes(template, method, ids)

    def kind_writes(self, template: str, method: str, ids: dict) -> None:
        kind = template.strip("/").split("/")[0]
        source = ids[kind][0]
        read = self.session.get(f"{self.base}/{kind}/{source}", timeout=30)
        body, etag = read.json()["body"], read.headers["ETag"]
        if method == "POST":
            slug = f"walk-{kind}"
            self.write(method, template, f"/{kind}", json=body, headers={"Slug": slug})
            self.write(method, template, f"/{kind}", json=body, headers={"Slug": slug})
            self.call(method, template, f"/{kind}", json=body)  # no token
            self.write(
                method, template, f"/{kind}", json={"unknown": 1}, headers={"Slug": "walk-x"}
            )
            self.write(
                method,
                template,
                f"/{kind}",
                data="{",
                headers={"Slug": "walk-y", "Content-Type": "application/json"},
            )
            return
        url = f"/{kind}/{source}"
        if method == "PUT":
            self.write(method, template, url, json=body)  # no If-Match: 428
            self.write(method, template, url, json=body, headers={"If-Match": '"0"'})
            self.write(
                method, template, f"/{kind}/{MISSING}", json=body, headers={"If-Match": etag}
            )
            self.write(method, template, url, json=body, headers={"If-Match": etag})
        elif method == "PATCH":
            patch = {"no_such_field": None}
            merge = {"Content-Type": "application/merge-patch+json"}
            self.write(
                method, template, url, data=json.dumps(patch), headers={**merge, "If-Match": '"0"'}
            )
            self.write(method, template, url, json=patch, headers={"If-Match": etag})
            fresh = self.session.get(f"{self.base}{url}", timeout=30).headers["ETag"]
            self.write(
                method,
                template,
                url,
                data=json.dumps({"sources": "x"}),
                headers={**merge, "If-Match": fresh},
            )
            deleted_kind, deleted = self.deleted
            if deleted_kind == kind:
                self.write(
                    method,
                    template,
                    f"/{kind}/{deleted}",
                    data="{}",
                    headers={**merge, "If-Match": "*"},
                )
        elif method == "DELETE":
            victim = f"/{kind}/walk-{kind}"
            current = self.session.get(f"{self.base}{victim}", timeout=30).headers.get("ETag")
            self.write(method, template, victim)  # no If-Match: 428
            self.write(method, template, victim, headers={"If-Match": current or "*"})
            self.write(method, template, victim, headers={"If-Match": "*"})  # gone already
