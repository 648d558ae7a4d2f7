"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl in a temporary folder, unix socket only, unprivileged user."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

PORT = 5439   # names the socket file only: the cluster listens on no TCP port


def server_bin() -> Path | None:
    """The folder holding initdb and pg_ctl (DUCHA_PG_BIN, the newest /usr/lib/postgresql/N/bin, or PATH), or None."""
    chosen = os.environ.get("DUCHA_PG_BIN")
    candidates = [Path(chosen)] if chosen else []
    candidates += sorted((Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
                         key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).parent)
    for c in candidates:
        if (c / "initdb").is_file() and (c / "pg_ctl").is_file():
            return c
    return None


def missing_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    if server_bin() is None:
        return ("PostgreSQL server programs (initdb, pg_ctl) not found: install the Debian package `postgresql` "
                "or set DUCHA_PG_BIN to run the ledger tests on PostgreSQL too")
    if os.geteuid() == 0 and _run_as() is None:
        return "running as root and no unprivileged user (postgres or nobody) to run the PostgreSQL server as"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    return None


def _run_as() -> str | None:
    import pwd
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


class Cluster:
    """One server for a test session: `url(name)` names a database; `create()` makes a fresh one (optionally from a template)."""

    def __init__(self, base: Path | None = None) -> None:
        self.bin = server_bin()
        assert self.bin is not None, missing_reason()
        self.base = base or Path(tempfile.mkdtemp(prefix="ducha-pg-"))
        self.data = self.base / "data"
        self.socket = self.base / "run"
        self.user = _run_as() if os.geteuid() == 0 else None
        self.started = False

    @classmethod
    def attach(cls, base: Path | str) -> Cluster:
        """A server someone else started (.ci/run, via `python tests/pg_cluster.py start`): used, never stopped here."""
        cluster = cls(Path(base))
        if not (cluster.socket / f".s.PGSQL.{PORT}").exists():
            raise RuntimeError(f"no PostgreSQL server listening in {cluster.socket}")
        return cluster

    def _cmd(self, *args: str) -> list[str]:
        return (["runuser", "-u", self.user, "--"] if self.user else []) + list(args)

    def start(self) -> Cluster:
        self.socket.mkdir()
        if self.user:
            import pwd
            entry = pwd.getpwnam(self.user)
            for p in (self.base, self.socket):
                os.chown(p, entry.pw_uid, entry.pw_gid)
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        subprocess.run(self._cmd(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                                 "-E", "UTF8", "--no-sync"), check=True, capture_output=True, env=env, cwd=self.base)
        options = (f"-k {self.socket} -p {PORT} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB")
        subprocess.run(self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-t", "60",
                                 "-l", str(self.base / "server.log"), "start"),
                       check=True, capture_output=True, env=env, cwd=self.base)
        self.started = True
        return self

    def stop(self) -> None:
        if self.started:
            subprocess.run(self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"),
                           capture_output=True, cwd=self.base)
            self.started = False
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.socket}&port={PORT}"

    def _admin(self, sql: str) -> None:
        import psycopg
        with psycopg.connect(host=str(self.socket), port=PORT, user="postgres", dbname="postgres", autocommit=True) as c:
            c.execute(sql)

    def create(self, template: str | None = None, name: str | None = None) -> str:
        """A new empty database (or a copy of `template`); returns its connection string."""
        name = name or "t_" + uuid.uuid4().hex[:12]
        self._admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop(self, url_or_name: str) -> None:
        name = url_or_name.split("?")[0].rsplit("/", 1)[-1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    # .ci/run starts the server before the tests and stops it after: `start` prints the folder, `stop FOLDER`.
    import sys
    if sys.argv[1:2] == ["start"]:
        reason = missing_reason()
        if reason:
            sys.exit(reason)
        print(Cluster().start().base)
    elif sys.argv[1:2] == ["stop"] and len(sys.argv) == 3:
        cluster = Cluster(Path(sys.argv[2]))
        cluster.started = True
        cluster.stop()
    else:
        sys.exit("usage: python tests/pg_cluster.py start | stop FOLDER")
