"""The HTTP API: one blueprint module per resource group, thin (parse, call, represent).

resources (reads of the five kinds), writes, score, history (diffs and the change feed),
releases, review, meta (index, health, problem types), form and embed (the HTML face).
May import schemas, kinds, scoring, store, web, ops and representations; never another module
of this package (shared request helpers live in service.web). Their schemas live in schemas/,
their renderers in service.representations. Each view declares its own contract for the
OpenAPI document (service.web.openapi.contract) and, where its answers are a function of the
request and the database, that the memo may keep them (service.web.memo.keeps_answers).
`register` adds them all.
"""


def register(api) -> None:
    """Every blueprint, in the order their routes appear in the OpenAPI document."""
    from service.api import (
        charts,
        embed,
        form,
        history,
        oembed,
        releases,
        resources,
        review,
        score,
        writes,
    )

    resources.register(api)
    writes.register(api)
    for module in (releases, score, history, form, embed, oembed, review, charts):
        api.register_blueprint(module.blp)
