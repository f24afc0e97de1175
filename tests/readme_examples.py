"""The shell examples of README.md and docs/*.md, as a reader would run them.

Every fenced block tagged ``sh``, ``bash`` or ``shell`` in those files is an example, picked
up wherever it is, so a new section's examples are tested as soon as it is written. They run
in document order (README.md first, then docs/ by path) in one bash session, against a
fresh demo served like ``make run`` serves it, with the demo tokens that ``make run`` prints
exported under the names it prints (``ADMIN``, ``ANALYST``, ``EDITOR``). A ``curl`` that gets
an HTTP error fails the example (curl's ``--fail-with-body`` is added by the harness).

An example that shows an error answer says so in a trailing comment that starts with the
status, as a reader would write it: ``curl -X POST $S/submit ...  # 409 warning_...``; the
harness then expects exactly that status from that curl.

A block that cannot run here (it starts the demo itself, needs PostgreSQL or a Docker engine,
or runs for minutes) says so on the line just above its fence, with the reason:

    <!-- readme-test: skip (starts the demo server itself) -->

Keep those rare: an example nobody runs is an example that rots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHELL_FENCE = re.compile(r"^```(sh|bash|shell)\s*$")
ANY_FENCE = re.compile(r"^```")
SKIP = re.compile(r"^<!--\s*readme-test:\s*skip\s*\((?P<reason>[^)]*)\)\s*-->\s*$")
# The examples name the demo's address; the harness serves it on a port of its own.
DEMO_ADDRESSES = ("127.0.0.1:8000", "localhost:8000")


@dataclass(frozen=True)
class Example:
    path: Path
    line: int  # of the opening fence, 1-based
    code: str
    skip_reason: str | None

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]


def examples(paths: list[Path] | None = None) -> list[Example]:
    found: list[Example] = []
    for path in paths or documents():
        lines = path.read_text().splitlines()
        i = 0
        while i < len(lines):
            if SHELL_FENCE.match(lines[i]):
                start = i
                i += 1
                body = []
                while i < len(lines) and not ANY_FENCE.match(lines[i]):
                    body.append(lines[i])
                    i += 1
                marker = SKIP.match(lines[start - 1]) if start > 0 else None
                found.append(
                    Example(path, start + 1, "\n".join(body), marker["reason"] if marker else None)
                )
            elif ANY_FENCE.match(lines[i]):  # another language's block: skip past its end
                i += 1
                while i < len(lines) and not ANY_FENCE.match(lines[i]):
                    i += 1
            i += 1
    return found


EXPECTED_ERROR = re.compile(r"#\s*(?:->\s*)?([45]\d\d)\b")
CURL = r"""
curl() {
  if [ -z "${CURL_EXPECT:-}" ]; then
    command curl --silent --show-error --fail-with-body "$@"
    return
  fi
  local out code
  out=$(command curl --silent --show-error --write-out '\n%{http_code}' "$@") || return
  code=${out##*$'\n'}
  printf '%s\n' "${out%$'\n'*}"
  if [ "$code" != "$CURL_EXPECT" ]; then
    echo "expected HTTP $CURL_EXPECT, got $code" >&2
    return 1
  fi
}
"""


def expect_errors(code: str) -> str:
    """Prefix each curl command whose last line's comment names a 4xx/5xx status with
    ``CURL_EXPECT=<status>`` (the harness's curl then checks that status)."""
    lines = code.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        start = i
        while lines[i].rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
        command = lines[start : i + 1]
        match = EXPECTED_ERROR.search(command[-1].split("'")[-1])
        if match and command[0].lstrip().startswith("curl "):
            indent = command[0][: len(command[0]) - len(command[0].lstrip())]
            command[0] = f"{indent}CURL_EXPECT={match[1]} {command[0].lstrip()}"
        out.extend(command)
        i += 1
    return "\n".join(out)


def script(runnable: list[Example], *, port: int, exports: dict[str, str]) -> str:
    """One bash script running the examples in order; each announces itself first."""
    parts = [
        "set -euo pipefail",
        CURL,
        *(f"export {name}={value}" for name, value in exports.items()),
    ]
    for example in runnable:
        code = expect_errors(example.code)
        for address in DEMO_ADDRESSES:
            code = code.replace(address, f"127.0.0.1:{port}")
        parts.append(f"printf '\\n>>> example %s\\n' '{example.where}'")
        parts.append(code)
    parts.append("printf '\\n>>> all examples ran\\n'")
    return "\n".join(parts) + "\n"
