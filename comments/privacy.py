"""Personal data helpers: what Plume keeps of a commenter is as little as it can be."""

import ipaddress
import re

USER_AGENT_LENGTH = 255
# Control characters have no place in a browser's name, and PostgreSQL cannot store NUL.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f]")


def truncate_ip(value):
    """An IP address with its host part zeroed (IPv4 /24, IPv6 /48); None when not an address."""
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def truncate_user_agent(value):
    """The browser's name as sent, without control characters, cut to what is stored."""
    return CONTROL_CHARACTERS.sub("", value or "")[:USER_AGENT_LENGTH]
