from .world import _fast_hashing, cw  # noqa: F401  (fixtures)
