"""The accent colour an editor picks, made readable on the theme's light and dark papers (WCAG AA)."""

import colorsys

# The backgrounds links and buttons sit on, in static/css/plume.css: paper, card, soft.
LIGHT_BACKGROUNDS = ("#fbfaf7", "#ffffff", "#f3efe8")
DARK_BACKGROUNDS = ("#17181b", "#1e1f23", "#222328")
LIGHT_PAPER, DARK_PAPER = LIGHT_BACKGROUNDS[0], DARK_BACKGROUNDS[0]
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


def readable_on(hex_colour, backgrounds):
    """
    `hex_colour` with its lightness moved (hue kept) until it reads on every one of
    `backgrounds`: darker on light ones, lighter on dark ones.
    """
    lighten = luminance(backgrounds[0]) < 0.5
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb(hex_colour))
    if lighten:
        # Lightened at full saturation, an earthy accent turns to a loud orange on a dark page.
        saturation = min(saturation, 0.55)
    candidate = to_hex(colorsys.hls_to_rgb(hue, lightness, saturation)) if lighten else hex_colour
    for _ in range(60):
        if all(contrast(candidate, background) >= MIN_CONTRAST for background in backgrounds):
            return candidate
        lightness = min(1.0, max(0.0, lightness + (0.02 if lighten else -0.02)))
        candidate = to_hex(colorsys.hls_to_rgb(hue, lightness, saturation))
    return candidate


def accent_palette(hex_colour):
    """CSS values for the theme: the accent on light papers (white text on it) and on dark ones."""
    return {
        "light": readable_on(hex_colour, LIGHT_BACKGROUNDS),
        "dark": readable_on(hex_colour, DARK_BACKGROUNDS),
    }
