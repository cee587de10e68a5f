"""Estimated cost: a small price table, overridable, and the run-level --max-cost budget.

Prices are USD per million tokens (input, output). They change and differ per
provider, so the table is only a default: `SUMMARIZER_PRICES` (JSON,
`{"model": [in, out]}`) overrides or extends it. Local servers cost nothing.
An unknown model has no price: cost is reported as unknown (null), never as 0.

`Budget` is the one account of a run: every LLM step reserves its estimate
before the request and settles the actual cost after, under a lock, so N
concurrent tasks cannot all pass a check that only one of them fits under.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from summarizer.config import Settings
from summarizer.errors import BudgetError

#: USD per 1M tokens (input, output). Defaults only; override with SUMMARIZER_PRICES.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}

_LOCAL_HOSTS = ("127.", "localhost", "::1", "[::1]")
#: Characters per token for estimates before a request is made (English prose ~4).
CHARS_PER_TOKEN = 4
#: Prompt overhead (instructions + schema) per step, in characters.
PROMPT_OVERHEAD_CHARS = 12_000
#: Expected output tokens per article (extraction + summary), for the pre-run estimate.
EXPECTED_OUTPUT_TOKENS = 2_000


def price_for(settings: Settings, server: str | None) -> tuple[float, float] | None:
    """(input, output) USD per 1M tokens for the configured model; None when unknown."""
    if settings.resolved_backend() in {"offline", "replay", "llamacpp"}:
        return (0.0, 0.0)
    if server and server.startswith(_LOCAL_HOSTS):
        return (0.0, 0.0)
    table = {**DEFAULT_PRICES, **settings.prices}
    if settings.model in table:
        return table[settings.model]
    # Dated snapshots ("gpt-4o-mini-2024-07-18") cost what their family costs.
    family = max((name for name in table if settings.model.startswith(name)), key=len, default=None)
    return table[family] if family else None


def cost(price: tuple[float, float] | None, tokens_in: int, tokens_out: int) -> float | None:
    """Cost in USD of the tokens at `price`; None when the price is unknown."""
    if price is None:
        return None
    return round((tokens_in * price[0] + tokens_out * price[1]) / 1_000_000, 6)


def estimate(settings: Settings, server: str | None, texts: list[str]) -> float | None:
    """Estimated cost of running extraction + summary on each text (two prompts per article)."""
    return estimate_total(settings, server, sum(len(t) for t in texts), len(texts))


def estimate_total(
    settings: Settings, server: str | None, chars: int, articles: int
) -> float | None:
    """`estimate` for a corpus known by its total cleaned length and article count only."""
    price = price_for(settings, server)
    if price is None:
        return None
    tokens_in = 2 * (chars + articles * PROMPT_OVERHEAD_CHARS) // CHARS_PER_TOKEN
    return cost(price, tokens_in, articles * EXPECTED_OUTPUT_TOKENS)


def step_estimate(settings: Settings, server: str | None, text: str) -> float | None:
    """Estimated cost of one LLM step (one prompt) on `text`; None when the price is unknown."""
    price = price_for(settings, server)
    if price is None:
        return None
    tokens_in = (len(text) + PROMPT_OVERHEAD_CHARS) // CHARS_PER_TOKEN
    return cost(price, tokens_in, EXPECTED_OUTPUT_TOKENS // 2)


def _unknown_price(settings: Settings) -> BudgetError:
    return BudgetError(
        f"--max-cost is set but model {settings.model!r} has no known price: add it to "
        "SUMMARIZER_PRICES (e.g. '{\"my-model\": [0.5, 1.5]}' USD per 1M tokens in/out)"
    )


@dataclass(frozen=True)
class Reservation:
    """What one step set aside before its request; `settle` replaces it with the real cost."""

    amount: float


class Budget:
    """A run's spending against --max-cost: reserve before a request, settle after.

    Thread-safe (a plain lock: the critical sections never await), so sync
    callers, async tasks and worker threads of one run can share one Budget.
    Without a limit it only keeps the account.
    """

    def __init__(self, limit: float | None) -> None:
        self.limit = limit
        self.spent = 0.0
        self.reserved = 0.0
        self._lock = threading.Lock()

    def reserve(self, planned: float | None, *, what: str = "this request") -> Reservation:
        """Set `planned` aside, or raise BudgetError when it would take the run over the limit."""
        if self.limit is None:
            return Reservation(planned or 0.0)
        if planned is None:
            raise BudgetError(
                f"--max-cost is set but {what} cannot be priced: the model has no known price; "
                "add it to SUMMARIZER_PRICES (USD per 1M tokens in/out)"
            )
        with self._lock:
            if self.spent + self.reserved + planned > self.limit:
                total = self.spent + self.reserved + planned
                raise BudgetError(
                    f"estimated cost ${total:.4f} with {what} exceeds --max-cost "
                    f"${self.limit:.4f} (${self.spent:.4f} spent, ${self.reserved:.4f} in "
                    "flight): raise the limit, use a cheaper --model, or the offline backend"
                )
            self.reserved += planned
        return Reservation(planned)

    def settle(self, reservation: Reservation, actual: float | None) -> None:
        """Release `reservation` and book the actual cost (the estimate when unknown)."""
        with self._lock:
            self.reserved = max(0.0, self.reserved - reservation.amount)
            self.spent += reservation.amount if actual is None else actual


def check_budget(
    settings: Settings, server: str | None, texts: list[str], spent: float = 0.0
) -> None:
    """Refuse to start when `spent` plus the estimate for `texts` exceeds --max-cost."""
    check_budget_total(settings, server, sum(len(t) for t in texts), len(texts), spent)


def check_budget_total(
    settings: Settings,
    server: str | None,
    chars: int,
    articles: int,
    spent: float = 0.0,
    *,
    not_counted: int = 0,
) -> None:
    """`check_budget` for a whole corpus by its total cleaned length and article count.

    `not_counted`: inputs left out of the estimate (URLs: their size is known only after
    fetching); the message says so. Every request still reserves from the run's budget.
    """
    limit = settings.max_cost_usd
    if limit is None:
        return
    planned = estimate_total(settings, server, chars, articles)
    if planned is None:
        raise _unknown_price(settings)
    if spent + planned > limit:
        what = f" for {articles} articles" if articles != 1 else ""
        if not_counted:
            what += f" (and {not_counted} URL input(s) not counted: fetched later)"
        raise BudgetError(
            f"estimated cost ${spent + planned:.4f}{what} exceeds --max-cost ${limit:.4f}: raise "
            "the limit, use a cheaper --model, or the offline backend"
        )
