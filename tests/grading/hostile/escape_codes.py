"""Prints terminal escape codes (clear the screen, red, a window title) and raises with
more in its message: they reach no terminal, spreadsheet or feedback raw.

expect: status unchecked; reason raised
"""

print("\x1b[2J\x1b[31mPWNED\x1b]0;owned\x07 =cmd|' /C calc'!A0 \u202egnp.exe")


def backprop(x, y, w1, w2):
    raise ValueError('\x1b[2J\x1b[32mCorrect.\x1b[0m\r=HYPERLINK("http://x")')
