"""Concurrent HTTP health probes, without any Odoo import.

``timeout`` bounds a whole probe (connect, TLS handshake, request, answer), not each socket
operation as a plain ``urlopen(timeout=)`` does: a server that accepts and answers a byte at a
time, each within the timeout, would otherwise hold a probe - and a worker of the pool - as long
as it likes, and be recorded as healthy however late it finished. Every read and write of a
probe's sockets waits at most what is left of the probe's time.
"""

import functools
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

HEALTH_PATH = "/web/health"

# the deadline of the probe running in this thread (each probe runs in one pool thread)
_probe = threading.local()


def health_url(base_url):
    return base_url.rstrip("/") + HEALTH_PATH


def _time_left():
    left = _probe.deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("no complete answer within the probe's timeout")
    return left


class _DeadlineSocket(socket.socket):
    """A socket whose every read and write waits at most until the probe's deadline."""

    def recv_into(self, *args, **kwargs):
        self.settimeout(_time_left())
        return super().recv_into(*args, **kwargs)

    def recv(self, *args, **kwargs):
        self.settimeout(_time_left())
        return super().recv(*args, **kwargs)

    def send(self, *args, **kwargs):
        self.settimeout(_time_left())
        return super().send(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self.settimeout(_time_left())
        return super().sendall(*args, **kwargs)


class _DeadlineSSLSocket(ssl.SSLSocket):
    """The same for TLS: the handshake, each record read and each write."""

    def do_handshake(self, *args, **kwargs):
        self.settimeout(_time_left())
        return super().do_handshake(*args, **kwargs)

    def read(self, *args, **kwargs):
        self.settimeout(_time_left())
        return super().read(*args, **kwargs)

    def send(self, *args, **kwargs):
        self.settimeout(_time_left())
        return super().send(*args, **kwargs)


def _connect(address, timeout=None, source_address=None, *args, **kwargs):
    sock = socket.create_connection(address, _time_left(), source_address)
    return _DeadlineSocket(fileno=sock.detach())


@functools.cache
def _tls_context():
    context = ssl.create_default_context()
    context.sslsocket_class = _DeadlineSSLSocket
    return context


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_HTTPSConnection, req, context=_tls_context())


_opener = urllib.request.build_opener(_HTTPHandler, _HTTPSHandler)


def probe(url, timeout=2.0):
    """GET ``url`` once: returns ``(ok, status_code, latency_ms, error)``; never raises.

    Healthy means an HTTP 2xx answer, read to its end (at most 1 KiB), within ``timeout``
    seconds of the start: a probe never takes much longer than ``timeout``, whatever the server
    does (except a host name that takes longer to resolve: use addresses or a local resolver).
    """
    started = time.monotonic()
    _probe.deadline = started + timeout
    status = 0
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "white-label-tenant-probe"})
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
            response.read(1024)
        error = None
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except Exception as exc:
        error = (str(exc) or exc.__class__.__name__)[:200]
    latency = (time.monotonic() - started) * 1000.0
    return error is None and 200 <= status < 300, status, latency, error


def probe_many(urls, timeout=2.0, workers=32):
    """Probe many URLs at once: ``{url: (ok, status_code, latency_ms, error)}``.

    The probes are I/O-bound: ``len(urls) / workers`` rounds of at most ``timeout`` seconds
    each when every endpoint hangs."""
    urls = list(dict.fromkeys(urls))
    if not urls:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls)))) as pool:
        results = pool.map(lambda url: probe(url, timeout), urls)
        return dict(zip(urls, results, strict=True))
