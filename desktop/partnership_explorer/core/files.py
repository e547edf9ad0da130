"""Files the program reads and writes outside SQLite: the open databases of this process, regular files only,
and atomic output.

Open databases. SQLite coordinates processes with POSIX advisory locks, and closing *any* file descriptor of
a file drops every lock the process holds on it: a plain ``open(db).read(100)`` next to a live connection
lets another process believe it is alone and delete the WAL, and the commits written there are lost. So
the process keeps a registry of the database files it has connections to (:data:`LIVE`), and nothing in
this program opens such a file, or its ``-wal``/``-shm``/``-journal`` companions, outside SQLite:
:func:`read_regular` refuses them, :func:`write_atomic` refuses to replace them, and the store reads a
database's header with ``open()`` only while the process holds no connection to it (under the registry's
lock, so that no thread connects in between).

Regular files. A FIFO blocks whoever opens it for reading, a device can be endless, a symlink can point
anywhere: inputs are opened with ``O_NONBLOCK`` and checked with ``fstat`` on the open descriptor (no race
between the check and the read), and outputs replace only regular files.

Atomic output. :func:`write_atomic` writes a temporary file created exclusively (``O_EXCL``, random name) in
the target's folder, flushes it to disk and renames it over the target with ``os.replace``: a reader sees
the old file or the new one, never a part; a planted symlink or device at the target is refused, never
written through; an existing file keeps its permission bits.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import threading
from pathlib import Path

__all__ = ["LIVE", "FileRefused", "SIDECARS", "describe_mode", "read_regular", "write_atomic", "live_database_of"]

SIDECARS = ("-wal", "-shm", "-journal")


class FileRefused(OSError):
    """A file this program will not read or write, explained in one line (``str()``)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _real(path: str | os.PathLike) -> str:
    return os.path.realpath(os.fspath(path))


def _inode(path: str | os.PathLike) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


class LiveDatabases:
    """The database files this process has SQLite connections to, known by real path and by inode (a hard link
    or another spelling of the path is the same file), with a lock that is held while a header is read with
    ``open()`` and while a new connection is registered."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._entries: dict[int, list] = {}   # token -> [real path, (dev, inode) or None while not created]
        self._next = 0

    def add(self, path: str | os.PathLike) -> int:
        with self.lock:
            self._next += 1
            self._entries[self._next] = [_real(path), _inode(path)]
            return self._next

    def remove(self, token: int | None) -> None:
        with self.lock:
            self._entries.pop(token, None)

    def _match(self, real: str, inode: tuple[int, int] | None, suffixes: tuple[str, ...]) -> str | None:
        for entry in self._entries.values():
            if entry[1] is None:
                entry[1] = _inode(entry[0])
            db_real, db_inode = entry
            if real == db_real or (inode is not None and inode == db_inode):
                return db_real
            if any(real == db_real + s for s in suffixes):
                return db_real
        return None

    def other_name(self, path: str | os.PathLike) -> str | None:
        """The real path under which this process has the file at ``path`` open, when that is not ``path``'s
        own (the same inode reached through a hard link); else None."""
        real, inode = _real(path), _inode(path)
        with self.lock:
            for db_real, db_inode in self._entries.values():
                if inode is not None and inode == db_inode and real != db_real:
                    return db_real
        return None

    def holds(self, path: str | os.PathLike) -> bool:
        """Whether this process has a connection to the file at ``path`` (the database itself)."""
        with self.lock:
            return self._match(_real(path), _inode(path), ()) is not None

    def database_of(self, path: str | os.PathLike) -> str | None:
        """The open database that ``path`` is, or whose -wal/-shm/-journal file it is; None otherwise."""
        with self.lock:
            if not self._entries:
                return None
            return self._match(_real(path), _inode(path), SIDECARS)


LIVE = LiveDatabases()


def live_database_of(path: str | os.PathLike) -> str | None:
    """The open database that ``path`` is (or is a ``-wal``/``-shm``/``-journal`` file of), else None."""
    return LIVE.database_of(path)


def describe_mode(mode: int) -> str:
    """'a folder', 'a FIFO (named pipe)', 'a device', 'a socket', 'a symbolic link' or 'not a regular file'."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop"
    return exc.strerror or str(exc)


def read_regular(path: str | os.PathLike, max_bytes: int, name: str | None = None, *,
                 follow_links: bool = True) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; :class:`FileRefused` (one line, starting with
    ``name``) otherwise. Never blocks on a FIFO, never reads a device, never opens a database this process has
    open. ``follow_links=False`` refuses a path that is itself a symbolic link."""
    name = name or os.fspath(path)
    live = live_database_of(path)
    if live is not None:
        raise FileRefused(f"{name}: is the database in use (not an article or a file to import)")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise FileRefused(f"{name}: is a folder, not a file") from None
    except OSError as exc:
        if not follow_links and exc.errno == errno.ELOOP:
            raise FileRefused(f"{name}: is a symbolic link (not followed)") from None
        raise FileRefused(f"{name}: cannot read the file ({_reason(exc)})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise FileRefused(f"{name}: is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(f"{name}: not a regular file ({describe_mode(st.st_mode)})")
        if st.st_size > max_bytes:
            raise FileRefused(f"{name}: file too large ({st.st_size:,} bytes; the limit is {max_bytes:,})")
        if getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except FileRefused:
        raise
    except OSError as exc:
        raise FileRefused(f"{name}: cannot read the file ({_reason(exc)})") from None
    finally:
        os.close(fd)
    if size > max_bytes:
        raise FileRefused(f"{name}: file too large (more than {max_bytes:,} bytes)")
    return b"".join(chunks)


def check_output_target(path: str | os.PathLike, name: str | None = None) -> None:
    """Refuse, before any work, a target that :func:`write_atomic` would refuse: an existing entry that is not
    a regular file (a symlink, FIFO, device, socket or folder), a database in use, a missing folder."""
    path = Path(path)
    name = name or str(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise FileRefused(f"{name}: cannot write ({_reason(exc)})") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise FileRefused(f"{name}: is a folder")
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(f"{name}: exists and is {describe_mode(st.st_mode)}; refusing to replace it "
                              "(write to a regular file, or '-' for standard output)")
    if live_database_of(path) is not None:
        raise FileRefused(f"{name}: is the database in use; refusing to overwrite it")
    parent = path.parent if str(path.parent) else Path(".")
    try:
        pst = os.stat(parent)
    except FileNotFoundError:
        raise FileRefused(f"{name}: cannot write (no such folder: {parent})") from None
    except OSError as exc:
        raise FileRefused(f"{name}: cannot write ({_reason(exc)})") from None
    if not stat.S_ISDIR(pst.st_mode):
        raise FileRefused(f"{name}: cannot write ({parent} is not a folder)")


def _umask() -> int:
    """The process umask without changing it (Linux reports it in /proc; elsewhere set and restore it)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, data: bytes | str, name: str | None = None) -> None:
    """Replace (or create) ``path`` with ``data`` all at once; :class:`FileRefused` (one line) when it cannot.

    The temporary file is created with ``O_EXCL`` under a random name in the same folder (so no planted file or
    link is followed), written, flushed to disk, given the old file's permission bits (or the umask's for a new
    file), and renamed over the target. A target that exists and is not a regular file is refused."""
    path = Path(path)
    name = name or str(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    check_output_target(path, name)
    try:
        old_mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        old_mode = None
    parent = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=str(parent))
        with os.fdopen(fd, "wb") as fh:
            view = memoryview(payload)
            while view:
                view = view[fh.write(view):]
            fh.flush()
            os.fchmod(fh.fileno(), old_mode if old_mode is not None else 0o666 & ~_umask())
            os.fsync(fh.fileno())
        # the target may have been swapped for something else meanwhile: refuse rather than replace it
        check_output_target(path, name)
        os.replace(tmp, path)
        tmp = None
        with contextlib.suppress(OSError):
            dfd = os.open(parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
    except FileRefused:
        raise
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise FileRefused(f"{name}: disk full (nothing was written)") from None
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise FileRefused(f"{name}: not writable ({exc.strerror})") from None
        raise FileRefused(f"{name}: cannot write ({_reason(exc)})") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def path_text(path: str | os.PathLike) -> str:
    """A path as text that can be stored and printed: a file name that is not valid UTF-8 (its odd bytes come
    from the OS as lone surrogates) is written with ``\\xNN`` escapes for those bytes, the rest as it is."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
