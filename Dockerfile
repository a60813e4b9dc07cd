# WSIS Implementation Platform: production image (docs/operations.md).
# Multi-stage: the build stage makes a virtualenv with every dependency (compilers stay there); the
# runtime stage gets that virtualenv, the fonts the six languages' PDF reports need and the PostgreSQL
# client for `manage.py backup`, and runs as an unprivileged user. deploy/image-steps.sh runs the same
# steps without Docker (CI: deploy/check.sh).
ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY wsis ./wsis
COPY manage.py ./
COPY deploy/image-steps.sh deploy/image-steps.sh
RUN sh deploy/image-steps.sh venv /opt/venv .
COPY . .
RUN sh deploy/image-steps.sh static /opt/venv .

FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
# WeasyPrint's libraries; Noto fonts for Latin, Cyrillic, Arabic (core) and Chinese (CJK); pg_dump.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
      fonts-noto-core fonts-noto-cjk postgresql-client curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system wsis && useradd --system --gid wsis --home-dir /app --shell /usr/sbin/nologin wsis
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/data/media BACKUP_DIR=/data/backups PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=wsis:wsis /app /app
WORKDIR /app
RUN mkdir -p /data/media /data/backups && chown -R wsis:wsis /data
USER wsis
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS -H "Host: ${HEALTHCHECK_HOST:-localhost}" http://127.0.0.1:8000/healthz || exit 1
# The worker runs the same image: command `python manage.py worker --queue-name '*'`.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "config.wsgi:application"]
