"""The uploaded files of a backup: every file of every upload folder, with its SHA-256.

The folders are named in the backup ("media", "private-media", "knowledge-hub") rather than by
their paths, so a restore puts each one where the restoring portal's settings say it lives.
A folder inside another (the Knowledge Hub's PDFs live in the private media folder by default)
is saved once, under its own name.
"""

import errno
import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from untfsse.core.backups.database import BackupError

# The backup's name for each folder of uploads, and the setting that says where it is.
FILE_ROOT_SETTINGS = (
    ("media", "MEDIA_ROOT"),
    ("private-media", "PRIVATE_MEDIA_ROOT"),
    ("knowledge-hub", "KNOWLEDGE_HUB_FILES_ROOT"),
)

_CHUNK = 1024 * 1024


def configured_roots() -> dict[str, Path]:
    """The upload folders of this portal, by their backup names."""
    roots = {}
    for name, setting in FILE_ROOT_SETTINGS:
        value = getattr(settings, setting, None)
        if value:
            roots[name] = Path(value).absolute()
    paths = list(roots.values())
    if len(set(paths)) != len(paths):
        raise BackupError(
            "Two upload folders are the same folder: "
            + ", ".join(
                f"{setting}={getattr(settings, setting)}" for _, setting in FILE_ROOT_SETTINGS
            )
        )
    return roots


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(source: Path, target: Path) -> tuple[int, str]:
    """Copy the file and return the size and SHA-256 of the bytes written."""
    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as reading, open(target, "wb") as writing:
        while chunk := reading.read(_CHUNK):
            digest.update(chunk)
            writing.write(chunk)
            size += len(chunk)
    shutil.copystat(source, target)
    return size, digest.hexdigest()


def _nested_roots(roots: dict[str, Path], name: str) -> set[Path]:
    """The other roots that lie inside root `name` (walked under their own names)."""
    root = roots[name]
    return {path for other, path in roots.items() if other != name and path.is_relative_to(root)}


def walk_files(roots: dict[str, Path], only: str | None = None) -> Iterator[tuple[str, Path]]:
    """Every file under the roots (or root `only`) as ("<root name>/<relative path>", absolute
    path), sorted."""
    for name, root in roots.items():
        if (only is not None and name != only) or not root.is_dir():
            continue
        skip = _nested_roots(roots, name)
        for directory, subdirectories, files in os.walk(root):
            current = Path(directory)
            subdirectories[:] = sorted(d for d in subdirectories if current / d not in skip)
            for file_name in sorted(files):
                path = current / file_name
                if path.is_file():
                    yield f"{name}/{path.relative_to(root).as_posix()}", path


def files_fingerprint(roots: dict[str, Path]) -> dict[str, dict]:
    """{"<root name>/<relative path>": {"size": ..., "sha256": ...}} of every file now there."""
    return {
        key: {"size": path.stat().st_size, "sha256": sha256_of(path)}
        for key, path in walk_files(roots)
    }


@dataclass
class CopySummary:
    entries: dict[str, dict]
    linked: int = 0
    copied: int = 0


def save_files(roots: dict[str, Path], destination: Path, previous: Path | None) -> CopySummary:
    """Copy every file under the roots into `destination/<root name>/...`.

    A file that the previous backup (`previous`, a backup's `files/` folder) already holds with
    the same SHA-256 is hard-linked to it instead of copied, so a week of daily backups costs
    the space of the files once, plus what changed.
    """
    summary = CopySummary(entries={})
    for key, source in walk_files(roots):
        target = destination / key
        target.parent.mkdir(parents=True, exist_ok=True)
        earlier = previous / key if previous is not None else None
        if earlier is not None and earlier.is_file():
            size, checksum = source.stat().st_size, sha256_of(source)
            if earlier.stat().st_size == size and sha256_of(earlier) == checksum:
                try:
                    os.link(earlier, target)
                except OSError as error:
                    if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                        raise
                else:
                    summary.entries[key] = {"size": size, "sha256": checksum}
                    summary.linked += 1
                    continue
        # Hashed as copied: the manifest describes the bytes the backup holds, even for a file
        # that changed while it was read.
        size, checksum = _copy_hashing(source, target)
        summary.entries[key] = {"size": size, "sha256": checksum}
        summary.copied += 1
    return summary


def root_is_empty(roots: dict[str, Path], name: str) -> bool:
    """True when root `name` holds no file (a nested root's files count under its own name)."""
    return next(walk_files(roots, only=name), None) is None


def empty_root(roots: dict[str, Path], name: str) -> None:
    """Delete every file and folder under root `name` (but not the root, which may be a mount
    point, nor a nested root: that one is emptied under its own name)."""
    root = roots[name]
    if not root.exists():
        return
    skip = _nested_roots(roots, name)
    for child in root.iterdir():
        if child in skip:
            continue
        if any(nested.is_relative_to(child) for nested in skip):
            # A folder on the way to a nested root: empty it around the nested root.
            _empty_around(child, skip)
        elif child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _empty_around(folder: Path, keep: set[Path]) -> None:
    for child in folder.iterdir():
        if child in keep:
            continue
        if any(nested.is_relative_to(child) for nested in keep):
            _empty_around(child, keep)
        elif child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _target_inside(root: Path, relative: str) -> Path:
    target = (root / relative).resolve()
    if (
        relative.startswith("/")
        or ".." in Path(relative).parts
        or not target.is_relative_to(root.resolve())
    ):
        raise BackupError(f"The manifest names a file outside its folder: {relative!r}.")
    return target


def restore_files(entries: dict[str, dict], source: Path, roots: dict[str, Path]) -> int:
    """Copy each file of the manifest from the backup's `files/` folder to its root."""
    for key in entries:
        name, relative = key.split("/", 1)
        if name not in roots:
            raise BackupError(
                f"The backup holds files of the folder {name!r}, which this portal does not "
                "configure."
            )
        target = _target_inside(roots[name], relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / key, target)
    return len(entries)
