"""Render deploy/nginx/chuangkou.conf.template into a complete nginx.conf.

    manage.py render_nginx_config --listen 0.0.0.0:80 --upstream 127.0.0.1:8000 \\
        --published-root /srv/chuangkou/published --static-root /srv/chuangkou/static \\
        --media-root /srv/chuangkou/media --output /etc/chuangkou/nginx/nginx.conf

Without --server-name the hostnames come from the Wagtail Sites (the default site, the
portal, first); run again after a site gets its own hostname.
"""

import getpass
import os
import re
from pathlib import Path
from string import Template

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "chuangkou.conf.template"
HOST_RE = re.compile(r"^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
ADDRESS_RE = re.compile(r"^(\[[0-9a-f:]+\]|[A-Za-z0-9.-]+):\d{1,5}$|^unix:/[^\s;]+$")
COOKIE_RE = re.compile(r"^[A-Za-z0-9_]+$")
NGINX_UNSAFE = re.compile(r"[\s;{}'\"$\\#]")


def _address(value: str, option: str) -> str:
    if not ADDRESS_RE.match(value):
        raise CommandError(f"{option} must be HOST:PORT (or unix:/path), not {value!r}")
    return value


def _path(value: str, option: str) -> str:
    path = os.path.abspath(value)
    if NGINX_UNSAFE.search(path):
        raise CommandError(f"{option}: paths with spaces, quotes, ';', '{{', '}}', '$' or '#' "
                           f"are not supported in nginx.conf: {path!r}")
    return path.rstrip("/") or "/"


def _hosts(names: list[str] | None) -> list[str]:
    if not names:
        from wagtail.models import Site

        names = [site.hostname for site in Site.objects.order_by("-is_default_site", "hostname")]
    hosts = list(dict.fromkeys(name.strip().lower() for name in names if name.strip()))
    for host in hosts:
        if not HOST_RE.match(host):
            raise CommandError(f"not a hostname: {host!r}")
    if not hosts:
        raise CommandError("no server names: pass --server-name or create the portal first")
    return hosts


def _error_log(value: str) -> str:
    if os.path.isabs(value):
        return _path(value, "--error-log")
    if NGINX_UNSAFE.search(value):
        raise CommandError(f"--error-log: unsupported characters in {value!r}")
    return value  # "stderr", or relative to nginx's -p prefix


def render_nginx_config(*, listen: str, upstream: str, published_root: str, static_root: str,
                        media_root: str, server_names: list[str] | None = None,
                        default_host: str | None = None, user: str | None = None,
                        access_log: str = "off", error_log: str = "logs/error.log",
                        frame_options: str | None = None,
                        open_file_cache_valid: int = 0) -> str:
    """The nginx.conf text for these values (see the module docstring)."""
    hosts = _hosts(server_names)
    default = (default_host or hosts[0]).lower()
    if not HOST_RE.match(default) or default.startswith("*."):
        raise CommandError(f"not a hostname: {default!r}")
    session_cookie = settings.SESSION_COOKIE_NAME
    csrf_cookie = settings.CSRF_COOKIE_NAME
    for cookie in (session_cookie, csrf_cookie):
        if not COOKIE_RE.match(cookie):
            raise CommandError(f"cookie name {cookie!r} cannot be matched by nginx's $cookie_")
    if access_log == "off":
        access_directive = "access_log off;"
        access_description = "off (the application's audit log records what matters)"
    else:
        access_directive = f"access_log {_path(access_log, '--access-log')} combined buffer=64k flush=5s;"
        access_description = "buffered, flushed every 5 s (no write per request)"
    mapped = "\n".join(f"        {host:<40} {host};" for host in hosts if not host.startswith("*."))
    wildcards = "\n".join(f"        {host:<40} {default};" for host in hosts if host.startswith("*."))
    if open_file_cache_valid < 0:
        raise CommandError("--open-file-cache-valid must be 0 (off) or a number of seconds")
    page_file_cache = (
        f"open_file_cache max=100000 inactive=60s;\n"
        f"            open_file_cache_valid {open_file_cache_valid}s;"
        if open_file_cache_valid else "# open_file_cache off: publications show at once"
    )
    values = {
        "CHUANGKOU_PAGE_FILE_CACHE": page_file_cache,
        "CHUANGKOU_USER_DIRECTIVE": f"user {user};" if user else "# user: the invoking user",
        "CHUANGKOU_ERROR_LOG": _error_log(error_log),
        "CHUANGKOU_ACCESS_LOG_DIRECTIVE": access_directive,
        "CHUANGKOU_ACCESS_LOG_DESCRIPTION": access_description,
        "CHUANGKOU_LISTEN": _address(listen, "--listen"),
        "CHUANGKOU_UPSTREAM": _address(upstream, "--upstream"),
        "CHUANGKOU_PUBLISHED_ROOT": _path(published_root, "--published-root"),
        "CHUANGKOU_STATIC_ROOT": _path(static_root, "--static-root"),
        "CHUANGKOU_MEDIA_ROOT": _path(media_root, "--media-root"),
        "CHUANGKOU_SERVER_NAMES": " ".join(hosts),
        "CHUANGKOU_DEFAULT_HOST": default,
        "CHUANGKOU_HOST_MAP": "\n".join(part for part in (mapped, wildcards) if part),
        "CHUANGKOU_SESSION_COOKIE": session_cookie,
        "CHUANGKOU_CSRF_COOKIE": csrf_cookie,
        "CHUANGKOU_FRAME_OPTIONS": frame_options or getattr(settings, "X_FRAME_OPTIONS", "DENY"),
    }
    text = Template(TEMPLATE.read_text()).safe_substitute(values)
    left = sorted(set(re.findall(r"\$\{?CHUANGKOU_[A-Z_]+\}?", text)))
    if left:
        raise CommandError(f"template placeholders without a value: {', '.join(left)}")
    return text


class Command(BaseCommand):
    help = "Render the production nginx.conf (nginx in front of granian, static publishing)."

    def add_arguments(self, parser):
        parser.add_argument("--listen", required=True, help="HOST:PORT nginx listens on")
        parser.add_argument("--upstream", required=True, help="HOST:PORT of granian")
        parser.add_argument("--published-root", required=True,
                            help="PUBLISHED_PAGES_ROOT (files written at publication)")
        parser.add_argument("--static-root", required=True, help="STATIC_ROOT (collectstatic)")
        parser.add_argument("--media-root", required=True, help="MEDIA_ROOT (uploads)")
        parser.add_argument("--server-name", action="append", dest="server_names",
                            metavar="NAME", help="hostname served (repeat); default: the "
                            "Wagtail Sites' hostnames, the default site first")
        parser.add_argument("--default-host", help="published directory for unknown hosts "
                            "(default: the first server name, i.e. the portal)")
        parser.add_argument("--user", help="user the worker processes run as when nginx "
                            "starts as root (e.g. www-data); default: none")
        parser.add_argument("--current-user", action="store_true",
                            help="run workers as the invoking user (tests, containers)")
        parser.add_argument("--access-log", default="off",
                            help="'off' (default) or a file path (buffered)")
        parser.add_argument("--error-log", default="logs/error.log",
                            help="error log (relative to nginx's -p prefix, or 'stderr')")
        parser.add_argument("--output", help="write here instead of standard output")
        parser.add_argument("--open-file-cache-valid", type=int, default=0,
                            help="cache published files' descriptors, revalidated every N "
                                 "seconds (faster; publications may show N seconds later); "
                                 "default 0: off")

    def handle(self, *args, **options):
        user = options["user"]
        if options["current_user"]:
            user = getpass.getuser()
        text = render_nginx_config(
            listen=options["listen"], upstream=options["upstream"],
            published_root=options["published_root"], static_root=options["static_root"],
            media_root=options["media_root"], server_names=options["server_names"],
            default_host=options["default_host"], user=user,
            access_log=options["access_log"], error_log=options["error_log"],
            open_file_cache_valid=options["open_file_cache_valid"],
        )
        if options["output"]:
            output = Path(options["output"])
            output.parent.mkdir(parents=True, exist_ok=True)
            if not options["error_log"].startswith("/") and options["error_log"] != "stderr":
                (output.parent / Path(options["error_log"]).parent).mkdir(parents=True,
                                                                          exist_ok=True)
            output.write_text(text)
            self.stderr.write(f"wrote {output}")
        else:
            self.stdout.write(text, ending="")
