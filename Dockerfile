# syntax=docker/dockerfile:1
# Tangerine Market images, built from this checkout (docs/operations.md, "Containers"):
#   docker build --target app -t tangerine-app .   # api and worker (scripts/proc.sh api|worker)
#   docker build --target web -t tangerine-web --build-arg API_ORIGIN=http://api:8000 .
# No secret is baked in: every key and password comes from the environment (or NAME_FILE) at run
# time. Both images run as an unprivileged user and start their process from the Procfile.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# --- web build: Next.js with the typed client generated from the committed OpenAPI schema ---
FROM ${NODE_IMAGE} AS web-build
WORKDIR /app/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/ ./
# The API origin is compiled into the rewrites (web/next.config.ts): the address of the api
# service as the web container sees it.
ARG API_ORIGIN=http://api:8000
ENV API_ORIGIN=${API_ORIGIN} NEXT_TELEMETRY_DISABLED=1
RUN npm run --silent generate && npm run --silent build

# --- Python environment: exactly the lock file, then the project itself (no dependencies) ---
FROM ${PYTHON_IMAGE} AS python-build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN python -m venv .venv && .venv/bin/pip install --quiet uv==0.13.*
COPY requirements.lock pyproject.toml ./
COPY packages/ packages/
RUN .venv/bin/uv pip sync --python .venv/bin/python requirements.lock
COPY src/ src/
RUN .venv/bin/uv pip install --python .venv/bin/python --no-deps -e . -e packages/channels_pulsar \
    && .venv/bin/pip uninstall --yes --quiet uv

# --- app: the api and worker processes ---
FROM ${PYTHON_IMAGE} AS app
# libgomp1: OpenMP for the embedding engine. Unpinned: the base image's Debian release pins it,
# and security updates must come in with a rebuild.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install --yes --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 --user-group tangerine
WORKDIR /app
COPY --from=python-build /app /app
COPY manage.py Procfile ./
COPY scripts/proc.sh scripts/healthcheck.py scripts/
RUN mkdir -p /app/var && chown tangerine:tangerine /app/var
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DEBUG=false TANGERINE_VAR_DIR=/app/var OMP_NUM_THREADS=1 \
    API_HOST=0.0.0.0 API_PORT=8000 API_PROCESSES=2
USER 10001
EXPOSE 8000
# Liveness only (no I/O): readiness, /api/health/ready, is for the load balancer.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "scripts/healthcheck.py", "http://127.0.0.1:8000/api/health/live"]
CMD ["scripts/proc.sh", "api"]

# --- web: the Next.js server (web/server.mjs) ---
FROM ${NODE_IMAGE} AS web
WORKDIR /app
COPY --from=web-build --chown=node:node /app/web /app/web
COPY Procfile ./
COPY scripts/proc.sh scripts/proc.sh
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 WEB_HOST=0.0.0.0 WEB_PORT=3000
# The node image's unprivileged user "node".
USER 1000
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:3000/').then(() => process.exit(0), () => process.exit(1))"]
CMD ["scripts/proc.sh", "web"]
