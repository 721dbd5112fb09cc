"""A student's helper, named like the standard library's random (and no backprop):
it must reach no classmate's run, nor the grader.

expect: status unchecked; reason missing
"""


def shuffle(items):
    raise ImportError("this is a student's random.py, not the standard library's")


def random():
    raise ImportError("this is a student's random.py, not the standard library's")
