"""The cffi description of regpen.h: the one place its declarations are read for Python.

The build runs this file as a script to write the C source of the API-mode extension
`regpen._cffi_regpen` (python/CMakeLists.txt compiles it and links it to libregpen.so), and
regpen.c_abi imports `declarations` to open the library in ABI mode when that extension is absent.
It imports nothing but the standard library and cffi, because it runs before regpen is installed.

    python -P _cffi_build.py path/to/regpen.h path/to/_cffi_regpen.c
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from cffi import FFI

MODULE = "regpen._cffi_regpen"


def declarations(header: Path) -> str:
    """The cdef text: the region between the cffi markers of regpen.h, without the export macro."""
    text = header.read_text()
    region = text.split("/* cffi-begin */", 1)[1].split("/* cffi-end */", 1)[0]
    return re.sub(r"\bREGPEN_API\s+", "", region)


def api_ffi(header: Path) -> FFI:
    """An FFI for API mode: the cdef checked by the C compiler against regpen.h itself."""
    ffi = FFI()
    ffi.cdef(declarations(header))
    ffi.set_source(MODULE, '#include "regpen.h"')
    return ffi


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    header, output = Path(argv[0]), Path(argv[1])
    output.parent.mkdir(parents=True, exist_ok=True)
    api_ffi(header).emit_c_code(str(output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
