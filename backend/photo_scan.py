"""The virus-scanning hook: every upload, before anything decodes it, is given on standard input
to the command in BACKEND_PHOTO_SCAN_COMMAND, e.g. ClamAV's `clamdscan --no-summary --fdpass -`
(its signatures are downloaded by `freshclam`, which this machine can't reach). The command's
exit status is ClamAV's convention: 0 clean, 1 infected (refused: "infected"), anything else,
or no answer within the timeout, a scan that couldn't be made: the photo is not kept (503),
never kept unscanned. Unset, nothing is scanned: the re-encoding is then what stands between
an upload and anyone who views it."""
import shlex
import subprocess
from typing import Optional

from backend.photo_checks import PhotoRefused

INFECTED = "infected"
TIMEOUT_S = 30


class ScanUnavailable(Exception):
    """The scan couldn't be made: the command is missing, failed or took too long."""


def scan(data: bytes, command: Optional[str], timeout_s: float = TIMEOUT_S) -> None:
    """Nothing for a clean file (or no command); PhotoRefused(INFECTED) or ScanUnavailable."""
    if not command:
        return
    try:
        done = subprocess.run(shlex.split(command), input=data, capture_output=True, timeout=timeout_s)
    except (OSError, subprocess.TimeoutExpired) as failed:
        raise ScanUnavailable(f"virus scan not made: {type(failed).__name__}") from None
    if done.returncode == 1:
        raise PhotoRefused(INFECTED)
    if done.returncode != 0:
        raise ScanUnavailable(f"virus scan failed with status {done.returncode}")
