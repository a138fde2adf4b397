# aims as an app server (`aims serve --no-worker`) or, with another command, a background
# worker (`aims worker`) or a one-off (`aims init`). See README, "Running in production".
#
#   docker build -t aims .
#   docker compose up -d          # compose.yaml: PostgreSQL, two app servers, a worker

# The front-end assets (Pico CSS, htmx, the icons) from package-lock.json, exactly as locked.
FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    AIMS_VAR_DIR=/var/lib/aims \
    AIMS_HOST=0.0.0.0 \
    AIMS_PORT=8000 \
    AIMS_LOG_FORMAT=json

# WeasyPrint draws PDFs with Pango; the fonts make them readable.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Every package exactly as requirements.lock pins it, checked against its hashes; nothing is
# resolved again (--no-deps), then the tree is checked whole. Then aims itself.
COPY requirements.lock ./
RUN pip install --no-deps --require-hashes -r requirements.lock && pip check
# aims runs from its source tree (python -m aims.cli, what the `aims` command does): no build
# step, so no build tool outside the lock.
COPY manage.py ./
COPY config ./config
COPY aims ./aims
COPY --from=assets /src/node_modules ./node_modules
RUN useradd --system --uid 10001 --home-dir /var/lib/aims --shell /usr/sbin/nologin aims \
    && mkdir -p /var/lib/aims \
    && chown aims:aims /var/lib/aims

USER aims
VOLUME ["/var/lib/aims"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "aims.ops.healthcheck"]
ENTRYPOINT ["python", "-m", "aims.cli"]
CMD ["serve", "--no-worker"]
