"""The HTTP side of the fake Anthropic API: real SSE streams on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

from tests.fakeapi.script import (
    Reply,
    Script,
    assistant_turns,
    first_user_text,
    unique_id,
)


class FakeAnthropic:
    """A Messages API on a free loopback port, answering from scripts.

    Use as a context manager; ``base_url`` goes into ANTHROPIC_BASE_URL.
    ``requests`` records every body received, for assertions.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._scripts: list[Script] = []
        self._lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        self.connections = 0  # TCP connections accepted (a kept one serves several requests)
        self.paths: list[str] = []
        self.api_keys: set[str] = set()
        self.bearer_tokens: set[str] = set()  # Authorization: Bearer … (a subscription's token)
        # Server-sent events written so far, over all replies: a test waits on it
        # for "the reply is streaming now" instead of sleeping.
        self.events_sent = 0
        self._httpd = ThreadingHTTPServer((host, 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *replies: Reply, match: str = "", after_end: Reply | None = None) -> Script:
        """Add a script; the newest script whose ``match`` fits a conversation wins."""
        script = Script(list(replies), match=match)
        if after_end is not None:
            script.after_end = after_end
        with self._lock:
            self._scripts.insert(0, script)
        return script

    def agent_requests(self, match: str = "") -> list[dict[str, Any]]:
        """Recorded requests of the main agent loop (those that offer tools)."""
        with self._lock:
            return [r for r in self.requests if r.get("tools") and match in first_user_text(r)]

    def start(self) -> "FakeAnthropic":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "FakeAnthropic":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- called from the handler threads --

    def _record(self, path: str, body: dict[str, Any], api_key: str, authorization: str = "") -> None:
        with self._lock:
            self.paths.append(path)
            self.requests.append(body)
            if api_key:
                self.api_keys.add(api_key)
            if authorization.startswith("Bearer "):
                self.bearer_tokens.add(authorization.removeprefix("Bearer "))

    def _reply_for(self, body: dict[str, Any]) -> Reply:
        if not body.get("tools"):
            # Side requests (titles, summaries) offer no tools: answer briefly.
            return Reply(text="ok", input_tokens=10, output_tokens=2)
        text = first_user_text(body)
        with self._lock:
            script = next((s for s in self._scripts if s.match in text), None)
        if script is None:
            return Reply(text="No script for this conversation.")
        return script.reply_for(assistant_turns(body))


def _handler_for(api: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            with api._lock:
                api.connections += 1

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def do_HEAD(self) -> None:
            self._send_json(200, {})

        def do_GET(self) -> None:
            self._send_json(404, _error("not_found_error", f"no route {self.path}"))

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError:
                self._send_json(400, _error("invalid_request_error", "body is not JSON"))
                return
            path = self.path.split("?", 1)[0]
            api._record(self.path, body, self.headers.get("x-api-key", ""), self.headers.get("authorization", ""))
            if path == "/v1/messages/count_tokens":
                self._send_json(200, {"input_tokens": 100})
            elif path == "/v1/messages":
                self._messages(body)
            else:
                self._send_json(404, _error("not_found_error", f"no route {path}"))

        def _messages(self, body: dict[str, Any]) -> None:
            invalid = _invalid(body)
            if invalid:
                self._send_json(400, _error("invalid_request_error", invalid))
                return
            reply = api._reply_for(body)
            model = body.get("model", "claude-sonnet-4-5")
            if reply.status != 200:
                self._send_json(reply.status, _error("overloaded_error", "Overloaded"))
            elif body.get("stream"):
                self._stream(reply, model)
            else:
                self._send_json(200, _message(reply, model))

        def _stream(self, reply: Reply, model: str) -> None:
            # As the model's endpoint does: chunked, and the connection kept
            # for the next request (the app's proxy keeps it).
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            try:
                for i, (event, data) in enumerate(_sse_events(reply, model)):
                    if reply.delay and i:
                        time.sleep(reply.delay)  # the scenario: a slow model, not a synchronisation
                    chunk = f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
                    with api._lock:
                        api.events_sent += 1
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client went away (a cancelled task): nothing to do

        def _send_json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            if status == 529:
                self.send_header("x-should-retry", "false")
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _invalid(body: dict[str, Any]) -> str:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages: at least one message is required"
    for m in messages:
        if m.get("role") not in ("user", "assistant", "system"):
            return f"messages: unknown role {m.get('role')!r}"
    return ""


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


def _usage(reply: Reply) -> dict[str, int]:
    return {
        "input_tokens": reply.input_tokens,
        "output_tokens": reply.output_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
    }


def _blocks(reply: Reply) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if reply.text:
        blocks.append({"type": "text", "text": reply.text})
    blocks.extend({"type": "text", "text": text} for text in reply.texts if text)
    for call in reply.tool_calls:
        blocks.append({"type": "tool_use", "id": unique_id("toolu"), "name": call.name, "input": call.input})
    return blocks


def _message(reply: Reply, model: str) -> dict[str, Any]:
    return {
        "id": unique_id("msg"),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": _blocks(reply),
        "stop_reason": reply.stop_reason,
        "stop_sequence": None,
        "usage": _usage(reply),
    }


def _split(text: str, parts: int) -> list[str]:
    parts = max(1, min(parts, len(text) or 1))
    size, extra = divmod(len(text), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(text[start:end])
        start = end
    return out


def _sse_events(reply: Reply, model: str) -> Iterator[tuple[str, dict[str, Any]]]:
    start = _message(reply, model) | {"content": [], "stop_reason": None}
    start["usage"] = _usage(reply) | {"output_tokens": 1}
    yield "message_start", {"type": "message_start", "message": start}
    for index, block in enumerate(_blocks(reply)):
        if block["type"] == "text":
            yield "content_block_start", {
                "type": "content_block_start", "index": index,
                "content_block": {"type": "text", "text": ""},
            }
            for piece in _split(block["text"], reply.chunks):
                yield "content_block_delta", {
                    "type": "content_block_delta", "index": index,
                    "delta": {"type": "text_delta", "text": piece},
                }
        else:
            yield "content_block_start", {
                "type": "content_block_start", "index": index,
                "content_block": {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}},
            }
            for piece in _split(json.dumps(block["input"]), 3):
                yield "content_block_delta", {
                    "type": "content_block_delta", "index": index,
                    "delta": {"type": "input_json_delta", "partial_json": piece},
                }
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
    yield "message_delta", {
        "type": "message_delta",
        "delta": {"stop_reason": reply.stop_reason, "stop_sequence": None},
        "usage": {"output_tokens": reply.output_tokens},
    }
    yield "message_stop", {"type": "message_stop"}
