"""Render a public URL in-process exactly as an anonymous visitor would receive it.

Static publishing (deploy/nginx) needs the bytes the application would answer to a visitor
without cookies. Rather than re-implementing page rendering, the request goes through Django's
own handler (every middleware, Wagtail's routing and hooks) with a WSGI environ built from the
URL. Nothing here uses ``django.test``.
"""

import io
import sys
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes, urlsplit

from django.core.handlers.wsgi import WSGIHandler, get_script_name
from django.urls import get_script_prefix, get_urlconf, set_script_prefix, set_urlconf
from django.utils import translation

#: WSGI environ key the full-page cache middleware honours: an in-process render must see the
#: application's current answer, never a cached copy of the previous one.
BYPASS_PAGE_CACHE = "chuangkou.bypass_page_cache"


@dataclass(frozen=True)
class RenderedPage:
    """The application's answer to an anonymous GET."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        """A response header by case-insensitive name ("" when absent)."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return ""


class _InProcessHandler(WSGIHandler):
    """Django's WSGI handler, minus the request_started/request_finished signals.

    Those signals close "old" database connections (``close_old_connections``); sent from
    inside another request or an ``on_commit`` callback they would close the caller's
    connection, or break its transaction. Everything else - the middleware chain, URL
    resolution, exception handling - is Django's own ``get_response``.
    """

    def render(self, environ: dict) -> RenderedPage:
        set_script_prefix(get_script_name(environ))
        request = self.request_class(environ)
        response = self.get_response(request)
        try:
            body = b"".join(response.streaming_content) if response.streaming else response.content
        finally:
            # response.close() would send request_finished (see above); release the one
            # resource a page response can hold (a streamed file) directly.
            stream = getattr(response, "file_to_stream", None)
            if stream is not None and hasattr(stream, "close"):
                stream.close()
        headers = dict(response.items())
        for morsel in response.cookies.values():
            headers.setdefault("Set-Cookie", morsel.OutputString())
        return RenderedPage(
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
            body=body,
            headers=headers,
        )


_handler: _InProcessHandler | None = None


def _get_handler() -> _InProcessHandler:
    global _handler
    if _handler is None:
        _handler = _InProcessHandler()
    return _handler


def anonymous_environ(url: str) -> dict:
    """A WSGI environ for an anonymous GET of an absolute URL: no cookies, no credentials."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    default_port = 443 if parts.scheme == "https" else 80
    host = parts.hostname if port == default_port else f"{parts.hostname}:{port}"
    # PATH_INFO is the decoded path, as a WSGI server passes it (latin-1 string of the bytes).
    path_info = unquote_to_bytes(parts.path or "/").decode("latin-1")
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path_info,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname,
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        # What nginx sends in front of the application (deploy/nginx).
        "HTTP_X_FORWARDED_PROTO": parts.scheme,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": parts.scheme,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        BYPASS_PAGE_CACHE: True,
    }


def render_anonymous(*, url: str) -> RenderedPage:
    """Answer ``url`` (scheme, host, path) as the application answers an anonymous visitor.

    Safe to call from inside a request or an ``on_commit`` callback: the caller's script
    prefix, URLconf and active language are put back afterwards.
    """
    environ = anonymous_environ(url)
    saved_prefix, saved_urlconf = get_script_prefix(), get_urlconf()
    saved_language = translation.get_language()
    try:
        return _get_handler().render(environ)
    finally:
        set_script_prefix(saved_prefix)
        set_urlconf(saved_urlconf)
        if saved_language:
            translation.activate(saved_language)
        else:
            translation.deactivate()
