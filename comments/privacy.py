"""Personal data helpers: what Plume keeps of a commenter is as little as it can be."""

import ipaddress
import re

from django.utils.crypto import salted_hmac

from core.clients import parse_address

USER_AGENT_LENGTH = 255
# Control characters have no place in a browser's name, and PostgreSQL cannot store NUL.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f]")


def truncate_ip(value):
    """An IP address with its host part zeroed (IPv4 /24, IPv6 /48); None when not an address."""
    address = parse_address(value)
    if address is None:
        return None
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def reader_address(value):
    """
    The part of an address that tells one reader from another: all of an IPv4
    address, the /64 of an IPv6 one (what one household or device is given, and
    changes within freely); None when not an address. Never stored: see
    `address_digest`.
    """
    address = parse_address(value)
    if address is None:
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def address_digest(value, *, purpose):
    """
    A keyed hash (HMAC with SECRET_KEY) of `value`, for counting by address
    without keeping it: the same input gives the same digest, and the digest
    does not give the address back.
    """
    return salted_hmac(f"comments.address.{purpose}", value or "", algorithm="sha256").hexdigest()


def truncate_user_agent(value):
    """The browser's name as sent, without control characters, cut to what is stored."""
    return CONTROL_CHARACTERS.sub("", value or "")[:USER_AGENT_LENGTH]
