"""Entry points: the `jejak` command line and the supervisor of the embedded stack."""

#: The version when Jejak runs from a source tree that is not installed.
__version__ = "0.1.0"
