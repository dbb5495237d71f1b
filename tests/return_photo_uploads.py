"""Return photos in the tests of a running assistant: an order's photos forgotten before a test
(as `make forget` does), so each test starts with none."""
import os
import subprocess

from tools.services import BACKEND_VENV, ROOT


def forget_photos(assistant, order: str) -> None:
    env = {**os.environ, "BACKEND_DATABASE_URL": f"sqlite:///{assistant.backend_db}",
           "BACKEND_PHOTO_DIR": str(assistant.photo_dir), "PYTHONPATH": str(ROOT)}
    subprocess.run([str(BACKEND_VENV / "bin" / "python"), "-m", "backend.photo_retention", order],
                   env=env, cwd=ROOT, check=True, capture_output=True, timeout=60)
