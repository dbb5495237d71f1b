"""The classifiers' weights stored as arrays and JSON (language/stored_models.py): restored,
they predict what the fitted ones did, laid out so that no prediction copies them. Run in the
Rasa server's virtualenv, which has scikit-learn (tests/stored_models_check.py)."""
import json
import subprocess

import pytest

from tools.services import RASA_VENV, ROOT


@pytest.fixture(scope="module")
def predicted():
    done = subprocess.run([str(RASA_VENV / "bin" / "python"), "tests/stored_models_check.py"], cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def flat(rows):
    return [p for row in rows for p in row]


def test_restored_weights_predict_what_the_fitted_ones_did(predicted):
    assert predicted["classes"] == ["label", "track"]
    assert flat(predicted["restored"]) == pytest.approx(flat(predicted["fitted"]), abs=1e-12)


def test_weights_laid_out_for_prediction_are_used_in_place_and_predict_the_same(predicted):
    assert predicted["used_in_place"]
    assert flat(predicted["laid_out"]) == pytest.approx(flat(predicted["fitted"]), abs=1e-12)
