"""Stand-ins for the messaging providers' APIs, and their webhook signatures.

No provider is reachable from a test machine, so the connectors' API addresses
(TELEGRAM_API_URL, SLACK_API_URL, FACEBOOK_API_URL, TWILIO_API_URL) point at a `Recorder`:
a threaded HTTP server in the test process that records every request and answers it the
way the provider would, so the SDK inside the Rasa server carries on as in production. It
also holds the files customers send (photos): Telegram's behind getFile, Twilio's media for
the account only, Messenger's attachments at their URL.

The signatures are computed here from the providers' documentation, independently of the
code under test (and of the SDKs, which this virtualenv doesn't have).
"""
import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple
from urllib.parse import parse_qs, urlsplit


@dataclass
class Call:
    """One request the Rasa server made to a provider."""

    method: str
    path: str
    query: Dict[str, str]
    headers: Dict[str, str]
    body: bytes
    fields: Dict[str, str] = field(default_factory=dict)  # form fields or the JSON object

    @property
    def api(self) -> str:
        """The API method: the last part of the path ("sendMessage", "chat.postMessage")."""
        return self.path.rstrip("/").rsplit("/", 1)[-1]


class File(NamedTuple):
    """A file a provider serves: its bytes, its type, and the HTTP basic credentials it asks for."""

    data: bytes
    content_type: str
    basic_auth: Optional[Tuple[str, str]] = None


def basic_authorization(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _parse(content_type: str, body: bytes) -> dict:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        return {part.get_param("name", header="content-disposition"): part.get_content()
                for part in message.iter_parts()}
    return {}


class Recorder:
    """Records requests under /telegram, /slack, /facebook and /twilio and answers them."""

    def __init__(self, telegram_bot_name: str):
        self.telegram_bot_name = telegram_bot_name
        self.calls: List[Call] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1000)
        self._files: Dict[str, File] = {}  # by path
        self._telegram_files: Dict[str, dict] = {}  # getFile's answers, by file_id
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._handle()

            def do_POST(self):
                self._handle()

            def _handle(self):
                parts = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                call = Call(self.command, parts.path,
                            {k: v[-1] for k, v in parse_qs(parts.query).items()},
                            {k.lower(): v for k, v in self.headers.items()}, body,
                            _parse(self.headers.get("Content-Type", ""), body))
                with recorder._lock:
                    recorder.calls.append(call)
                status, answer = recorder.answer(call)
                if isinstance(answer, File):
                    data, content_type = answer.data, answer.content_type
                else:
                    data, content_type = json.dumps(answer).encode(), "application/json"
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Recorder":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ---- Files customers send ----------------------------------------------------------
    def serve(self, path: str, data: bytes, content_type: str = "image/jpeg",
              basic_auth: Optional[Tuple[str, str]] = None) -> str:
        """Serves `data` at GET `path` (to these HTTP basic credentials only, when given): its URL."""
        with self._lock:
            self._files[path] = File(data, content_type, basic_auth)
        return self.url + path

    def telegram_file(self, token: str, data: bytes, extension: str = "jpg") -> dict:
        """A file a customer sent the bot: what an update says of it (file_id, file_unique_id,
        file_size). getFile gives its path, served under /telegram/file/bot<token>/."""
        number = next(self._ids)
        described = {"file_id": f"AgACAgQAAxkBAAI{number}", "file_unique_id": f"AQAD{number}", "file_size": len(data)}
        path = f"{'photos' if extension == 'jpg' else 'documents'}/file_{number}.{extension}"
        with self._lock:
            self._telegram_files[described["file_id"]] = {**described, "file_path": path}
        self.serve(f"/telegram/file/bot{token}/{path}", data)
        return described

    def _file(self, call: Call, file: File):
        if file.basic_auth and call.headers.get("authorization") != basic_authorization(*file.basic_auth):
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        return 200, file

    # ---- What the providers answer ----------------------------------------------------
    def answer(self, call: Call):
        with self._lock:
            file = self._files.get(call.path) if call.method == "GET" else None
        if file is not None:
            return self._file(call, file)
        provider = call.path.strip("/").split("/", 1)[0]
        return getattr(self, f"_{provider}", self._unknown)(call)

    def _unknown(self, call: Call):
        return 404, {"error": f"no such API: {call.path}"}

    def _telegram(self, call: Call):
        # https://core.telegram.org/bots/api#making-requests: {"ok": true, "result": ...}
        method = call.api.lower()
        if method == "getme":
            result = {"id": 123456789, "is_bot": True, "first_name": "Support",
                      "username": self.telegram_bot_name}
        elif method == "sendmessage":
            result = {"message_id": next(self._ids), "date": int(time.time()),
                      "chat": {"id": int(call.fields.get("chat_id", 0)), "type": "private"},
                      "text": call.fields.get("text", "")}
        elif method == "getfile":  # https://core.telegram.org/bots/api#getfile
            with self._lock:
                result = self._telegram_files.get(call.fields.get("file_id"))
            if result is None:
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}
        else:  # setWebhook, answerCallbackQuery, ...
            result = True
        return 200, {"ok": True, "result": result}

    def _slack(self, call: Call):
        # https://api.slack.com/methods/chat.postMessage
        return 200, {"ok": True, "channel": call.fields.get("channel"),
                     "ts": f"{time.time():.6f}", "message": {"text": call.fields.get("text")}}

    def _facebook(self, call: Call):
        # https://developers.facebook.com/docs/messenger-platform/reference/send-api/
        recipient = call.fields.get("recipient", {}).get("id")
        if "sender_action" in call.fields:
            return 200, {"recipient_id": recipient}
        return 200, {"recipient_id": recipient, "message_id": f"m_{next(self._ids)}"}

    def _twilio(self, call: Call):
        # https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
        if not call.path.endswith("/Messages.json"):
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        sid = f"SM{next(self._ids):032d}"
        account = call.path.split("/Accounts/")[1].split("/")[0]
        return 201, {"sid": sid, "account_sid": account, "to": call.fields.get("To"),
                     "from": call.fields.get("From"), "body": call.fields.get("Body"),
                     "status": "queued", "num_segments": "1", "num_media": "0",
                     "direction": "outbound-api", "api_version": "2010-04-01",
                     "date_created": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()),
                     "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json"}

    # ---- What the tests look at -------------------------------------------------------
    def matching(self, predicate: Callable[[Call], bool]) -> List[Call]:
        with self._lock:
            return [call for call in self.calls if predicate(call)]

    def wait_for(self, predicate: Callable[[Call], bool], count: int = 1, timeout: float = 30,
                 settle: float = 0.5) -> List[Call]:
        """The matching calls, once there are at least `count` of them and no more arrived
        for `settle` seconds (a reply can be several messages)."""
        deadline = time.monotonic() + timeout
        seen, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            calls = self.matching(predicate)
            if len(calls) != seen:
                seen, since = len(calls), time.monotonic()
            elif len(calls) >= count and time.monotonic() - since >= settle:
                return calls
            time.sleep(0.05)
        calls = self.matching(predicate)
        assert len(calls) >= count, f"expected {count} call(s), got {len(calls)}: {calls}"
        return calls


# ---- Signatures, as the providers document them -------------------------------------------
def twilio_signature(auth_token: str, url: str, params: Dict[str, str]) -> str:
    """https://www.twilio.com/docs/usage/webhooks/webhooks-security: the URL, then each POST
    parameter's name and value sorted by name, HMAC-SHA1 with the auth token, base64."""
    data = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def slack_headers(signing_secret: str, body: bytes, timestamp: Optional[int] = None) -> Dict[str, str]:
    """https://api.slack.com/authentication/verifying-requests-from-slack (v0)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:".encode() + body
    signature = "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}


def facebook_signature(app_secret: str, body: bytes) -> str:
    """https://developers.facebook.com/docs/messenger-platform/webhooks#validate-payloads"""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def facebook_sha1_signature(app_secret: str, body: bytes) -> str:
    """The older header Facebook still sends alongside (and the only one Rasa 3.6 checks)."""
    return "sha1=" + hmac.new(app_secret.encode(), body, hashlib.sha1).hexdigest()
