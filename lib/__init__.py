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
