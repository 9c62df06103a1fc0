"""Runtime hook: make sounddevice load the PortAudio library this bundle carries.

On Linux sounddevice asks `ctypes.util.find_library("portaudio")`, which only consults the system
(ldconfig's cache, then gcc/ld): on a machine without libportaudio2 it finds nothing, and even where
it finds something that is the system copy, not ours. PyInstaller patches find_library for
Windows (and macOS's dyld search path), not for Linux. So, for PortAudio only, answer with the
copy inside the bundle when there is one; every other lookup goes to the original function.
"""


def _pyi_rthook() -> None:
    import ctypes.util
    import os
    import sys

    if not sys.platform.startswith("linux"):
        return
    bundled = os.path.join(sys._MEIPASS, "libportaudio.so.2")  # type: ignore[attr-defined]
    if not os.path.isfile(bundled):
        return
    original = ctypes.util.find_library

    def find_library(name: str):  # type: ignore[no-untyped-def]
        if name == "portaudio":
            return bundled
        return original(name)

    ctypes.util.find_library = find_library


_pyi_rthook()
del _pyi_rthook
