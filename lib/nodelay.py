"""Send small responses at once: TCP_NODELAY on the app server's connections.

Streamlit 1.67 serves through uvicorn on a socket it creates itself, `socket.socket(family)`,
whose protocol number is 0. asyncio only turns Nagle's algorithm off for sockets whose protocol
is IPPROTO_TCP, so every response written in two parts (headers, then body) waited for the
browser's delayed acknowledgement: 40 ms per request. A first visit loads about 90 script
chunks, so a page took about 0.6 s longer to draw, and websocket messages were held the same
way. `enable()` makes asyncio set TCP_NODELAY on every TCP stream socket, so connections
accepted from then on answer at once (measured: 44 ms -> under 1 ms per static request).
"""

from __future__ import annotations

import socket

_TCP_FAMILIES = {socket.AF_INET, socket.AF_INET6}


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in _TCP_FAMILIES and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def enable() -> bool:
    """Have asyncio set TCP_NODELAY on TCP sockets whatever their protocol number.

    Returns False (and changes nothing) where asyncio has no such hook. Idempotent.
    """
    from asyncio import base_events

    if not hasattr(base_events, "_set_nodelay") or not hasattr(socket, "TCP_NODELAY"):
        return False
    base_events._set_nodelay = _set_nodelay
    return True
