"""How many threads llama.cpp should use right now: all free physical cores, and no more.

llama.cpp's threads meet at a barrier after every step of a token and spin while they wait.
On an idle machine one thread per physical core is fastest; but when another process keeps a
core busy, one of those threads is descheduled and the others spin waiting for it: on 2 cores
with one busy process, 2 threads make 1.7 tokens/s where 1 thread makes 45. So the engine
watches how much CPU *other* processes use (the whole machine's busy time minus this
process's own, from the kernel's counters: no sampling thread, no sleep) and gives llama.cpp
only the cores that are free, re-checking every half second while it generates.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import psutil

CHECK_INTERVAL_S = 0.5  # how often a running generation re-checks the load


def choose_threads(physical: int, other_busy_cores: float) -> int:
    """Threads to use on ``physical`` cores when other processes keep ``other_busy_cores``
    cores busy: the free cores, rounded to the nearest whole core, at least 1."""
    free = physical - max(0.0, other_busy_cores)
    return max(1, min(physical, math.floor(free + 0.5)))


@dataclass
class _Sample:
    at: float
    busy_s: float  # all CPUs' non-idle time
    own_s: float  # this process's CPU time


class LoadMonitor:
    """Busy cores of other processes since the last look, from the kernel's CPU counters."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        process: psutil.Process | None = None,
    ) -> None:
        self._clock = clock
        self._process = process or psutil.Process()
        self._logical = psutil.cpu_count(logical=True) or 1
        self._physical = psutil.cpu_count(logical=False) or self._logical
        self._last = self._sample()

    def _sample(self) -> _Sample:
        cpu = psutil.cpu_times()
        busy = sum(cpu) - cpu.idle - getattr(cpu, "iowait", 0.0)
        own = self._process.cpu_times()
        return _Sample(self._clock(), busy, own.user + own.system)

    def seconds_since_look(self) -> float:
        return self._clock() - self._last.at

    def other_busy_cores(self) -> float:
        """Physical cores' worth of CPU that other processes used since the previous call."""
        now = self._sample()
        last, self._last = self._last, now
        wall = now.at - last.at
        if wall <= 0:
            return 0.0
        other = (now.busy_s - last.busy_s) - (now.own_s - last.own_s)
        # psutil's counters are per logical CPU; llama.cpp's threads want physical cores.
        return max(0.0, other / wall) * self._physical / self._logical


class ThreadGovernor:
    """Decides the thread count for a model loaded with at most ``max_threads`` threads.

    ``fixed`` (the user chose a number) turns it off. ``update()`` is cheap and returns a new
    count only when it should change; the engine calls it before a request and every
    ``CHECK_INTERVAL_S`` while generating.
    """

    def __init__(
        self,
        max_threads: int,
        *,
        fixed: bool = False,
        monitor: LoadMonitor | None = None,
        interval_s: float = CHECK_INTERVAL_S,
    ) -> None:
        self.max_threads = max_threads
        self.fixed = fixed
        self.current = max_threads
        self.interval_s = interval_s
        self._monitor = None if fixed else (monitor or LoadMonitor())

    def update(self, *, force: bool = False) -> int | None:
        """The thread count to switch to now, or None to keep the current one."""
        monitor = self._monitor
        if monitor is None:
            return None
        if not force and monitor.seconds_since_look() < self.interval_s:
            return None
        if monitor.seconds_since_look() < 0.05:  # too short a window to say anything
            return None
        wanted = choose_threads(self.max_threads, monitor.other_busy_cores())
        if wanted == self.current:
            return None
        self.current = wanted
        return wanted
