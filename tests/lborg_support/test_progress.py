"""Progress lines: plain `==> what` in a log or pipe, rich's styled marker at a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

_SAY = "from lborg_support.progress import say; say('backing up lb_config.xml of lb1 [x]')"


def test_without_a_terminal_the_line_is_plain_text() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _SAY], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "==> backing up lb_config.xml of lb1 [x]\n"


def test_at_a_terminal_rich_draws_the_marker_and_keeps_the_words() -> None:
    leader, follower = pty.openpty()
    try:
        subprocess.run(
            [sys.executable, "-c", _SAY],
            stdout=follower,
            env={**{k: v for k, v in os.environ.items() if k != "NO_COLOR"}, "TERM": "xterm-256color"},
            timeout=60,
            check=True,
        )
        shown = os.read(leader, 4096).decode()
    finally:
        os.close(leader)
        os.close(follower)
    assert "\x1b[" in shown and "==>" in shown  # styled
    assert "backing up lb_config.xml of lb1 [x]" in shown  # square brackets are words, not markup
