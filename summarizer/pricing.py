"""Estimated cost: a small price table, overridable, and the --max-cost check.

Prices are USD per million tokens (input, output). They change and differ per
provider, so the table is only a default: `SUMMARIZER_PRICES` (JSON,
`{"model": [in, out]}`) overrides or extends it. Local servers cost nothing.
An unknown model has no price: cost is reported as unknown (null), never as 0.
"""

from __future__ import annotations

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
    price = price_for(settings, server)
    if price is None:
        return None
    tokens_in = sum(2 * (len(t) + PROMPT_OVERHEAD_CHARS) // CHARS_PER_TOKEN for t in texts)
    return cost(price, tokens_in, len(texts) * EXPECTED_OUTPUT_TOKENS)


def check_budget(
    settings: Settings, server: str | None, texts: list[str], spent: float = 0.0
) -> None:
    """Refuse to start when `spent` plus the estimate for `texts` exceeds --max-cost."""
    limit = settings.max_cost_usd
    if limit is None:
        return
    planned = estimate(settings, server, texts)
    if planned is None:
        raise BudgetError(
            f"--max-cost is set but model {settings.model!r} has no known price: add it to "
            "SUMMARIZER_PRICES (e.g. '{\"my-model\": [0.5, 1.5]}' USD per 1M tokens in/out)"
        )
    if spent + planned > limit:
        raise BudgetError(
            f"estimated cost ${spent + planned:.4f} exceeds --max-cost ${limit:.4f}: raise the "
            "limit, use a cheaper --model, or the offline backend"
        )
