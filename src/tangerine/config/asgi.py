"""ASGI entry point: HTTP through Django, WebSockets through Channels with origin checks.

HTTP bodies pass a size limit first (core/bodylimit.py): Django would otherwise spool any body
to disk before a view could refuse it.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tangerine.config.settings")

import django
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.conf import settings

django.setup(set_prefix=False)

from django.core.handlers.asgi import ASGIHandler  # noqa: E402

from tangerine.core.handlers import ThreadKeepingASGIHandler  # noqa: E402

# Request threads are kept between requests (core/handlers.py); 0 keeps none: Django's own.
django_asgi_app = (
    ThreadKeepingASGIHandler(keep=settings.REQUEST_THREADS_KEPT)
    if settings.REQUEST_THREADS_KEPT
    else ASGIHandler()
)

from tangerine.chats.routing import websocket_urlpatterns  # noqa: E402
from tangerine.core import runtime  # noqa: E402
from tangerine.core.bodylimit import BodyLimitMiddleware  # noqa: E402
from tangerine.core.sockets import LifespanShutdown, TrackedWebSockets  # noqa: E402
from tangerine.core.tasks import start_periodic  # noqa: E402
from tangerine.search import startup as search_startup  # noqa: E402
from tangerine.search.sweep import request_repair  # noqa: E402

# With SEARCH_WARM_AT_START, off the request path: the Korean tokenizer (seconds to load), the
# in-process vector copy (SEARCH_VECTOR_MIRROR) and keyword postings copy (SEARCH_POSTINGS_CACHE),
# so the first searches after a deploy do not fall back to Milvus and SQL.
settles_later = search_startup.start()
# Items whose index jobs died with the previous process get their vectors back (background).
request_repair()
# Thread job backend: periodic sweeps (stuck and orphaned images) run in this process.
start_periodic()
if settings.GC_SETTLE_AT_START and not settles_later:
    # What the process keeps for life is loaded: out of the collector's way (core/runtime.py).
    runtime.settle_collector()

application = ProtocolTypeRouter(
    {
        "lifespan": LifespanShutdown(),
        "http": BodyLimitMiddleware(
            django_asgi_app,
            default=settings.REQUEST_MAX_BODY_BYTES,
            by_path=settings.REQUEST_BODY_LIMITS,
        ),
        # Counted for /metrics and closed with 1001 ("going away") before a shutdown.
        "websocket": TrackedWebSockets(
            AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns))
        ),
    }
)
