"""Plumbing the handoff tests' fake HTTP servers share: serving a handler on a free local
port, and writing its answer. The fakes themselves (what they check, record and answer)
stay in their test files.

Imported by plain name (`from local_server import serving, send_json`): this directory has
no __init__.py, so pytest (import mode prepend) puts it on sys.path for the tests beside it.
"""
import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator, Mapping, Optional, Type


@contextmanager
def serving(handler_class: Type[BaseHTTPRequestHandler]) -> Iterator[ThreadingHTTPServer]:
    """Serves handler_class on 127.0.0.1 at a free port (see server_port) from a daemon
    thread, one thread per request; shuts the server down and closes its socket on exit."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def send_answer(handler: BaseHTTPRequestHandler, status: int, data: bytes, content_type: str = "application/json",
                headers: Optional[Mapping[str, str]] = None) -> None:
    """Writes a whole answer: status, Content-Type, Content-Length, any extra headers, then
    the bytes. A client that has given up (a timeout test) is not an error of the fake."""
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        pass


def send_json(handler: BaseHTTPRequestHandler, status: int, body: Any,
              headers: Optional[Mapping[str, str]] = None) -> None:
    """send_answer() with body as JSON; None sends an empty body (a 204, say)."""
    send_answer(handler, status, b"" if body is None else json.dumps(body).encode(), headers=headers)
