"""Request limits for concurrent runs: slots (--concurrency) and pacing (--rpm, --tpm).

A slot is held around one LLM step's generation only, after the cache missed:
cache hits never wait for one, and a 429 backed off inside the transport keeps
its slot (it is still the same request). Pacing happens per HTTP request,
retries and re-asks included, because that is what a provider's limits count.

asyncio primitives belong to one event loop, so each loop gets its own set;
the limits themselves (numbers, token balance) are shared.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass


@dataclass
class _LoopGate:
    slots: asyncio.Semaphore | None
    pace: asyncio.Lock


class RequestLimits:
    """At most `concurrency` requests in flight, `rpm` requests and `tpm` tokens per minute."""

    def __init__(
        self, concurrency: int | None = None, rpm: float | None = None, tpm: float | None = None
    ) -> None:
        if concurrency is not None and concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.concurrency = concurrency
        self.rpm = rpm
        self.tpm = tpm
        self._gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopGate] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()
        self._next_request = 0.0  # monotonic time the next request may start (rpm)
        self._tokens = float(tpm or 0)  # token bucket balance (tpm); may go negative
        self._refilled = time.monotonic()
        #: seconds spent waiting for pacing, for the summary
        self.waited_s = 0.0

    def _gate(self) -> _LoopGate:
        loop = asyncio.get_running_loop()
        with self._lock:
            gate = self._gates.get(loop)
            if gate is None:
                slots = asyncio.Semaphore(self.concurrency) if self.concurrency else None
                gate = self._gates[loop] = _LoopGate(slots, asyncio.Lock())
            return gate

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the `concurrency` request slots for the duration of the block."""
        slots = self._gate().slots
        if slots is None:
            yield
            return
        async with slots:
            yield

    async def pace(self, tokens: int) -> None:
        """Wait until one more request of about `tokens` input tokens fits the rpm/tpm limits."""
        if not self.rpm and not self.tpm:
            return
        async with self._gate().pace:  # requests start in arrival order
            wait = self._reserve(tokens)
            while wait > 0:
                self.waited_s += wait
                await asyncio.sleep(wait)
                wait = self._reserve(tokens)

    def _reserve(self, tokens: int) -> float:
        """Take a request (and its tokens) now, or say how long to wait first."""
        with self._lock:
            now = time.monotonic()
            wait = 0.0
            if self.rpm:
                wait = max(wait, self._next_request - now)
            if self.tpm:
                self._refill(now)
                # A request bigger than the whole bucket goes when the bucket is full.
                need = min(float(tokens), float(self.tpm))
                if self._tokens < need:
                    wait = max(wait, (need - self._tokens) * 60.0 / self.tpm)
            if wait > 0:
                return wait
            if self.rpm:
                self._next_request = max(self._next_request, now) + 60.0 / self.rpm
            if self.tpm:
                self._tokens -= tokens
            return 0.0

    def _refill(self, now: float) -> None:
        assert self.tpm
        self._tokens = min(float(self.tpm), self._tokens + (now - self._refilled) * self.tpm / 60)
        self._refilled = now

    def debit(self, tokens: int) -> None:
        """Count tokens a response reported beyond the estimate (its output) against tpm."""
        if self.tpm and tokens > 0:
            with self._lock:
                self._tokens -= tokens
