"""Chorus: split, group and analyse many LLM answers to the same prompt."""

try:
    import pyarrow
except ImportError:  # pandas then keeps text in Python objects, and this does not apply
    pyarrow = None

if pyarrow is not None:
    # pandas keeps text columns in Arrow arrays, and Arrow's default allocator (mimalloc)
    # holds on to memory it has freed: at 10k answers the theme scores alone left ~80 MB
    # behind, pushing the peak towards Community Cloud's 690 MB. The system allocator gives it
    # back.
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())


def _give_back_large_blocks(threshold: int = 4 << 20) -> bool:
    """Serve allocations of `threshold` bytes and more from their own memory maps (glibc).

    glibc raises this threshold as large blocks are freed (up to 32 MB), after which big numpy
    arrays come from the heap, and the holes they leave are kept: at 10k answers the peak grew
    by ~40 MB of memory no longer in use. Fixed at 4 MB, every large array is returned to the
    system when freed. Returns whether the setting took (False off glibc).
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc (musl, macOS, Windows)
        return False
    m_mmap_threshold = -3
    return bool(mallopt(m_mmap_threshold, threshold))


_give_back_large_blocks()
