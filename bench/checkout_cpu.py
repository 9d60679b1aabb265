"""Where the CPU goes during the ``checkout`` benchmark, read from /proc (psutil is not a
dependency): the server's process tree, PostgreSQL's backends for the benchmark's
database and its background processes, the load generator, and the whole machine (other
sessions share these cores: ``other`` shows how much they took in the window)."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None  # gone
    # The command name may hold spaces and parentheses: split after its last ")".
    name_end = text.rindex(")")
    return [text[text.index("(") + 1 : name_end], *text[name_end + 2 :].split()]


def _all_pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def process_tree(root: int) -> list[int]:
    """``root`` and every descendant (uvicorn's workers and their helpers)."""
    parents: dict[int, int] = {}
    for pid in _all_pids():
        fields = _stat_fields(pid)
        if fields is not None:
            parents[pid] = int(fields[2])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def postgres_pids() -> list[int]:
    return [pid for pid in _all_pids() if (_stat_fields(pid) or [""])[0] == "postgres"]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU of each live process so far."""
    used = {}
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            used[pid] = (int(fields[12]) + int(fields[13])) / TICKS
    return used


def machine_busy_seconds() -> float:
    """CPU seconds every core has spent busy since boot (all but idle and iowait)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / TICKS


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class CpuSnapshot:
    server: dict[int, float]
    backends: dict[int, float]
    postgres: dict[int, float]
    load_generator: float
    machine: float


def snapshot(server_pid: int, backend_pids: list[int]) -> CpuSnapshot:
    return CpuSnapshot(
        server=cpu_seconds(process_tree(server_pid)),
        backends=cpu_seconds(backend_pids),
        postgres=cpu_seconds(postgres_pids()),
        load_generator=own_cpu_seconds(),
        machine=machine_busy_seconds(),
    )


def _delta(before: dict[int, float], after: dict[int, float]) -> float:
    # A process born in the window counts from zero; one that died in it is lost.
    return sum(used - before.get(pid, 0.0) for pid, used in after.items())


def cpu_split(before: CpuSnapshot, after: CpuSnapshot, orders: int) -> dict[str, Any]:
    """CPU seconds in the window per part, and milliseconds per order. PostgreSQL's
    server-wide figure includes other sessions' databases: ``postgres_backends`` (this
    run's connections) is the one to compare."""
    parts = {
        "server": _delta(before.server, after.server),
        "postgres_backends": _delta(before.backends, after.backends),
        "postgres_server_wide": _delta(before.postgres, after.postgres),
        "load_generator": after.load_generator - before.load_generator,
    }
    machine = after.machine - before.machine
    ours = parts["server"] + parts["postgres_backends"] + parts["load_generator"]
    parts["machine"] = machine
    parts["other"] = max(0.0, machine - ours)
    split: dict[str, Any] = {name: round(seconds, 2) for name, seconds in parts.items()}
    if orders:
        split["ms_per_order"] = {
            name: round(parts[name] * 1000 / orders, 2)
            for name in ("server", "postgres_backends", "load_generator")
        }
    return split


# --- profile of one server worker (py-spy, when installed) --------------------------


def py_spy() -> str | None:
    return os.environ.get("OMNI_BENCH_PY_SPY") or shutil.which("py-spy")


def start_profile(pid: int, seconds: float, output: Path) -> subprocess.Popen[bytes] | None:
    """Sample ``pid`` for ``seconds`` (idle threads left out) in collapsed-stack form;
    None when py-spy is not installed. Blocking mode (the process is paused for each
    sample): without it, stacks read while the process runs come out torn."""
    binary = py_spy()
    if binary is None:
        return None
    command = [binary, "record", "--pid", str(pid), "--duration", str(int(seconds))]
    command += ["--rate", "50", "--format", "raw", "--output", str(output)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# Leaves where a thread sleeps (anyio's and asyncio's thread pools, uvicorn's
# supervisor pipe): py-spy does not always see these threads as idle.
_WAITING = (
    "threading.py:Condition.wait",
    "threading.py:Event.wait",
    "queue.py:Queue.get",
    "concurrent/futures/thread.py:_worker",
    "multiprocessing/connection.py:Connection._recv",
    "selectors.py:EpollSelector.select",
)
# Middleware and route wrappers every request passes through: they would top the list.
_PLUMBING = ("omni/http/", "omni/main.py")
_FRAME = re.compile(r"^(?P<function>[^ ]+) \((?P<file>[^:]+)(?::\d+)?\)$")


def profile_top(collapsed: str, top: int = 25) -> dict[str, Any]:
    """Top functions by own samples and by inclusive samples, from py-spy's collapsed
    stacks ("frame;frame;frame count" per line, outermost frame first). Percentages are
    of the busy samples: those of sleeping threads are counted apart."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    roots: Counter[str] = Counter()
    total = waiting = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(frame) for frame in stack.split(";")]
        if frames[-1] in _WAITING:
            waiting += count
            continue
        total += count
        roots[_root(frames[0])] += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
            if frame.startswith("omni/") and not _plumbing(frame):
                ours[frame] += count
    share = (lambda n: round(100 * n / total, 1)) if total else (lambda n: 0.0)
    return {
        "samples": total,
        "sleeping_thread_samples": waiting,
        "where_percent": {root: share(n) for root, n in roots.most_common()},
        "own_percent": {frame: share(n) for frame, n in own.most_common(top)},
        "inclusive_percent": {frame: share(n) for frame, n in inclusive.most_common(top)},
        "omni_inclusive_percent": {frame: share(n) for frame, n in ours.most_common(top)},
    }


def _plumbing(frame: str) -> bool:
    return frame.startswith(_PLUMBING) or frame.endswith("Middleware.__call__")


def _root(frame: str) -> str:
    """Which stack a sample is on. SQLAlchemy's asyncio layer runs the ORM and the
    driver calls in greenlets, whose stacks py-spy shows apart from the event loop's."""
    if frame.startswith("sqlalchemy/"):
        return "sqlalchemy greenlet (ORM, compile, asyncpg calls)"
    if frame.startswith("threading.py"):
        return "other threads (asyncio.to_thread, anyio)"
    return "event loop (requests, Omni code)"


def _short(frame: str) -> str:
    """ "execute (sqlalchemy/engine/base.py:1412)" → "sqlalchemy/engine/base.py:execute"."""
    match = _FRAME.match(frame.strip())
    if match is None:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", "/src/", "/lib/python3.11/"):
        if marker in path:
            path = path.rsplit(marker, 1)[1]
            break
    return f"{path}:{match['function']}"
