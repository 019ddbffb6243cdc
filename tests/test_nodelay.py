"""TCP_NODELAY on the server's connections (see lib/nodelay.py)."""

import socket
from asyncio import base_events
from pathlib import Path

import pytest

from lib import nodelay


@pytest.fixture
def restore_asyncio():
    original = base_events._set_nodelay
    yield
    base_events._set_nodelay = original


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_asyncio_alone_skips_a_socket_made_like_streamlits(restore_asyncio):
    # The bug being worked around: protocol number 0, so asyncio leaves Nagle on.
    with socket.socket(family=socket.AF_INET) as sock:
        base_events._set_nodelay(sock)
        assert sock.proto == 0
        assert _nodelay(sock) == 0


def test_enable_sets_nodelay_on_such_sockets_and_leaves_others(restore_asyncio):
    assert nodelay.enable() is True
    with socket.socket(family=socket.AF_INET) as sock:
        base_events._set_nodelay(sock)
        assert _nodelay(sock) != 0
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unix:
        base_events._set_nodelay(unix)  # not TCP: nothing to set, and no error


def test_the_app_enables_it(restore_asyncio):
    from streamlit.testing.v1 import AppTest

    base_events._set_nodelay = lambda sock: None
    AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120
    ).run()
    assert base_events._set_nodelay is nodelay._set_nodelay
