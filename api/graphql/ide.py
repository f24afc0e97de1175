"""GraphiQL served from the service itself, so it works on a network without internet.

The browser bundles (React, GraphiQL, its explorer plugin) are not committed: ``make
install`` runs ``python -m api.graphql.ide fetch``, which takes each pinned package from the
npm registry with the machine's own ``npm pack``, checks the tarball against the pinned
sha512 and each file against the pinned sha384, and unpacks only those files (and the
package's LICENSE) under ``var/vendor/graphiql/``. The pins (``ide_assets.json``) are the
versions and hashes strawberry-graphql's own GraphiQL page uses. The page itself is
``api/templates/graphql/graphiql.html`` (strawberry renders that template when it exists),
whose tags come from ``graphiql_assets`` below. GraphiQL is only served with DEBUG on.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = Path(__file__).with_name("ide_assets.json")
VENDOR = ROOT / "var" / "vendor"
TARGET = VENDOR / "graphiql"


@dataclass(frozen=True)
class Asset:
    package: str
    version: str
    path: str
    sri: str

    @property
    def static_path(self) -> str:
        """The path under STATIC_URL (STATICFILES_DIRS serves var/vendor as "vendor/")."""
        return f"vendor/graphiql/{self.package}@{self.version}/{self.path}"

    @property
    def file(self) -> Path:
        return TARGET / f"{self.package}@{self.version}" / self.path


def load_manifest() -> list[dict]:
    return json.loads(MANIFEST.read_text())["packages"]


def assets() -> list[Asset]:
    return [
        Asset(p["name"], p["version"], path, sri)
        for p in load_manifest()
        for path, sri in p["files"].items()
    ]


def sri_of(data: bytes, algorithm: str = "sha384") -> str:
    digest = hashlib.new(algorithm, data).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode()}"


def installed() -> bool:
    return all(a.file.is_file() and sri_of(a.file.read_bytes()) == a.sri for a in assets())


def stamp() -> Path:
    checksum = subprocess.run(
        ["cksum", str(MANIFEST)], capture_output=True, text=True, check=True
    ).stdout.split()[0]
    return VENDOR / f".installed-{checksum}"


class AssetError(Exception):
    pass


def _read(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    extracted = archive.extractfile(member)
    if extracted is None:  # only regular files are kept, so this is a broken archive
        raise AssetError(f"{member.name} cannot be read from the package.")
    return extracted.read()


def _fetch_package(package: dict, workdir: Path) -> None:
    spec = f"{package['name']}@{package['version']}"
    result = subprocess.run(
        ["npm", "pack", spec, "--json", "--ignore-scripts", "--pack-destination", str(workdir)],
        capture_output=True,
        text=True,
        cwd=workdir,
    )
    if result.returncode != 0:
        raise AssetError(f"npm pack {spec} failed: {result.stderr.strip()[-500:]}")
    filename = json.loads(result.stdout)[0]["filename"]
    tarball = (workdir / filename).read_bytes()
    if sri_of(tarball, "sha512") != package["integrity"]:
        raise AssetError(f"{spec}: the tarball does not match the pinned sha512; nothing kept.")
    destination = TARGET / spec
    with tarfile.open(workdir / filename) as archive:
        members = {m.name.removeprefix("package/"): m for m in archive.getmembers() if m.isfile()}
        for path, sri in package["files"].items():
            member = members.get(path)
            if member is None:
                raise AssetError(f"{spec} has no file {path}.")
            data = _read(archive, member)
            if sri_of(data) != sri:
                raise AssetError(f"{spec}/{path} does not match the pinned sha384.")
            out = destination / path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        licence = members.get("LICENSE") or members.get("LICENSE.md")
        if licence is not None:
            destination.mkdir(parents=True, exist_ok=True)
            (destination / "LICENSE").write_bytes(_read(archive, licence))


def fetch() -> int:
    if installed():
        stamp().parent.mkdir(parents=True, exist_ok=True)
        stamp().touch()
        return 0
    if shutil.which("npm") is None:
        print(
            "note: npm not found, so GraphiQL's bundles were not fetched; the API, Swagger UI "
            "and the admin work without them. Install Node.js/npm and run `make assets`.",
            file=sys.stderr,
        )
        return 0
    with tempfile.TemporaryDirectory(prefix="graphiql-assets-") as tmp:
        try:
            for package in load_manifest():
                _fetch_package(package, Path(tmp))
        except AssetError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    for old in VENDOR.glob(".installed-*"):
        old.unlink()
    stamp().touch()
    print(f"GraphiQL assets: {len(assets())} files checked and installed in {TARGET}.")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] != ["fetch"]:
        sys.exit("usage: python -m api.graphql.ide fetch")
    sys.exit(fetch())
