"""Outbound requests only to public addresses (no SSRF): every connection, the first and each
redirect's, resolves its host and refuses loopback, private, link-local, multicast, reserved
and unspecified addresses (IPv4 and IPv6, IPv4-mapped included) before it connects, and then
connects to the address it checked (a second DNS answer cannot swap in another one)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

import httpcore
import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddress(Exception):
    """A host that resolves to an address outbound requests may not reach."""

    def __init__(self, host: str, address: str):
        super().__init__(f"{host} resolves to {address}, a non-public address")
        self.host, self.address = host, address


class Unresolvable(Exception):
    """A host name that does not exist (not retried)."""

    def __init__(self, host: str):
        super().__init__(f"no such host: {host}")


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(address: Address) -> bool:
    """A globally routable unicast address; an IPv6 address that carries an IPv4 one
    (mapped, NAT64, 6to4, Teredo) is judged by the IPv4 address too."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = [address.ipv4_mapped, address.sixtofour,
                 address.teredo[1] if address.teredo else None,
                 ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) if address in _NAT64 else None]
        if any(v4 is not None and not is_public(v4) for v4 in inner):
            return False
        if address.ipv4_mapped is not None or address in _NAT64:
            return True
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int, allowed: Callable[[Address], bool] = is_public) -> str:
    """The first address of ``host``, after checking every address it resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
            raise Unresolvable(host) from None  # no such name: trying again will not help
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
    except UnicodeError:
        raise Unresolvable(host) from None
    addresses = []
    for *_rest, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not allowed(address):
            raise BlockedAddress(host, str(address))
        addresses.append(str(address))
    if not addresses:
        raise httpcore.ConnectError(f"cannot resolve {host}")
    return addresses[0]


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, connecting only to allowed addresses."""

    def __init__(self, allowed: Callable[[Address], bool] = is_public):
        self.allowed = allowed

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        address = resolve(host, port, self.allowed)
        return super().connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                   socket_options=socket_options)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):  # pragma: no cover
        raise BlockedAddress(path, "a unix socket")


def guarded_transport(allowed: Callable[[Address], bool] = is_public) -> httpx.HTTPTransport:
    """An httpx transport whose every connection goes through :class:`GuardedBackend`.
    Environment proxies are ignored: a proxy would make the connection, unchecked."""
    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool = httpcore.ConnectionPool(  # httpx builds its pool without a backend hook
        ssl_context=httpx.create_ssl_context(), max_connections=100,
        max_keepalive_connections=20, keepalive_expiry=5.0,
        network_backend=GuardedBackend(allowed))
    return transport
