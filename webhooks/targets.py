"""Where a webhook may be sent: never to loopback, private, link-local or other non-public
addresses (server-side request forgery), unless ``WEBHOOKS_ALLOW_PRIVATE_TARGETS`` is on.

The check runs when an endpoint is registered (what its name resolves to then) and again
at every send, which resolves the name and connects to the very address it checked, so a
name that later resolves to an internal address (DNS rebinding) is refused too.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

Resolver = Callable[..., list[Any]]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(ValueError):
    """The URL resolves to an address webhooks may not reach."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # the name in the URL (Host header, TLS server name)
    port: int
    address: str  # the checked address to connect to
    path: str  # path and query

    @property
    def connect_url(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"{self.scheme}://{host}:{self.port}{self.path}"

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def private_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_TARGETS", False))


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _split(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("Only http and https URLs with a host can receive webhooks.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused("The URL's port is not a number from 1 to 65535.") from None
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    return parts.scheme, parts.hostname, port, path


def _addresses(host: str, port: int, resolver: Resolver) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = resolver(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def check_registration(url: str, *, resolver: Resolver = socket.getaddrinfo) -> None:
    """Refuse a URL whose host is, or resolves to, a non-public address. A name that does
    not resolve now is accepted: every send resolves it again and checks."""
    _, host, port, _ = _split(url)
    if private_allowed():
        return
    try:
        addresses = _addresses(host, port, resolver)
    except OSError:
        return
    refused = [a for a in addresses if not is_public(a)]
    if refused:
        raise TargetRefused(
            f"{host} resolves to {refused[0]}, a loopback, private or link-local address; "
            "webhooks go to public addresses only."
        )


def resolve_target(url: str, *, resolver: Resolver = socket.getaddrinfo) -> Target:
    """The address to send to, checked now (``TargetRefused`` when it may not be used)."""
    scheme, host, port, path = _split(url)
    try:
        addresses = _addresses(host, port, resolver)
    except OSError as exc:
        raise ConnectionError(f"Cannot resolve {host}: {exc}") from None
    if not addresses:
        raise ConnectionError(f"{host} has no address.")
    if not private_allowed():
        refused = [a for a in addresses if not is_public(a)]
        if refused:
            raise TargetRefused(
                f"{host} resolves to {refused[0]}, a loopback, private or link-local address."
            )
    return Target(scheme, host, port, str(addresses[0]), path)
