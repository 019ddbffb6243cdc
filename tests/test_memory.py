"""lib/__init__.py's allocator settings, which keep the app's peak memory down."""

import platform

import pytest

import lib


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="a glibc setting")
def test_large_blocks_are_given_back_on_glibc():
    assert lib._give_back_large_blocks() is True


def test_pyarrow_uses_the_system_allocator():
    import pyarrow

    assert pyarrow.default_memory_pool().backend_name == "system"
