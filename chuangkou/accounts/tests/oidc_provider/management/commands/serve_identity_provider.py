"""Create the provider's tables, seed its client and users, and serve it on a free port of
127.0.0.1. The first line on standard output is ``listening on <base url>``; the test fixture
reads the port from it, so no port is guessed and none can be taken in between."""

import sys
import threading

from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

from ...seed import seed_provider


class QuietRequestHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        return


class Command(BaseCommand):
    help = "Serve the test OpenID Connect provider on a free local port."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stop-when-stdin-closes", action="store_true",
            help="Stop when standard input reaches its end, so a test run that is killed "
                 "never leaves the provider behind.")

    def handle(self, *args, stop_when_stdin_closes=False, **options):
        call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
        seed_provider()
        server = ThreadedWSGIServer(("127.0.0.1", 0), QuietRequestHandler,
                                    allow_reuse_address=False)
        server.set_app(WSGIHandler())
        if stop_when_stdin_closes:
            threading.Thread(target=self._stop_at_end_of_input, args=(server,),
                             daemon=True).start()
        host, port = server.server_address[:2]
        self.stdout.write(f"listening on http://{host}:{port}")
        self.stdout.flush()
        try:
            server.serve_forever()
        finally:
            server.server_close()

    @staticmethod
    def _stop_at_end_of_input(server):
        sys.stdin.buffer.read()
        server.shutdown()
