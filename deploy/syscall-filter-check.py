#!/usr/bin/python3
"""Runs a command under the SystemCallFilter= of deploy/ivfuse.service, without systemd.

The unit's deny list is expanded with `systemd-analyze syscall-filter` and loaded with libseccomp
(Debian: python3-seccomp), with the unit's errno (EPERM) for a denied call, as systemd would; then
the command runs. With --kill a denied call kills the process instead (SIGSYS): a run that still
works made none of them. Usage, from the repository root (after mvn package):

    deploy/syscall-filter-check.py [--kill] ivfuse/target/ivfuse demo --seconds 2 -o /tmp/filter-check/fused.mp4
"""
import errno
import os
import pathlib
import re
import subprocess
import sys

import seccomp

UNIT = pathlib.Path(__file__).with_name("ivfuse.service")


def unit_filter():
    text = UNIT.read_text()
    m = re.search(r"^SystemCallFilter=~(.+)$", text, re.M)
    if not m:
        sys.exit(f"{UNIT}: no deny-list SystemCallFilter=~...")
    e = re.search(r"^SystemCallErrorNumber=(\w+)$", text, re.M)
    return m.group(1).split(), getattr(errno, e.group(1)) if e else None


def expand(name, seen):
    """The system calls a filter entry names: @groups through systemd-analyze, recursively."""
    if not name.startswith("@"):
        return {name}
    if name in seen:
        return set()
    seen.add(name)
    out = subprocess.run(["systemd-analyze", "syscall-filter", name], check=True, capture_output=True, text=True).stdout
    calls = set()
    for line in out.splitlines()[1:]:
        line = line.strip()
        if line and not line.startswith("#"):
            calls |= expand(line, seen)
    return calls


def main():
    args = sys.argv[1:]
    kill = bool(args) and args[0] == "--kill"
    if kill:
        args = args[1:]
    if not args:
        sys.exit(__doc__)
    entries, err = unit_filter()
    calls, seen = set(), set()
    for entry in entries:
        calls |= expand(entry, seen)
    action = seccomp.KILL_PROCESS if kill or err is None else seccomp.ERRNO(err)
    f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    denied = 0
    for call in sorted(calls):
        try:
            f.add_rule(action, call)
            denied += 1
        except (RuntimeError, ValueError, OSError):
            pass  # not a system call of this architecture
    f.load()
    print(f"syscall-filter-check: {denied} system calls {'kill' if kill else 'fail'} ({' '.join(entries)});"
          f" running {' '.join(args)}", file=sys.stderr, flush=True)
    os.execvp(args[0], args)


if __name__ == "__main__":
    main()
