"""The client's address, from `X-Forwarded-For` only when a trusted proxy sent the request.

Behind a reverse proxy every request comes from the proxy's address, so rate limits keyed on
the socket address made everyone share one budget (issue 22, finding 10). A client can write
anything into `X-Forwarded-For`, so the header counts only when the request came from a
configured proxy (`RN_TRUSTED_PROXIES`), and is read from the right: each trusted proxy
appends the address it saw, and the first address that is not one of ours is the client.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from aiohttp import web

from web.security import Handler

Network = IPv4Network | IPv6Network


def networks(cidrs: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ip_network(cidr, strict=False) for cidr in cidrs)


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(
    remote: str | None, forwarded_for: Sequence[str], trusted: Sequence[Network]
) -> str | None:
    """The address to key limits on (see the module docstring)."""
    if remote is None or not _trusted(remote, trusted):
        return remote
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    client = remote
    for hop in reversed(hops):
        try:
            ip_address(hop)
        except ValueError:
            break  # garbage: keep the last address a trusted proxy vouched for
        client = hop
        if not _trusted(hop, trusted):
            break
    return client


def client_address_middleware(
    cidrs: Iterable[str],
) -> Callable[..., Awaitable[web.StreamResponse]]:
    """Replace `request.remote` with the client's address for every handler downstream."""
    trusted = networks(cidrs)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if trusted:
            address = client_address(
                request.remote, request.headers.getall("X-Forwarded-For", []), trusted
            )
            if address is not None and address != request.remote:
                request = request.clone(remote=address)
        return await handler(request)

    return middleware
