"""Personal data helpers: what Plume keeps of a commenter is as little as it can be."""

import ipaddress

USER_AGENT_LENGTH = 255


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
    return (value or "")[:USER_AGENT_LENGTH]
