"""The provider's forced exit (terraform killed, or SIGTERM) ends the process even when its pipes
have no reader any more and a worker thread is still busy: it never outlives terraform."""

from __future__ import annotations

import subprocess
import sys

#: A child whose output is still buffered when its reader leaves (the flush then fails), with a
#: busy non-daemon thread (a call stuck on the network), taking the forced exit.
CHILD = """
import sys, threading, time
from lborg_provider.main import exit_now
sys.stdout = open(1, "w", buffering=8192, closefd=False)  # buffered, whatever PYTHONUNBUFFERED says
sys.stdout.write("buffered, never read\\n")
sys.stdin.readline()  # the parent closed its end of our stdout and stderr
threading.Thread(target=time.sleep, args=(60,)).start()
exit_now()
"""


def test_the_forced_exit_ends_the_process_when_its_pipes_have_no_reader_and_a_thread_is_busy() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None and child.stderr is not None
    child.stdout.close()  # terraform is gone: nobody reads the provider's output
    child.stderr.close()
    child.stdin.write("go\n")
    child.stdin.flush()
    try:
        code = child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        raise AssertionError("the forced exit waited for the busy thread") from None
    assert code == 0
