"""The patched durable-rules build (third_party/durable-rules) survives the engine notes' two memory-safety repros.

Each repro runs in its own interpreter, so a segfault shows up as exit code -11 (139 in a shell) instead
of killing pytest. The scripts use durable-rules directly, without the wrapper's guards in
engine/rules/durable_backend.py (no sentinel rule, a cross-fact `$add` test): that is what the patch fixes.
With the registry's 2.0.28 build the first repro crashes on 3.11, the second on 3.12, and neither imports
on 3.13.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path

PATCHES = Path(__file__).resolve().parent.parent / "third_party" / "durable-rules" / "patches"

HOST = """
from durable import engine

class Host(engine.Host):
    def _run(self):  # no background timer threads
        pass
"""

# Defect 1: a two-pattern rule of which only the first pattern matches, so no action ever runs in the
# session; then delete_state. createStateNode left context.messages/stateFact uninitialised and
# deleteStateNode freed them.
PARTIAL_SESSION = HOST + """
fired = []
host = Host()
host.set_rulesets({"r": {"position_and_grade": {
    "all": [{"p": {"t": "position"}}, {"g": {"t": "grade"}}],
    "run": lambda c: fired.append(c.s.sid),
}}})
for k in range(20000):
    host.assert_facts("r", [{"sid": str(k), "id": "pos", "t": "position", "level": "HEAD"}])
    host.delete_state("r", str(k))
host.assert_facts("r", [{"sid": "full", "id": "pos", "t": "position", "level": "HEAD"},
                        {"sid": "full", "id": "grade", "t": "grade", "value": 5}])
host.delete_state("r", "full")
print("fired", fired)
"""

# Defect 5: a cross-fact test with $add; a false test scanned past the end of its expression sequence.
CROSS_FACT_ADD = HOST + """
late = []
host = Host()
host.set_rulesets({"r": {"cert_late": {
    "all": [{"a": {"t": "appt"}},
            {"x": {"$and": [{"t": "cert"}, {"$gt": {"date": {"$add": {"$l": {"a": "date"}, "$r": 365}}}}]}}],
    "run": lambda c: late.append(c.x.code),
}}})
for k in range(2000):
    host.assert_facts("r", [{"sid": str(k), "id": "a", "t": "appt", "date": 1000},
                            {"sid": str(k), "id": "c1", "t": "cert", "code": "EARLY", "date": 1100},
                            {"sid": str(k), "id": "c2", "t": "cert", "code": "LATE", "date": 1400}])
    host.delete_state("r", str(k))
print("late", sorted(set(late)), len(late))
"""


def run(script: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def test_installed_durable_rules_is_the_patched_build() -> None:
    label = re.search(r"^\+\s*version = '([^']+)'", (PATCHES / "0005-version-label.patch").read_text(), re.M)
    assert label is not None
    assert version("durable-rules") == label.group(1), "not the patched durable-rules build: run `make install`"


def test_delete_state_after_a_partially_matched_session_does_not_crash() -> None:
    done = run(PARTIAL_SESSION)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["fired", "['full']"]


def test_cross_fact_add_reads_within_its_expressions() -> None:
    # With the system allocator and glibc's MALLOC_PERTURB_ the out-of-bounds scan often runs into memory
    # that holds no OP_END byte: the unpatched build then segfaults in about half the runs on 3.11 (measured
    # 5 of 8) and in every run on 3.12, so six runs all but always catch it.
    for _ in range(6):
        done = run(CROSS_FACT_ADD, {"MALLOC_PERTURB_": "254", "PYTHONMALLOC": "malloc"})
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.split() == ["late", "['LATE']", "2000"]
