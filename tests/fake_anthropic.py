"""A local fake of the Anthropic Messages API for tests: real HTTP on 127.0.0.1, real SSE.

The real `anthropic` SDK talks to it through ANTHROPIC_BASE_URL / base_url. It checks the key the
SDK sends (`Authorization: Bearer`, or `x-api-key`) and answers `POST /v1/messages` (stream=true)
with the event sequence the API sends (message_start, content_block_start, ping,
content_block_delta with input_json_delta, content_block_stop, message_delta with cumulative
usage, message_stop). It plays scripted faults: HTTP errors with retry headers, a stream cut
mid-block, malformed tool JSON, prose instead of a tool call, a hand-written answer. Without a
script it answers like a careful reviewer: one finding per clause, quoting its first words and
citing its first guidance id. It also rejects what the real API rejects for a model (a forced
tool choice on models that forbid it, sampling parameters on 5.x models).
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "sk-ant-test-fake-key"
NO_FORCED_TOOL = {"claude-sonnet-5-5", "claude-opus-5-5", "claude-fable-5-1"}
_CLAUSE = re.compile(
    r'Clause id="(?P<id>[^"]+)".*?guidance="(?P<guidance>[^"]*)".*?'
    r"\n<(?P<tag>contract-[0-9a-f]+)>\n(?P<text>.*?)\n</(?P=tag)>",
    re.S,
)


@dataclass
class Reply:
    """One scripted answer. Leave `findings` and `raw_json` unset for the default review."""

    status: int = 200
    error_type: str = "api_error"
    message: str = "scripted fault"
    headers: dict[str, str] = field(default_factory=dict)
    findings: list[dict[str, Any]] | None = None
    raw_json: str | None = None  # literal tool input text, e.g. broken JSON
    usage: dict[str, int] | None = None  # final usage; default: derived from the request
    cut_after_items: int | None = None  # drop the connection after this many findings
    hold_after_items: int | None = None  # wait for `release` after this many findings
    thinking: bool = False  # a thinking block before the tool call (adaptive-thinking models)
    text_only: bool = False  # answer in prose, with no tool call


@dataclass
class Seen:
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def user_text(self) -> str:
        content = self.body["messages"][-1]["content"]
        return content if isinstance(content, str) else json.dumps(content)


class FakeAnthropic:
    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.script: deque[Reply] = deque()
        self.requests: list[Seen] = []
        self.release = threading.Event()
        self.held = threading.Event()
        self._cached: set[str] = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeAnthropic:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def next_reply(self, seen: Seen) -> Reply:
        with self._lock:
            self.requests.append(seen)
            return self.script.popleft() if self.script else Reply()

    def usage_for(self, body: dict[str, Any], output: str) -> dict[str, int]:
        """Tokens as ~4 characters each; the cached system prompt is written once, then read."""
        system = json.dumps(body.get("system", ""))
        with self._lock:
            hit = system in self._cached
            self._cached.add(system)
        prompt = len(json.dumps(body["messages"])) // 4
        return {
            "input_tokens": prompt,
            "cache_creation_input_tokens": 0 if hit else len(system) // 4,
            "cache_read_input_tokens": len(system) // 4 if hit else 0,
            "output_tokens": max(1, len(output) // 4),
        }


def default_findings(body: dict[str, Any]) -> list[dict[str, Any]]:
    content = body["messages"][-1]["content"]
    found = []
    for m in _CLAUSE.finditer(content if isinstance(content, str) else ""):
        ids = [g.strip() for g in m["guidance"].split(",") if g.strip()]
        words = " ".join(m["text"].split()[:8])
        if not ids or len(words) < 12:
            continue
        found.append(
            {
                "clause_id": m["id"],
                "clause_type": "Limitation Of Liability",
                "kind": "deviation",
                "risk": "medium",
                "quote": words,
                "deviation": "The clause departs from the playbook's standard position.",
                "recommendation": "Ask for the standard position instead.",
                "chunk_ids": ids[:1],
            }
        )
    return found


def _sse(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


def _handler(fake: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            return

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
            if self.path.split("?")[0] != "/v1/messages":
                return self._error(404, "not_found_error", f"no route {self.path}")
            # This SDK release sends the key as a bearer token; older ones sent x-api-key.
            sent = self.headers.get("x-api-key") or self.headers.get("authorization", "")
            if sent.removeprefix("Bearer ") != fake.api_key:
                fake.requests.append(Seen(dict(self.headers), body))
                return self._error(401, "authentication_error", "invalid x-api-key")
            problem = _invalid(body)
            if problem:
                return self._error(400, "invalid_request_error", problem)
            reply = fake.next_reply(Seen(dict(self.headers), body))
            if reply.status != 200:
                return self._error(reply.status, reply.error_type, reply.message, reply.headers)
            self._stream(body, reply)

        def _error(
            self, status: int, kind: str, message: str, headers: dict[str, str] | None = None
        ) -> None:
            payload = json.dumps(
                {"type": "error", "error": {"type": kind, "message": message}}
            ).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.send_header("request-id", f"req_err_{len(fake.requests)}")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _stream(self, body: dict[str, Any], reply: Reply) -> None:
            items = reply.findings if reply.findings is not None else default_findings(body)
            pieces = _tool_json_pieces(items) if reply.raw_json is None else [reply.raw_json]
            usage = reply.usage or fake.usage_for(body, "".join(pieces))
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("transfer-encoding", "chunked")
            self.send_header("request-id", f"req_fake_{len(fake.requests)}")
            self.end_headers()
            start_usage = {**usage, "output_tokens": 1}
            self._chunk(_sse("message_start", _message_start(body, start_usage)))
            index = 0
            if reply.thinking:
                self._thinking_block(index)
                index += 1
            if reply.text_only:
                self._text_block(index, "I reviewed the clauses; they look fine.")
            else:
                if self._tool_block(index, pieces, reply):
                    return  # connection cut
            self._chunk(
                _sse(
                    "message_delta",
                    {
                        "type": "message_delta",
                        "delta": {"stop_reason": "end_turn" if reply.text_only else "tool_use"},
                        "usage": usage,
                    },
                )
            )
            self._chunk(_sse("message_stop", {"type": "message_stop"}))
            self._chunk(b"")

        def _tool_block(self, index: int, pieces: list[str], reply: Reply) -> bool:
            block = {"type": "tool_use", "id": "toolu_fake", "name": "report_findings", "input": {}}
            self._chunk(
                _sse(
                    "content_block_start",
                    {"type": "content_block_start", "index": index, "content_block": block},
                )
            )
            self._chunk(_sse("ping", {"type": "ping"}))
            for n, piece in enumerate(pieces):
                if reply.hold_after_items is not None and n == reply.hold_after_items + 1:
                    fake.held.set()
                    fake.release.wait(10)
                # Deltas rarely align with objects: each piece goes out in two halves.
                half = len(piece) // 2 or len(piece)
                for part in (piece[:half], piece[half:]):
                    if part:
                        self._delta(index, part)
                    if reply.cut_after_items is not None and n == reply.cut_after_items + 1:
                        # Half an item sent, then a chunk that never completes: the peer hangs up.
                        self.wfile.write(b"40\r\nevent: content_block_delta\ndata: {")
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return True
            self._chunk(_sse("content_block_stop", {"type": "content_block_stop", "index": index}))
            return False

        def _delta(self, index: int, text: str) -> None:
            delta = {"type": "input_json_delta", "partial_json": text}
            self._chunk(
                _sse(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": index, "delta": delta},
                )
            )

        def _thinking_block(self, index: int) -> None:
            block = {"type": "thinking", "thinking": "", "signature": ""}
            self._chunk(
                _sse(
                    "content_block_start",
                    {"type": "content_block_start", "index": index, "content_block": block},
                )
            )
            delta = {"type": "thinking_delta", "thinking": "Reading the clauses."}
            self._chunk(
                _sse(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": index, "delta": delta},
                )
            )
            self._chunk(_sse("content_block_stop", {"type": "content_block_stop", "index": index}))

        def _text_block(self, index: int, text: str) -> None:
            block = {"type": "text", "text": ""}
            self._chunk(
                _sse(
                    "content_block_start",
                    {"type": "content_block_start", "index": index, "content_block": block},
                )
            )
            delta = {"type": "text_delta", "text": text}
            self._chunk(
                _sse(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": index, "delta": delta},
                )
            )
            self._chunk(_sse("content_block_stop", {"type": "content_block_stop", "index": index}))

    return Handler


def _invalid(body: dict[str, Any]) -> str | None:
    """What the real API would answer 400 for, for the checks that matter to us."""
    model = str(body.get("model", ""))
    choice = body.get("tool_choice") or {}
    if model in NO_FORCED_TOOL and choice.get("type") in {"tool", "any"}:
        return f"tool_choice forcing tool use is not supported with {model}"
    if model.startswith("claude-") and "-5" in model and "temperature" in body:
        return f"temperature is not supported with {model}"
    if not body.get("stream"):
        return "this fake only streams"
    return None


def _message_start(body: dict[str, Any], usage: dict[str, int]) -> dict[str, Any]:
    return {
        "type": "message_start",
        "message": {
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": body.get("model"),
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": usage,
        },
    }


def _tool_json_pieces(items: list[dict[str, Any]]) -> list[str]:
    """The tool input in pieces: the opening, one piece per item, the closing brackets."""
    pieces = ['{"findings": [']
    pieces += [("," if n else "") + json.dumps(item) for n, item in enumerate(items)]
    pieces.append("]}")
    return pieces
