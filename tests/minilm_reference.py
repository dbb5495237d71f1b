"""Run in Rasa's virtualenv by tests/test_minilm.py: the encoder's vectors next to a plain
numpy BERT forward pass (the reference: embeddings, six post-norm layers, exact GELU, mean
pooling, L2 norm, as sentence-transformers computes all-MiniLM-L6-v2). Prints JSON."""
import json
import sys

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf

from language.minilm import MAX_TOKENS, SentenceEncoder, packaged_model_dir


def reference(texts, tokenizer, heads=12):
    w = {k: v.astype(np.float64) for k, v in load_file(str(packaged_model_dir() / "model.safetensors")).items()}

    def dense(x, name):
        return x @ w[name + ".weight"].T + w[name + ".bias"]

    def norm(x, name):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * w[name + ".weight"] + w[name + ".bias"]

    vectors = []
    for text in texts:  # one at a time: no padding in the reference
        ids = np.array(tokenizer.encode(text).ids)
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][: len(ids)]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = norm(x, "embeddings.LayerNorm")
        size = x.shape[-1]
        for i in range(6):
            p = f"encoder.layer.{i}."
            q, k, v = (dense(x, p + f"attention.self.{part}").reshape(len(ids), heads, -1).transpose(1, 0, 2)
                       for part in ("query", "key", "value"))
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(size // heads)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(len(ids), size)
            x = norm(x + dense(context, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            inner = dense(x, p + "intermediate.dense")
            inner = 0.5 * inner * (1 + erf(inner / np.sqrt(2)))
            x = norm(x + dense(inner, p + "output.dense"), p + "output.LayerNorm")
        pooled = x.mean(0)
        vectors.append(pooled / np.linalg.norm(pooled))
    return np.array(vectors)


if __name__ == "__main__":
    texts = json.loads(sys.argv[1])
    encoder = SentenceEncoder()
    ours = encoder.encode(texts)
    expected = reference(texts, encoder._tokenizer)
    print(json.dumps({"shape": list(ours.shape), "max_difference": float(np.abs(ours - expected).max()),
                      "norms": [float(n) for n in np.linalg.norm(ours, axis=1)],
                      "empty_shape": list(encoder.encode([]).shape), "max_tokens": MAX_TOKENS}))
