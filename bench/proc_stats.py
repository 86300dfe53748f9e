"""Resident memory and CPU time of a process and its descendants, from /proc (Linux; no psutil).

Used by bench/turn_cost.py: CPU seconds a server spent per turn (steadier than wall-clock
time on a shared machine, since waiting for a core is not counted) and, in the soak, the Rasa
server's memory over time.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")


def _status_kb(pid: int, key: str) -> int:
    """One `kB` field of /proc/<pid>/status (VmRSS, VmHWM); 0 once the process is gone."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return 0


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (through each thread's `children` list)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in (PROC / str(current) / "task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of `pid` and its descendants (all their threads), in seconds."""
    total = 0
    for p in descendants(pid):
        try:
            fields = (PROC / str(p) / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and its descendants, in MB (10^6 bytes)."""
    return sum(_status_kb(p, "VmRSS") for p in descendants(pid)) * 1024 / 1e6


def peak_rss_mb(pid: int) -> float:
    """The kernel's high-water mark of `pid`'s own resident memory (VmHWM), in MB."""
    return _status_kb(pid, "VmHWM") * 1024 / 1e6


@dataclass
class MemorySamples:
    """(seconds since start, MB) pairs of one process tree."""

    pid: int
    started: float = field(default_factory=time.monotonic)
    samples: list[tuple[float, float]] = field(default_factory=list)

    def sample(self) -> float:
        mb = tree_rss_mb(self.pid)
        self.samples.append((time.monotonic() - self.started, mb))
        return mb

    def summary(self) -> dict[str, float]:
        """First, final and largest sample, and the growth over the second half of the run."""
        if not self.samples:
            return {}
        values = [mb for _, mb in self.samples]
        half = values[len(values) // 2 :]
        return {
            "first_mb": round(values[0], 1),
            "final_mb": round(values[-1], 1),
            "max_mb": round(max(values), 1),
            "second_half_growth_mb": round(half[-1] - half[0], 1),
            "peak_hwm_mb": round(peak_rss_mb(self.pid), 1),
        }
