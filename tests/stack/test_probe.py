"""The stack's health probe: a busy app stays Varnish's backend, a slow one too."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from deploy.stack import app_backend
from tests.stack.conftest import fetch, free_port, start_varnish

HEALTH_SECONDS = 2.5


class BusyApp(BaseHTTPRequestHandler):
    """An app whose health answer waits behind a queue of pages, as gunicorn's does."""

    def do_GET(self):
        if self.path == "/healthz":
            time.sleep(HEALTH_SECONDS)
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_an_app_slow_to_say_it_is_healthy_keeps_getting_readers(tmp_path):
    port = free_port()
    app = ThreadingHTTPServer(("127.0.0.1", port), BusyApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    process, address = start_varnish(
        tmp_path,
        app_backend(port) + 'acl purgers { "127.0.0.1"; }\n',
        ready_path="/robots.txt",
    )
    try:
        # Long enough for three probes: a probe that gave up before the
        # app's answer would have called it sick by now.
        time.sleep(3 * 2 + HEALTH_SECONDS)
        answers = [fetch(f"{address}/ko/?n={number}").status for number in range(5)]
        assert answers == [200] * 5
    finally:
        process.terminate()
        process.wait(timeout=10)
        app.shutdown()
