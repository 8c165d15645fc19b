"""What the bad-input tests share: the characters that test every text field."""

NUL = "a\x00b"
# Hebrew and Arabic (right to left), a right-to-left mark, a zero-width joiner inside a
# family emoji, a zero-width space, a skin-tone modifier and a flag: all legitimate text.
LIVING_TEXT = "שלום مرحبا \u200f🙂 👨\u200d👩\u200d👧 zéro\u200blargeur 👍🏽 🇫🇷"
