"""The `llamacpp` backend: a local GGUF model run in-process, grammar-constrained.

For `--model-path x.gguf` with the optional `[local]` extra. llama-cpp-python
turns the output schema into a GBNF grammar, so even a tiny model can only
emit JSON of the right shape; whether the *content* is true is still up to
grounding, which works exactly as for the openai backend: validation errors
(including quotes not found in the article) go back to the model, bounded by
`max_reasks`, and what is still ungrounded after that is dropped and listed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
from pathlib import Path
from typing import Any, ClassVar, TypeVar, cast

from pydantic import BaseModel, ValidationError

from summarizer.backends.llm import Attempt, LLMBackend
from summarizer.backends.transport import current_tally
from summarizer.config import Settings
from summarizer.errors import BackendError, ConfigError
from summarizer.grounding import CONTEXT_KEY, grounded_model
from summarizer.pricing import Budget
from summarizer.prompts import Message

M = TypeVar("M", bound=BaseModel)

#: Context window requested from llama.cpp: prompt + schema + article + answer.
N_CTX = 8192
_SCHEMA_NOTE = (
    "Answer with one JSON object that matches this JSON Schema (an instance, not the schema):\n"
)


class LlamaCppBackend(LLMBackend):
    """Runs a GGUF model through llama-cpp-python with a JSON-schema grammar."""

    name: ClassVar[str] = "llamacpp"

    def __init__(self, settings: Settings, budget: Budget | None = None) -> None:
        path = settings.model_path
        if path is None:
            raise ConfigError(
                "the llamacpp backend runs a local model file: pass --model-path x.gguf "
                "(or set SUMMARIZER_MODEL_PATH)"
            )
        if not Path(path).is_file():
            raise ConfigError(
                f"{path}: no such file: --model-path (SUMMARIZER_MODEL_PATH) must name a .gguf "
                "model file"
            )
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ConfigError(
                "the llamacpp backend needs llama-cpp-python: pip install 'summarizer[local]' "
                "(or use the default offline backend)"
            ) from None
        self.path = Path(path)
        super().__init__(settings, budget)
        self._lock = threading.Lock()  # a llama.cpp context serves one generation at a time
        try:
            self._llm = Llama(model_path=str(self.path), n_ctx=N_CTX, seed=0, verbose=False)
        except ValueError:  # llama-cpp-python's "Failed to load model from file"
            raise ConfigError(
                f"{path}: llama.cpp cannot load this file as a model: pass a .gguf file with "
                "--model-path (or SUMMARIZER_MODEL_PATH)"
            ) from None
        # Identify the weights, not just the file name, so a swapped file misses the cache.
        with self.path.open("rb") as fh:
            self._fingerprint = hashlib.sha256(fh.read(1 << 20)).hexdigest()[:16]

    @property
    def model(self) -> str:
        return self.path.name

    def _generation_settings(self) -> dict[str, Any]:
        return {
            **super()._generation_settings(),
            "weights": self._fingerprint,
            "n_ctx": N_CTX,
        }

    def _complete(self, messages: list[Message], schema: dict[str, Any]) -> str:
        with self._lock:
            out: Any = self._llm.create_chat_completion(
                messages=cast(Any, messages),
                response_format={"type": "json_object", "schema": schema},
                temperature=self.settings.temperature,
                max_tokens=self.settings.max_tokens,
            )
        tally = current_tally.get()
        if tally is not None:
            tally.completions += 1
            tally.tokens_in += int(out["usage"]["prompt_tokens"])
            tally.tokens_out += int(out["usage"]["completion_tokens"])
        choice = out["choices"][0]
        if choice.get("finish_reason") == "length":
            raise BackendError(
                f"{self.model} stopped at max_tokens={self.settings.max_tokens} before finishing "
                "its answer: raise SUMMARIZER_MAX_TOKENS or use a larger model"
            )
        return str(choice["message"]["content"] or "")

    async def _agenerate(self, schema: type[M], messages: list[Message], text: str) -> Attempt[M]:
        """The re-ask loop; each completion runs in a worker thread (llama.cpp blocks)."""
        # The asked-for schema (arrays capped, a summary needs a sentence) is both shown
        # to the model and turned into its output grammar.
        checker = grounded_model(schema)
        json_schema = checker.model_json_schema()
        system = f"{messages[0]['content']}\n\n{_SCHEMA_NOTE}{json.dumps(json_schema)}"
        convo: list[Message] = [{"role": "system", "content": system}, *messages[1:]]
        answer = ""
        for attempt in range(self.settings.max_reasks + 1):
            # to_thread copies the context, so the step's tally is visible in the thread.
            answer = await asyncio.to_thread(self._complete, convo, json_schema)
            try:
                value = checker.model_validate_json(answer, context={CONTEXT_KEY: text})
            except ValidationError as err:
                convo += [
                    {"role": "assistant", "content": answer},
                    {"role": "user", "content": f"Correct your JSON. Errors:\n{err}"},
                ]
                continue
            return Attempt(schema.model_validate(value.model_dump()), reasks=attempt)
        try:
            last = schema.model_validate_json(answer)
        except ValidationError as err:
            raise BackendError(
                f"{self.model} returned no valid {schema.__name__} after "
                f"{self.settings.max_reasks + 1} attempts ({err.error_count()} errors): "
                "try a larger model"
            ) from None
        notes = ["re-asks exhausted: ungrounded values dropped"]
        return Attempt(last, reasks=self.settings.max_reasks, notes=notes)
