"""The embedded FalkorDB keeps every acknowledged write, and guards its data directory."""

from __future__ import annotations

import logging
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from relgraph.errors import StoreLocked
from relgraph.store.embedded import EmbeddedFalkorDB, _cmdline, _pid_alive
from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore


def open_store(db: EmbeddedFalkorDB) -> GraphStore:
    return GraphStore(FalkorRunner(unix_socket_path=str(db.socket_path)))


async def stakeholder_ids(store: GraphStore) -> set[str]:
    rows = await store.runner.read("MATCH (s:Stakeholder) RETURN s.id AS id")
    return {row["id"] for row in rows}


async def test_acknowledged_writes_survive_kill_9(tmp_path: Path) -> None:
    db = EmbeddedFalkorDB(tmp_path).start()
    try:
        store = open_store(db)
        await store.setup()
        acknowledged = set()
        for n in range(200):
            created = await store.create_stakeholder({"id": f"s{n}", "kind": "CUSTOMER", "form": "PERSON", "name": f"n{n}"})
            acknowledged.add(created.id)
        await store.upsert_stakeholders(
            [{"id": f"b{n}", "kind": "SUPPLIER", "form": "ORGANIZATION", "name": f"b{n}"} for n in range(1000)]
        )
        acknowledged |= {f"b{n}" for n in range(1000)}
        await store.close()

        assert db.process is not None
        db.process.send_signal(signal.SIGKILL)
        db.process.wait()
        db.restart()

        store = open_store(db)
        assert await stakeholder_ids(store) == acknowledged
        await store.close()
    finally:
        db.stop()


async def test_kill_9_during_a_stream_of_writes_loses_nothing_acknowledged(tmp_path: Path) -> None:
    db = EmbeddedFalkorDB(tmp_path).start()
    try:
        store = open_store(db)
        acknowledged: list[str] = []
        killer_after = 150
        for n in range(400):
            if n == killer_after:
                assert db.process is not None
                os.kill(db.process.pid, signal.SIGKILL)
            try:
                await store.create_stakeholder({"id": f"s{n}", "kind": "CUSTOMER", "form": "PERSON", "name": "x"})
            except Exception:  # noqa: BLE001 - writes after the kill are refused, not acknowledged
                break
            acknowledged.append(f"s{n}")
        await store.close()
        assert len(acknowledged) >= killer_after
        assert db.process is not None
        db.process.wait()
        db.restart()
        store = open_store(db)
        assert set(acknowledged) <= await stakeholder_ids(store)
        await store.close()
    finally:
        db.stop()


async def test_clean_stop_and_start_keeps_data(tmp_path: Path) -> None:
    with EmbeddedFalkorDB(tmp_path) as db:
        store = open_store(db)
        await store.create_stakeholder({"id": "kept", "kind": "AGENCY", "form": "ORGANIZATION", "name": "x"})
        await store.close()
    with EmbeddedFalkorDB(tmp_path) as db:
        store = open_store(db)
        assert await stakeholder_ids(store) == {"kept"}
        await store.close()


def test_second_process_on_the_same_directory_gets_a_clear_error(tmp_path: Path) -> None:
    with EmbeddedFalkorDB(tmp_path):
        script = textwrap.dedent(
            f"""
            from relgraph.store.embedded import EmbeddedFalkorDB
            from relgraph.errors import StoreLocked
            try:
                EmbeddedFalkorDB({str(tmp_path)!r}).start()
            except StoreLocked as exc:
                print("LOCKED", exc)
            """
        )
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
        assert out.stdout.startswith("LOCKED"), out.stderr
        assert str(os.getpid()) in out.stdout and "in use" in out.stdout


def test_a_second_owner_in_the_same_process_is_refused(tmp_path: Path) -> None:
    with EmbeddedFalkorDB(tmp_path):
        with pytest.raises(StoreLocked):
            EmbeddedFalkorDB(tmp_path).start()


async def test_stale_pid_and_socket_files_are_recovered(tmp_path: Path) -> None:
    with EmbeddedFalkorDB(tmp_path) as db:
        store = open_store(db)
        await store.create_stakeholder({"id": "before", "kind": "AGENCY", "form": "ORGANIZATION", "name": "x"})
        await store.close()
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / "falkordb.pid").write_text(str(dead.pid))
    (tmp_path / "falkordb.sock").write_text("stale")
    with EmbeddedFalkorDB(tmp_path) as db:
        store = open_store(db)
        assert await stakeholder_ids(store) == {"before"}
        await store.close()


async def test_an_orphaned_child_of_a_crashed_owner_is_replaced(tmp_path: Path) -> None:
    orphan = EmbeddedFalkorDB(tmp_path).start()
    store = open_store(orphan)
    await store.create_stakeholder({"id": "kept", "kind": "AGENCY", "form": "ORGANIZATION", "name": "x"})
    await store.close()
    orphan_pid = orphan.process.pid  # type: ignore[union-attr]
    orphan._release_lock()  # the owner "crashed": its lock is gone, its child is not

    with EmbeddedFalkorDB(tmp_path) as db:
        assert db.process is not None and db.process.pid != orphan_pid
        for _ in range(100):
            if orphan.process.poll() is not None:  # type: ignore[union-attr]
                break
            time.sleep(0.05)
        assert not _pid_alive(orphan_pid) or orphan.process.poll() is not None  # type: ignore[union-attr]
        store = open_store(db)
        assert await stakeholder_ids(store) == {"kept"}
        await store.close()


def test_the_child_dies_with_a_crashed_owner(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os, sys
        from relgraph.store.embedded import EmbeddedFalkorDB
        db = EmbeddedFalkorDB({str(tmp_path)!r}).start()
        print(db.process.pid, flush=True)
        os.kill(os.getpid(), 9)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    child = int(out.stdout.split()[0])
    for _ in range(100):
        if not _pid_alive(child) or "redis" not in _cmdline(child):
            break
        time.sleep(0.05)
    else:
        pytest.fail("the embedded child outlived its owner")
    with EmbeddedFalkorDB(tmp_path):
        pass


def modes(root: Path) -> dict[str, int]:
    """The permission bits of everything under `root`, by relative path (sockets aside)."""
    found = {}
    for path in root.rglob("*"):
        info = path.lstat()
        if not stat.S_ISSOCK(info.st_mode):
            found[str(path.relative_to(root))] = stat.S_IMODE(info.st_mode)
    return found


async def test_a_new_data_directory_and_its_files_are_the_owners_alone(tmp_path: Path, caplog) -> None:
    data = tmp_path / "deep" / "data"  # missing parents are made too
    with caplog.at_level(logging.WARNING, logger="relgraph.embedded"), EmbeddedFalkorDB(data) as db:
        store = open_store(db)
        await store.create_stakeholder({"id": "private", "kind": "CUSTOMER", "form": "PERSON", "name": "x"})
        await store.close()
        db.compact()  # a snapshot (RDB preamble) beside the log
        running = modes(data)
    stopped = modes(data)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert "falkordb/appendonlydir" in running and any(".aof" in name for name in running)
    for name, mode in {**running, **stopped}.items():
        assert mode & 0o077 == 0, f"{name} has mode {mode:04o}"
    assert not caplog.records


def test_an_existing_directory_open_to_others_is_warned_about(tmp_path: Path, caplog) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    with caplog.at_level(logging.WARNING, logger="relgraph.embedded"), EmbeddedFalkorDB(shared):
        pass
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "mode 0755" in warning.getMessage() and f"chmod -R go= {shared}" in warning.getMessage()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755  # the operator's directory keeps its mode

    caplog.clear()
    shared.chmod(0o700)
    with caplog.at_level(logging.WARNING, logger="relgraph.embedded"), EmbeddedFalkorDB(shared):
        pass
    assert not caplog.records
