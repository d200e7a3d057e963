"""Where finished tiles go: an in-memory array, or a Zarr store or .npy file on disk.

On disk, every finished tile is written to the array and then its id is appended to
a log beside it, ``PATH.tiles``: a JSON header (fastmi version, shape, dtype, tile size
and a fingerprint of the job), then one tile id per line. A tile is done when its line
is complete, so a process killed at any moment loses at most the tiles in flight, and
``resume=True`` computes only the tiles that are missing from the log. (Nothing is
fsynced per tile: a killed process is covered, an operating-system crash or power cut
is not.)
"""

from __future__ import annotations

import hashlib
import json
import os

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; outputs are not locked there
    fcntl = None
from dataclasses import fields, is_dataclass
from pathlib import Path

import numpy as np

from .._options import log_path, zarr_module
from .._validation import InvalidParameterError
from .._version import __version__
from ._tiles import Tiling

LOG_FORMAT = "fastmi-tiles/1"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # never open a log or lock through a link


def _write_block(array, tiling: Tiling, tile: int, block: np.ndarray) -> None:
    r0, r1, c0, c1 = tiling.bounds(tile)
    array[r0:r1, c0:c1] = block
    if tiling.square and r0 != c0:
        array[c0:c1, r0:r1] = block.T


class MemoryOutput:
    """The default: the whole matrix in memory."""

    def __init__(self, shape, dtype):
        self.array = np.empty(shape, dtype=dtype)
        self.done: set[int] = set()

    def write(self, tiling: Tiling, tile: int, block: np.ndarray) -> None:
        _write_block(self.array, tiling, tile, block)

    def close(self) -> None:
        pass


def fingerprint(value, digest=None) -> str:
    """A hash of a prepared job: its arrays' bytes and its settings, so that a run is
    only resumed by the same data with the same options."""
    top = digest is None
    digest = digest or hashlib.blake2b(digest_size=16)
    if isinstance(value, np.ndarray):
        digest.update(f"{value.dtype.str}{value.shape}".encode())
        digest.update(np.ascontiguousarray(value))  # the buffer, not a copy
    elif is_dataclass(value):
        digest.update(type(value).__name__.encode())
        for field in fields(value):
            fingerprint(getattr(value, field.name), digest)
    elif isinstance(value, dict):
        for key in sorted(value):
            digest.update(repr(key).encode())
            fingerprint(value[key], digest)
    elif isinstance(value, (tuple, list)):
        for item in value:
            fingerprint(item, digest)
    else:
        digest.update(repr(value).encode())
    return digest.hexdigest() if top else ""


class DiskOutput:
    """A Zarr array (a path ending in .zarr) or a .npy memory map, with its tile log,
    held under the output's lock until closed."""

    def __init__(self, path: Path, array, log, done: set[int], lock):
        self.path, self.array, self._log, self.done = path, array, log, done
        self._lock = lock

    def write(self, tiling: Tiling, tile: int, block: np.ndarray) -> None:
        # The data first, then the log line: a logged tile is written. A memory map's
        # pages are the file's from the moment they are written, so they survive a
        # killed process without a flush (a power cut needs one: close() does it).
        _write_block(self.array, tiling, tile, block)
        self._log.write(f"{tile}\n")
        self._log.flush()

    def close(self) -> None:
        self._log.close()
        if isinstance(self.array, np.memmap):
            self.array.flush()
        self._lock.close()  # releases the lock


def lock_path(path: Path) -> Path:
    """The lock file beside an output, ``PATH.lock``: held by the process writing it."""
    return path.with_name(path.name + ".lock")


def _refuse_links(path: Path) -> None:
    """Never write through a symbolic link: it could point outside the given path."""
    for candidate in (path, log_path(path), lock_path(path)):
        if candidate.is_symlink():
            raise InvalidParameterError(
                f"out: {candidate} is a symbolic link; fastmi does not write through links. "
                f"Pass the real path, or remove the link."
            )


def _acquire(path: Path):
    """An exclusive lock on ``PATH.lock`` (released by closing the returned file, or
    by the process ending): a second writer of the same output gets a clear error
    instead of corrupting it."""
    try:
        lock = open(os.open(lock_path(path), os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o644), "r+")
    except OSError as exc:
        raise InvalidParameterError(
            f"out: cannot create {lock_path(path)}: {exc.strerror or exc}."
        ) from None
    if fcntl is not None:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            raise InvalidParameterError(
                f"another process is writing {path} now (it holds {lock_path(path).name}); "
                f"wait for it to finish, or pass another out= path."
            ) from None
    return lock


def read_log(path: Path) -> tuple[dict, set[int], int]:
    """The header and the finished tiles of an earlier run, and the length of the
    log's complete lines: a torn last line (the process was killed while writing it)
    is not a finished tile, and is cut off before the log is appended to."""
    try:
        text = log_path(path).read_text()
        lines = text.split("\n")
        header = json.loads(lines[0])
        if len(lines) < 2 or not isinstance(header, dict) or header.get("format") != LOG_FORMAT:
            raise ValueError  # no complete header line: not a log fastmi wrote
        done = {int(line) for line in lines[1:-1]}  # lines[-1]: after the last "\n"
    except (ValueError, UnicodeDecodeError):
        raise InvalidParameterError(
            f"{log_path(path)} is not a fastmi tile log (or is damaged); delete {path} and "
            f"the log to start over."
        ) from None
    return header, done, len(text.encode()) - len(lines[-1].encode())


def resumed_tile_size(path: Path | None, resume: bool, tile_size: int | None) -> int | None:
    """The tile size of the run to resume (it fixes the tiles), else ``tile_size``."""
    if path is None or not resume or not log_path(path).exists():
        return tile_size
    header = read_log(path)[0]
    if tile_size is not None and tile_size != header["tile_size"]:
        raise InvalidParameterError(
            f"{path} was written with tile_size={header['tile_size']}; resume it with that "
            f"tile size (or tile_size=None)."
        )
    return header["tile_size"]


_HEADER_MEANING = {  # what differs, when a header field does
    "fastmi": "another fastmi version",
    "shape": "another shape",
    "dtype": "another dtype",
    "tile_size": "another tile size",
    "job": "a different job (other data or options)",
}


def open_disk_output(path: Path, resume: bool, tiling: Tiling, dtype, job_hash: str, labels):
    """Create the output and its log, or reopen them to resume, checking that the
    earlier run computed the same job with the same fastmi."""

    shape = (tiling.rows, tiling.cols)
    header = {
        "format": LOG_FORMAT,
        "fastmi": __version__,
        "shape": list(shape),
        "dtype": np.dtype(dtype).str,
        "tile_size": tiling.size,
        "job": job_hash,
    }
    _refuse_links(path)
    lock = _acquire(path)
    try:
        return _open_locked(path, resume, tiling, dtype, header, labels, lock)
    except BaseException:
        lock.close()
        raise


def _open_locked(path: Path, resume: bool, tiling: Tiling, dtype, header: dict, labels, lock):
    shape = tuple(header["shape"])
    exists = path.exists() or log_path(path).exists()
    if exists and not resume:  # written meanwhile (check_out ran before preparing)
        raise FileExistsError(
            f"{path} exists. Pass resume=True to finish the run that wrote it, or delete "
            f"it (and {log_path(path).name}) to start over."
        )
    if not exists:
        array = _create(path, shape, dtype, tiling.size, labels)
        log = _open_log(path, os.O_TRUNC)
        log.write(json.dumps(header) + "\n")
        log.flush()
        return DiskOutput(path, array, log, set(), lock)
    old, done, complete = read_log(path)
    for key, meaning in _HEADER_MEANING.items():
        if old.get(key) != header[key]:
            values = "" if key == "job" else f" ({old.get(key)!r}, now {header[key]!r})"
            raise InvalidParameterError(
                f"cannot resume {path}: it was written by {meaning}{values}. Pass another "
                f"out= path, or delete it to start over."
            )
    array = _open_existing(path)
    if tuple(array.shape) != shape or np.dtype(array.dtype) != np.dtype(dtype):
        raise InvalidParameterError(
            f"cannot resume {path}: the array is {array.dtype} {tuple(array.shape)}, its "
            f"log says {np.dtype(dtype)} {shape}. Delete both to start over."
        )
    _check_tiles_present(path, array, tiling, done)
    os.truncate(log_path(path), complete)  # drop a torn last line before appending
    return DiskOutput(path, array, _open_log(path, os.O_APPEND), done, lock)


def _open_log(path: Path, mode: int):
    flags = os.O_WRONLY | os.O_CREAT | mode | _NOFOLLOW
    return open(os.open(log_path(path), flags, 0o644), "w")


def _damaged(path: Path, what: str) -> InvalidParameterError:
    return InvalidParameterError(
        f"cannot resume {path}: {what}. Delete it and {log_path(path).name} to start over."
    )


def _create(path: Path, shape, dtype, tile_size: int, labels):
    try:
        if path.suffix == ".npy":
            return np.lib.format.open_memmap(path, mode="w+", dtype=dtype, shape=shape)
        array = zarr_module().open_array(
            store=str(path),
            mode="w-",
            shape=shape,
            chunks=(min(tile_size, shape[0]), min(tile_size, shape[1])),  # a tile, a chunk
            dtype=dtype,
            fill_value=np.nan,
        )
    except OSError as exc:  # a read-only folder, a full disk, a name taken by a folder
        raise InvalidParameterError(f"out: cannot create {path}: {exc.strerror or exc}.") from None
    if labels is not None:
        array.attrs.update(rows=[str(v) for v in labels[0]], columns=[str(v) for v in labels[1]])
    return array


def _open_existing(path: Path):
    if path.suffix == ".npy":
        if not path.is_file():
            raise _damaged(path, "it is not a file")
        try:
            with open(path, "rb") as handle:  # the size first: r+ would zero-extend it
                version = np.lib.format.read_magic(handle)
                read_header = (
                    np.lib.format.read_array_header_1_0
                    if version == (1, 0)
                    else np.lib.format.read_array_header_2_0
                )
                shape, _, dtype = read_header(handle)
                expected = handle.tell() + int(np.prod(shape)) * np.dtype(dtype).itemsize
        except (OSError, ValueError) as exc:  # a cut header, not a .npy at all
            raise _damaged(path, f"it is not a readable .npy file ({exc})") from None
        if path.stat().st_size < expected:
            raise _damaged(path, f"it is {path.stat().st_size} bytes, not {expected} (cut short)")
        return np.lib.format.open_memmap(path, mode="r+")
    if not path.is_dir():
        raise _damaged(path, "it is not a Zarr store (a folder)")
    try:
        return zarr_module().open_array(store=str(path), mode="r+")
    except Exception as exc:  # zarr raises many types for a damaged store
        raise _damaged(path, f"it is not a readable Zarr array ({exc})") from None


def _check_tiles_present(path: Path, array, tiling: Tiling, done: set[int]) -> None:
    """Every chunk of a logged tile must exist: a Zarr store that lost chunk files
    would otherwise give NaNs for tiles the log calls finished."""
    if isinstance(array, np.memmap):
        return  # its size was checked
    chunks = set()
    for tile in done:
        r0, _, c0, _ = tiling.bounds(tile)
        chunks.add((r0 // tiling.size, c0 // tiling.size))
        if tiling.square:
            chunks.add((c0 // tiling.size, r0 // tiling.size))
    if array.nchunks_initialized < len(chunks):
        raise _damaged(
            path,
            f"its log lists {len(done)} finished tiles ({len(chunks)} chunks) but only "
            f"{array.nchunks_initialized} chunks are stored",
        )
