"""The demo county is built by loaders that apps register, in order; `yifa demo` runs
them. Each loader receives the context built so far (the county, its units, accounts)
and adds its own data."""

_LOADERS: list[tuple[int, str, object]] = []


def register(name: str, order: int = 100):
    def deco(fn):
        if name not in [n for _, n, _ in _LOADERS]:
            _LOADERS.append((order, name, fn))
            _LOADERS.sort(key=lambda t: t[0])
        return fn

    return deco


def loaders():
    return [(name, fn) for _, name, fn in _LOADERS]
