"""The assertion helper the conformance scripts share: `check(condition, message)` counts
each check and fails with the message; `passed()` is how many held."""

_count = 0


def check(condition, message):
    global _count
    _count += 1
    if not condition:
        raise AssertionError(message)


def passed():
    return _count
