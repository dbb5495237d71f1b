"""language/minilm.py: ONNX Runtime computes all-MiniLM-L6-v2's sentence vectors, as a plain
BERT forward pass does (tests/minilm_reference.py), one message or a padded batch."""
import json
import subprocess

from tools.services import RASA_VENV, ROOT

TEXTS = [
    "where is my order 40512351",
    "ok",
    "this is ridiculous, i want a real person NOW and my order is late, can i just return it instead?",
    "ana.martin@example.com",
    "où est ma commande ?",  # accents and other scripts go through the same WordPiece vocabulary
    "return label " * 100,  # longer than the encoder reads: cut at 128 tokens, as in training
]


def compared(texts):
    done = subprocess.run([str(RASA_VENV / "bin" / "python"), "tests/minilm_reference.py", json.dumps(texts)],
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_batch_of_different_lengths_gives_each_message_its_own_reference_vector():
    result = compared(TEXTS)
    assert result["shape"] == [len(TEXTS), 384]
    assert result["max_difference"] < 1e-5
    assert all(abs(norm - 1) < 1e-5 for norm in result["norms"])
    assert result["empty_shape"] == [0, 384]


def test_one_message_alone_gives_the_reference_vector():
    assert compared(["when will it ship?"])["max_difference"] < 1e-5
