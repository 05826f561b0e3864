"""Container health probe: exit 0 when URL answers 200 (default: the API's liveness endpoint).

    python scripts/healthcheck.py [URL]

Sends ``X-Forwarded-Proto: https`` so that production's HTTPS redirect (``SECURE_SSL_REDIRECT``,
trusted through ``SECURE_PROXY_SSL_HEADER``) does not answer the probe with a redirect; the
address it calls (127.0.0.1) must be in ``ALLOWED_HOSTS``. Standard library only.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/api/health/live"


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else DEFAULT_URL
    if not url.startswith(("http://", "https://")):
        print(f"healthcheck: not an http(s) URL: {url}", file=sys.stderr)
        return 2
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - checked above
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"healthcheck: {url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
