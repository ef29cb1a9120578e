"""Jobs for totem/tests/test_jobs.py, run by real worker processes."""

import os
import time

from django_tasks import task


@task(takes_context=True)
def note_run(context, path: str, name: str, hold_first: bool = False, seconds: float = 0):
    """Append "start <name> <attempt> <pid>" to `path`, then "done …"; attempt 1 of a job
    with `hold_first` waits until its worker is killed."""
    with open(path, "a") as out:
        out.write(f"start {name} {context.attempt} {os.getpid()}\n")
    while hold_first and context.attempt == 1:
        time.sleep(0.05)
    time.sleep(seconds)
    with open(path, "a") as out:
        out.write(f"done {name} {context.attempt} {os.getpid()}\n")
