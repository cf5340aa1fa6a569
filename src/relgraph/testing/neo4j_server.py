"""Start a real Neo4j Community 5.26 server for tests, from the Maven-built ``neo4j-launcher``.

There is no Docker here, so the server is Neo4j embedded in a tiny Java program
(``neo4j-launcher/``) that Maven fetches from Maven Central. Tests talk to it over
``bolt://`` and ``neo4j://`` with the official driver, exactly as production code would.

The Java process stops when its stdin reaches EOF, so a server can never outlive the Python
process that started it, even if that process is killed.

By hand::

    python -m relgraph.testing.neo4j_server [--port 7687] [--data DIR]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import fcntl
import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

__all__ = [
    "JVM_FLAGS",
    "LAUNCHER_DIR",
    "Neo4jServerError",
    "Neo4jTestServer",
    "build_launcher",
    "free_port",
]

MAIN_CLASS = "dev.relgraph.Neo4jLauncher"
HOST = "127.0.0.1"

# Small heap for tests. The --add-opens flags are the ones Neo4j's own launcher passes on
# Java 17: without them the page cache falls back to slower buffer handling and the
# transaction log warns "Incorrect file descriptor". C1-only JIT (TieredStopAtLevel=1)
# cut startup by roughly a third on the 2-core machines; test queries are tiny anyway.
# Extra flags can be appended with $RELGRAPH_NEO4J_JAVA_OPTS (later flags win).
JVM_FLAGS: tuple[str, ...] = (
    "-Xms256m",
    "-Xmx1g",
    "-XX:TieredStopAtLevel=1",
    "-XX:-OmitStackTraceInFastThrow",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dlog4j2.disable.jmx=true",
)

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_BUILD_TIMEOUT = 1800.0  # the first build downloads ~125 MB of jars
_STOP_TIMEOUT = 30.0


class Neo4jServerError(RuntimeError):
    """The launcher could not be built, or the server did not start or stop as expected."""


def _find_launcher_dir() -> Path:
    """Locate ``neo4j-launcher/``: env override first, else the repo root above this file."""
    override = os.environ.get("RELGRAPH_NEO4J_LAUNCHER_DIR")
    if override:
        return Path(override).expanduser().resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "neo4j-launcher" / "pom.xml").is_file():
            return parent / "neo4j-launcher"
    return here.parents[3] / "neo4j-launcher"  # src/relgraph/testing/<this> -> repo root


LAUNCHER_DIR: Path = _find_launcher_dir()


def _class_file(launcher_dir: Path) -> Path:
    return launcher_dir / "target" / "classes" / Path(*MAIN_CLASS.split(".")).with_suffix(".class")


def _needs_build(launcher_dir: Path) -> bool:
    """True when the compiled launcher or its jars are missing or older than pom/sources."""
    class_file = _class_file(launcher_dir)
    lib = launcher_dir / "target" / "lib"
    if not class_file.is_file() or not lib.is_dir() or not any(lib.glob("*.jar")):
        return True
    built = class_file.stat().st_mtime
    sources = [launcher_dir / "pom.xml", *(launcher_dir / "src").rglob("*.java")]
    return any(src.stat().st_mtime > built for src in sources if src.is_file())


@contextlib.contextmanager
def _build_lock(launcher_dir: Path) -> Iterator[None]:
    """Serialise builds so parallel test workers do not run Maven on one tree at once."""
    target = launcher_dir / "target"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".relgraph-build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_launcher(quiet: bool = True, launcher_dir: Path | None = None) -> None:
    """Run ``mvn package`` for the launcher unless the cached build is up to date.

    Maven is slow even when there is nothing to do, so we check timestamps ourselves and
    touch the class file after a good build (an unchanged pom alone would not rewrite it).
    """
    launcher_dir = launcher_dir or LAUNCHER_DIR
    if not (launcher_dir / "pom.xml").is_file():
        raise Neo4jServerError(f"no pom.xml in {launcher_dir} (set RELGRAPH_NEO4J_LAUNCHER_DIR)")
    if not _needs_build(launcher_dir):
        return
    with _build_lock(launcher_dir):
        if not _needs_build(launcher_dir):  # another worker built it while we waited
            return
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jServerError("Maven (mvn) is not on PATH; it builds neo4j-launcher")
        cmd = [mvn, "-B", "-Dstyle.color=never", "package", "-DskipTests"]
        if quiet:
            cmd.insert(1, "-q")
        tail: collections.deque[str] = collections.deque(maxlen=60)
        proc = subprocess.Popen(
            cmd,
            cwd=launcher_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        assert proc.stdout is not None
        deadline = time.monotonic() + _BUILD_TIMEOUT
        for line in proc.stdout:
            line = _ANSI.sub("", line)
            tail.append(line)
            if not quiet:
                sys.stderr.write(line)
            if time.monotonic() > deadline:
                proc.kill()
                break
        rc = proc.wait()
        if rc != 0:
            output = "".join(tail).strip() or "(no output)"
            raise Neo4jServerError(
                f"{' '.join(cmd)} failed in {launcher_dir} (exit {rc}):\n{output}"
            )
        class_file = _class_file(launcher_dir)
        if not class_file.is_file():
            raise Neo4jServerError(f"Maven succeeded but {class_file} is missing")
        os.utime(class_file)


def free_port() -> int:
    """Ask the OS for a currently free TCP port on 127.0.0.1 (Neo4j itself rejects port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _java() -> str:
    """Prefer $JAVA_HOME so the JDK Maven used also runs the server."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise Neo4jServerError("java is not on PATH and JAVA_HOME is not set; Neo4j needs Java 17")
    return java


def _tail(path: Path, start: int = 0, limit: int = 4000) -> str:
    """Last ``limit`` characters of ``path`` written after byte offset ``start``."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(start, size - limit))
            return handle.read().decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _failed_line(path: Path, start: int) -> str | None:
    """The launcher's one-line ``FAILED <reason>``, which a long stack trace follows."""
    try:
        with open(path, "rb") as handle:
            handle.seek(start)
            for raw in handle:
                if raw.startswith(b"FAILED "):
                    return raw.decode("utf-8", "replace").strip()
    except OSError:
        pass
    return None


class Neo4jTestServer:
    """A real Neo4j server on 127.0.0.1 for one test session, usable as a context manager.

    ``kill()`` and ``restart()`` exist for fault tests: the store survives a SIGKILL and the
    server comes back on the same port, so existing driver URIs stay valid.
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        port: int | None = None,
        startup_timeout: float = 180,
    ) -> None:
        self._owns_data_dir = data_dir is None
        self.data_dir: Path = (
            Path(tempfile.mkdtemp(prefix="relgraph-neo4j-")) if data_dir is None else Path(data_dir)
        )
        self._auto_port = port is None
        self.port: int = free_port() if port is None else int(port)
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[str] | None = None
        self._stderr_log: IO[bytes] | None = None
        self._stdout_tail: collections.deque[str] = collections.deque(maxlen=50)
        self._started_once = False

    @property
    def bolt_uri(self) -> str:
        """Direct URI: one connection, no routing table."""
        return f"bolt://{HOST}:{self.port}"

    @property
    def neo4j_uri(self) -> str:
        """Routing URI: the driver fetches a routing table, which points back at this server."""
        return f"neo4j://{HOST}:{self.port}"

    @property
    def stderr_log_path(self) -> Path:
        """Launcher stderr of every start, appended; Neo4j's own logs are in ``data_dir/logs``."""
        return self.data_dir / "launcher-stderr.log"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> Neo4jTestServer:
        """Build the launcher if needed, start Neo4j and wait until it accepts Bolt queries."""
        if self.running:
            raise Neo4jServerError(f"Neo4j is already running on {self.bolt_uri}")
        build_launcher()
        attempts = 1 if self._started_once or not self._auto_port else 3
        for attempt in range(attempts):
            try:
                self._launch()
                break
            except Neo4jServerError as exc:
                # Another process can grab a port between free_port() and Neo4j's bind.
                if attempt + 1 < attempts and "Address already in use" in str(exc):
                    self.port = free_port()
                    continue
                raise
        self._started_once = True
        return self

    def _launch(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        classpath = os.pathsep.join(
            [str(LAUNCHER_DIR / "target" / "classes"), str(LAUNCHER_DIR / "target" / "lib" / "*")]
        )
        cmd = [
            _java(), *JVM_FLAGS, *shlex.split(os.environ.get("RELGRAPH_NEO4J_JAVA_OPTS", "")),
            "-cp", classpath, MAIN_CLASS,
            "--port", str(self.port), "--data", str(self.data_dir), "--host", HOST,
        ]  # fmt: skip
        self._stderr_log = open(self.stderr_log_path, "ab")
        log_start = self._stderr_log.tell()
        self._stdout_tail.clear()
        self.process = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr_log,
            text=True,
            errors="replace",
            # Own process group: a terminal's Ctrl-C reaches Python, which then stops Neo4j
            # cleanly, instead of hitting the JVM too.
            start_new_session=True,
        )
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(
            target=self._pump_stdout, args=(self.process, lines), daemon=True, name="neo4j-stdout"
        ).start()

        try:
            problem = self._wait_ready(self.process, lines)
        except BaseException:  # e.g. Ctrl-C while waiting: leave no half-started JVM behind
            self._terminate(graceful=False)
            raise
        if problem is None:
            return
        self._terminate(graceful=False)
        stderr = _tail(self.stderr_log_path, log_start)
        stdout = "".join(self._stdout_tail).strip()
        failed = _failed_line(self.stderr_log_path, log_start)
        raise Neo4jServerError(
            f"Neo4j did not start on {self.bolt_uri}: {failed or problem}\n"
            f"--- stderr ({self.stderr_log_path}) ---\n{stderr or '(empty)'}\n"
            f"--- stdout ---\n{stdout or '(empty)'}\n"
            f"(Neo4j's debug log: {self.data_dir / 'logs' / 'debug.log'})"
        )

    def _wait_ready(
        self, process: subprocess.Popen[str], lines: queue.Queue[str | None]
    ) -> str | None:
        """Wait for the READY line; return why it did not come, or None once it did."""
        deadline = time.monotonic() + self.startup_timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            if line is None:
                return f"launcher exited with code {process.wait()} before READY"
            if line.startswith("READY "):
                return None
        return f"no READY line within {self.startup_timeout:.0f} s"

    def _pump_stdout(self, process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
        """Forward stdout lines, and keep draining after READY so the pipe never fills up."""
        assert process.stdout is not None
        for line in process.stdout:
            self._stdout_tail.append(line)
            lines.put(line.rstrip("\n"))
        lines.put(None)

    def _terminate(self, graceful: bool) -> None:
        """Stop the process (EOF on stdin, then SIGKILL after a grace period) and reap it."""
        process = self.process
        if process is not None:
            if graceful and process.poll() is None:
                with contextlib.suppress(OSError):
                    assert process.stdin is not None
                    process.stdin.close()
                try:
                    process.wait(timeout=_STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    pass
            if process.poll() is None:
                process.kill()
                process.wait()
            for stream in (process.stdin, process.stdout):
                with contextlib.suppress(OSError):
                    if stream is not None:
                        stream.close()
        if self._stderr_log is not None:
            self._stderr_log.close()
            self._stderr_log = None

    def stop(self) -> None:
        """Shut Neo4j down cleanly (kill after 30 s) and remove the data dir if we made it."""
        self._terminate(graceful=True)
        self.process = None
        if self._owns_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def kill(self) -> None:
        """SIGKILL the server, as a crash would; the data dir is kept for ``restart()``."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self._terminate(graceful=False)

    def restart(self) -> Neo4jTestServer:
        """Start again on the same port and data dir (stopping cleanly first if still running)."""
        if self.running:
            self._terminate(graceful=True)
        return self.start()

    def __enter__(self) -> Neo4jTestServer:
        try:
            return self.start()
        except Neo4jServerError:
            raise  # keep the data dir: the error names its log files
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """Run a server by hand until Ctrl-C (or SIGTERM)."""
    parser = argparse.ArgumentParser(
        prog="python -m relgraph.testing.neo4j_server",
        description="Run a local Neo4j Community 5.26 server (auth disabled) for development.",
    )
    parser.add_argument("--port", type=int, default=None, help="Bolt port (default: a free one)")
    parser.add_argument(
        "--data", type=Path, default=None, help="data dir, kept afterwards (default: a temp dir)"
    )
    parser.add_argument("--timeout", type=float, default=180, help="startup timeout in seconds")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    started = time.monotonic()
    try:
        server = Neo4jTestServer(data_dir=args.data, port=args.port, startup_timeout=args.timeout)
        with server:
            print(server.bolt_uri, flush=True)
            print(
                f"# neo4j:// URI {server.neo4j_uri}, data {server.data_dir}, "
                f"started in {time.monotonic() - started:.1f} s; Ctrl-C to stop",
                file=sys.stderr,
                flush=True,
            )
            while server.running:
                time.sleep(0.5)
            print("# Neo4j exited unexpectedly", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 0
    except Neo4jServerError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
