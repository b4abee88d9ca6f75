"""Where the forum's top-level folders are (templates, static, migrations)."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Find a top-level folder (templates, static, migrations) in a checkout or in a wheel.

    In the repository they sit beside the package; a built wheel carries them inside it.
    """
    beside = PACKAGE_DIR.parent / name
    return beside if beside.is_dir() else PACKAGE_DIR / name
