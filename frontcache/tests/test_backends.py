"""The purge backends speak to real HTTP servers: what they send, and failures."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from frontcache.backends import CloudflareBackend, PurgeFailed, VarnishBackend


class Recorder(BaseHTTPRequestHandler):
    answer = 200
    body = b""
    seen: list[tuple[str, str, dict, bytes]] = []

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.seen.append(
            (
                self.command,
                self.path,
                {name.lower(): value for name, value in self.headers.items()},
                self.rfile.read(length),
            )
        )
        self.send_response(self.answer)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_PURGE = do_POST = _record

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    Recorder.seen = []
    Recorder.answer = 200
    Recorder.body = b""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_varnish_gets_one_purge_per_server_with_the_keys(server):
    VarnishBackend(locations=[server, server + "/"]).purge(["s1", "home"])
    assert [(method, path) for method, path, _h, _b in Recorder.seen] == [
        ("PURGE", "/"),
        ("PURGE", "/"),
    ]
    assert all(
        headers["xkey-purge"] == "s1 home" for _m, _p, headers, _b in Recorder.seen
    )


def test_a_soft_purge_says_so(server):
    VarnishBackend(locations=[server]).purge(["sec3"], soft=True)
    ((_method, _path, headers, _body),) = Recorder.seen
    assert headers["xkey-softpurge"] == "sec3"
    assert "xkey-purge" not in headers


def test_many_keys_go_in_batches(server):
    keys = [f"s{n}" for n in range(250)]
    VarnishBackend(locations=[server]).purge(keys)
    sent = [headers["xkey-purge"].split() for _m, _p, headers, _b in Recorder.seen]
    assert [len(batch) for batch in sent] == [100, 100, 50]
    assert sum(sent, []) == keys


def test_a_refusing_or_absent_varnish_fails_the_purge(server):
    Recorder.answer = 403
    with pytest.raises(PurgeFailed, match="403"):
        VarnishBackend(locations=[server]).purge(["s1"])
    with pytest.raises(PurgeFailed):
        VarnishBackend(locations=["http://127.0.0.1:9"], timeout=1).purge(["s1"])


def test_only_http_addresses_are_taken():
    with pytest.raises(ValueError, match="http"):
        VarnishBackend(locations=["file:///etc/passwd"])
    with pytest.raises(ValueError, match="address"):
        VarnishBackend(locations=[])


def test_cloudflare_gets_tags_with_the_token_and_its_refusal_fails(server):
    Recorder.body = json.dumps({"success": True}).encode()
    backend = CloudflareBackend(zone="z1", token="secret", api=server)
    backend.purge([f"s{n}" for n in range(31)])
    first, second = Recorder.seen
    assert first[0] == "POST" and first[1] == "/zones/z1/purge_cache"
    assert first[2]["authorization"] == "Bearer secret"
    assert len(json.loads(first[3])["tags"]) == 30
    assert json.loads(second[3])["tags"] == ["s30"]
    Recorder.body = json.dumps({"success": False, "errors": ["bad zone"]}).encode()
    with pytest.raises(PurgeFailed, match="bad zone"):
        backend.purge(["s1"])
