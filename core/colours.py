"""The accent colour an editor picks, made readable on the theme's light and dark papers (WCAG AA)."""

import colorsys

LIGHT_PAPER = "#fbfaf7"
DARK_PAPER = "#17181b"
MIN_CONTRAST = 4.5


def rgb(hex_colour):
    value = hex_colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))


def to_hex(colour):
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in colour)


def luminance(hex_colour):
    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(hex_colour, paper, *, also=None):
    """
    `hex_colour` with its lightness moved (hue kept) until it reads on `paper` (and on
    `also` when given): darker on a light paper, lighter on a dark one.
    """
    step = -0.02 if luminance(paper) > 0.5 else 0.02
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb(hex_colour))
    if step > 0:
        # Lightened at full saturation, an earthy accent turns to a loud orange on a dark page.
        saturation = min(saturation, 0.55)
    candidate = hex_colour if step < 0 else to_hex(colorsys.hls_to_rgb(hue, lightness, saturation))
    for _ in range(50):
        if contrast(candidate, paper) >= MIN_CONTRAST and (
            also is None or contrast(candidate, also) >= MIN_CONTRAST
        ):
            return candidate
        lightness = min(1.0, max(0.0, lightness + step))
        candidate = to_hex(colorsys.hls_to_rgb(hue, lightness, saturation))
    return candidate


def accent_palette(hex_colour):
    """CSS values for the theme: the accent on light paper (white text on it) and on dark paper."""
    return {
        "light": readable_on(hex_colour, LIGHT_PAPER, also="#ffffff"),
        "dark": readable_on(hex_colour, DARK_PAPER),
    }
