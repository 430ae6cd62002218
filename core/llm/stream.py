"""One streaming Messages API call whose answer is a tool call holding a list of items.

Items are yielded the moment their JSON object closes in the stream, so a finding reaches the user
while Claude is still writing the next one. Usage is cumulative in the stream: the last value
reported wins (never summed). What the call cost and how it ended stays on the object.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import anthropic
import httpx2

from core.models import TOKEN_FIELDS, Usage


class MalformedAnswer(Exception):
    """The answer is not a usable tool call (no call, broken JSON, wrong shape)."""


class StreamCut(Exception):
    """The stream ended before the message did (dropped connection, server cut-off)."""


class ArrayItems:
    """Feeds partial JSON of `{"<key>": [ {...}, {...} ]}` and returns each object once closed."""

    def __init__(self) -> None:
        self.text = ""
        self._pos = 0
        self._depth = 0
        self._in_string = False
        self._escape = False
        self._item_start: int | None = None

    def feed(self, chunk: str) -> list[Any]:
        self.text += chunk
        done: list[Any] = []
        for i in range(self._pos, len(self.text)):
            ch = self.text[i]
            if self._in_string:
                if self._escape:
                    self._escape = False
                elif ch == "\\":
                    self._escape = True
                elif ch == '"':
                    self._in_string = False
            elif ch == '"':
                self._in_string = True
            elif ch in "{[":
                if self._depth == 2 and ch == "{":
                    self._item_start = i
                self._depth += 1
            elif ch in "}]":
                self._depth -= 1
                if self._depth == 2 and self._item_start is not None:
                    done.append(_loads(self.text[self._item_start : i + 1]))
                    self._item_start = None
        self._pos = len(self.text)
        return done


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise MalformedAnswer(f"the tool input is not valid JSON ({exc})") from None


class ToolStream:
    """Iterate to run the call; afterwards read usage, request_id, timings and stop_reason."""

    def __init__(self, client: anthropic.Anthropic, params: dict[str, Any], tool: str) -> None:
        self._client = client
        self._params = params
        self._tool = tool
        self.usage = Usage()
        self.request_id: str | None = None
        self.stop_reason: str | None = None
        self.latency_ms: float | None = None
        self.ttft_ms: float | None = None
        self.answer: Any = None  # the whole tool input once its block closed

    def __iter__(self) -> Iterator[Any]:
        started = time.perf_counter()
        try:
            yield from self._events(started)
        except (httpx2.TransportError, anthropic.APIConnectionError) as exc:
            if self.request_id is None:
                raise  # never connected: the caller reports the API as unreachable
            raise StreamCut(f"the connection dropped mid-answer ({type(exc).__name__})") from None
        finally:
            self.latency_ms = round((time.perf_counter() - started) * 1000, 1)

    def _events(self, started: float) -> Iterator[Any]:
        items: ArrayItems | None = None
        tool_index: int | None = None
        finished = False
        with self._client.messages.create(**self._params, stream=True) as stream:
            self.request_id = stream.response.headers.get("request-id")
            for event in stream:
                if event.type == "message_start":
                    self._take_usage(event.message.usage)
                elif event.type == "content_block_start":
                    self._first_token(started)
                    block = event.content_block
                    if block.type == "tool_use" and block.name == self._tool and items is None:
                        items, tool_index = ArrayItems(), event.index
                elif event.type == "content_block_delta":
                    self._first_token(started)
                    delta = event.delta
                    if event.index == tool_index and items and delta.type == "input_json_delta":
                        yield from items.feed(delta.partial_json)
                elif event.type == "content_block_stop" and event.index == tool_index and items:
                    self.answer = _loads(items.text or "{}")
                elif event.type == "message_delta":
                    self.stop_reason = event.delta.stop_reason
                    self._take_usage(event.usage)
                elif event.type == "message_stop":
                    finished = True
        if not finished:
            raise StreamCut("the stream ended before the message was complete")
        if self.answer is None:
            raise MalformedAnswer(
                f"the answer has no complete {self._tool} call (stop reason {self.stop_reason})"
            )

    def _first_token(self, started: float) -> None:
        if self.ttft_ms is None:
            self.ttft_ms = round((time.perf_counter() - started) * 1000, 1)

    def _take_usage(self, usage: Any) -> None:
        """Counts in the stream are running totals: keep the latest of each, never add them."""
        for name in TOKEN_FIELDS:
            value = getattr(usage, name, None)
            if value is not None:
                setattr(self.usage, name, int(value))
