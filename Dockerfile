# Framings: gunicorn under tini as a non-root user, the database on a volume, a health check.
#   docker build --network host -t framings .
#   docker run --rm --network host -e HOST=127.0.0.1 -v framings-data:/data framings
# The first start creates /data/framings.db from the fixtures baked into the image.
# A read replica is the same image with FRAMINGS_REPLICA_OF set (docs/deploy.md).

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
WORKDIR /app
# Dependencies alone first: this slow layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))\
['project']['dependencies']))" > /tmp/requirements.txt \
 && /opt/venv/bin/pip install -r /tmp/requirements.txt
COPY service ./service
COPY schemas ./schemas
COPY clients/python ./clients/python
# Editable, so the code stays in /app beside fixtures/ (where `framings init` looks for them).
# The client distribution after it: the server's CLI builds on it, and it installs `framings`.
RUN /opt/venv/bin/pip install --no-deps -e . \
 && /opt/venv/bin/pip install --no-deps ./clients/python

FROM python:3.11-slim
# librsvg2-bin draws the PNG charts (service/representations/png.py).
# tini is PID 1: it hands SIGTERM from `docker stop` to gunicorn and reaps orphans, so gunicorn
# (its child) shuts down gracefully instead of being killed after the stop timeout.
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends tini librsvg2-bin >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin framings \
 && mkdir /data && chown framings:framings /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY pyproject.toml gunicorn.conf.py ./
COPY service ./service
COPY schemas ./schemas
COPY fixtures ./fixtures
# Compiled now, as root: the non-root user cannot write next to the code at run time.
RUN python -m compileall -q service schemas

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FRAMINGS_DB=/data/framings.db \
    HOST=0.0.0.0 \
    PORT=8080
VOLUME /data
USER framings
EXPOSE 8080
# No curl in slim images; Python is here anyway.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8080'), timeout=2)"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# No control socket: nothing manages gunicorn from inside the container.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "--no-control-socket"]
