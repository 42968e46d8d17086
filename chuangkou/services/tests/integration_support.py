"""Shared pieces of the back-office integration tests: a real HTTP receiver on 127.0.0.1 that
records what it gets and answers from a script, and a registered system with its key."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from chuangkou.organizations.choices import Role

from .. import actions


@dataclass
class ReceivedRequest:
    path: str
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """``answers``: status codes to give in order; the last one repeats."""

    answers: list[int] = field(default_factory=lambda: [200])
    location: str = ""
    delay: float = 0.0
    requests: list[ReceivedRequest] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks/chuangkou"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                if receiver.delay:
                    time.sleep(receiver.delay)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.requests.append(ReceivedRequest(
                        path=self.path, headers={k.lower(): v for k, v in self.headers.items()},
                        body=body))
                    index = len(receiver.requests) - 1
                    status = receiver.answers[min(index, len(receiver.answers) - 1)]
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def administrator(cluster):
    return cluster.user("city", Role.SYSTEM_ADMINISTRATOR)


def register(cluster, *, body=None, webhook_url="", name="教育审批系统"):
    """(system, api key) registered for ``body`` (the education bureau by default)."""
    return actions.register_back_office_system(
        actor=administrator(cluster), name=name, body=body or cluster.education,
        webhook_url=webhook_url)
