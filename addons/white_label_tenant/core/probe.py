"""Concurrent HTTP health probes, without any Odoo import."""

import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

HEALTH_PATH = "/web/health"


def health_url(base_url):
    return base_url.rstrip("/") + HEALTH_PATH


def probe(url, timeout=2.0):
    """GET ``url`` once: returns ``(ok, status_code, latency_ms, error)``; never raises.

    Healthy means an HTTP 2xx answer within ``timeout`` seconds.
    """
    started = time.monotonic()
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "white-label-tenant-probe"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
            response.read(1024)
        error = None
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except Exception as exc:
        status, error = 0, (str(exc) or exc.__class__.__name__)[:200]
    latency = (time.monotonic() - started) * 1000.0
    return 200 <= status < 300, status, latency, error


def probe_many(urls, timeout=2.0, workers=32):
    """Probe many URLs at once: ``{url: (ok, status_code, latency_ms, error)}``."""
    urls = list(dict.fromkeys(urls))
    if not urls:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls)))) as pool:
        results = pool.map(lambda url: probe(url, timeout), urls)
        return dict(zip(urls, results, strict=True))
