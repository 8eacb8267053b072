"""A fake asset system on 127.0.0.1 for tests: it verifies each webhook's signature with the shared secret, as the
real receiver must, records the requests (with their ``Idempotency-Key``) and answers scripted replies.

Usage::

    with FakeAssetSystem(secret="s3cret") as fake:
        fake.enqueue(FakeReply(status=500))  # the first post: 500
        post_event(fake.webhook_url, body, headers, timeout=2)  # raises AssetSystemError(retryable=True)
        post_event(fake.webhook_url, body, headers, timeout=2)  # default reply: 201 with an entitlement

A request whose signature does not hold is answered 401 (the queue is not consumed) and recorded with its
``signature_error``. The default reply gives each new ``Idempotency-Key`` an entitlement ``ENT-<n>`` and repeats it
for a key already seen, like a receiver that deduplicates.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from odoo.addons.ai_bridge_core.tests.local_server import FakeServiceHandler, LocalHttpServer, json_or_none

from ..tools.webhook_signature import IDEMPOTENCY_HEADER, SignatureError, verify

WEBHOOK_PATH = "/webhooks/odoo"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    raw_body: bytes
    body: Any  # parsed JSON or None
    signature_error: str | None  # SignatureError.reason, None when the signature holds

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get(IDEMPOTENCY_HEADER.lower())


@dataclass(frozen=True)
class FakeReply:
    status: int = 201
    body: bytes | dict[str, Any] | list[Any] | None = None  # None: the default entitlement reply
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a shorter client timeout fires)


class _Handler(FakeServiceHandler):
    def _serve(self) -> None:
        headers, raw_body = self._read()
        fake = self.server.fake
        try:
            verify(fake.secret, headers, raw_body)
            signature_error = None
        except SignatureError as error:
            signature_error = error.reason
        request = RecordedRequest(self.command, self.path, headers, raw_body, json_or_none(raw_body), signature_error)
        reply = fake._record_and_choose(request)
        if reply.delay and fake._stopping.wait(reply.delay):
            return
        payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
        self._write(reply.status, payload, {"Content-Type": "application/json", **reply.headers})

    do_GET = do_POST = _serve


class FakeAssetSystem(LocalHttpServer):
    handler_class = _Handler
    thread_name = "fake-asset-system"

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret
        self.entitlements: dict[str, str] = {}  # Idempotency-Key -> entitlement id

    @property
    def webhook_url(self) -> str:
        return f"{self.url}{WEBHOOK_PATH}"

    def reset(self) -> None:
        super().reset()
        with self._lock:
            self.entitlements.clear()

    @property
    def idempotency_keys(self) -> list[str | None]:
        """The ``Idempotency-Key`` of each request received, in order."""
        return [request.idempotency_key for request in self.requests]

    def _record_and_choose(self, request: RecordedRequest) -> FakeReply:
        with self._lock:
            self._requests.append(request)
            if request.method != "POST" or request.path.split("?")[0] != WEBHOOK_PATH:
                return FakeReply(404, {"error": "not found"})
            if request.signature_error:
                return FakeReply(401, {"error": f"signature {request.signature_error}"})
            reply = self._queue.popleft() if self._queue else FakeReply()
            if reply.body is None:
                key = request.idempotency_key or ""
                entitlement = self.entitlements.setdefault(key, f"ENT-{len(self.entitlements) + 1}")
                reply = FakeReply(
                    reply.status,
                    {"entitlement_id": entitlement, "asset_allocation": {"batteries": ["BAT-001", "BAT-002"]}},
                    reply.headers,
                    reply.delay,
                )
            return reply
