"""Sync over async: one private event loop in a daemon thread, for the sync API.

The LLM step, generation and transport exist once, as coroutines. The sync
API (`backend.extract(...)`) runs them on a loop of its own in a background
thread instead of `asyncio.run` per call, for two reasons: connection pools
(httpx, openai) are bound to the loop that opened them, so one long-lived
loop keeps connections alive between calls; and a caller that already runs
a loop (a notebook, an async web app) can still call the sync API, because
the coroutine runs on the other thread's loop, never on the caller's.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class LoopThread:
    """A private event loop running in a daemon thread; `run` blocks until a coroutine ends."""

    def __init__(self, name: str = "summarizer-loop") -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The loop, started on first use."""
        with self._lock:
            if self._loop is None or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                ready = threading.Event()

                def serve() -> None:
                    asyncio.set_event_loop(loop)
                    loop.call_soon(ready.set)
                    loop.run_forever()

                self._thread = threading.Thread(target=serve, name=self._name, daemon=True)
                self._thread.start()
                ready.wait()
                self._loop = loop
            return self._loop

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on the private loop and return its result (or raise its error).

        Ctrl-C in the waiting thread cancels the coroutine instead of leaving it running.
        """
        if self.is_current():
            coro.close()
            raise RuntimeError("the sync API was called from inside its own event loop")
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result()
        except BaseException:
            future.cancel()
            raise

    def owns(self, loop: asyncio.AbstractEventLoop) -> bool:
        """True when `loop` is this private loop."""
        return loop is self._loop

    def is_current(self) -> bool:
        """True when called from a coroutine running on this private loop."""
        try:
            return asyncio.get_running_loop() is self._loop
        except RuntimeError:
            return False

    def close(self) -> None:
        """Stop the loop and join its thread (idempotent)."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=10)
        if not loop.is_running():
            loop.close()
