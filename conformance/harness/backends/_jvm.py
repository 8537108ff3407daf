"""One JVM per process, shared by the Java, Scala and Clojure adapters.

A JVM cannot be restarted inside a process, so it starts once with the union of every JVM build's
classpath. Each JVM build writes its classpath (one entry per line) to build/jvm-classpath/<name>.txt.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CLASSPATH_DIR = ROOT / "build" / "jvm-classpath"


def classpath_file(name: str) -> Path:
    return CLASSPATH_DIR / f"{name}.txt"


def unavailable(name: str) -> str | None:
    """Why the JVM build `name` cannot be used, or None."""
    try:
        import jpype  # noqa: F401
    except ImportError:
        return "jpype1 is not installed"
    if not classpath_file(name).is_file():
        return f"{classpath_file(name)} missing: build it with `make build`"
    return None


def ensure_started() -> None:
    import jpype

    if jpype.isJVMStarted():
        return
    entries: list[str] = []
    for path in sorted(CLASSPATH_DIR.glob("*.txt")):
        entries.extend(line.strip() for line in path.read_text().splitlines() if line.strip())
    # The incubating Vector API lets the Java backend use its SIMD kernel (same bits as the scalar
    # one, held to every vector); without it the JVM falls back to the scalar kernel.
    jpype.startJVM("--add-modules=jdk.incubator.vector", classpath=entries, convertStrings=False)
