"""The Debian packages a frozen bundle needs from the system, as a Depends: value.

    .venv/bin/python packaging/linux/system_depends.py BUNDLE

Reads every ELF file in BUNDLE (``readelf -d``: the libraries each one loads),
leaves out the libraries the bundle carries itself (PyInstaller copies most: Qt,
the Xcb helpers, GLib, OpenSSL...), and names the package of each remaining
library as this Debian system installs it (``ldconfig -p``, ``dpkg -S``), with
the minimal version its package's shlibs file promises. libc6's version is the
newest ``GLIBC_x.y`` symbol version the bundle uses, so the bundle built here
installs wherever that glibc is.

What dpkg-shlibdeps does, without its cost (minutes on 400 files) and without
its habit of naming the packages of libraries the bundle carries a copy of.
Exits 1 with a message if a library is neither in the bundle nor in a package.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

DPKG_INFO = Path("/var/lib/dpkg/info")


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for folder, _dirs, files in os.walk(bundle):
        for name in files:
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            with open(path, "rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return sorted(found)


def needs(path: Path) -> tuple[set[str], set[tuple[int, ...]]]:
    """(the libraries ``path`` loads, the GLIBC_x.y symbol versions it asks for)."""
    out = subprocess.run(["readelf", "-d", "-V", str(path)], capture_output=True, text=True, check=True).stdout
    libraries = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))
    glibc = {tuple(int(n) for n in v.split(".")) for v in re.findall(r"Name: GLIBC_(\d+(?:\.\d+)+)", out)}
    return libraries, glibc


def system_library_paths() -> dict[str, str]:
    """soname -> path, for this machine's architecture, from the loader's cache."""
    arch = {"x86_64": "x86-64", "aarch64": "AArch64"}.get(os.uname().machine, os.uname().machine)
    out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    paths: dict[str, str] = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if match and arch in match.group(2):
            paths.setdefault(match.group(1), match.group(3))
    return paths


def package_of(path: str) -> str:
    """The package that installed ``path`` (asked under both names /lib and /usr/lib have)."""
    candidates = [path, os.path.realpath(path)]
    for candidate in list(candidates):
        if candidate.startswith("/usr/lib/"):
            candidates.append(candidate[len("/usr"):])
        elif candidate.startswith("/lib/"):
            candidates.append("/usr" + candidate)
    for candidate in candidates:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":")[0].split(",")[0].strip()
    raise LookupError(path)


def shlibs_dependency(package: str, soname: str) -> str:
    """``package (>= version)`` as the package's shlibs file has it for ``soname``, else the bare name."""
    match = re.match(r"(.+)\.so\.(.+)$", soname) or re.match(r"(.+)-([^-]+)\.so$", soname)
    if match:
        for shlibs in DPKG_INFO.glob(f"{package}*.shlibs"):
            for line in shlibs.read_text(encoding="utf-8", errors="replace").splitlines():
                fields = line.split(None, 2)
                if len(fields) == 3 and fields[:2] == [match.group(1), match.group(2)]:
                    return fields[2].split(",")[0].strip()
    return package


def depends(bundle: Path) -> str:
    found = [needs(path) for path in elf_files(bundle)]
    carried = {name for _folder, _dirs, names in os.walk(bundle) for name in names}
    wanted = set().union(*(libraries for libraries, _glibc in found)) - carried
    system = system_library_paths()
    entries: dict[str, str] = {}
    missing = []
    for soname in sorted(wanted):
        if soname not in system:
            missing.append(soname)
            continue
        package = package_of(system[soname])
        if package == "libc6":
            newest = max(set().union(*(glibc for _libraries, glibc in found)))
            entries[package] = f"libc6 (>= {'.'.join(map(str, newest))})"
        else:
            entries.setdefault(package, shlibs_dependency(package, soname))
    if missing:
        raise SystemExit(f"system_depends.py: neither in the bundle nor on this system: {', '.join(missing)}")
    return ", ".join(entries[name] for name in sorted(entries))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    print(depends(Path(sys.argv[1])))
