"""Helpers shared by the e2e check scripts."""
import subprocess
import sys


def run(cmd, **kw):
    """Runs `cmd`; on failure prints its command line and output, then exits
    with status 1. Returns the completed process."""
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        sys.stderr.write("$ %s\n%s%s" % (" ".join(cmd), proc.stdout, proc.stderr))
        sys.exit(1)
    return proc


def output(cmd):
    """Runs `cmd` as `run` does; returns its standard output."""
    return run(cmd).stdout
