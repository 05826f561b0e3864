"""ASGI entry point: HTTP through Django, WebSockets through Channels with origin checks.

HTTP bodies pass a size limit first (core/bodylimit.py): Django would otherwise spool any body
to disk before a view could refuse it.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tangerine.config.settings")

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.conf import settings
from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from tangerine.chats.routing import websocket_urlpatterns  # noqa: E402
from tangerine.core.bodylimit import BodyLimitMiddleware  # noqa: E402
from tangerine.core.sockets import LifespanShutdown, TrackedWebSockets  # noqa: E402
from tangerine.core.tasks import start_periodic  # noqa: E402
from tangerine.integrations.milvus import mirror_load_in_background  # noqa: E402
from tangerine.search.sweep import request_repair  # noqa: E402
from tangerine.search.tokenize import warm_in_background  # noqa: E402

# The Korean tokenizer takes seconds to load: load it now, off the request path.
if settings.SEARCH_WARM_AT_START:
    warm_in_background()
    # The in-process vector copy (SEARCH_VECTOR_MIRROR) loads before the first search needs it.
    mirror_load_in_background()
# Items whose index jobs died with the previous process get their vectors back (background).
request_repair()
# Thread job backend: periodic sweeps (stuck and orphaned images) run in this process.
start_periodic()

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
