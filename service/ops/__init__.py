"""Running it in production: security headers and CORS, body and rate limits, edge text-safety,
request ids, JSON logs, read replicas and release snapshots. Each module hooks into the app
with an init_app/register function. May import config, store and web.errors; never service.api.
"""
