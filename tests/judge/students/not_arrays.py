"""Text where the arrays should be.

expect: function grads; loss mse; exit 2; error the function returned str for dw1, not an array
"""


def grads(x, y, w1, w2):
    return "dw1", "dw2"
